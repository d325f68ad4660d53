// Differential test: random documents and random mango queries; our SQLite storage must return exactly what
// RxDB's memory storage returns (documents, order, skip/limit, count), including descending sorts that our
// storage answers with reverse index scans.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeMangoQuery, type MangoQuery, type MangoQuerySelector, type MangoQuerySortPart, type RxDocumentData } from 'rxdb';
import { loopCount } from '../../../support/long';
import {
  ITEM_KINDS,
  MEMORY_VARIANT,
  SQLITE_VARIANT,
  StorageHarness,
  TEST_CONTEXT,
  insertAll,
  itemSchema,
  nextVersion,
  pick,
  prepare,
  randomDatabaseName,
  randomItem,
  seededRandom,
  withMeta,
  type AnyInstance,
  type ItemDoc,
} from '../../../support/storage-fixtures';

type Item = RxDocumentData<ItemDoc>;
type Selector = MangoQuerySelector<Item>;
type Sort = MangoQuerySortPart<Item>[];

const DOCUMENT_COUNT = 400;
const QUERY_COUNT = loopCount(600, 10_000);
const SEED = Number(process.env['TRAILBOARD_SEED'] ?? 20240611);

const SORTS: readonly Sort[] = [
  [{ id: 'asc' }],
  [{ id: 'desc' }],
  [{ hlc: 'asc' }, { id: 'asc' }],
  [{ hlc: 'desc' }, { id: 'desc' }],
  [{ hlc: 'desc' }],
  [{ board: 'asc' }, { hlc: 'asc' }],
  [{ board: 'desc' }, { hlc: 'desc' }, { id: 'desc' }],
  [{ hlc: 'desc' }, { board: 'desc' }, { id: 'desc' }],
  [{ n: 'asc' }],
  [{ n: 'desc' }],
  [{ n: 'desc' }, { id: 'desc' }],
  [{ isDone: 'asc' }, { n: 'asc' }],
  [{ isDone: 'desc' }, { n: 'desc' }, { id: 'desc' }],
  [{ score: 'asc' }],
  [{ score: 'desc' }, { id: 'desc' }],
  [{ kind: 'desc' }, { board: 'desc' }, { score: 'desc' }, { id: 'desc' }],
  [{ kind: 'asc' }, { board: 'asc' }, { score: 'asc' }],
  [{ 'nested.level': 'desc' }, { id: 'desc' }],
  [{ 'nested.level': 'asc' }, { hlc: 'desc' }],
  [{ 'nested.label': 'desc' }, { id: 'asc' }],
];

/**
 * Sorts on `title`, whose values hold tabs and trailing spaces. RxDB pads indexed strings with spaces, so for such
 * values the index order differs from RxDB's sort comparator; the memory storage answers ascending sorts in index
 * order and descending ones in comparator order, and a reverse index scan must not be used for them.
 */
const TITLE_SORTS: readonly Sort[] = [
  [{ title: 'asc' }],
  [{ title: 'asc' }, { id: 'asc' }],
  [{ title: 'desc' }, { id: 'asc' }],
  [{ title: 'desc' }, { id: 'desc' }],
];

function randomHlc(random: () => number): string {
  return `${String(1700000000000 + Math.floor(random() * 50)).padStart(15, '0')}-${Math.floor(random() * 3)}`;
}

function randomClause(random: () => number): Selector {
  switch (Math.floor(random() * 17)) {
    case 0:
      return { board: pick(random, ['b1', 'b2', 'b3', 'b4', 'b9']) };
    case 1:
      return { board: { $in: [pick(random, ['b1', 'b2']), pick(random, ['b3', 'b9'])] } };
    case 2:
      return { board: { $ne: pick(random, ['b1', 'b2']) } };
    case 3:
      return { kind: pick(random, ITEM_KINDS) };
    case 4:
      return { kind: { $nin: [pick(random, ITEM_KINDS)] } };
    case 5: {
      const op = pick(random, ['$gt', '$gte', '$lt', '$lte', '$eq'] as const);
      return { n: { [op]: pick(random, [-1001, -1000, -999, -1, 0, 1, 7, 42, 500, 999, 1000, 1001]) } };
    }
    case 6: {
      const low = pick(random, [-1000, -500, -1, 0, 2]);
      return { n: { $gte: low, $lt: low + pick(random, [1, 10, 600, 2000]) } };
    }
    case 7: {
      const op = pick(random, ['$gt', '$gte', '$lt', '$lte'] as const);
      return { score: { [op]: pick(random, [-100, -99.75, -0.25, -0.1, 0, 0.25, 0.5, 1.25, 50, 99.75, 100]) } };
    }
    case 8:
      return { isDone: random() < 0.5 };
    case 9: {
      const op = pick(random, ['$gt', '$gte', '$lt', '$lte'] as const);
      return { hlc: { [op]: randomHlc(random) } };
    }
    case 10:
      return { hlc: { $gte: randomHlc(random), $lte: randomHlc(random) } };
    case 11: {
      const op = pick(random, ['$gt', '$lt', '$eq', '$gte'] as const);
      return { title: { [op]: pick(random, ['', 'a', 'b', 'B', 'a\t', 'ä', '😀', '\uff01', 'z']) } };
    }
    case 12:
      return { title: { $regex: pick(random, ['^a', 'b$', '😀', '\\t', '^$']) } };
    case 13:
      return { 'nested.level': { [pick(random, ['$eq', '$gte', '$lt'] as const)]: Math.floor(random() * 5) } };
    case 14:
      return { tags: { $in: [pick(random, ['red', 'green', 'x'])] } };
    case 15:
      return { note: { $exists: random() < 0.5 } };
    default:
      return { $or: [randomClause(random), randomClause(random)] };
  }
}

function randomQuery(random: () => number): MangoQuery<Item> {
  const selector: Selector = {};
  const clauses: Selector[] = [];
  if (random() < 0.75) clauses.push({ _deleted: false });
  else if (random() < 0.2) clauses.push({ _deleted: true });
  const clauseCount = Math.floor(random() * 3);
  for (let i = 0; i < clauseCount; i++) clauses.push(randomClause(random));
  // Merge clauses on different fields; clauses on the same field go into $and so none is lost.
  const and: Selector[] = [];
  for (const clause of clauses) {
    const [field] = Object.keys(clause);
    if (field !== undefined && !(field in selector) && field !== '$or') Object.assign(selector, clause);
    else and.push(clause);
  }
  if (and.length > 0) selector.$and = and;
  const sort = random() < 0.12 ? pick(random, TITLE_SORTS) : pick(random, SORTS);
  const query: MangoQuery<Item> = { selector, sort: sort.map((part) => ({ ...part })) };
  if (random() < 0.4) query.limit = pick(random, [0, 1, 2, 5, 20, 100]);
  if (random() < 0.3) query.skip = pick(random, [0, 1, 3, 17, 500]);
  return query;
}

async function ids(instance: AnyInstance<ItemDoc>, query: MangoQuery<Item>): Promise<Item[]> {
  return (await instance.query(prepare(instance.schema, query))).documents;
}

describe('query differential: SQLite storage against the memory storage', () => {
  const schema = itemSchema();
  const harnesses: StorageHarness[] = [];
  let memory: AnyInstance<ItemDoc>;
  let sqlite: AnyInstance<ItemDoc>;

  beforeAll(async () => {
    const memoryHarness = new StorageHarness(MEMORY_VARIANT, 'diff');
    const sqliteHarness = new StorageHarness(SQLITE_VARIANT, 'diff');
    harnesses.push(memoryHarness, sqliteHarness);
    const databaseName = randomDatabaseName();
    memory = await memoryHarness.createInstance<ItemDoc>({ schema, databaseName });
    sqlite = await sqliteHarness.createInstance<ItemDoc>({ schema, databaseName });

    // The same history on both: inserts in a few bulks, then updates and deletes of random documents.
    const random = seededRandom(SEED);
    const current = new Map<string, Item>();
    const docs = Array.from({ length: DOCUMENT_COUNT }, (_v, i) => withMeta(randomItem(random, i)));
    for (let start = 0; start < docs.length; start += 100) {
      const slice = docs.slice(start, start + 100);
      await insertAll(memory, slice);
      await insertAll(sqlite, slice);
    }
    for (const doc of docs) current.set(doc.id, doc);
    for (let i = 0; i < 150; i++) {
      const previous = pick(random, docs.map((d) => current.get(d.id)!));
      const changed = randomItem(random, i);
      const next = nextVersion(previous, {
        board: changed.board,
        hlc: changed.hlc,
        n: changed.n,
        title: changed.title,
        isDone: changed.isDone,
        _deleted: random() < 0.25 ? !previous._deleted : previous._deleted,
      });
      const row = [{ previous, document: next }];
      expect((await memory.bulkWrite(row, TEST_CONTEXT)).error).toEqual([]);
      expect((await sqlite.bulkWrite(row, TEST_CONTEXT)).error).toEqual([]);
      current.set(next.id, next);
    }
  });

  afterAll(async () => {
    for (const harness of harnesses) await harness.dispose();
  });

  it(`returns the same documents and counts for ${QUERY_COUNT} random queries (seed ${SEED})`, async () => {
    const random = seededRandom(SEED + 1);
    const mismatches: string[] = [];
    let nonEmpty = 0;
    for (let i = 0; i < QUERY_COUNT; i++) {
      const query = randomQuery(random);
      const expected = await ids(memory, query);
      const actual = await ids(sqlite, query);
      if (expected.length > 0) nonEmpty++;
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        const normalized = normalizeMangoQuery(schema, query);
        mismatches.push(
          `query ${i}: ${JSON.stringify(normalized)}\n  memory: ${JSON.stringify(expected.map((d) => d.id))}\n  sqlite: ${JSON.stringify(actual.map((d) => d.id))}`,
        );
      }
      const expectedCount = (await memory.count(prepare(schema, query))).count;
      const actualCount = (await sqlite.count(prepare(schema, query))).count;
      if (expectedCount !== actualCount) {
        mismatches.push(`count ${i}: ${JSON.stringify(query)} memory ${expectedCount} sqlite ${actualCount}`);
      }
    }
    console.log(`query differential: ${QUERY_COUNT} queries over ${DOCUMENT_COUNT} documents, ${nonEmpty} with results, ${mismatches.length} mismatches`);
    expect(mismatches.slice(0, 5).join('\n')).toBe('');
    // the generator must exercise real results, not only empty ones
    expect(nonEmpty).toBeGreaterThan(QUERY_COUNT / 3);
  });
});
