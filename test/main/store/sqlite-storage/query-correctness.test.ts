// Fixed query cases with known answers, on the memory storage and ours: every operator, sort direction,
// skip/limit, count, the edges of number ranges, booleans, unicode in indexed strings, compound and nested
// indexes. Each case is asked of the storage instance directly and of an RxCollection on the same storage.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createRxDatabase,
  fillWithDefaultSettings,
  getPrimaryFieldOfPrimaryKey,
  getQueryMatcher,
  getSortComparator,
  normalizeMangoQuery,
  type MangoQuery,
  type RxDocumentData,
  type RxJsonSchema,
} from 'rxdb';
import {
  MEMORY_VARIANT,
  STORAGE_VARIANTS,
  SQLITE_VARIANT,
  StorageHarness,
  insertAll,
  prepare,
  randomDatabaseName,
  withMeta,
  type AnyInstance,
} from '../../../support/storage-fixtures';

type QueryCase<T> = { info: string; query: MangoQuery<T>; expected: string[] };
type CorrectnessSuite<T> = { title: string; schema: RxJsonSchema<T>; data: T[]; cases: QueryCase<T>[] };

// The suites are written against loose document types: each has its own schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

function suite<T>(definition: CorrectnessSuite<T>): CorrectnessSuite<Loose> {
  return definition as CorrectnessSuite<Loose>;
}

const numberSchema: RxJsonSchema<{ id: string; n: number; group: string }> = {
  version: 0,
  type: 'object',
  primaryKey: 'id',
  properties: {
    id: { type: 'string', maxLength: 20 },
    n: { type: 'integer', minimum: -1000, maximum: 1000, multipleOf: 1 },
    group: { type: 'string', maxLength: 5 },
  },
  required: ['id', 'n', 'group'],
  indexes: ['n', ['group', 'n']],
};

const SUITES: CorrectnessSuite<Loose>[] = [
  suite({
    title: 'integer ranges up to the schema bounds',
    schema: numberSchema,
    data: [
      { id: 'min', n: -1000, group: 'x' },
      { id: 'almost-min', n: -999, group: 'y' },
      { id: 'minus-one', n: -1, group: 'x' },
      { id: 'zero', n: 0, group: 'y' },
      { id: 'one', n: 1, group: 'x' },
      { id: 'almost-max', n: 999, group: 'y' },
      { id: 'max', n: 1000, group: 'x' },
    ],
    cases: [
      { info: '$gt the minimum', query: { selector: { n: { $gt: -1000 } }, sort: [{ n: 'asc' }] }, expected: ['almost-min', 'minus-one', 'zero', 'one', 'almost-max', 'max'] },
      { info: '$gte the minimum', query: { selector: { n: { $gte: -1000 } }, sort: [{ n: 'asc' }] }, expected: ['min', 'almost-min', 'minus-one', 'zero', 'one', 'almost-max', 'max'] },
      { info: '$lt the maximum', query: { selector: { n: { $lt: 1000 } }, sort: [{ n: 'asc' }] }, expected: ['min', 'almost-min', 'minus-one', 'zero', 'one', 'almost-max'] },
      { info: '$lte the maximum, descending', query: { selector: { n: { $lte: 1000 } }, sort: [{ n: 'desc' }] }, expected: ['max', 'almost-max', 'one', 'zero', 'minus-one', 'almost-min', 'min'] },
      { info: '$gt the maximum', query: { selector: { n: { $gt: 1000 } }, sort: [{ n: 'asc' }] }, expected: [] },
      { info: '$lt the minimum', query: { selector: { n: { $lt: -1000 } }, sort: [{ n: 'asc' }] }, expected: [] },
      { info: 'bounds outside the schema range', query: { selector: { n: { $gt: -5000, $lt: 5000 } }, sort: [{ n: 'asc' }] }, expected: ['min', 'almost-min', 'minus-one', 'zero', 'one', 'almost-max', 'max'] },
      { info: '$gte and $lte on one value', query: { selector: { n: { $gte: 0, $lte: 0 } }, sort: [{ n: 'asc' }] }, expected: ['zero'] },
      { info: '$gt and $lt on one value', query: { selector: { n: { $gt: 0, $lt: 0 } }, sort: [{ n: 'asc' }] }, expected: [] },
      { info: 'around zero', query: { selector: { n: { $gt: -1, $lt: 1 } }, sort: [{ n: 'asc' }] }, expected: ['zero'] },
      { info: '$eq', query: { selector: { n: -999 }, sort: [{ id: 'asc' }] }, expected: ['almost-min'] },
      { info: '$ne', query: { selector: { n: { $ne: 0 } }, sort: [{ n: 'asc' }] }, expected: ['min', 'almost-min', 'minus-one', 'one', 'almost-max', 'max'] },
      { info: '$in and $nin', query: { selector: { n: { $in: [1000, -1000, 3] }, id: { $nin: ['max'] } }, sort: [{ n: 'asc' }] }, expected: ['min'] },
      { info: 'newest first with a limit', query: { selector: {}, sort: [{ n: 'desc' }, { id: 'desc' }], limit: 3 }, expected: ['max', 'almost-max', 'one'] },
      { info: 'descending page two', query: { selector: {}, sort: [{ n: 'desc' }, { id: 'desc' }], skip: 3, limit: 3 }, expected: ['zero', 'minus-one', 'almost-min'] },
      { info: 'compound index, group pinned, descending', query: { selector: { group: 'x' }, sort: [{ n: 'desc' }, { id: 'desc' }] }, expected: ['max', 'one', 'minus-one', 'min'] },
      { info: 'compound index, group pinned, range, descending', query: { selector: { group: 'x', n: { $lt: 1000, $gt: -1000 } }, sort: [{ group: 'desc' }, { n: 'desc' }, { id: 'desc' }] }, expected: ['one', 'minus-one'] },
      { info: 'compound index, group range, ascending', query: { selector: { group: { $gte: 'y' } }, sort: [{ group: 'asc' }, { n: 'asc' }] }, expected: ['almost-min', 'zero', 'almost-max'] },
      { info: 'limit 0', query: { selector: {}, sort: [{ n: 'asc' }], limit: 0 }, expected: [] },
      { info: 'limit 0 descending', query: { selector: {}, sort: [{ n: 'desc' }, { id: 'desc' }], limit: 0 }, expected: [] },
      { info: 'skip past the end', query: { selector: {}, sort: [{ n: 'asc' }], skip: 50 }, expected: [] },
      { info: 'skip without limit', query: { selector: { n: { $gte: 0 } }, sort: [{ n: 'asc' }], skip: 2 }, expected: ['almost-max', 'max'] },
      { info: 'sort by a field the selector does not use', query: { selector: { n: { $gt: 0 } }, sort: [{ id: 'asc' }] }, expected: ['almost-max', 'max', 'one'] },
    ],
  }),
  suite({
    title: 'negative decimals',
    schema: {
      version: 0,
      type: 'object',
      primaryKey: 'id',
      properties: {
        id: { type: 'string', maxLength: 10 },
        t: { type: 'number', minimum: -100, maximum: 100, multipleOf: 0.01 },
      },
      required: ['id', 't'],
      indexes: ['t'],
    },
    data: [
      { id: 'a', t: -99.99 },
      { id: 'b', t: -1.5 },
      { id: 'c', t: -1.01 },
      { id: 'd', t: -0.01 },
      { id: 'e', t: 0 },
      { id: 'f', t: 0.01 },
      { id: 'g', t: 1.5 },
      { id: 'h', t: 100 },
    ],
    cases: [
      { info: 'ascending', query: { selector: { t: { $gte: -100 } }, sort: [{ t: 'asc' }] }, expected: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] },
      { info: 'descending', query: { selector: {}, sort: [{ t: 'desc' }, { id: 'desc' }] }, expected: ['h', 'g', 'f', 'e', 'd', 'c', 'b', 'a'] },
      { info: '$gt a negative decimal', query: { selector: { t: { $gt: -1.5 } }, sort: [{ t: 'asc' }] }, expected: ['c', 'd', 'e', 'f', 'g', 'h'] },
      { info: '$lt zero', query: { selector: { t: { $lt: 0 } }, sort: [{ t: 'asc' }] }, expected: ['a', 'b', 'c', 'd'] },
      { info: 'between two negatives', query: { selector: { t: { $gte: -1.5, $lte: -1.01 } }, sort: [{ t: 'asc' }] }, expected: ['b', 'c'] },
      { info: 'the smallest steps around zero', query: { selector: { t: { $gt: -0.01, $lt: 0.01 } }, sort: [{ t: 'asc' }] }, expected: ['e'] },
    ],
  }),
  suite({
    title: 'boolean index',
    schema: {
      version: 0,
      type: 'object',
      primaryKey: 'id',
      properties: {
        id: { type: 'string', maxLength: 10 },
        isDone: { type: 'boolean' },
        n: { type: 'integer', minimum: 0, maximum: 100, multipleOf: 1 },
      },
      required: ['id', 'isDone', 'n'],
      indexes: ['isDone', ['isDone', 'n']],
    },
    data: [
      { id: 'a', isDone: true, n: 3 },
      { id: 'b', isDone: false, n: 1 },
      { id: 'c', isDone: true, n: 1 },
      { id: 'd', isDone: false, n: 2 },
    ],
    cases: [
      { info: 'true', query: { selector: { isDone: true }, sort: [{ id: 'asc' }] }, expected: ['a', 'c'] },
      { info: 'false', query: { selector: { isDone: { $eq: false } }, sort: [{ id: 'asc' }] }, expected: ['b', 'd'] },
      { info: '$ne true', query: { selector: { isDone: { $ne: true } }, sort: [{ id: 'asc' }] }, expected: ['b', 'd'] },
      { info: 'sorted by boolean then number', query: { selector: {}, sort: [{ isDone: 'asc' }, { n: 'asc' }] }, expected: ['b', 'd', 'c', 'a'] },
      { info: 'sorted by boolean then number, descending', query: { selector: {}, sort: [{ isDone: 'desc' }, { n: 'desc' }, { id: 'desc' }] }, expected: ['a', 'c', 'd', 'b'] },
      { info: 'pinned boolean, descending number', query: { selector: { isDone: true }, sort: [{ n: 'desc' }, { id: 'desc' }], limit: 1 }, expected: ['a'] },
    ],
  }),
  suite({
    title: 'unicode in indexed strings',
    schema: {
      version: 0,
      type: 'object',
      primaryKey: 'id',
      properties: {
        id: { type: 'string', maxLength: 10 },
        name: { type: 'string', maxLength: 12 },
      },
      required: ['id', 'name'],
      indexes: ['name'],
    },
    // No tab, control character or trailing space here: RxDB's index strings order those differently (below).
    data: [
      { id: 'ascii', name: 'apple' },
      { id: 'upper', name: 'Zebra' },
      { id: 'umlaut', name: 'äpfel' },
      { id: 'eszett', name: 'straße' },
      { id: 'cjk', name: '林檎' },
      { id: 'private', name: '\ue000x' },
      { id: 'fullwidth', name: '！bang' },
      { id: 'replace', name: '\ufffd' },
      { id: 'smiley', name: '😀' },
      { id: 'banana', name: 'a🍌' },
      { id: 'clef', name: '𝄞music' },
      { id: 'empty', name: '' },
      { id: 'quote', name: "o'neil" },
      { id: 'percent', name: '100%_' },
    ],
    cases: [
      {
        info: 'ascending: JavaScript (UTF-16) order, emoji before U+E000..U+FFFF',
        query: { selector: {}, sort: [{ name: 'asc' }] },
        expected: ['empty', 'percent', 'upper', 'ascii', 'banana', 'quote', 'eszett', 'umlaut', 'cjk', 'clef', 'smiley', 'private', 'fullwidth', 'replace'],
      },
      {
        info: 'descending',
        query: { selector: {}, sort: [{ name: 'desc' }, { id: 'desc' }] },
        expected: ['replace', 'fullwidth', 'private', 'smiley', 'clef', 'cjk', 'umlaut', 'eszett', 'quote', 'banana', 'ascii', 'upper', 'percent', 'empty'],
      },
      { info: '$gt an emoji', query: { selector: { name: { $gt: '😀' } }, sort: [{ name: 'asc' }] }, expected: ['private', 'fullwidth', 'replace'] },
      { info: '$lt a private-use character', query: { selector: { name: { $lt: '\ue000' }, id: { $ne: 'empty' } }, sort: [{ name: 'desc' }, { id: 'desc' }], limit: 3 }, expected: ['smiley', 'clef', 'cjk'] },
      { info: 'between umlauts and emoji', query: { selector: { name: { $gte: 'ä', $lt: '😀' } }, sort: [{ name: 'asc' }] }, expected: ['umlaut', 'cjk', 'clef'] },
      { info: '$eq with an emoji', query: { selector: { name: 'a🍌' }, sort: [{ id: 'asc' }] }, expected: ['banana'] },
      { info: '$eq the empty string', query: { selector: { name: '' }, sort: [{ id: 'asc' }] }, expected: ['empty'] },
      { info: '$in', query: { selector: { name: { $in: ['林檎', '！bang', 'nothing'] } }, sort: [{ id: 'asc' }] }, expected: ['cjk', 'fullwidth'] },
      { info: '$regex', query: { selector: { name: { $regex: '^a' } }, sort: [{ id: 'asc' }] }, expected: ['ascii', 'banana'] },
      { info: '$regex with a flag', query: { selector: { name: { $regex: '^z', $options: 'i' } }, sort: [{ id: 'asc' }] }, expected: ['upper'] },
      { info: 'LIKE characters are not wildcards', query: { selector: { name: { $gte: '100%', $lt: '100%`' } }, sort: [{ id: 'asc' }] }, expected: ['percent'] },
    ],
  }),
  suite({
    title: 'a board’s events, newest first, in pages',
    schema: {
      version: 0,
      type: 'object',
      primaryKey: 'id',
      properties: {
        id: { type: 'string', maxLength: 10 },
        board: { type: 'string', maxLength: 10 },
        hlc: { type: 'string', maxLength: 20 },
      },
      required: ['id', 'board', 'hlc'],
      indexes: ['hlc', ['board', 'hlc']],
    },
    data: [
      { id: 'e1', board: 'b1', hlc: '0001-0' },
      { id: 'e2', board: 'b2', hlc: '0002-0' },
      { id: 'e3', board: 'b1', hlc: '0003-0' },
      { id: 'e4', board: 'b1', hlc: '0003-0' },
      { id: 'e5', board: 'b2', hlc: '0004-0' },
      { id: 'e6', board: 'b1', hlc: '0005-1' },
      { id: 'e7', board: 'b1', hlc: '0005-0' },
    ],
    cases: [
      { info: 'all, newest first', query: { selector: {}, sort: [{ hlc: 'desc' }, { id: 'desc' }] }, expected: ['e6', 'e7', 'e5', 'e4', 'e3', 'e2', 'e1'] },
      { info: 'board page 1', query: { selector: { board: 'b1' }, sort: [{ hlc: 'desc' }, { id: 'desc' }], limit: 2 }, expected: ['e6', 'e7'] },
      { info: 'board page 2', query: { selector: { board: 'b1' }, sort: [{ hlc: 'desc' }, { id: 'desc' }], skip: 2, limit: 2 }, expected: ['e4', 'e3'] },
      { info: 'board page 3', query: { selector: { board: 'b1' }, sort: [{ hlc: 'desc' }, { id: 'desc' }], skip: 4, limit: 2 }, expected: ['e1'] },
      { info: 'board, older than a cursor', query: { selector: { board: 'b1', hlc: { $lt: '0005-0' } }, sort: [{ hlc: 'desc' }, { id: 'desc' }], limit: 2 }, expected: ['e4', 'e3'] },
      { info: 'board, newer than a cursor, oldest first', query: { selector: { board: 'b1', hlc: { $gt: '0003-0' } }, sort: [{ hlc: 'asc' }, { id: 'asc' }] }, expected: ['e7', 'e6'] },
      { info: 'desc hlc, asc id: not a reverse scan', query: { selector: { board: 'b1' }, sort: [{ hlc: 'desc' }, { id: 'asc' }] }, expected: ['e6', 'e7', 'e3', 'e4', 'e1'] },
      { info: 'filtered by a field outside the index', query: { selector: { board: 'b1', id: { $ne: 'e6' } }, sort: [{ hlc: 'desc' }, { id: 'desc' }], limit: 2 }, expected: ['e7', 'e4'] },
      { info: 'two boards', query: { selector: { board: { $in: ['b1', 'b2'] } }, sort: [{ hlc: 'desc' }, { id: 'desc' }], limit: 3 }, expected: ['e6', 'e7', 'e5'] },
    ],
  }),
  suite({
    title: 'logical operators, arrays, optional and nested fields',
    schema: {
      version: 0,
      type: 'object',
      primaryKey: 'id',
      properties: {
        id: { type: 'string', maxLength: 10 },
        level: { type: 'integer', minimum: 0, maximum: 10, multipleOf: 1 },
        note: { type: 'string', maxLength: 10 },
        tags: { type: 'array', items: { type: 'string' } },
        skills: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, damage: { type: 'number' } } } },
        mixed: { type: ['string', 'number', 'null'] },
        nested: { type: 'object', properties: { rank: { type: 'integer', minimum: 0, maximum: 9, multipleOf: 1 } }, required: ['rank'] },
      },
      required: ['id', 'level', 'tags', 'skills', 'nested'],
      indexes: ['level', 'note', 'nested.rank'],
    },
    data: [
      { id: 'a', level: 1, note: 'x', tags: ['red', 'blue'], skills: [{ name: 's1', damage: 5 }], mixed: 'text', nested: { rank: 3 } },
      { id: 'b', level: 2, tags: [], skills: [{ name: 's2', damage: 10 }, { name: 's3', damage: 5 }], mixed: 7, nested: { rank: 1 } },
      { id: 'c', level: 3, note: 'y', tags: ['blue'], skills: [], mixed: null, nested: { rank: 2 } },
      { id: 'd', level: 4, note: 'x', tags: ['green', 'red', 'blue'], skills: [{ name: 's4', damage: 1 }], nested: { rank: 0 } },
    ],
    cases: [
      { info: '$or', query: { selector: { $or: [{ level: 1 }, { note: 'y' }] }, sort: [{ id: 'asc' }] }, expected: ['a', 'c'] },
      { info: '$and', query: { selector: { $and: [{ level: { $gt: 1 } }, { level: { $lt: 4 } }] }, sort: [{ id: 'asc' }] }, expected: ['b', 'c'] },
      { info: '$nor', query: { selector: { $nor: [{ level: 1 }, { note: 'x' }] }, sort: [{ id: 'asc' }] }, expected: ['b', 'c'] },
      { info: '$not', query: { selector: { level: { $not: { $gte: 3 } } }, sort: [{ id: 'asc' }] }, expected: ['a', 'b'] },
      { info: '$exists false on an optional indexed field', query: { selector: { note: { $exists: false } }, sort: [{ id: 'asc' }] }, expected: ['b'] },
      { info: '$exists true', query: { selector: { note: { $exists: true } }, sort: [{ id: 'asc' }] }, expected: ['a', 'c', 'd'] },
      { info: 'missing optional field sorts first', query: { selector: {}, sort: [{ note: 'asc' }, { id: 'asc' }] }, expected: ['b', 'a', 'd', 'c'] },
      { info: 'missing optional field sorts last descending', query: { selector: {}, sort: [{ note: 'desc' }, { id: 'desc' }] }, expected: ['c', 'd', 'a', 'b'] },
      { info: '$in on an array field', query: { selector: { tags: { $in: ['red'] } }, sort: [{ id: 'asc' }] }, expected: ['a', 'd'] },
      { info: '$size', query: { selector: { tags: { $size: 0 } }, sort: [{ id: 'asc' }] }, expected: ['b'] },
      { info: '$elemMatch', query: { selector: { skills: { $elemMatch: { damage: 5 } } }, sort: [{ id: 'asc' }] }, expected: ['a', 'b'] },
      { info: '$type string', query: { selector: { mixed: { $type: 'string' } }, sort: [{ id: 'asc' }] }, expected: ['a'] },
      { info: '$type number', query: { selector: { mixed: { $type: 'number' } }, sort: [{ id: 'asc' }] }, expected: ['b'] },
      { info: '$eq null', query: { selector: { mixed: { $eq: null } }, sort: [{ id: 'asc' }] }, expected: ['c', 'd'] },
      { info: '$mod', query: { selector: { level: { $mod: [2, 0] } }, sort: [{ id: 'asc' }] }, expected: ['b', 'd'] },
      { info: 'nested index ascending', query: { selector: {}, sort: [{ 'nested.rank': 'asc' }] }, expected: ['d', 'b', 'c', 'a'] },
      { info: 'nested index range descending', query: { selector: { 'nested.rank': { $gte: 1 } }, sort: [{ 'nested.rank': 'desc' }, { id: 'desc' }] }, expected: ['a', 'c', 'b'] },
    ],
  }),
];

/** Applies what RxCollection.find() adds before it reaches the storage: only non-deleted documents. */
function forStorage(query: MangoQuery<Loose>): MangoQuery<Loose> {
  const clone = structuredClone(query);
  clone.selector = { ...(clone.selector ?? {}), _deleted: false };
  return clone;
}

describe.each(STORAGE_VARIANTS)('query correctness ($kind)', (variant) => {
  let h: StorageHarness;
  beforeEach(() => {
    h = new StorageHarness(variant, 'correctness');
  });
  afterEach(async () => {
    await h.dispose();
  });

  for (const definition of SUITES) {
    it(definition.title, async () => {
      const schema = fillWithDefaultSettings(structuredClone(definition.schema)) as RxJsonSchema<RxDocumentData<Loose>>;
      const primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as string;
      const databaseName = randomDatabaseName();
      const instance: AnyInstance<Loose> = await h.createInstance<Loose>({ schema, databaseName, collectionName: 'direct' });
      const docs: Loose[] = definition.data.map((d) => withMeta(d as object));
      // a deleted document in every suite: must never show up through RxCollection.find()
      const deletedDoc = withMeta({ ...(definition.data[0] as object), [primaryPath]: 'zz-deleted' }, { deleted: true });
      await insertAll(instance, [...docs, deletedDoc]);

      const database = await createRxDatabase({ name: `${databaseName}rx`, storage: h.storage, multiInstance: false });
      try {
        const { items } = await database.addCollections({ items: { schema: definition.schema } });
        await items!.bulkInsert(structuredClone(definition.data));
        for (const testCase of definition.cases) {
          const label = `${definition.title}: ${testCase.info}`;
          const storageQuery = forStorage(testCase.query);

          // the expectation agrees with RxDB's own matcher and comparator
          const normalized = normalizeMangoQuery(schema, storageQuery);
          const matcher = getQueryMatcher(schema, normalized);
          const comparator = getSortComparator(schema, normalized);
          const skip = normalized.skip ?? 0;
          const limit = normalized.limit ?? Infinity;
          const byStatics = docs.filter((d) => matcher(d)).sort(comparator).slice(skip, skip + limit).map((d) => d[primaryPath]);
          expect(byStatics, `${label} (expectation vs RxDB statics)`).toEqual(testCase.expected);

          const viaStorage = await instance.query(prepare(schema, storageQuery));
          expect(viaStorage.documents.map((d) => d[primaryPath]), `${label} (storage query)`).toEqual(testCase.expected);
          if (testCase.query.limit === undefined && testCase.query.skip === undefined) {
            const counted = await instance.count(prepare(schema, storageQuery));
            expect(counted.count, `${label} (storage count)`).toBe(testCase.expected.length);
          }

          const viaCollection = await items!.find(structuredClone(testCase.query)).exec();
          expect(viaCollection.map((d) => d.primary), `${label} (RxCollection.find)`).toEqual(testCase.expected);
        }
      } finally {
        await database.close();
      }
    });
  }
});

describe('descending sorts over strings with tabs or trailing spaces', () => {
  // RxDB pads indexed strings with spaces, so 'a', 'a ' and 'a\t' do not keep their JavaScript order in the
  // index. The memory storage answers a descending sort with RxDB's comparator; a reverse index scan does not.
  const schema = fillWithDefaultSettings<{ id: string; title: string }>({
    version: 0,
    type: 'object',
    primaryKey: 'id',
    properties: { id: { type: 'string', maxLength: 10 }, title: { type: 'string', maxLength: 10 } },
    required: ['id', 'title'],
    indexes: ['title'],
  });
  const data = [
    { id: 'k1', title: 'a ' },
    { id: 'k2', title: 'a' },
    { id: 'k3', title: 'a\t' },
    { id: 'k4', title: 'b' },
    { id: 'k5', title: 'a\u0001' },
  ];
  const queries: MangoQuery<RxDocumentData<{ id: string; title: string }>>[] = [
    { selector: { _deleted: false }, sort: [{ title: 'desc' }, { id: 'desc' }] },
    { selector: { _deleted: false, title: { $lte: 'b' } }, sort: [{ title: 'desc' }, { id: 'desc' }], limit: 3 },
    // 'a' and 'a ' share one index string, so $eq 'a' does not pin the order (RxDB even returns both here)
    { selector: { _deleted: false, title: 'a' }, sort: [{ title: 'desc' }, { id: 'desc' }] },
  ];

  it('returns what the memory storage returns', async () => {
    const results: Record<string, string[][]> = {};
    for (const variant of [MEMORY_VARIANT, SQLITE_VARIANT]) {
      const h = new StorageHarness(variant, 'tabs');
      try {
        const instance = await h.createInstance<{ id: string; title: string }>({ schema });
        await insertAll(instance, data.map((d) => withMeta(d)));
        results[variant.kind] = [];
        for (const query of queries) {
          results[variant.kind]!.push((await instance.query(prepare(schema, query))).documents.map((d) => d.id));
        }
      } finally {
        await h.dispose();
      }
    }
    expect(results['memory']).toEqual([
      ['k4', 'k1', 'k3', 'k5', 'k2'],
      ['k4', 'k1', 'k3'],
      ['k1', 'k2'],
    ]);
    expect(results['sqlite']).toEqual(results['memory']);
  });
});
