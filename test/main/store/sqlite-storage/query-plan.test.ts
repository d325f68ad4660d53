// Queries are answered from real SQLite indexes: every statement the storage runs for a read is asked for its
// plan (EXPLAIN QUERY PLAN, same SQL and arguments) and must search an index, never scan the table or sort in a
// temporary b-tree; and a page of a large collection reads about a page of rows, not the collection.
import { DatabaseSync, StatementSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getChangedDocumentsSince, type MangoQuery, type RxDocumentData } from 'rxdb';
import {
  SQLITE_VARIANT,
  StorageHarness,
  insertAll,
  itemSchema,
  prepare,
  randomItem,
  seededRandom,
  sqliteFilePath,
  withMeta,
  type AnyInstance,
  type ItemDoc,
} from '../../../support/storage-fixtures';

type Item = RxDocumentData<ItemDoc>;
type Captured = { sql: string; args: unknown[] };
type StatementMethod = 'all' | 'get' | 'iterate';

/** Records every statement run through node:sqlite in this process, and how many rows reads pulled. */
class StatementSpy {
  captured: Captured[] = [];
  constructor(readonly table: string) {}
  rowsRead = 0;
  private readonly originals = new Map<StatementMethod, (...args: unknown[]) => unknown>();

  install(): void {
    const proto = StatementSync.prototype as unknown as Record<StatementMethod, (...args: unknown[]) => unknown>;
    for (const method of ['all', 'get', 'iterate'] as const) {
      const original = proto[method];
      this.originals.set(method, original);
      const record = (sql: string, args: unknown[]): void => {
        this.captured.push({ sql, args });
      };
      const countRows = (n: number): void => {
        this.rowsRead += n;
      };
      const isTableRead = (sql: string): boolean => this.isTableRead(sql);
      proto[method] = function (this: StatementSync, ...args: unknown[]): unknown {
        const sql = this.sourceSQL;
        const result = original.apply(this, args);
        if (/^\s*EXPLAIN/i.test(sql)) return result;
        record(sql, args);
        // rows pulled from the collection's table (not the meta table or anything else)
        if (!isTableRead(sql)) return result;
        if (method === 'all') countRows((result as unknown[]).length);
        if (method === 'get' && result !== undefined) countRows(1);
        if (method !== 'iterate') return result;
        const iterator = result as Iterator<unknown> & { return?: (value?: unknown) => IteratorResult<unknown> };
        return {
          [Symbol.iterator]() {
            return this;
          },
          next() {
            const step = iterator.next();
            if (!step.done) countRows(1);
            return step;
          },
          return(value?: unknown) {
            return iterator.return ? iterator.return(value) : { done: true, value };
          },
        };
      };
    }
  }

  isTableRead(sql: string): boolean {
    return sql.includes(this.table) && /^\s*SELECT/i.test(sql);
  }

  uninstall(): void {
    const proto = StatementSync.prototype as unknown as Record<StatementMethod, (...args: unknown[]) => unknown>;
    for (const [method, original] of this.originals) proto[method] = original;
  }

  reset(): void {
    this.captured = [];
    this.rowsRead = 0;
  }
}

describe('SQLite storage reads through indexes', () => {
  const spy = new StatementSpy('"items-0"');
  const schema = itemSchema();
  const documentCount = 4000;
  let h: StorageHarness;
  let instance: AnyInstance<ItemDoc>;
  let explainDb: DatabaseSync;
  let docs: Item[];

  beforeAll(async () => {
    h = new StorageHarness(SQLITE_VARIANT, 'plan');
    instance = await h.createInstance<ItemDoc>({ schema, collectionName: 'items' });
    const random = seededRandom(11);
    docs = Array.from({ length: documentCount }, (_v, i) => withMeta(randomItem(random, i)));
    for (let start = 0; start < docs.length; start += 1000) await insertAll(instance, docs.slice(start, start + 1000));
    explainDb = new DatabaseSync(sqliteFilePath(h.folder, instance.databaseName), { readOnly: true });
    spy.install();
  });

  afterAll(async () => {
    spy.uninstall();
    explainDb.close();
    await h.dispose();
  });

  /** The plans of every statement captured since the last reset that reads the collection's table. */
  function plansOfCapturedReads(): { sql: string; plan: string[] }[] {
    return spy.captured
      .filter((c) => spy.isTableRead(c.sql))
      .map((c) => ({
        sql: c.sql,
        plan: (explainDb.prepare(`EXPLAIN QUERY PLAN ${c.sql}`).all(...(c.args as (string | number | null)[])) as { detail: string }[]).map(
          (row) => row.detail,
        ),
      }));
  }

  function expectIndexSearch(what: string): void {
    const plans = plansOfCapturedReads();
    expect(plans.length, `${what}: no statement on the table was captured`).toBeGreaterThan(0);
    for (const { sql, plan } of plans) {
      const text = `${what}\n  ${sql}\n  ${plan.join(' | ')}`;
      expect(plan.some((step) => /^SEARCH "?items-0"? USING (COVERING )?INDEX/.test(step)), text).toBe(true);
      expect(plan.some((step) => /^SCAN "?items-0"?$/.test(step)), text).toBe(false);
      expect(plan.some((step) => /TEMP B-TREE/.test(step)), text).toBe(false);
    }
  }

  const rangeQueries: { what: string; query: MangoQuery<Item>; maxRowsRead: number }[] = [
    {
      what: 'a board’s newest 20 events (reverse scan, SQL LIMIT)',
      query: { selector: { _deleted: false, board: 'b1' }, sort: [{ hlc: 'desc' }, { id: 'desc' }], limit: 20 },
      maxRowsRead: 20,
    },
    {
      what: 'the next page of that board',
      query: { selector: { _deleted: false, board: 'b1' }, sort: [{ hlc: 'desc' }, { id: 'desc' }], skip: 20, limit: 20 },
      maxRowsRead: 20,
    },
    {
      // RxDB's planner picks [board, hlc] here (no index satisfies a descending sort): the storage must find
      // the [hlc] index itself and read it backwards
      what: 'newest 20 overall',
      query: { selector: { _deleted: false }, sort: [{ hlc: 'desc' }, { id: 'desc' }], limit: 20 },
      maxRowsRead: 20,
    },
    {
      what: 'oldest 10 by hlc',
      query: { selector: { _deleted: false }, sort: [{ hlc: 'asc' }], limit: 10 },
      maxRowsRead: 10,
    },
    {
      // RxDB plans this on [kind, board, score]: the ~250 cards of the board are read and sorted, not the 4000
      what: 'a board’s newest 20 cards',
      query: { selector: { _deleted: false, board: 'b2', kind: 'card' }, sort: [{ hlc: 'desc' }, { id: 'desc' }], limit: 20 },
      maxRowsRead: documentCount / 10,
    },
    {
      // one in two items has n >= 0: about 40 rows read to find 20 of the board's ~1000
      what: 'a board’s newest 20 items with n >= 0 (index order, matcher, stop after the page)',
      query: { selector: { _deleted: false, board: 'b2', n: { $gte: 0 } }, sort: [{ hlc: 'desc' }, { id: 'desc' }], limit: 20 },
      maxRowsRead: 100,
    },
    {
      what: 'a narrow number range',
      query: { selector: { _deleted: false, n: { $gte: 2, $lte: 7 } }, sort: [{ n: 'asc' }] },
      maxRowsRead: documentCount / 5,
    },
    {
      what: 'a narrow number range, descending',
      query: { selector: { _deleted: false, n: { $gte: 2, $lte: 7 } }, sort: [{ n: 'desc' }, { id: 'desc' }], limit: 5 },
      maxRowsRead: 5,
    },
    {
      what: 'a compound index with a pinned prefix',
      query: { selector: { _deleted: false, kind: 'comment', board: 'b3', score: { $gt: 50 } }, sort: [{ score: 'asc' }] },
      maxRowsRead: documentCount / 10,
    },
  ];

  for (const { what, query, maxRowsRead } of rangeQueries) {
    it(`${what}: searches an index and reads at most ${maxRowsRead} rows`, async () => {
      const expectedCount = docs.length; // sanity: the corpus is there
      expect(expectedCount).toBe(documentCount);
      spy.reset();
      const result = await instance.query(prepare(schema, query));
      expect(result.documents.length).toBeGreaterThan(0);
      expect(spy.rowsRead, `${what}: rows read`).toBeLessThanOrEqual(maxRowsRead);
      expectIndexSearch(what);
    });
  }

  it('counts a range inside SQLite without reading documents', async () => {
    spy.reset();
    const { count } = await instance.count(prepare(schema, { selector: { _deleted: false, board: 'b4' }, sort: [{ id: 'asc' }] }));
    expect(count).toBe(docs.filter((d) => d.board === 'b4').length);
    expect(spy.rowsRead).toBeLessThanOrEqual(1);
    expectIndexSearch('count by board');
  });

  it('finds documents by id through the primary key index', async () => {
    spy.reset();
    const ids = docs.slice(100, 150).map((d) => d.id);
    expect(await instance.findDocumentsById(ids, false)).toHaveLength(50);
    expect(spy.rowsRead).toBe(50);
    expectIndexSearch('findDocumentsById');
  });

  it('reads changes through the sequence index, a page at a time', async () => {
    spy.reset();
    const first = await getChangedDocumentsSince(instance, 25);
    expect(first.documents).toHaveLength(25);
    const second = await getChangedDocumentsSince(instance, 25, first.checkpoint);
    expect(second.documents[0]?.id).not.toBe(first.documents[24]?.id);
    expect(spy.rowsRead).toBe(50);
    expectIndexSearch('getChangedDocumentsSince');
  });
});
