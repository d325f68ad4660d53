// Change checkpoints: no consumer of getChangedDocumentsSince or changeStream misses or repeats a later write,
// and (SQLite) checkpoints carry the file's own sequence, shared by every collection of one database file.
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getChangedDocumentsSince, type EventBulk, type RxDocumentData, type RxStorageChangeEvent } from 'rxdb';
import { loopCount } from '../../../support/long';
import {
  SQLITE_VARIANT,
  STORAGE_VARIANTS,
  StorageHarness,
  TEST_CONTEXT,
  insertAll,
  keyValueSchema,
  nextVersion,
  pick,
  randomDatabaseName,
  seededRandom,
  sqliteFilePath,
  withMeta,
  type AnyInstance,
  type KeyValueDoc,
} from '../../../support/storage-fixtures';

type Doc = RxDocumentData<KeyValueDoc>;
type Bulk = EventBulk<RxStorageChangeEvent<KeyValueDoc>, unknown>;
type SeqCheckpoint = { id: string; seq: number };

/** Drains getChangedDocumentsSince from `checkpoint` in pages of `pageSize`; returns keys in order and the end checkpoint. */
async function drain(
  instance: AnyInstance<KeyValueDoc>,
  checkpoint: unknown,
  pageSize: number,
): Promise<{ docs: Doc[]; checkpoint: unknown }> {
  const docs: Doc[] = [];
  let current = checkpoint;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = await getChangedDocumentsSince(instance, pageSize, current);
    if (page.documents.length === 0) return { docs, checkpoint: page.checkpoint };
    docs.push(...page.documents);
    current = page.checkpoint;
  }
  throw new Error('drain did not end');
}

describe.each(STORAGE_VARIANTS)('change consumers never miss a later write ($kind)', (variant) => {
  let h: StorageHarness;
  beforeEach(() => {
    h = new StorageHarness(variant, 'checkpoints');
  });
  afterEach(async () => {
    await h.dispose();
  });

  it('a paging reader and a change-stream reader, interleaved with random writes, end with the final state', async () => {
    const rounds = loopCount(150, 2000);
    const instance = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema() });
    const random = seededRandom(99);
    const current = new Map<string, Doc>();

    // reader 1: pages of 3 documents between writes
    const pagedView = new Map<string, Doc>();
    let pagedCheckpoint: unknown;
    // reader 2: the RxDB pattern: subscribe, then catch up from a checkpoint, then follow the stream
    const streamedView = new Map<string, Doc>();
    const sub = instance.changeStream().subscribe((bulk: Bulk) => {
      for (const event of bulk.events) streamedView.set(event.documentId, event.documentData);
    });

    for (let round = 0; round < rounds; round++) {
      const rows: { previous?: Doc; document: Doc }[] = [];
      const touched = new Set<string>();
      const writes = 1 + Math.floor(random() * 4);
      for (let w = 0; w < writes; w++) {
        const key = `k${Math.floor(random() * 40)}`;
        if (touched.has(key)) continue;
        touched.add(key);
        const previous = current.get(key);
        if (!previous) {
          rows.push({ document: withMeta({ key, value: `v${round}` }) });
        } else {
          const isDelete = random() < 0.2;
          rows.push({ previous, document: nextVersion(previous, { value: `v${round}`, _deleted: isDelete ? !previous._deleted : previous._deleted }) });
        }
      }
      const response = await instance.bulkWrite(rows, TEST_CONTEXT);
      expect(response.error).toEqual([]);
      for (const row of rows) current.set(row.document.key, row.document);

      if (random() < 0.5) {
        const page = await getChangedDocumentsSince(instance, 3, pagedCheckpoint);
        for (const doc of page.documents) pagedView.set(doc.key, doc);
        pagedCheckpoint = page.checkpoint;
      }
    }
    sub.unsubscribe();
    const rest = await drain(instance, pagedCheckpoint, 3);
    for (const doc of rest.docs) pagedView.set(doc.key, doc);

    console.log(`checkpoints (${variant.kind}): ${rounds} interleaved write rounds over ${current.size} documents`);
    expect(pagedView).toEqual(current);
    expect(streamedView).toEqual(current);
  });

  it('from every checkpoint ever handed out, draining returns exactly the documents written after it, once each', async () => {
    const instance = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema() });
    const random = seededRandom(5);
    const current = new Map<string, Doc>();
    /** The write number of each document's latest write. */
    const lastWrite = new Map<string, number>();
    /** Checkpoints with the number of the write after which they were handed out. */
    const checkpoints: { checkpoint: unknown; afterWrite: number }[] = [];
    let writeNumber = 0;
    let lastBulk: Bulk | undefined;
    const sub = instance.changeStream().subscribe((bulk: Bulk) => {
      lastBulk = bulk;
    });

    for (let round = 0; round < 60; round++) {
      const key = `k${Math.floor(random() * 15)}`;
      const previous = current.get(key);
      const document = previous ? nextVersion(previous, { value: `r${round}` }) : withMeta({ key, value: `r${round}` });
      await instance.bulkWrite([previous ? { previous, document } : { document }], TEST_CONTEXT);
      writeNumber++;
      current.set(key, document);
      lastWrite.set(key, writeNumber);
      checkpoints.push({ checkpoint: lastBulk?.checkpoint, afterWrite: writeNumber });
      if (random() < 0.3) {
        // a checkpoint from paging, after reading everything so far
        const drained = await drain(instance, undefined, pick(random, [1, 2, 7]));
        checkpoints.push({ checkpoint: drained.checkpoint, afterWrite: writeNumber });
      }
    }
    sub.unsubscribe();

    for (const { checkpoint, afterWrite } of checkpoints) {
      const drained = await drain(instance, checkpoint, 4);
      const expected = [...lastWrite].filter(([, n]) => n > afterWrite).sort((a, b) => a[1] - b[1]).map(([key]) => key);
      const keys = drained.docs.map((d) => d.key);
      // oldest change first (the order RxDB's replication relies on), each document once, in its latest state
      expect(keys, `after write ${afterWrite}`).toEqual(expected);
      for (const doc of drained.docs) expect(doc).toEqual(current.get(doc.key));
    }
  });
});

describe('SQLite checkpoints use the per-file sequence', () => {
  let h: StorageHarness;
  beforeEach(() => {
    h = new StorageHarness(SQLITE_VARIANT, 'seq');
  });
  afterEach(async () => {
    await h.dispose();
  });

  /** The meta entry `seq` (undefined when never written) and every row's sequence number, read raw from the file. */
  function readSeq(folder: string, databaseName: string, tables = ['cards-0', 'boards-0']): { meta: number | undefined; rows: Map<string, number> } {
    const db = new DatabaseSync(sqliteFilePath(folder, databaseName), { readOnly: true });
    try {
      const meta = db.prepare(`SELECT value FROM _trailboard_meta WHERE key = 'seq'`).get() as { value: number } | undefined;
      const rows = new Map<string, number>();
      const existing = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));
      for (const table of tables.filter((name) => existing.has(name))) {
        for (const row of db.prepare(`SELECT id, seq FROM "${table}"`).all() as { id: string; seq: number }[]) {
          rows.set(`${table}/${row.id}`, Number(row.seq));
        }
      }
      return { meta: meta === undefined ? undefined : Number(meta.value), rows };
    } finally {
      db.close();
    }
  }

  /** Writes one new document to `instance` and answers the sequence number its change event carries. */
  async function seqOfNextWrite(instance: AnyInstance<KeyValueDoc>, key: string): Promise<number> {
    const seen: number[] = [];
    const sub = instance.changeStream().subscribe((bulk: EventBulk<unknown, SeqCheckpoint>) => seen.push(bulk.checkpoint.seq));
    try {
      await insertAll(instance, [withMeta({ key, value: 'x' })]);
    } finally {
      sub.unsubscribe();
    }
    expect(seen).toHaveLength(1);
    return seen[0]!;
  }

  /** A new database whose `cards` holds c1 (seq 1) and whose `boards` holds b1 and b2 (seq 2 and 3, the highest). */
  async function cardsAndBoards(): Promise<{ databaseName: string; cards: AnyInstance<KeyValueDoc>; boards: AnyInstance<KeyValueDoc> }> {
    const databaseName = randomDatabaseName();
    const cards = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'cards' });
    const boards = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'boards' });
    await insertAll(cards, [withMeta({ key: 'c1', value: 'x' })]);
    await insertAll(boards, [withMeta({ key: 'b1', value: 'x' }), withMeta({ key: 'b2', value: 'x' })]);
    return { databaseName, cards, boards };
  }

  it('numbers writes across the collections of one file in write order, in events and in pages', async () => {
    const databaseName = randomDatabaseName();
    const cards = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'cards' });
    const boards = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'boards' });
    const seen: number[] = [];
    const subs = [cards, boards].map((instance) =>
      instance.changeStream().subscribe((bulk: EventBulk<unknown, SeqCheckpoint>) => seen.push(bulk.checkpoint.seq)),
    );
    await insertAll(cards, [withMeta({ key: 'c1', value: 'x' })]);
    await insertAll(boards, [withMeta({ key: 'b1', value: 'x' }), withMeta({ key: 'b2', value: 'x' })]);
    const c1 = (await cards.findDocumentsById(['c1'], false))[0]!;
    await cards.bulkWrite([{ previous: c1, document: nextVersion(c1, { value: 'y' }) }], TEST_CONTEXT);
    await insertAll(boards, [withMeta({ key: 'b3', value: 'x' })]);
    subs.forEach((sub) => sub.unsubscribe());

    expect(seen).toEqual([1, 3, 4, 5]);
    const cardPage = await getChangedDocumentsSince(cards, 10);
    expect(cardPage.checkpoint).toEqual({ id: 'c1', seq: 4 });
    const boardPage = await getChangedDocumentsSince(boards, 2);
    expect(boardPage.documents.map((d) => d.key)).toEqual(['b1', 'b2']);
    expect(boardPage.checkpoint).toEqual({ id: 'b2', seq: 3 });
    const boardRest = await getChangedDocumentsSince(boards, 10, boardPage.checkpoint);
    expect(boardRest.documents.map((d) => d.key)).toEqual(['b3']);
    expect(boardRest.checkpoint).toEqual({ id: 'b3', seq: 5 });

    const stored = readSeq(h.folder, databaseName);
    // A write transaction stores only its rows: the file's sequence is recovered from them when it opens.
    expect(stored.meta).toBeUndefined();
    expect(Object.fromEntries(stored.rows)).toEqual({ 'cards-0/c1': 4, 'boards-0/b1': 2, 'boards-0/b2': 3, 'boards-0/b3': 5 });
  });

  it('never reuses a sequence number after the file is closed and opened again', async () => {
    const databaseName = randomDatabaseName();
    const first = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'cards' });
    await insertAll(first, [withMeta({ key: 'a', value: 'x' }), withMeta({ key: 'b', value: 'x' })]);
    const before = await getChangedDocumentsSince(first, 10);
    await first.close();

    const again = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'cards', storage: h.reopenStorage() });
    await insertAll(again, [withMeta({ key: 'c', value: 'x' })]);
    const after = await getChangedDocumentsSince(again, 10, before.checkpoint);
    expect(after.documents.map((d) => d.key)).toEqual(['c']);
    expect((after.checkpoint as SeqCheckpoint).seq).toBe((before.checkpoint as SeqCheckpoint).seq + 1);
  });

  it('continues after the highest row of any collection of the file when it is opened again', async () => {
    const { databaseName, cards, boards } = await cardsAndBoards();
    await cards.close();
    await boards.close();

    // The highest number is in `boards`; the first write after reopening, to `cards`, continues after it.
    const storage = h.reopenStorage();
    const cardsAgain = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'cards', storage });
    expect(await seqOfNextWrite(cardsAgain, 'c2')).toBe(4);
  });

  it('never goes back after the collection holding the highest number is removed and the file reopened', async () => {
    const { databaseName, cards, boards } = await cardsAndBoards();
    const oldBoardsCheckpoint = (await getChangedDocumentsSince(boards, 10)).checkpoint as SeqCheckpoint;
    expect(oldBoardsCheckpoint.seq).toBe(3);
    await boards.remove();
    expect(readSeq(h.folder, databaseName).meta).toBe(3);
    await cards.close();

    const storage = h.reopenStorage();
    const cardsAgain = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'cards', storage });
    expect(await seqOfNextWrite(cardsAgain, 'c2')).toBe(4);
    // The collection created again under the removed one's name: a consumer still holding the removed table's
    // checkpoint sees its new rows.
    const boardsAgain = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'boards', storage });
    expect(await seqOfNextWrite(boardsAgain, 'b3')).toBe(5);
    const page = await getChangedDocumentsSince(boardsAgain, 10, oldBoardsCheckpoint);
    expect(page.documents.map((d) => d.key)).toEqual(['b3']);
  });

  it('never goes back after cleanup purges the rows holding the highest numbers and the file is reopened', async () => {
    const databaseName = randomDatabaseName();
    const cards = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'cards' });
    await insertAll(cards, [withMeta({ key: 'a', value: 'x' }), withMeta({ key: 'b', value: 'x' })]);
    const b = (await cards.findDocumentsById(['b'], false))[0]!;
    await cards.bulkWrite([{ previous: b, document: nextVersion(b, { _deleted: true }) }], TEST_CONTEXT);
    const checkpoint = (await getChangedDocumentsSince(cards, 10)).checkpoint as SeqCheckpoint;
    expect(checkpoint).toEqual({ id: 'b', seq: 3 });
    // Before the purge the rows alone say 3, and nothing else is stored.
    expect(readSeq(h.folder, databaseName, ['cards-0'])).toEqual({ meta: undefined, rows: new Map([['cards-0/a', 1], ['cards-0/b', 3]]) });
    expect(await cards.cleanup(0)).toBe(true);
    expect(readSeq(h.folder, databaseName, ['cards-0'])).toEqual({ meta: 3, rows: new Map([['cards-0/a', 1]]) });
    await cards.close();

    const again = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'cards', storage: h.reopenStorage() });
    expect(await seqOfNextWrite(again, 'c')).toBe(4);
    expect((await getChangedDocumentsSince(again, 10, checkpoint)).documents.map((d) => d.key)).toEqual(['c']);
  });

  it('reads a file whose stored sequence is above its rows (written by the earlier scheme) without going back', async () => {
    const databaseName = randomDatabaseName();
    const cards = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'cards' });
    await insertAll(cards, [withMeta({ key: 'a', value: 'x' })]);
    await cards.close();
    const db = new DatabaseSync(sqliteFilePath(h.folder, databaseName));
    try {
      db.prepare(`INSERT INTO _trailboard_meta (key, value) VALUES ('seq', 41)`).run();
    } finally {
      db.close();
    }
    const again = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'cards', storage: h.reopenStorage() });
    expect(await seqOfNextWrite(again, 'b')).toBe(42);
  });

  it('takes no sequence number for a write that failed entirely', async () => {
    const databaseName = randomDatabaseName();
    const cards = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'cards' });
    const doc = withMeta({ key: 'a', value: 'x' });
    await insertAll(cards, [doc]);
    expect((await cards.bulkWrite([{ document: doc }], TEST_CONTEXT)).error).toHaveLength(1);
    await insertAll(cards, [withMeta({ key: 'b', value: 'x' })]);
    expect((await getChangedDocumentsSince(cards, 10)).checkpoint).toEqual({ id: 'b', seq: 2 });
  });

  it('moves forward even when a later write carries an older _meta.lwt', async () => {
    const databaseName = randomDatabaseName();
    const cards = await h.createInstance<KeyValueDoc>({ schema: keyValueSchema(), databaseName, collectionName: 'cards' });
    await insertAll(cards, [withMeta({ key: 'late', value: 'x' }, { lwt: 2_000_000_000_000 })]);
    const checkpoint = (await getChangedDocumentsSince(cards, 10)).checkpoint;
    await insertAll(cards, [withMeta({ key: 'early', value: 'x' }, { lwt: 1_000_000_000_000 })]);
    expect((await getChangedDocumentsSince(cards, 10, checkpoint)).documents.map((d) => d.key)).toEqual(['early']);
  });
});
