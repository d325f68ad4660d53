// Two connections to one database file in one process: a worker thread adopts the data folder this thread holds
// and writes to the same file through a connection of its own, as a second account thread started on the same
// account would. The router never does that, but nothing below it forbids it, so the storage copes: before each
// write and each query, a connection catches up with the other's commits (data-folder.ts, catchUpWithOthers).
// Sequence numbers then stay unique and rising across both, so paging changes by checkpoint misses nothing, and
// an order hazard one connection records is honoured by the other's queries and kept in the file. And a
// connection that removes the last table does not delete a file the other still has open.
import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  getChangedDocumentsSince,
  getSortComparator,
  normalizeMangoQuery,
  randomToken,
  type MangoQuery,
  type RxDocumentData,
} from 'rxdb';
import { getRxStorageSQLite } from '../../../../src-main/store/sqlite-storage';
import { queryIds, sqliteFilePath } from '../../../support/storage-fixtures';
import { childScript, ensureChildrenBuilt, useCleanups, within } from './durability-harness';
import { durableItemSchema, ITEMS_TABLE, newItem, openItems, type DurableItem, type ItemsInstance } from './durability-schema';

const { cleanups, tempFolder } = useCleanups();

type Item = { id: string; v: string; n: number };
type Answer = { ready?: true; written?: number; closed?: true; error?: unknown };

/** The worker of second-connection.child.ts on `folder`, answering one message per order. */
async function startSecondConnection(folder: string, databaseName: string): Promise<(order: object) => Promise<Answer>> {
  const worker = new Worker(childScript('second-connection'), { workerData: { folder, databaseName } });
  cleanups.push(() => worker.terminate().then(() => undefined));
  const next = (): Promise<Answer> =>
    within(30_000, 'an answer from the second connection', new Promise<Answer>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    }));
  const ready = await next();
  if (!ready.ready) throw new Error(`the second connection did not start: ${JSON.stringify(ready)}`);
  return async (order) => {
    const answer = next();
    worker.postMessage(order);
    const result = await answer;
    if (result.error) throw new Error(`the second connection failed: ${JSON.stringify(result.error)}`);
    return result;
  };
}

async function writeEach(instance: ItemsInstance, token: string, items: readonly Item[]): Promise<void> {
  for (const { id, v, n } of items) {
    const { error } = await instance.bulkWrite([{ document: newItem(token, id, v, n) }], 'second-connection.test');
    expect(error).toEqual([]);
  }
}

/** Every change of the collection, paged one document at a time by checkpoint, as a replication would. */
async function changesOneByOne(instance: ItemsInstance): Promise<{ ids: string[]; seqs: number[] }> {
  const ids: string[] = [];
  const seqs: number[] = [];
  let checkpoint: { id: string; seq: number } | undefined;
  for (;;) {
    const page = await getChangedDocumentsSince(instance, 1, checkpoint);
    if (page.documents.length === 0) return { ids, seqs };
    ids.push(page.documents[0]!.id);
    seqs.push((page.checkpoint as { seq: number }).seq);
    checkpoint = page.checkpoint as { id: string; seq: number };
  }
}

describe('a second connection to the same file, from another thread of this process', () => {
  beforeAll(() => ensureChildrenBuilt(['second-connection']));

  it('shares one rising sequence and the order hazards either records', async () => {
    const folder = tempFolder('second-connection');
    const databaseName = 'shared';
    const token = randomToken(10);
    const here = await openItems(folder, databaseName, token);
    cleanups.push(() => here.close());
    const schema = durableItemSchema();
    // Newest first along the [v, n] index: the storage reads that index backwards unless `v` or `n` is a hazard.
    const byV: MangoQuery<RxDocumentData<DurableItem>> = { selector: { _deleted: false }, sort: [{ v: 'desc' }, { n: 'desc' }] };
    const inRxdbOrder = async (ids: string[]): Promise<string[]> =>
      (await here.findDocumentsById(ids, false))
        .sort(getSortComparator(schema, normalizeMangoQuery(schema, byV)))
        .map((doc) => doc.id);

    await writeEach(here, token, [{ id: 'b-here', v: 'a', n: 1 }]);
    expect(await queryIds(here, byV, 'id')).toEqual(['b-here']);
    const there = await startSecondConnection(folder, databaseName);
    // 'a\t' sorts after 'a' for RxDB, but before it in the index (RxDB pads index strings with spaces, and a tab
    // is below a space): the second connection records `v` as an order hazard of the table.
    await there({ write: [{ id: 'a-there', v: 'a\t', n: 7 }] });
    expect(await inRxdbOrder(['b-here', 'a-there'])).toEqual(['a-there', 'b-here']);
    expect(await queryIds(here, byV, 'id')).toEqual(['a-there', 'b-here']);

    // n = 6.5 is not a multiple of the schema's 1: this connection records `n`, and must keep the other's `v`.
    await writeEach(here, token, [{ id: 'k-here', v: 'k', n: 6.5 }]);
    await there({ write: [{ id: 'z-there', v: 'z', n: 6 }] });
    await writeEach(here, token, [{ id: 'c-here', v: 'c', n: 2 }]);
    await there({ write: [{ id: 'd-there', v: 'd', n: 3 }] });

    const all = ['b-here', 'a-there', 'k-here', 'z-there', 'c-here', 'd-there'];
    const changes = await changesOneByOne(here);
    expect(changes.ids).toEqual(all);
    expect(new Set(changes.seqs).size).toBe(all.length);
    expect(changes.seqs).toEqual([...changes.seqs].sort((a, b) => a - b));
    expect(await queryIds(here, byV, 'id')).toEqual(await inRxdbOrder(all));

    await there({ close: true });
    await here.close();
    const file = new DatabaseSync(sqliteFilePath(folder, databaseName), { readOnly: true });
    try {
      const row = file.prepare('SELECT value FROM _trailboard_meta WHERE key = ?').get(`order-hazards:${ITEMS_TABLE}`) as { value: string };
      expect((JSON.parse(row.value) as string[]).sort()).toEqual(['n', 'v']);
    } finally {
      file.close();
    }
    // A fresh open pages the same changes.
    const reopened = await openItems(folder, databaseName);
    cleanups.push(() => reopened.close());
    expect((await changesOneByOne(reopened)).ids).toEqual(all);
  });

  it('keeps the file while the other thread has it open, when this one removes the last table', async () => {
    const folder = tempFolder('second-connection-remove');
    const databaseName = 'shared';
    const token = randomToken(10);
    // Another collection of the same database, here; the other thread opens `items` and has not written yet.
    const scratch = await getRxStorageSQLite({ path: folder }).createStorageInstance<DurableItem>({
      databaseInstanceToken: token,
      databaseName,
      collectionName: 'scratch',
      schema: durableItemSchema(),
      options: {},
      multiInstance: false,
      devMode: false,
    });
    await writeEach(scratch, token, [{ id: 'gone', v: 'x', n: 1 }]);
    const there = await startSecondConnection(folder, databaseName);
    // Removing the only table leaves the file without tables; closing here would delete such a file.
    await scratch.remove();
    expect(existsSync(sqliteFilePath(folder, databaseName))).toBe(true);
    await there({ write: [{ id: 'kept', v: 'k', n: 2 }] });
    await there({ close: true });

    const reopened = await openItems(folder, databaseName);
    cleanups.push(() => reopened.close());
    expect((await reopened.findDocumentsById(['kept'], false)).map((doc) => doc.id)).toEqual(['kept']);
  });
});
