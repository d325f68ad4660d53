// The storage under RxDB itself: databases, collections, documents, queries and their observables, two
// database instances of one name in one process (multiInstance), cleanup, schema migration, close and reopen.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstValueFrom, filter } from 'rxjs';
import { addRxPlugin, createRxDatabase, fillWithDefaultSettings, type RxCollection, type RxJsonSchema } from 'rxdb';
import { RxDBCleanupPlugin } from 'rxdb/plugins/cleanup';
import { RxDBDevModePlugin, disableWarnings } from 'rxdb/plugins/dev-mode';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import {
  STORAGE_VARIANTS,
  StorageHarness,
  itemSchemaLiteral,
  randomDatabaseName,
  randomItem,
  seededRandom,
  type AnyStorage,
  type ItemDoc,
} from '../../../support/storage-fixtures';

disableWarnings();
addRxPlugin(RxDBDevModePlugin);
addRxPlugin(RxDBCleanupPlugin);
addRxPlugin(RxDBMigrationSchemaPlugin);

type NoteDoc = { id: string; text: string; board: string; updatedAt: number };
type NoteDocV1 = NoteDoc & { words: number };

const noteSchema: RxJsonSchema<NoteDoc> = {
  version: 0,
  type: 'object',
  primaryKey: 'id',
  properties: {
    id: { type: 'string', maxLength: 20 },
    text: { type: 'string' },
    board: { type: 'string', maxLength: 10 },
    updatedAt: { type: 'integer', minimum: 0, maximum: 1e15, multipleOf: 1 },
  },
  required: ['id', 'text', 'board', 'updatedAt'],
  indexes: [['board', 'updatedAt']],
};

const noteSchemaV1: RxJsonSchema<NoteDocV1> = {
  ...noteSchema,
  version: 1,
  properties: { ...noteSchema.properties, words: { type: 'integer', minimum: 0, maximum: 10000, multipleOf: 1 } },
  required: ['id', 'text', 'board', 'updatedAt', 'words'],
  indexes: [['board', 'updatedAt'], 'words'],
} as RxJsonSchema<NoteDocV1>;

type Collections = { notes: RxCollection<NoteDoc>; items: RxCollection<ItemDoc> };

describe.each(STORAGE_VARIANTS)('RxDatabase on the storage ($kind)', (variant) => {
  let h: StorageHarness;
  let validated: AnyStorage;
  const opened: { closed: boolean; close: () => Promise<boolean> }[] = [];

  beforeEach(() => {
    h = new StorageHarness(variant, 'rxdb');
    validated = wrappedValidateAjvStorage({ storage: h.storage });
  });
  afterEach(async () => {
    for (const db of opened.splice(0)) {
      if (!db.closed) await db.close();
    }
    await h.dispose();
  });

  async function openDatabase(name: string, options: { storage?: AnyStorage; multiInstance?: boolean; ignoreDuplicate?: boolean } = {}) {
    const db = await createRxDatabase<Collections>({
      name,
      storage: options.storage ?? validated,
      multiInstance: options.multiInstance ?? false,
      ignoreDuplicate: options.ignoreDuplicate ?? false,
      eventReduce: true,
    });
    opened.push(db);
    await db.addCollections({ notes: { schema: noteSchema }, items: { schema: itemSchemaLiteral() } });
    return db;
  }

  it('inserts, finds, updates, removes and counts documents through collections', async () => {
    const db = await openDatabase(randomDatabaseName());
    const random = seededRandom(1);
    const items = Array.from({ length: 60 }, (_v, i) => randomItem(random, i));
    const inserted = await db.items.bulkInsert(items);
    expect(inserted.error).toEqual([]);
    expect(await db.items.count().exec()).toBe(60);

    const b1 = items.filter((i) => i.board === 'b1').sort((a, b) => (a.hlc === b.hlc ? (a.id < b.id ? 1 : -1) : a.hlc < b.hlc ? 1 : -1));
    const newest = await db.items.find({ selector: { board: 'b1' }, sort: [{ hlc: 'desc' }, { id: 'desc' }], limit: 5 }).exec();
    expect(newest.map((d) => d.id)).toEqual(b1.slice(0, 5).map((i) => i.id));

    const first = await db.items.findOne(items[0]!.id).exec();
    await first!.incrementalPatch({ title: 'patched' });
    expect((await db.items.findOne(items[0]!.id).exec())!.title).toBe('patched');
    await first!.getLatest().remove();
    expect(await db.items.findOne(items[0]!.id).exec()).toBeNull();
    expect(await db.items.count().exec()).toBe(59);
    expect(await db.items.count({ selector: { board: 'b1' } }).exec()).toBe(b1.filter((i) => i.id !== items[0]!.id).length);

    const byIds = await db.items.findByIds(items.slice(0, 3).map((i) => i.id)).exec();
    expect([...byIds.keys()].sort()).toEqual(items.slice(1, 3).map((i) => i.id).sort());

    // an insert over a deleted document is allowed at the RxDB level
    await db.items.insert({ ...items[0]!, title: 'again' });
    expect((await db.items.findOne(items[0]!.id).exec())!.title).toBe('again');
    // and inserting an existing one is a conflict
    await expect(db.items.insert(items[1]!)).rejects.toThrow(/CONFLICT|conflict|409/);
  });

  it('keeps query observables up to date as documents change', async () => {
    const db = await openDatabase(randomDatabaseName());
    const emissions: string[][] = [];
    const sub = db.notes
      .find({ selector: { board: 'b1' }, sort: [{ updatedAt: 'desc' }] })
      .$.subscribe((docs) => emissions.push(docs.map((d) => d.id)));
    await expect.poll(() => emissions).toEqual([[]]);
    await db.notes.insert({ id: 'n1', text: 'one', board: 'b1', updatedAt: 1 });
    await db.notes.insert({ id: 'n2', text: 'two', board: 'b1', updatedAt: 2 });
    await db.notes.insert({ id: 'other', text: 'x', board: 'b2', updatedAt: 3 });
    const n1 = await db.notes.findOne('n1').exec();
    await n1!.incrementalPatch({ updatedAt: 5 });
    await expect.poll(() => emissions.at(-1)).toEqual(['n1', 'n2']);
    await (await db.notes.findOne('n2').exec())!.remove();
    await expect.poll(() => emissions.at(-1)).toEqual(['n1']);
    sub.unsubscribe();
  });

  it('lets two database instances of one name in one process see each other’s writes', async () => {
    const name = randomDatabaseName();
    const a = await openDatabase(name, { multiInstance: true, ignoreDuplicate: true });
    const b = await openDatabase(name, { multiInstance: true, ignoreDuplicate: true });

    const seenByB: string[][] = [];
    const sub = b.notes.find({ sort: [{ id: 'asc' }] }).$.subscribe((docs) => seenByB.push(docs.map((d) => `${d.id}:${d.text}`)));
    await a.notes.insert({ id: 'from-a', text: 'hello', board: 'b1', updatedAt: 1 });
    await expect.poll(() => seenByB.at(-1), { timeout: 5000 }).toEqual(['from-a:hello']);

    const changeOnA = firstValueFrom(a.notes.$.pipe(filter((event) => event.documentId === 'from-a' && event.operation === 'UPDATE')));
    const docOnB = await b.notes.findOne('from-a').exec();
    await docOnB!.incrementalPatch({ text: 'edited by b' });
    const event = await changeOnA;
    expect(event.documentData.text).toBe('edited by b');
    await expect.poll(async () => (await a.notes.findOne('from-a').exec())?.text).toBe('edited by b');
    await expect.poll(() => seenByB.at(-1)).toEqual(['from-a:edited by b']);

    // A patches from a document state that B has since replaced: the storage answers 409 with the stored
    // state and RxDB retries the incremental patch on it, so both edits survive
    const staleOnA = (await a.notes.findOne('from-a').exec())!;
    await docOnB!.getLatest().incrementalPatch({ text: 'second edit by b' });
    await expect.poll(async () => (await a.notes.findOne('from-a').exec())?.text).toBe('second edit by b');
    await staleOnA.incrementalPatch({ updatedAt: 9 });
    const merged = (await b.notes.findOne('from-a').exec())!;
    expect([merged.text, merged.updatedAt]).toEqual(['second edit by b', 9]);
    sub.unsubscribe();
  });

  it('keeps everything after the database is closed and opened again', async () => {
    const name = randomDatabaseName();
    const first = await openDatabase(name);
    await first.notes.bulkInsert([
      { id: 'a', text: 'x', board: 'b1', updatedAt: 1 },
      { id: 'b', text: 'y', board: 'b1', updatedAt: 2 },
    ]);
    await (await first.notes.findOne('a').exec())!.incrementalPatch({ text: 'changed' });
    await first.close();

    const second = await openDatabase(name, { storage: wrappedValidateAjvStorage({ storage: h.reopenStorage() }) });
    const docs = await second.notes.find({ selector: { board: 'b1' }, sort: [{ updatedAt: 'asc' }] }).exec();
    expect(docs.map((d) => `${d.id}:${d.text}`)).toEqual(['a:changed', 'b:y']);
    await second.notes.insert({ id: 'c', text: 'z', board: 'b1', updatedAt: 3 });
    expect(await second.notes.count().exec()).toBe(3);
  });

  it('purges deleted documents with RxDB’s cleanup and keeps the live ones', async () => {
    const db = await openDatabase(randomDatabaseName());
    await db.notes.bulkInsert([
      { id: 'keep', text: 'x', board: 'b1', updatedAt: 1 },
      { id: 'drop', text: 'y', board: 'b1', updatedAt: 2 },
    ]);
    await (await db.notes.findOne('drop').exec())!.remove();
    await db.notes.cleanup(0);
    const raw = await db.notes.storageInstance.findDocumentsById(['keep', 'drop'], true);
    expect(raw.map((d) => d.id)).toEqual(['keep']);
  });

  it('migrates a collection to a new schema version and drops the old version’s data', async () => {
    const name = randomDatabaseName();
    const first = await createRxDatabase({ name, storage: validated, multiInstance: false });
    opened.push(first);
    await first.addCollections({ notes: { schema: noteSchema } });
    await first.notes!.bulkInsert([
      { id: 'a', text: 'one two three', board: 'b1', updatedAt: 1 },
      { id: 'b', text: 'four', board: 'b2', updatedAt: 2 },
    ]);
    await first.close();

    const second = await createRxDatabase({ name, storage: validated, multiInstance: false });
    opened.push(second);
    await second.addCollections({
      notes: {
        schema: noteSchemaV1,
        migrationStrategies: { 1: (doc: NoteDoc) => ({ ...doc, words: doc.text.split(' ').length }) },
      },
    });
    const migrated = await second.notes!.find({ sort: [{ words: 'desc' }] }).exec();
    expect(migrated.map((d) => `${d.id}:${(d as unknown as NoteDocV1).words}`)).toEqual(['a:3', 'b:1']);

    const old = await h.createInstance<NoteDoc>({
      schema: fillWithDefaultSettings(noteSchema),
      databaseName: name,
      collectionName: 'notes',
      storage: h.storage,
    });
    expect((await old.findDocumentsById(['a', 'b'], true)).length).toBe(0);
  });

  it('removes all data of a database with remove()', async () => {
    const name = randomDatabaseName();
    const first = await openDatabase(name);
    await first.notes.insert({ id: 'a', text: 'x', board: 'b1', updatedAt: 1 });
    await first.remove();
    const second = await openDatabase(name);
    expect(await second.notes.count().exec()).toBe(0);
  });
});
