// Checkpoints follow the file's own sequence, never the wall clock: with the clock set back between two runs
// (or jumping back and forth within one), no consumer of getChangedDocumentsSince or changeStream misses a write.
import { pathToFileURL } from 'node:url';
import { randomToken, type BulkWriteRow, type RxDocumentData } from 'rxdb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { getRxStorageSQLite, type SQLiteCheckpoint } from '../../../../src-main/store/sqlite-storage';
import { childScript, createTempFolder, ensureChildrenBuilt, removeTempFolder, startChild } from './durability-harness';
import { newItem, nextItem, openItems, seededRandom, type DurableItem, type ItemsInstance } from './durability-schema';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Written = [id: string, rev: string, lwt: number];
type Report = {
  now: number;
  written: Written[];
  checkpoint?: SQLiteCheckpoint;
  bulks: { checkpoint: SQLiteCheckpoint; events: [string, string][] }[];
};

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempFolder(label: string): string {
  const folder = createTempFolder(label);
  cleanups.push(() => removeTempFolder(folder));
  return folder;
}

async function runWriter(folder: string, phase: 'first' | 'second', clockOffsetMs: number): Promise<Report> {
  const child = startChild('clock-writer', [folder, 'clockdb', phase, '30'], {
    execArgv: clockOffsetMs === 0 ? [] : ['--import', pathToFileURL(childScript('clock-shift')).href],
    env: { TRAILBOARD_CLOCK_OFFSET_MS: String(clockOffsetMs) },
  });
  const line = await child.waitForLine((l) => l.startsWith('REPORT '), 30_000);
  const exit = await child.closed;
  expect(exit.code, child.stderr()).toBe(0);
  return JSON.parse(line.slice('REPORT '.length)) as Report;
}

/** Reads the change feed from `checkpoint` to its end in pages of `limit`; checks that checkpoints only go up. */
async function readFeed(instance: ItemsInstance, checkpoint: SQLiteCheckpoint | undefined, limit: number) {
  const docs: RxDocumentData<DurableItem>[] = [];
  let cursor = checkpoint;
  for (;;) {
    const page = await instance.getChangedDocumentsSince!(limit, cursor);
    if (page.documents.length === 0) {
      expect(page.checkpoint.seq).toBe(cursor?.seq ?? 0);
      break;
    }
    expect(page.documents.length).toBeLessThanOrEqual(limit);
    expect(page.checkpoint.seq, 'a checkpoint went backwards').toBeGreaterThan(cursor?.seq ?? 0);
    docs.push(...page.documents);
    cursor = page.checkpoint;
  }
  return { docs, checkpoint: cursor };
}

/** id -> the last revision written, in the order of the writes. */
function lastRevisions(writes: readonly (readonly [string, string, ...unknown[]])[]): Map<string, string> {
  const revs = new Map<string, string>();
  for (const [id, rev] of writes) revs.set(id, rev);
  return revs;
}

function revisionsOf(docs: readonly RxDocumentData<DurableItem>[]): Map<string, string> {
  return lastRevisions(docs.map((doc) => [doc.id, doc._rev] as const));
}

describe('change checkpoints when the wall clock goes back', () => {
  beforeAll(() => ensureChildrenBuilt(['clock-writer', 'clock-shift']));

  it('gives every write of a run whose clock was set back an hour to consumers resuming from the earlier run', async () => {
    const folder = tempFolder('clock-runs');
    const first = await runWriter(folder, 'first', 0);
    const second = await runWriter(folder, 'second', -HOUR);

    // The second run really ran an hour in the past, and stamped its documents so.
    expect(second.now).toBeLessThan(first.now - HOUR + 60_000);
    const firstLwts = first.written.map(([, , lwt]) => lwt);
    const secondLwts = second.written.map(([, , lwt]) => lwt);
    expect(Math.max(...secondLwts)).toBeLessThan(Math.min(...firstLwts));
    expect(first.checkpoint?.seq).toBeGreaterThan(0);

    const instance = await openItems(folder, 'clockdb');
    cleanups.push(() => instance.close());

    // A consumer resuming from the end of run 1 gets exactly run 2's writes, at their last revision.
    for (const limit of [1, 4, 1000]) {
      const feed = await readFeed(instance, first.checkpoint, limit);
      expect(revisionsOf(feed.docs)).toEqual(lastRevisions(second.written));
      expect(feed.docs.length, 'each document once').toBe(lastRevisions(second.written).size);
    }
    // From the start, everything (run 1's untouched documents included).
    const all = await readFeed(instance, undefined, 5);
    expect(revisionsOf(all.docs)).toEqual(lastRevisions([...first.written, ...second.written]));

    // Run 2's change stream carried every write in order, its checkpoints continuing after run 1's.
    expect(second.bulks.flatMap((bulk) => bulk.events)).toEqual(second.written.map(([id, rev]) => [id, rev]));
    let previousSeq = first.checkpoint!.seq;
    for (const bulk of second.bulks) {
      expect(bulk.checkpoint.seq).toBeGreaterThan(previousSeq);
      previousSeq = bulk.checkpoint.seq;
    }
    // A consumer that stopped at any of those bulks resumes with exactly the writes after it.
    for (let k = 0; k < second.bulks.length; k++) {
      const later = second.bulks.slice(k + 1).flatMap((bulk) => bulk.events);
      const feed = await readFeed(instance, second.bulks[k]!.checkpoint, 3);
      expect(revisionsOf(feed.docs), `resuming after bulk ${k}`).toEqual(lastRevisions(later));
    }
  });

  it('keeps change-stream and change-feed consumers complete while the clock jumps back and forth in one process', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const base = Date.UTC(2031, 5, 1, 12);
    const clockSteps = [base, base - HOUR, base + 2 * HOUR, base - DAY, base - DAY + 1, base - 2 * DAY];
    const folder = tempFolder('clock-jumps');
    const storage = getRxStorageSQLite({ path: folder });
    const token = randomToken(10);
    const writer = await openItems(storage, 'jumpdb', token);
    const reader = await openItems(storage, 'jumpdb');
    cleanups.push(async () => {
      await writer.close();
      await reader.close();
    });

    const streamed: [string, string][] = [];
    const streamedSeqs: number[] = [];
    const subscription = reader.changeStream().subscribe((bulk) => {
      for (const event of bulk.events) streamed.push([event.documentId, event.documentData._rev]);
      streamedSeqs.push(bulk.checkpoint.seq);
    });
    cleanups.push(() => subscription.unsubscribe());

    const random = seededRandom(7);
    const current = new Map<string, RxDocumentData<DurableItem>>();
    const writes: [string, string, number][] = [];
    const puller = new Map<string, string>();
    let pullCheckpoint: SQLiteCheckpoint | undefined;
    let checkpointAfterFirstStep: SQLiteCheckpoint | undefined;
    let writesInFirstStep = 0;
    let counter = 0;

    for (const [step, time] of clockSteps.entries()) {
      vi.setSystemTime(time);
      for (let batch = 0; batch < 4; batch++) {
        const rows: BulkWriteRow<DurableItem>[] = [];
        for (let i = 0; i < 2; i++) {
          const doc = newItem(token, `jump-${step}-${batch}-${i}`, `v${counter++}`, counter);
          doc._meta.lwt = Date.now(); // stamped by the (set back) wall clock, as another run of the app would
          rows.push({ document: doc });
        }
        const existing = [...current.values()];
        const taken = new Set(rows.map((row) => row.document.id));
        for (let i = 0; i < 2 && existing.length > 0; i++) {
          const previous = existing[Math.floor(random() * existing.length)]!;
          if (taken.has(previous.id)) continue;
          taken.add(previous.id);
          const document = nextItem(token, previous, `v${counter++}`, { isDeleted: random() < 0.25 });
          document._meta.lwt = Date.now();
          rows.push({ previous, document });
        }
        const response = await writer.bulkWrite(rows, 'clock-jumps');
        expect(response.error).toEqual([]);
        for (const { document } of rows) {
          current.set(document.id, document);
          writes.push([document.id, document._rev, document._meta.lwt]);
        }
        // A replication-style consumer pulls after every write, in small pages.
        const feed = await readFeed(reader, pullCheckpoint, 2);
        for (const doc of feed.docs) puller.set(doc.id, doc._rev);
        pullCheckpoint = feed.checkpoint;
      }
      if (step === 0) {
        checkpointAfterFirstStep = pullCheckpoint;
        writesInFirstStep = writes.length;
      }
    }
    await vi.waitFor(() => expect(streamed.length).toBe(writes.length));

    // The clock really went back for later writes.
    expect(writes.at(-1)![2]).toBeLessThan(writes[0]![2]);
    expect(streamed).toEqual(writes.map(([id, rev]) => [id, rev]));
    expect([...streamedSeqs].sort((a, b) => a - b)).toEqual(streamedSeqs);
    expect(new Set(streamedSeqs).size).toBe(streamedSeqs.length);
    expect(puller).toEqual(lastRevisions(writes));
    const stored = await reader.findDocumentsById([...current.keys()], true);
    expect(revisionsOf(stored)).toEqual(new Map([...current].map(([id, doc]) => [id, doc._rev])));

    // A consumer that paused after the first clock step catches up on everything written since.
    const resumed = await readFeed(reader, checkpointAfterFirstStep, 3);
    expect(revisionsOf(resumed.docs)).toEqual(lastRevisions(writes.slice(writesInFirstStep)));
  });
});
