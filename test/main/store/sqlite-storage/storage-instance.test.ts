// The RxStorageInstance contract, method by method, on RxDB's memory storage (the reference) and on ours.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { filter, map } from 'rxjs';
import {
  deepFreeze,
  getChangedDocumentsSince,
  getPseudoSchemaForVersion,
  getSortComparator,
  normalizeMangoQuery,
  now,
  stackCheckpoints,
  type EventBulk,
  type RxDocumentData,
  type RxStorageChangeEvent,
  type RxStorageWriteError,
} from 'rxdb';
import {
  STORAGE_VARIANTS,
  StorageHarness,
  TEST_CONTEXT,
  insertAll,
  itemSchema,
  keyValueSchema,
  nextVersion,
  prepare,
  queryIds,
  randomDatabaseName,
  randomItem,
  revision,
  seededRandom,
  withMeta,
  type ItemDoc,
  type KeyValueDoc,
} from '../../../support/storage-fixtures';

type Bulk = EventBulk<RxStorageChangeEvent<KeyValueDoc>, unknown>;

function conflictOf<T>(error: RxStorageWriteError<T> | undefined): RxDocumentData<T> {
  if (!error || error.status !== 409) throw new Error(`expected a 409 conflict, got ${JSON.stringify(error)}`);
  return error.documentInDb;
}

describe.each(STORAGE_VARIANTS)('RxStorageInstance ($kind)', (variant) => {
  let h: StorageHarness;
  beforeEach(() => {
    h = new StorageHarness(variant, 'instance');
  });
  afterEach(async () => {
    await h.dispose();
  });

  const kvSchema = getPseudoSchemaForVersion<KeyValueDoc>(0, 'key');

  describe('creation', () => {
    it('keeps the database and collection names as given', async () => {
      const databaseName = randomDatabaseName();
      const instance = await h.createInstance<KeyValueDoc>({ schema: kvSchema, databaseName, collectionName: 'cards' });
      expect(instance.databaseName).toBe(databaseName);
      expect(instance.collectionName).toBe('cards');
      expect(instance.schema).toEqual(kvSchema);
    });

    it('opens twenty collections of one database at once, each usable on its own', async () => {
      const databaseName = randomDatabaseName();
      const instances = await Promise.all(
        Array.from({ length: 20 }, (_v, i) =>
          h.createInstance<KeyValueDoc>({ schema: kvSchema, databaseName, collectionName: `col${i}` }),
        ),
      );
      await Promise.all(instances.map((instance, i) => insertAll(instance, [withMeta({ key: 'k', value: `v${i}` })])));
      const values = await Promise.all(instances.map(async (instance) => (await instance.findDocumentsById(['k'], false))[0]?.value));
      expect(values).toEqual(Array.from({ length: 20 }, (_v, i) => `v${i}`));
    });

    it('refuses a schema with keyCompression (RxDB error UT5)', async () => {
      const schema = { ...getPseudoSchemaForVersion<KeyValueDoc>(0, 'key'), keyCompression: true };
      await expect(h.createInstance<KeyValueDoc>({ schema })).rejects.toThrow(/UT5/);
    });

    it('refuses a schema with encrypted fields (RxDB error UT6)', async () => {
      const schema = { ...getPseudoSchemaForVersion<KeyValueDoc>(0, 'key'), encrypted: ['value'] };
      await expect(h.createInstance<KeyValueDoc>({ schema })).rejects.toThrow(/UT6/);
    });
  });

  describe('bulkWrite', () => {
    it('stores an inserted document exactly and reports no error', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: kvSchema });
      const doc = withMeta({ key: 'foobar', value: 'barfoo' });
      const response = await instance.bulkWrite([{ document: structuredClone(doc) }], TEST_CONTEXT);
      expect(response.error).toEqual([]);
      const [found] = await instance.findDocumentsById(['foobar'], false);
      expect(found).toEqual(doc);
    });

    it('does not mutate the rows it is given (they may be frozen)', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema() });
      const first = withMeta({ key: 'a', value: 'x' });
      const rows = deepFreeze([{ document: first }]);
      expect((await instance.bulkWrite(rows, TEST_CONTEXT)).error).toEqual([]);
      const update = deepFreeze([{ previous: first, document: nextVersion(first, { value: 'y' }) }]);
      expect((await instance.bulkWrite(update, TEST_CONTEXT)).error).toEqual([]);
      expect((await instance.findDocumentsById(['a'], false))[0]?.value).toBe('y');
    });

    it('answers a second insert of the same id with 409 carrying the stored document and nothing else', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: kvSchema });
      const doc = withMeta({ key: 'foobar', value: 'stored' });
      await insertAll(instance, [doc]);
      const again = withMeta({ key: 'foobar', value: 'second' });
      const response = await instance.bulkWrite([{ document: again }], TEST_CONTEXT);
      expect(response.error).toHaveLength(1);
      const error = response.error[0];
      expect(error?.status).toBe(409);
      expect(error?.isError).toBe(true);
      expect(error?.documentId).toBe('foobar');
      expect(error?.writeRow.document).toEqual(again);
      const inDb = conflictOf(error);
      expect(inDb).toEqual(doc);
      // no storage internals (sequence numbers, index columns...) may leak into the conflict
      expect(Object.keys(inDb).sort()).toEqual(Object.keys(doc).sort());
      expect((await instance.findDocumentsById(['foobar'], false))[0]?.value).toBe('stored');
    });

    it('answers an update whose previous revision is stale with 409 and the current document', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: kvSchema });
      const v1 = withMeta({ key: 'k', value: 'one' });
      await insertAll(instance, [v1]);
      const v2 = nextVersion(v1, { value: 'two' });
      expect((await instance.bulkWrite([{ previous: v1, document: v2 }], TEST_CONTEXT)).error).toEqual([]);
      const stale = nextVersion(v1, { value: 'stale' });
      const response = await instance.bulkWrite([{ previous: v1, document: stale }], TEST_CONTEXT);
      expect(conflictOf(response.error[0])).toEqual(v2);
      expect((await instance.findDocumentsById(['k'], false))[0]).toEqual(v2);
    });

    it('lets the first of two concurrent inserts of one id win and gives the second a 409', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: kvSchema });
      const base = withMeta({ key: 'same', value: '' });
      const [first, second] = await Promise.all([
        instance.bulkWrite([{ document: { ...base, value: 'first' } }], TEST_CONTEXT),
        instance.bulkWrite([{ document: { ...base, value: 'second' } }], TEST_CONTEXT),
      ]);
      expect(first.error).toEqual([]);
      expect(second.error[0]?.status).toBe(409);
      expect(second.error[0]?.writeRow.document.value).toBe('second');
      expect((await instance.findDocumentsById(['same'], false))[0]?.value).toBe('first');
    });

    it('writes the good rows of a bulk and reports only the conflicting ones', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema() });
      const existing = withMeta({ key: 'b', value: 'old' });
      await insertAll(instance, [existing]);
      const response = await instance.bulkWrite(
        [
          { document: withMeta({ key: 'a', value: 'new-a' }) },
          { document: withMeta({ key: 'b', value: 'clash' }) },
          { document: withMeta({ key: 'c', value: 'new-c' }) },
        ],
        TEST_CONTEXT,
      );
      expect(response.error.map((e) => [e.documentId, e.status])).toEqual([['b', 409]]);
      const found = await instance.findDocumentsById(['a', 'b', 'c'], false);
      expect(found.map((d) => `${d.key}=${d.value}`).sort()).toEqual(['a=new-a', 'b=old', 'c=new-c']);
    });

    it('answers each write case alike whether the row is alone in its bulk or one of many', async () => {
      // A bulk of one document reads the stored one by a point lookup, a larger bulk by one statement over all
      // its ids: both must see the same stored state and give the same answers.
      const instance = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema() });
      const answer = async (row: { previous?: RxDocumentData<KeyValueDoc>; document: RxDocumentData<KeyValueDoc> }, isAlone: boolean) => {
        const filler = withMeta({ key: `filler-${Math.random()}`, value: 'f' });
        const rows = isAlone ? [row] : [{ document: filler }, row, { document: withMeta({ key: `${filler.key}-2`, value: 'f' }) }];
        const response = await instance.bulkWrite(rows, TEST_CONTEXT);
        const error = response.error.find((e) => e.documentId === row.document.key);
        const stored = (await instance.findDocumentsById([row.document.key], true))[0];
        return { status: error?.status ?? 201, inDb: error?.status === 409 ? error.documentInDb : undefined, stored };
      };
      for (const isAlone of [true, false]) {
        const p = isAlone ? 'one' : 'many';
        // a new document
        const fresh = withMeta({ key: `${p}-new`, value: 'v1' });
        expect(await answer({ document: fresh }, isAlone)).toEqual({ status: 201, inDb: undefined, stored: fresh });
        // a second insert of a stored id: 409 with the stored document
        expect(await answer({ document: withMeta({ key: `${p}-new`, value: 'again' }) }, isAlone)).toEqual({ status: 409, inDb: fresh, stored: fresh });
        // an update from the stored revision, then one from a stale revision
        const v2 = nextVersion(fresh, { value: 'v2' });
        expect(await answer({ previous: fresh, document: v2 }, isAlone)).toEqual({ status: 201, inDb: undefined, stored: v2 });
        expect(await answer({ previous: fresh, document: nextVersion(fresh, { value: 'stale' }) }, isAlone)).toEqual({ status: 409, inDb: v2, stored: v2 });
        // a deletion, a blind insert over the deleted document (409), and its restoration from the deleted state
        const gone = nextVersion(v2, { _deleted: true });
        expect(await answer({ previous: v2, document: gone }, isAlone)).toEqual({ status: 201, inDb: undefined, stored: gone });
        expect(await answer({ document: withMeta({ key: `${p}-new`, value: 'blind' }) }, isAlone)).toEqual({ status: 409, inDb: gone, stored: gone });
        const back = nextVersion(gone, { value: 'back', _deleted: false });
        expect(await answer({ previous: gone, document: back }, isAlone)).toEqual({ status: 201, inDb: undefined, stored: back });
      }
    });

    it('hides a deleted document from findDocumentsById(withDeleted=false) but keeps its fields', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: kvSchema });
      const v1 = withMeta({ key: 'k', value: 'one' });
      await insertAll(instance, [v1]);
      const v2 = nextVersion(v1, { value: 'two' });
      await instance.bulkWrite([{ previous: v1, document: v2 }], TEST_CONTEXT);
      const gone = nextVersion(v2, { value: 'gone', _deleted: true });
      expect((await instance.bulkWrite([{ previous: v2, document: gone }], TEST_CONTEXT)).error).toEqual([]);
      expect(await instance.findDocumentsById(['k'], false)).toEqual([]);
      const [withDeleted] = await instance.findDocumentsById(['k'], true);
      expect(withDeleted).toEqual(gone);
    });

    it('refuses to overwrite a deleted document without its previous state, and allows it with', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: kvSchema });
      const v1 = withMeta({ key: 'undelete-me', value: 'one' });
      await insertAll(instance, [v1]);
      const deleted = nextVersion(v1, { _deleted: true });
      await instance.bulkWrite([{ previous: v1, document: deleted }], TEST_CONTEXT);

      const blind = withMeta({ key: 'undelete-me', value: 'blind' });
      const refused = await instance.bulkWrite([{ document: blind }], TEST_CONTEXT);
      expect(refused.error[0]?.status).toBe(409);
      expect(conflictOf(refused.error[0])).toEqual(deleted);

      const revived = nextVersion(deleted, { value: 'revived', _deleted: false });
      expect((await instance.bulkWrite([{ previous: deleted, document: revived }], TEST_CONTEXT)).error).toEqual([]);
      expect((await instance.findDocumentsById(['undelete-me'], false))[0]).toEqual(revived);
    });

    it('updates a deleted document that stays deleted', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: kvSchema });
      const v1 = withMeta({ key: 'k', value: 'one' });
      await insertAll(instance, [v1]);
      const deleted = nextVersion(v1, { _deleted: true });
      await instance.bulkWrite([{ previous: v1, document: deleted }], TEST_CONTEXT);
      const stillDeleted = nextVersion(deleted, { value: 'changed-while-deleted' });
      expect((await instance.bulkWrite([{ previous: deleted, document: stillDeleted }], TEST_CONTEXT)).error).toEqual([]);
      expect((await instance.findDocumentsById(['k'], true))[0]).toEqual(stillDeleted);
    });

    it('stores a document inserted already deleted (as replication does)', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema() });
      const tombstone = withMeta({ key: 't', value: 'v' }, { deleted: true });
      await insertAll(instance, [tombstone]);
      expect(await instance.findDocumentsById(['t'], false)).toEqual([]);
      expect((await instance.findDocumentsById(['t'], true))[0]).toEqual(tombstone);
    });

    it('drops a property that the new version no longer has', async () => {
      type Optional = { key: string; value?: string };
      const schema = getPseudoSchemaForVersion<Optional>(0, 'key');
      const instance = await h.createInstance<Optional>({ schema });
      const v1 = withMeta<Optional>({ key: 'k', value: 'present' });
      await insertAll(instance, [v1]);
      const { value: _dropped, ...rest } = v1;
      const v2 = { ...rest, _rev: revision(2), _meta: { lwt: now() } };
      expect((await instance.bulkWrite([{ previous: v1, document: v2 }], TEST_CONTEXT)).error).toEqual([]);
      const [found] = await instance.findDocumentsById(['k'], false);
      expect(found).toEqual(v2);
      expect(found !== undefined && 'value' in found).toBe(false);
    });

    it('accepts a write that changes only _meta, and a jump of several revision heights', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: kvSchema });
      const v1 = withMeta({ key: 'k', value: 'same' });
      await insertAll(instance, [v1]);
      const metaOnly = { ...v1, _rev: revision(2), _meta: { lwt: now(), custom: 1 } };
      expect((await instance.bulkWrite([{ previous: v1, document: metaOnly }], TEST_CONTEXT)).error).toEqual([]);
      const jump = { ...metaOnly, _rev: revision(7), _meta: { lwt: now() } };
      expect((await instance.bulkWrite([{ previous: metaOnly, document: jump }], TEST_CONTEXT)).error).toEqual([]);
      expect((await instance.findDocumentsById(['k'], true))[0]?._rev).toBe(revision(7));
    });

    it('round-trips umlauts, emoji, control and quote characters in keys and values', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema() });
      const keys = ['äöüßé', '😀🍌', 'tab\tnew\nline', "it's \"quoted\"", 'nul\u0000byte', '\uffff\ue000', '%_'];
      const docs = keys.map((key, i) => withMeta({ key, value: `${key}-${i}` }));
      await insertAll(instance, docs);
      const found = await instance.findDocumentsById(keys, false);
      expect(found.slice().sort((a, b) => (a.key < b.key ? -1 : 1))).toEqual(
        docs.slice().sort((a, b) => (a.key < b.key ? -1 : 1)),
      );
      for (const doc of docs) {
        expect(await queryIds(instance, { selector: { value: doc.value }, sort: [{ key: 'asc' }] }, 'key')).toEqual([doc.key]);
      }
    });

    it('stores documents of every JSON shape unchanged (nested, arrays, numbers, null, unicode)', async () => {
      type Rich = { id: string; data: unknown };
      const schema = getPseudoSchemaForVersion<Rich>(0, 'id');
      const instance = await h.createInstance<Rich>({ schema });
      const data = {
        nested: { deep: { deeper: [1, 2, { x: 'y' }] } },
        numbers: [0, -0.5, 1e-7, 1.7976931348623157e308, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER],
        isNull: null,
        text: 'line\nbreak \u2028 \u0000 😀',
        empty: {},
        emptyList: [],
      };
      const doc = withMeta<Rich>({ id: 'rich', data });
      await insertAll(instance, [doc]);
      expect((await instance.findDocumentsById(['rich'], false))[0]).toEqual(doc);
    });

    it('inserts and finds 5000 documents in one call', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema() });
      const docs = Array.from({ length: 5000 }, (_v, i) => withMeta({ key: `k${String(i).padStart(5, '0')}`, value: `v${i % 97}` }));
      await insertAll(instance, docs);
      const found = await instance.findDocumentsById(
        docs.map((d) => d.key),
        false,
      );
      expect(found).toHaveLength(5000);
      expect(new Set(found.map((d) => d.key)).size).toBe(5000);
    });

    it('returns the documents of findDocumentsById with and without deleted ones', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: kvSchema });
      const del = withMeta({ key: 'del', value: 'x' });
      const keep = withMeta({ key: 'keep', value: 'y' });
      await insertAll(instance, [del, keep]);
      await instance.bulkWrite([{ previous: del, document: nextVersion(del, { _deleted: true }) }], TEST_CONTEXT);
      expect((await instance.findDocumentsById(['del', 'keep', 'missing'], true)).map((d) => d.key).sort()).toEqual([
        'del',
        'keep',
      ]);
      expect((await instance.findDocumentsById(['del', 'keep', 'missing'], false)).map((d) => d.key)).toEqual(['keep']);
      expect(await instance.findDocumentsById([], true)).toEqual([]);
    });

    it('answers findDocumentsById in the order the ids are asked, once per id asked, as the reference does', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: kvSchema });
      await insertAll(instance, ['m', 'c', 'x', 'a'].map((key) => withMeta({ key, value: key })));
      const asked = ['x', 'missing', 'a', 'm', 'x', 'c'];
      expect((await instance.findDocumentsById(asked, false)).map((d) => d.key)).toEqual(['x', 'a', 'm', 'x', 'c']);
      expect((await instance.findDocumentsById(asked, true)).map((d) => d.key)).toEqual(['x', 'a', 'm', 'x', 'c']);
    });
  });

  describe('query and count', () => {
    it('returns deleted documents too: filtering them is RxDB’s job, not the storage’s', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: kvSchema });
      const v1 = withMeta({ key: 'k', value: 'v' });
      await insertAll(instance, [v1, withMeta({ key: 'l', value: 'w' })]);
      await instance.bulkWrite([{ previous: v1, document: nextVersion(v1, { _deleted: true }) }], TEST_CONTEXT);
      expect(await queryIds(instance, { selector: {}, sort: [{ key: 'asc' }] }, 'key')).toEqual(['k', 'l']);
      expect(await queryIds(instance, { selector: { _deleted: false }, sort: [{ key: 'asc' }] }, 'key')).toEqual(['l']);
      expect(await queryIds(instance, { selector: { _deleted: true }, sort: [{ key: 'asc' }] }, 'key')).toEqual(['k']);
    });

    it('sorts descending by an indexed field', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema() });
      await insertAll(instance, ['b', 'a', 'c'].map((value) => withMeta({ key: `key-${value}`, value })));
      const result = await instance.query(prepare(instance.schema, { selector: {}, sort: [{ value: 'desc' }] }));
      expect(result.documents.map((d) => d.value)).toEqual(['c', 'b', 'a']);
    });

    it('queries a nested field through its compound index', async () => {
      type Nested = { id: string; nes: { ted: string } };
      const instance = await h.createInstance<Nested>({
        schema: {
          ...getPseudoSchemaForVersion<Nested>(0, 'id'),
          properties: {
            ...getPseudoSchemaForVersion<Nested>(0, 'id').properties,
            nes: { type: 'object', properties: { ted: { type: 'string', maxLength: 50 } }, required: ['ted'] },
          },
          indexes: [['nes.ted', 'id'], ['_meta.lwt', 'id']],
        },
      });
      await insertAll(instance, [withMeta({ id: 'a', nes: { ted: 'barfoo' } }), withMeta({ id: 'b', nes: { ted: 'other' } })]);
      const result = await instance.query(
        prepare(instance.schema, { selector: { 'nes.ted': { $eq: 'barfoo' } }, sort: [{ 'nes.ted': 'asc' }, { id: 'asc' }] }),
      );
      expect(result.documents.map((d) => d.id)).toEqual(['a']);
    });

    it('returns all of 300 documents, more than any internal batch', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema() });
      await insertAll(instance, Array.from({ length: 300 }, (_v, i) => withMeta({ key: `${String(i).padStart(4, '0')}`, value: `${i}` })));
      const ids = await queryIds(instance, { selector: {}, sort: [{ key: 'asc' }] }, 'key');
      expect(ids).toHaveLength(300);
      expect(ids[0]).toBe('0000');
      expect(ids[299]).toBe('0299');
    });

    it('orders query results exactly as RxDB’s sort comparator does, ties broken by the primary key', async () => {
      const instance = await h.createInstance<ItemDoc>({ schema: itemSchema() });
      const random = seededRandom(7);
      const docs = Array.from({ length: 40 }, (_v, i) => withMeta(randomItem(random, i)));
      await insertAll(instance, docs);
      const sorts = [
        [{ id: 'asc' }],
        [{ board: 'asc' }, { hlc: 'asc' }],
        [{ n: 'desc' }],
        [{ isDone: 'asc' }, { n: 'desc' }],
        [{ hlc: 'desc' }, { id: 'desc' }],
        [{ title: 'asc' }],
        [{ score: 'asc' }, { n: 'asc' }],
      ] as const;
      for (const sort of sorts) {
        const query = normalizeMangoQuery<RxDocumentData<ItemDoc>>(instance.schema, { selector: {}, sort: [...sort] });
        const expected = docs.slice().sort(getSortComparator(instance.schema, query)).map((d) => d.id);
        expect(await queryIds(instance, { selector: {}, sort: [...sort] }, 'id'), JSON.stringify(sort)).toEqual(expected);
      }
    });

    it('counts every stored document, deleted ones included, unless the selector excludes them', async () => {
      const schema = keyValueSchema();
      const instance = await h.createInstance<KeyValueDoc>({ schema });
      const all = prepare(schema, { selector: {}, sort: [{ key: 'asc' }] });
      const live = prepare(schema, { selector: { _deleted: false }, sort: [{ key: 'asc' }] });
      expect((await instance.count(all)).count).toBe(0);
      const a = withMeta({ key: 'a', value: '1' });
      await insertAll(instance, [a, withMeta({ key: 'b', value: '2' })]);
      expect((await instance.count(all)).count).toBe(2);
      await instance.bulkWrite([{ previous: a, document: nextVersion(a, { _deleted: true }) }], TEST_CONTEXT);
      expect((await instance.count(all)).count).toBe(2);
      expect((await instance.count(live)).count).toBe(1);
      const byValue = prepare(schema, { selector: { value: { $gt: '1' } }, sort: [{ key: 'asc' }] });
      expect((await instance.count(byValue)).count).toBe(1);
    });
  });

  describe('getChangedDocumentsSince', () => {
    it('returns nothing at first, then the latest state of each changed document', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: kvSchema });
      const empty = await getChangedDocumentsSince(instance, 10);
      expect(empty.documents).toEqual([]);

      const v1 = withMeta({ key: 'foobar', value: 'one' });
      await insertAll(instance, [v1]);
      const afterInsert = await getChangedDocumentsSince(instance, 10);
      expect(afterInsert.documents).toEqual([v1]);

      // asked again from its own checkpoint: nothing new, and exactly the same checkpoint back
      const none = await getChangedDocumentsSince(instance, 10, afterInsert.checkpoint);
      expect(none.documents).toEqual([]);
      expect(none.checkpoint).toEqual(afterInsert.checkpoint);

      const deleted = nextVersion(v1, { _deleted: true });
      await instance.bulkWrite([{ previous: v1, document: deleted }], TEST_CONTEXT);
      const afterDelete = await getChangedDocumentsSince(instance, 10, afterInsert.checkpoint);
      expect(afterDelete.documents).toEqual([deleted]);
      const fromStart = await getChangedDocumentsSince(instance, 100);
      expect(fromStart.documents).toEqual([deleted]);
    });

    it('pages through every document once, whatever the page size', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema() });
      let doc = withMeta({ key: 'often', value: '0' });
      await insertAll(instance, [doc, withMeta({ key: 'once', value: 'x' })]);
      for (let i = 1; i <= 10; i++) {
        const next = nextVersion(doc, { value: String(i) });
        await instance.bulkWrite([{ previous: doc, document: next }], TEST_CONTEXT);
        doc = next;
      }
      const whole = await getChangedDocumentsSince(instance, 10);
      expect(whole.documents.map((d) => d.key).sort()).toEqual(['often', 'once']);
      expect(whole.documents.find((d) => d.key === 'often')?.value).toBe('10');

      await insertAll(instance, Array.from({ length: 10 }, (_v, i) => withMeta({ key: `more${i}`, value: 'm' })));
      for (const pageSize of [1, 3, 5, 12, 100]) {
        const seen: string[] = [];
        let checkpoint: unknown;
        for (let guard = 0; guard < 100; guard++) {
          const page = await getChangedDocumentsSince(instance, pageSize, checkpoint);
          expect(page.documents.length).toBeLessThanOrEqual(pageSize);
          if (page.documents.length === 0) break;
          seen.push(...page.documents.map((d) => d.key));
          checkpoint = page.checkpoint;
        }
        expect(seen, `page size ${pageSize}`).toHaveLength(12);
        expect(new Set(seen).size).toBe(12);
      }
    });

    it('sees writes made between pages', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema() });
      const writeAmount = 90;
      let counter = 0;
      const writeBatch = () =>
        insertAll(instance, Array.from({ length: writeAmount / 5 }, () => withMeta({ key: `k${String(counter++).padStart(3, '0')}`, value: 'v' })));
      await writeBatch();
      const seen = new Set<string>();
      let checkpoint: unknown;
      let fetches = 0;
      while (seen.size < writeAmount && fetches < 50) {
        fetches++;
        const page = await getChangedDocumentsSince(instance, writeAmount / 10, checkpoint);
        for (const d of page.documents) {
          expect(seen.has(d.key), `repeated ${d.key}`).toBe(false);
          seen.add(d.key);
        }
        checkpoint = page.checkpoint;
        if (counter < writeAmount) await writeBatch();
      }
      expect(seen.size).toBe(writeAmount);
      expect(fetches).toBe(10);
    });
  });

  describe('changeStream', () => {
    it('emits one bulk per write before bulkWrite resolves, with a checkpoint that covers it', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: kvSchema });
      const emitted: Bulk[] = [];
      const sub = instance
        .changeStream()
        .pipe(
          map((x) => x),
          filter(() => true),
        )
        .subscribe((bulk) => emitted.push(bulk));
      await insertAll(instance, [withMeta({ key: 'first', value: 'one' })]);
      expect(emitted).toHaveLength(1);
      expect(emitted[0]?.events).toHaveLength(1);
      expect(emitted[0]?.events[0]?.documentData._meta.lwt).toBeGreaterThan(0);
      expect(emitted[0]?.checkpoint).toBeTruthy();
      expect(emitted[0]?.context).toBe(TEST_CONTEXT);

      await instance.bulkWrite(
        Array.from({ length: 10 }, (_v, i) => ({ document: withMeta({ key: `more${i}`, value: 'v' }) })),
        'another-context',
      );
      expect(emitted).toHaveLength(2);
      expect(emitted[1]?.context).toBe('another-context');
      expect(emitted[1]?.events).toHaveLength(10);
      expect(new Set(emitted.map((b) => b.id)).size).toBe(2);
      const stacked = stackCheckpoints(emitted.map((b) => b.checkpoint));
      expect((await getChangedDocumentsSince(instance, 100, stacked)).documents).toEqual([]);
      sub.unsubscribe();
    });

    it('describes inserts, updates, deletes and undeletes like the reference', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: kvSchema });
      const emitted: Bulk[] = [];
      const sub = instance.changeStream().subscribe((bulk) => emitted.push(bulk));
      const v1 = withMeta({ key: 'k', value: 'one' });
      await insertAll(instance, [v1]);
      const v2 = nextVersion(v1, { value: 'two' });
      await instance.bulkWrite([{ previous: v1, document: v2 }], TEST_CONTEXT);
      const v3 = nextVersion(v2, { _deleted: true });
      await instance.bulkWrite([{ previous: v2, document: v3 }], TEST_CONTEXT);
      const v4 = nextVersion(v3, { _deleted: false, value: 'back' });
      await instance.bulkWrite([{ previous: v3, document: v4 }], TEST_CONTEXT);
      sub.unsubscribe();
      const events = emitted.flatMap((b) => b.events);
      expect(events.map((e) => [e.operation, e.documentId])).toEqual([
        ['INSERT', 'k'],
        ['UPDATE', 'k'],
        ['DELETE', 'k'],
        ['INSERT', 'k'],
      ]);
      expect(events.map((e) => e.documentData)).toEqual([v1, v2, v3, v4]);
      expect(events[0]?.previousDocumentData).toBeUndefined();
      expect(events[1]?.previousDocumentData).toEqual(v1);
      expect(events[2]?.previousDocumentData).toEqual(v2);
      expect(events[2]?.previousDocumentData?._rev).toBe(revision(2));
    });

    it('emits nothing for a write that only had errors, and only the successes of a mixed write', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: kvSchema });
      const doc = withMeta({ key: 'x', value: 'one' });
      await insertAll(instance, [doc]);
      const emitted: Bulk[] = [];
      const sub = instance.changeStream().subscribe((bulk) => emitted.push(bulk));
      const failing = await instance.bulkWrite([{ document: doc }], TEST_CONTEXT);
      expect(failing.error).toHaveLength(1);
      expect(emitted).toEqual([]);
      await instance.bulkWrite([{ document: doc }, { document: withMeta({ key: 'y', value: 'two' }) }], TEST_CONTEXT);
      expect(emitted.flatMap((b) => b.events.map((e) => e.documentId))).toEqual(['y']);
      sub.unsubscribe();
    });

    it('emits no event for a document inserted already deleted, yet lists it in the changes', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: kvSchema });
      const emitted: Bulk[] = [];
      const sub = instance.changeStream().subscribe((bulk) => emitted.push(bulk));
      await insertAll(instance, [withMeta({ key: 'tomb', value: 'x' }, { deleted: true })]);
      sub.unsubscribe();
      expect(emitted.flatMap((b) => b.events)).toEqual([]);
      expect((await getChangedDocumentsSince(instance, 10)).documents.map((d) => d.key)).toEqual(['tomb']);
    });
  });

  describe('cleanup', () => {
    it('purges deleted documents older than the given age and keeps everything else', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema() });
      const hour = 60 * 60 * 1000;
      const live = withMeta({ key: 'live', value: 'a' }, { lwt: now() - 10 * hour });
      const oldDeleted = withMeta({ key: 'old-deleted', value: 'b' }, { deleted: true, lwt: now() - 5 * hour });
      const newDeleted = withMeta({ key: 'new-deleted', value: 'c' }, { deleted: true, lwt: now() - 1000 });
      await insertAll(instance, [live, oldDeleted, newDeleted]);

      while (!(await instance.cleanup(10 * hour))) {
        // cleanup returns true once nothing is left to do
      }
      expect((await instance.findDocumentsById(['live', 'old-deleted', 'new-deleted'], true)).map((d) => d.key).sort()).toEqual([
        'live',
        'new-deleted',
        'old-deleted',
      ]);
      while (!(await instance.cleanup(hour))) {
        // again
      }
      expect((await instance.findDocumentsById(['live', 'old-deleted', 'new-deleted'], true)).map((d) => d.key).sort()).toEqual([
        'live',
        'new-deleted',
      ]);
      while (!(await instance.cleanup(0))) {
        // again
      }
      expect((await instance.findDocumentsById(['live', 'old-deleted', 'new-deleted'], true)).map((d) => d.key)).toEqual(['live']);
      expect(await queryIds(instance, { selector: {}, sort: [{ key: 'asc' }] }, 'key')).toEqual(['live']);
      expect((await instance.count(prepare(instance.schema, { selector: {}, sort: [{ key: 'asc' }] }))).count).toBe(1);
    });

    it('returns true on an empty collection and after purging', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: kvSchema });
      expect(await instance.cleanup(0)).toBe(true);
      const doc = withMeta({ key: 'k', value: 'v' });
      await insertAll(instance, [doc]);
      await instance.bulkWrite([{ previous: doc, document: nextVersion(doc, { _deleted: true }) }], TEST_CONTEXT);
      let rounds = 0;
      while (!(await instance.cleanup(0))) rounds++;
      expect(rounds).toBeLessThan(100);
      expect(await instance.findDocumentsById(['k'], true)).toEqual([]);
    });
  });

  describe('close and remove', () => {
    it('may be closed twice at once', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: kvSchema });
      await expect(Promise.all([instance.close(), instance.close()])).resolves.toBeDefined();
    });

    it('keeps the data after close when the collection is opened again from a new storage object', async () => {
      const databaseName = randomDatabaseName();
      const first = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName });
      const doc = withMeta({ key: 'kept', value: 'v' });
      await insertAll(first, [doc]);
      await first.close();
      const again = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, storage: h.reopenStorage() });
      expect(await again.findDocumentsById(['kept'], false)).toEqual([doc]);
      expect(await queryIds(again, { selector: { value: 'v' }, sort: [{ key: 'asc' }] }, 'key')).toEqual(['kept']);
    });

    it('loses all data on remove(): the collection opened again is empty', async () => {
      const databaseName = randomDatabaseName();
      const first = await h.createInstance<KeyValueDoc>({ schema: kvSchema, databaseName, collectionName: 'c' });
      await insertAll(first, [withMeta({ key: 'foobar', value: 'v' })]);
      await first.remove();
      const again = await h.createInstance<KeyValueDoc>({ schema: kvSchema, databaseName, collectionName: 'c' });
      expect(await again.findDocumentsById(['foobar'], true)).toEqual([]);
      expect((await getChangedDocumentsSince(again, 10)).documents).toEqual([]);
    });

    it('removing one collection leaves the other collections of the database alone', async () => {
      const databaseName = randomDatabaseName();
      const doomed = await h.createInstance<KeyValueDoc>({ schema: kvSchema, databaseName, collectionName: 'doomed' });
      const kept = await h.createInstance<KeyValueDoc>({ schema: kvSchema, databaseName, collectionName: 'kept' });
      await insertAll(doomed, [withMeta({ key: 'a', value: 'v' })]);
      await insertAll(kept, [withMeta({ key: 'b', value: 'w' })]);
      await doomed.remove();
      expect((await kept.findDocumentsById(['b'], false)).map((d) => d.key)).toEqual(['b']);
      await insertAll(kept, [withMeta({ key: 'c', value: 'x' })]);
      expect((await getChangedDocumentsSince(kept, 10)).documents.map((d) => d.key)).toEqual(['b', 'c']);
    });

    it('throws on remove() after close()', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: kvSchema });
      await instance.close();
      await expect(instance.remove()).rejects.toThrow();
    });

    it('does not throw on close() after remove()', async () => {
      const instance = await h.createInstance<KeyValueDoc>({ schema: kvSchema });
      await instance.remove();
      await expect(instance.close()).resolves.toBeUndefined();
    });
  });

  describe('several instances and collections', () => {
    it('shares writes between two multiInstance instances of one collection, both ways', async () => {
      const databaseName = randomDatabaseName();
      const a = await h.createInstance<KeyValueDoc>({ schema: kvSchema, databaseName, multiInstance: true });
      const b = await h.createInstance<KeyValueDoc>({ schema: kvSchema, databaseName, multiInstance: true });
      const seenByB: Bulk[] = [];
      const seenByA: Bulk[] = [];
      const subB = b.changeStream().subscribe((bulk) => seenByB.push(bulk));
      const subA = a.changeStream().subscribe((bulk) => seenByA.push(bulk));

      const doc = withMeta({ key: 'from-a', value: 'one' });
      await insertAll(a, [doc]);
      await expect.poll(() => seenByB.flatMap((x) => x.events.map((e) => e.documentId))).toEqual(['from-a']);
      expect(await b.findDocumentsById(['from-a'], false)).toEqual([doc]);

      const [found] = (await b.query(prepare(b.schema, { selector: {}, sort: [{ key: 'asc' }], limit: 1 }))).documents;
      expect(found).toEqual(doc);
      const updated = nextVersion(doc, { value: 'updated-by-b' });
      expect((await b.bulkWrite([{ previous: doc, document: updated }], TEST_CONTEXT)).error).toEqual([]);
      await expect.poll(async () => (await a.findDocumentsById(['from-a'], false))[0]?.value).toBe('updated-by-b');
      await expect.poll(() => seenByA.flatMap((x) => x.events.map((e) => e.operation))).toEqual(['INSERT', 'UPDATE']);
      await expect.poll(() => seenByB.flatMap((x) => x.events.map((e) => e.operation))).toEqual(['INSERT', 'UPDATE']);
      subA.unsubscribe();
      subB.unsubscribe();
    });

    it('finishes a query on one instance while the other closes', async () => {
      const databaseName = randomDatabaseName();
      const a = await h.createInstance<KeyValueDoc>({ schema: kvSchema, databaseName, multiInstance: true });
      const b = await h.createInstance<KeyValueDoc>({ schema: kvSchema, databaseName, multiInstance: true });
      await insertAll(a, [withMeta({ key: 'k', value: 'v' })]);
      const pending = b.query(prepare(b.schema, { selector: {}, sort: [{ key: 'asc' }] }));
      const closing = a.close();
      expect((await pending).documents.map((d) => d.key)).toEqual(['k']);
      await closing;
      expect((await b.findDocumentsById(['k'], false)).map((d) => d.key)).toEqual(['k']);
    });

    it('keeps schema versions of one collection apart', async () => {
      const databaseName = randomDatabaseName();
      const v0 = await h.createInstance<KeyValueDoc>({ schema: getPseudoSchemaForVersion<KeyValueDoc>(0, 'key'), databaseName, collectionName: 'c' });
      const v1 = await h.createInstance<KeyValueDoc>({ schema: getPseudoSchemaForVersion<KeyValueDoc>(1, 'key'), databaseName, collectionName: 'c' });
      await insertAll(v0, [withMeta({ key: 'same', value: 'zero' })]);
      await insertAll(v1, [withMeta({ key: 'same', value: 'one' }), withMeta({ key: 'only-v1', value: 'one' })]);
      expect((await v0.query(prepare(v0.schema, { selector: {}, sort: [{ key: 'asc' }] }))).documents.map((d) => d.value)).toEqual(['zero']);
      expect((await v1.query(prepare(v1.schema, { selector: {}, sort: [{ key: 'asc' }] }))).documents.map((d) => d.value)).toEqual(['one', 'one']);
      expect((await getChangedDocumentsSince(v0, 10)).documents.map((d) => d.key)).toEqual(['same']);
    });

    it('keeps databases apart: a collection name in another database starts empty', async () => {
      const first = await h.createInstance<KeyValueDoc>({ schema: kvSchema, databaseName: randomDatabaseName(), collectionName: 'shared-name' });
      await insertAll(first, [withMeta({ key: 'k', value: 'v' })]);
      await first.close();
      const other = await h.createInstance<KeyValueDoc>({ schema: kvSchema, databaseName: randomDatabaseName(), collectionName: 'shared-name' });
      expect((await other.query(prepare(other.schema, { selector: {}, sort: [{ key: 'asc' }] }))).documents).toEqual([]);
    });

    it('keeps collections of one database apart, including their change streams', async () => {
      const databaseName = randomDatabaseName();
      const cards = await h.createInstance<KeyValueDoc>({ schema: kvSchema, databaseName, collectionName: 'cards' });
      const boards = await h.createInstance<KeyValueDoc>({ schema: kvSchema, databaseName, collectionName: 'boards' });
      const boardEvents: Bulk[] = [];
      const sub = boards.changeStream().subscribe((bulk) => boardEvents.push(bulk));
      await insertAll(cards, [withMeta({ key: 'card', value: 'c' })]);
      await insertAll(boards, [withMeta({ key: 'board', value: 'b' })]);
      sub.unsubscribe();
      expect(boardEvents.flatMap((b) => b.events.map((e) => e.documentId))).toEqual(['board']);
      expect(await cards.findDocumentsById(['board'], true)).toEqual([]);
      expect((await getChangedDocumentsSince(boards, 10)).documents.map((d) => d.key)).toEqual(['board']);
    });
  });
});
