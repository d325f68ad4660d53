// What the SQLite storage puts on disk, read back with node:sqlite: one file per database holding every
// collection and schema version, index columns in JavaScript order, documents refused when they break the
// schema's length limits, collections dropped by remove(). (Damaged and locked files: bad-files.test.ts.)
import { existsSync, readdirSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  getIndexableStringMonad,
  getPseudoSchemaForVersion,
  type RxDocumentData,
  type RxStorageWriteErrorValidation,
} from 'rxdb';
import {
  AWKWARD_STRINGS,
  SQLITE_VARIANT,
  StorageHarness,
  TEST_CONTEXT,
  insertAll,
  itemSchema,
  keyValueSchema,
  nextVersion,
  queryIds,
  randomDatabaseName,
  randomItem,
  seededRandom,
  sqliteFilePath,
  withMeta,
  type ItemDoc,
  type KeyValueDoc,
} from '../../../support/storage-fixtures';

function openReadOnly(path: string): DatabaseSync {
  return new DatabaseSync(path, { readOnly: true });
}

function tableNames(db: DatabaseSync): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
}

describe('SQLite storage on disk', () => {
  let h: StorageHarness;
  beforeEach(() => {
    h = new StorageHarness(SQLITE_VARIANT, 'file');
  });
  afterEach(async () => {
    await h.dispose();
  });

  it('keeps several collections and schema versions of one database in one file', async () => {
    const databaseName = randomDatabaseName();
    const cards0 = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(0), databaseName, collectionName: 'cards' });
    const cards1 = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(1), databaseName, collectionName: 'cards' });
    const boards = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(0), databaseName, collectionName: 'boards' });
    const other = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(0), databaseName: randomDatabaseName(), collectionName: 'cards' });
    await insertAll(cards0, [withMeta({ key: 'a', value: 'v0' })]);
    await insertAll(cards1, [withMeta({ key: 'a', value: 'v1' })]);
    await insertAll(boards, [withMeta({ key: 'b', value: 'board' })]);
    await insertAll(other, [withMeta({ key: 'z', value: 'elsewhere' })]);

    const databaseFiles = readdirSync(h.folder).filter((name) => name.endsWith('.sqlite'));
    expect(databaseFiles.sort()).toEqual([`${databaseName}.sqlite`, `${other.databaseName}.sqlite`].sort());

    const db = openReadOnly(sqliteFilePath(h.folder, databaseName));
    try {
      expect(tableNames(db)).toEqual(['_trailboard_meta', 'boards-0', 'cards-0', 'cards-1']);
      const columns = (db.prepare(`PRAGMA table_info("cards-0")`).all() as { name: string; type: string; notnull: number }[]).map(
        (c) => `${c.name} ${c.type}${c.notnull ? ' NOT NULL' : ''}`,
      );
      // keyValueSchema has 3 indexes after RxDB fills it in: [_deleted,value,key], [_meta.lwt,key] -> i0, i1
      expect(columns.slice(0, 6)).toEqual([
        'id TEXT NOT NULL',
        'seq INTEGER NOT NULL',
        'deleted INTEGER NOT NULL',
        'lwt REAL NOT NULL',
        'rev TEXT NOT NULL',
        'data TEXT NOT NULL',
      ]);
      expect(columns.slice(6).map((c) => c.split(' ')[0])).toEqual(cards0.schema.indexes!.map((_index, i) => `i${i}`));
      const indexedColumns = (db.prepare(`PRAGMA index_list("cards-0")`).all() as { name: string }[]).flatMap((index) =>
        (db.prepare(`PRAGMA index_info("${index.name.replaceAll('"', '""')}")`).all() as { name: string }[]).map((c) => c.name),
      );
      for (const column of ['id', 'seq', ...cards0.schema.indexes!.map((_index, i) => `i${i}`)]) {
        expect(indexedColumns, `an index on ${column}`).toContain(column);
      }
      const rows = db.prepare(`SELECT id, deleted, rev, data FROM "cards-1"`).all() as { id: string; deleted: number; rev: string; data: string }[];
      expect(rows).toHaveLength(1);
      expect(rows[0]?.id).toBe('a');
      expect(rows[0]?.deleted).toBe(0);
      expect(JSON.parse(rows[0]!.data)).toEqual((await cards1.findDocumentsById(['a'], false))[0]);
      expect((db.prepare(`PRAGMA journal_mode`).get() as { journal_mode: string }).journal_mode).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('stores index columns whose SQLite order is RxDB’s index order, for every awkward string', async () => {
    const schema = itemSchema();
    const instance = await h.createInstance<ItemDoc>({ schema });
    const random = seededRandom(3);
    const docs = AWKWARD_STRINGS.map((title, i) => withMeta({ ...randomItem(random, i), title: title.slice(0, 40) }));
    docs.push(...Array.from({ length: 60 }, (_v, i) => withMeta(randomItem(random, 1000 + i))));
    await insertAll(instance, docs);
    const db = openReadOnly(sqliteFilePath(h.folder, instance.databaseName));
    try {
      schema.indexes!.forEach((index, position) => {
        const fields = typeof index === 'string' ? [index] : [...index];
        const toIndexString = getIndexableStringMonad(schema, fields);
        const expected = docs
          .map((doc) => ({ id: doc.id, key: toIndexString(doc as RxDocumentData<ItemDoc>) }))
          .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
          .map((row) => row.id);
        const actual = (db.prepare(`SELECT id FROM "items-0" ORDER BY i${position}`).all() as { id: string }[]).map((r) => r.id);
        expect(actual, `index ${fields.join(',')}`).toEqual(expected);
      });
    } finally {
      db.close();
    }
  });

  it('drops the collection’s table on remove() and leaves the others', async () => {
    const databaseName = randomDatabaseName();
    const cards = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'cards' });
    const boards = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'boards' });
    await insertAll(cards, [withMeta({ key: 'a', value: 'x' })]);
    await insertAll(boards, [withMeta({ key: 'b', value: 'y' })]);
    await cards.remove();
    const db = openReadOnly(sqliteFilePath(h.folder, databaseName));
    try {
      expect(tableNames(db)).toEqual(['_trailboard_meta', 'boards-0']);
      expect((db.prepare(`SELECT count(*) AS n FROM "boards-0"`).get() as { n: number }).n).toBe(1);
    } finally {
      db.close();
    }
    // the same collection can be created again, empty
    const again = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'cards' });
    expect(await again.findDocumentsById(['a'], true)).toEqual([]);
    await insertAll(again, [withMeta({ key: 'a2', value: 'x' })]);
    expect(await queryIds(again, { selector: {}, sort: [{ key: 'asc' }] }, 'key')).toEqual(['a2']);
  });

  it('deletes the file of a database whose last collection is removed, once no connection has it open', async () => {
    const databaseName = randomDatabaseName();
    const cards = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'cards' });
    await insertAll(cards, [withMeta({ key: 'a', value: 'x' })]);
    const path = sqliteFilePath(h.folder, databaseName);
    expect(existsSync(path)).toBe(true);
    await cards.remove();
    expect(['', '-wal', '-shm'].filter((suffix) => existsSync(path + suffix))).toEqual([]);
  });

  it('keeps every write after all instances are closed and the folder is opened by a new storage', async () => {
    const databaseName = randomDatabaseName();
    const cards = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'cards' });
    const docs = Array.from({ length: 50 }, (_v, i) => withMeta({ key: `k${i}`, value: `v${i % 5}` }));
    await insertAll(cards, docs);
    const updated = nextVersion(docs[0]!, { value: 'changed' });
    await cards.bulkWrite([{ previous: docs[0]!, document: updated }], TEST_CONTEXT);
    await cards.close();
    // the WAL was checkpointed into the main file on the last close
    const db = openReadOnly(sqliteFilePath(h.folder, databaseName));
    try {
      expect((db.prepare(`SELECT count(*) AS n FROM "cards-0"`).get() as { n: number }).n).toBe(50);
    } finally {
      db.close();
    }
    const reopened = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'cards', storage: h.reopenStorage() });
    expect((await reopened.findDocumentsById(['k0'], false))[0]).toEqual(updated);
    expect(await queryIds(reopened, { selector: { value: 'v1' }, sort: [{ key: 'asc' }] }, 'key')).toEqual(['k1', 'k11', 'k16', 'k21', 'k26', 'k31', 'k36', 'k41', 'k46', 'k6']);
  });

  it('refuses to open a table whose schema changed its indexes without a new version', async () => {
    const databaseName = randomDatabaseName();
    const first = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'cards' });
    // The table is created by the first write (a collection never written has none to refuse).
    await insertAll(first, [withMeta({ key: 'a', value: 'x' })]);
    await first.close();
    const changed = getPseudoSchemaForVersion<KeyValueDoc>(0, 'key');
    await expect(h.createInstance<KeyValueDoc>({ schema: changed, databaseName, collectionName: 'cards' })).rejects.toThrow(/cards-0/);
  });
});

describe('SQLite storage refuses documents that break the schema’s length limits', () => {
  let h: StorageHarness;
  beforeEach(() => {
    h = new StorageHarness(SQLITE_VARIANT, 'limits');
  });
  afterEach(async () => {
    await h.dispose();
  });

  type Limited = { id: string; name: string; free: string; nested: { tag: string } };
  const schema = itemLimitedSchema();

  function itemLimitedSchema() {
    const base = getPseudoSchemaForVersion<Limited>(0, 'id');
    return {
      ...base,
      properties: {
        ...base.properties,
        id: { type: 'string', maxLength: 8 },
        name: { type: 'string', maxLength: 5 },
        free: { type: 'string', maxLength: 3 },
        nested: { type: 'object', properties: { tag: { type: 'string', maxLength: 4 } } },
      },
      indexes: [['name', 'id'], ['nested.tag', 'id'], ['_meta.lwt', 'id']],
    } as typeof base;
  }

  function validationError(error: unknown): RxStorageWriteErrorValidation<Limited> {
    const e = error as RxStorageWriteErrorValidation<Limited> | undefined;
    if (!e || e.status !== 422) throw new Error(`expected a 422 error, got ${JSON.stringify(error)}`);
    return e;
  }

  it('answers 422 for a too long primary key, indexed field or nested indexed field, and stores the rest of the bulk', async () => {
    const instance = await h.createInstance<Limited>({ schema });
    const good = withMeta<Limited>({ id: 'ok', name: 'abcde', free: 'a much longer text', nested: { tag: 'abcd' } });
    const longId = withMeta<Limited>({ id: 'id-too-long', name: 'a', free: '', nested: { tag: 't' } });
    const longName = withMeta<Limited>({ id: 'n', name: 'abcdef', free: '', nested: { tag: 't' } });
    const longTag = withMeta<Limited>({ id: 't', name: 'a', free: '', nested: { tag: 'abcde' } });
    const response = await instance.bulkWrite([{ document: longId }, { document: good }, { document: longName }, { document: longTag }], TEST_CONTEXT);

    expect(response.error.map((e) => [e.documentId, e.status]).sort()).toEqual([
      ['id-too-long', 422],
      ['n', 422],
      ['t', 422],
    ]);
    const byId = new Map(response.error.map((e) => [e.documentId, validationError(e)]));
    expect(byId.get('id-too-long')!.isError).toBe(true);
    expect(byId.get('id-too-long')!.writeRow.document).toEqual(longId);
    expect(JSON.stringify(byId.get('id-too-long')!.validationErrors)).toMatch(/primary key.*\b8\b|\b8\b.*primary key/);
    expect(JSON.stringify(byId.get('n')!.validationErrors)).toMatch(/name.*\b5\b/);
    expect(JSON.stringify(byId.get('t')!.validationErrors)).toMatch(/nested\.tag.*\b4\b/);

    expect((await instance.findDocumentsById(['ok', 'id-too-long', 'n', 't'], true)).map((d) => d.id)).toEqual(['ok']);
    expect(await queryIds(instance, { selector: {}, sort: [{ id: 'asc' }] }, 'id')).toEqual(['ok']);
  });

  it('refuses an update that makes an indexed field too long and keeps the stored version', async () => {
    const instance = await h.createInstance<Limited>({ schema });
    const v1 = withMeta<Limited>({ id: 'a', name: 'short', free: '', nested: { tag: 't' } });
    await insertAll(instance, [v1]);
    const emitted: unknown[] = [];
    const sub = instance.changeStream().subscribe((bulk) => emitted.push(bulk));
    const response = await instance.bulkWrite([{ previous: v1, document: nextVersion(v1, { name: 'too long' }) }], TEST_CONTEXT);
    sub.unsubscribe();
    expect(response.error[0]?.status).toBe(422);
    expect(emitted).toEqual([]);
    expect((await instance.findDocumentsById(['a'], false))[0]).toEqual(v1);
  });

  it('accepts strings exactly at the limit, including non-ASCII ones', async () => {
    const instance = await h.createInstance<Limited>({ schema });
    const docs = [
      withMeta<Limited>({ id: '12345678', name: 'äöüßé', free: 'not indexed, so not limited here', nested: { tag: '林檎林檎' } }),
      withMeta<Limited>({ id: 'emoji', name: '😀a🍌', free: '', nested: { tag: '' } }),
    ];
    const response = await instance.bulkWrite(docs.map((document) => ({ document })), TEST_CONTEXT);
    expect(response.error).toEqual([]);
    expect(await queryIds(instance, { selector: { name: '😀a🍌' }, sort: [{ id: 'asc' }] }, 'id')).toEqual(['emoji']);
  });
});
