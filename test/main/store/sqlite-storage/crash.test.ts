// A child process writes to the SQLite storage in a loop and is killed with SIGKILL at random points. After each
// kill the file must pass `PRAGMA integrity_check`, reopen through the storage (taking over the dead process's
// folder lock), hold every write the child had acknowledged, and keep its sequence, change feed and change stream
// working. The same data folder accumulates across kills, so WAL recovery runs again and again.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventBulk, RxDocumentData, RxStorageChangeEvent } from 'rxdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_HOLDER_FILE_NAME, type SQLiteCheckpoint } from '../../../../src-main/store/sqlite-storage';
import { loopCount } from '../../../support/long';
import type { CrashAck } from './crash-writer.child';
import {
  createTempFolder,
  ensureChildrenBuilt,
  integrityCheck,
  killChild,
  readSequences,
  removeTempFolder,
  sleep,
  startChild,
} from './durability-harness';
import { ITEMS_TABLE, newItem, openItems, revisionHeight, seededRandom, type DurableItem } from './durability-schema';

const KILLS = loopCount(50, 500);
const NEW_FILE_KILLS = loopCount(10, 100);

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
const SEED = Number(process.env.TRAILBOARD_SEED ?? Math.floor(Math.random() * 2 ** 31));
const DATABASE = 'crashdb';

type Known = { rev: string; v: string; isDeleted: boolean };

/** Failures of one check, collected so one assertion shows them all with the seed and round. */
function compare(
  id: string,
  stored: RxDocumentData<DurableItem> | undefined,
  expected: Known,
  label: string,
  problems: string[],
  hasCleanup: boolean,
): void {
  if (!stored) {
    // cleanup(0) purges deleted documents for good; nothing else may make a document disappear.
    if (!(expected.isDeleted && hasCleanup)) problems.push(`${label} ${id} ${expected.rev}: missing after the kill`);
    return;
  }
  if (stored._rev === expected.rev) {
    if (stored.v !== expected.v || stored._deleted !== expected.isDeleted) {
      problems.push(`${label} ${id} ${expected.rev}: stored content differs (v ${stored.v} vs ${expected.v}, deleted ${stored._deleted})`);
    }
  } else if (revisionHeight(stored._rev) <= revisionHeight(expected.rev)) {
    problems.push(`${label} ${id}: acknowledged ${expected.rev} but the file holds the older ${stored._rev}`);
  }
}

describe('SQLite storage killed with SIGKILL while writing', () => {
  let folder = '';
  let workFolder = '';

  beforeAll(() => {
    ensureChildrenBuilt(['crash-writer']);
    folder = createTempFolder('crash');
    workFolder = createTempFolder('crash-work');
  });

  afterAll(() => {
    if (folder) removeTempFolder(folder);
    if (workFolder) removeTempFolder(workFolder);
  });

  it(
    `keeps every acknowledged write and a sound file over ${KILLS} kills -9 (seed ${SEED})`,
    async () => {
      const random = seededRandom(SEED);
      const dbFile = join(folder, `${DATABASE}.sqlite`);
      const workFile = join(workFolder, 'work.json');
      const known = new Map<string, Known>();
      let checkpoint: SQLiteCheckpoint | undefined;
      let lastRowSeq = 0;
      /** The highest sequence number any acknowledged write (or probe) has carried, in any round. */
      let maxAckedSeq = 0;
      const stats = {
        kills: 0,
        killedBeforeReady: 0,
        acknowledgedWrites: 0,
        acknowledgedRows: 0,
        storageOpenedFirst: 0,
        cleanups: 0,
        reopens: 0,
      };

      for (let round = 0; round < KILLS; round++) {
        const where = `seed ${SEED}, round ${round}`;
        const knownIds = [...known.keys()];
        const workIds: string[] = [];
        for (let i = 0; i < Math.min(200, knownIds.length); i++) workIds.push(knownIds[Math.floor(random() * knownIds.length)]!);
        writeFileSync(workFile, JSON.stringify({ run: round, ids: [...new Set(workIds)] }));

        // --- the writer, killed at a random point (sometimes while it is still opening the file)
        const child = startChild('crash-writer', [folder, DATABASE, String((SEED + round * 7919) >>> 0), workFile]);
        const killEarly = random() < 0.15;
        if (killEarly) {
          await sleep(Math.floor(random() * 250));
        } else {
          await child.waitForLine((line) => line.startsWith('R '), 30_000);
          await sleep(5 + Math.floor(random() * 300));
        }
        const exit = await killChild(child);
        stats.kills++;
        expect(exit.signal, `${where}: the writer ended by itself (code ${exit.code}):\n${child.lines.filter((l) => l.startsWith('E')).join('\n')}\n${child.stderr()}`).toBe('SIGKILL');
        const errors = child.lines.filter((line) => line.startsWith('E '));
        expect(errors, `${where}: the writer reported failed writes`).toEqual([]);
        if (!child.lines.some((line) => line.startsWith('R '))) stats.killedBeforeReady++;
        const hasCleanup = child.lines.includes('C');
        if (hasCleanup) stats.cleanups++;
        const hasAnyCleanup = stats.cleanups > 0;
        stats.reopens += child.lines.filter((line) => line === 'O').length;

        // Every line the child flushed before it died has been read (killChild waits for the pipe's end).
        const acked = new Map<string, Known>();
        for (const line of child.lines) {
          if (line.startsWith('S ')) maxAckedSeq = Math.max(maxAckedSeq, Number(line.slice(2)));
          if (!line.startsWith('A ')) continue;
          stats.acknowledgedWrites++;
          for (const [id, rev, v, isDeleted] of JSON.parse(line.slice(2)) as CrashAck[]) {
            acked.set(id, { rev, v, isDeleted: isDeleted === 1 });
            stats.acknowledgedRows++;
          }
        }

        // --- after the kill: raw integrity first on even rounds, so odd rounds leave the hot WAL to the storage
        const isStorageFirst = round % 2 === 1;
        if (!isStorageFirst) expect(integrityCheck(dbFile), `${where}: integrity_check`).toBe('ok');
        if (isStorageFirst) stats.storageOpenedFirst++;

        const instance = await openItems(folder, DATABASE);
        try {
          const holder = JSON.parse(readFileSync(join(folder, LOCK_HOLDER_FILE_NAME), 'utf8')) as { pid: number };
          expect(holder.pid, `${where}: the dead writer's folder lock was not taken over`).toBe(process.pid);

          // Earlier documents: all the child was given (only those can have changed without an acknowledgement,
          // so `known` stays exact), a random sample of the rest, and every tenth round all of them.
          const given = new Set(workIds);
          const older = knownIds.filter((id) => !acked.has(id));
          const olderSample = older.filter((id) => given.has(id) || round % 10 === 9 || random() < 300 / older.length);
          const ids = [...acked.keys(), ...olderSample];
          const stored = new Map((await instance.findDocumentsById(ids, true)).map((doc) => [doc.id, doc]));
          const problems: string[] = [];
          for (const [id, expected] of acked) compare(id, stored.get(id), expected, 'acknowledged', problems, hasCleanup);
          for (const id of olderSample) compare(id, stored.get(id), known.get(id)!, 'earlier', problems, hasAnyCleanup);

          // The change feed from the last checkpoint holds every write of this round, in sequence order.
          const changed = new Map<string, RxDocumentData<DurableItem>>();
          let cursor = checkpoint;
          for (;;) {
            const page = await instance.getChangedDocumentsSince!(400, cursor);
            if (page.documents.length === 0) break;
            expect(page.checkpoint.seq, `${where}: checkpoint went backwards`).toBeGreaterThan(cursor?.seq ?? 0);
            for (const doc of page.documents) changed.set(doc.id, doc);
            cursor = page.checkpoint;
          }
          for (const [id, expected] of acked) {
            const doc = changed.get(id);
            if (!doc && !stored.has(id)) continue; // purged by cleanup (checked above)
            if (!doc) problems.push(`acknowledged ${id} ${expected.rev}: not in getChangedDocumentsSince after the last checkpoint`);
            else if (doc._rev !== stored.get(id)?._rev) problems.push(`change feed ${id}: ${doc._rev} but findDocumentsById ${stored.get(id)?._rev}`);
          }
          expect(problems.slice(0, 20), `${where}: ${problems.length} problems`).toEqual([]);

          // A new write after recovery gets a higher sequence, reaches the change stream and the change feed.
          const bulks: EventBulk<RxStorageChangeEvent<DurableItem>, SQLiteCheckpoint>[] = [];
          const subscription = instance.changeStream().subscribe((bulk) => bulks.push(bulk));
          const probe = newItem('parent', `probe-${round}`, `probe.${round}`, round);
          const response = await instance.bulkWrite([{ document: probe }], 'crash-test-probe');
          expect(response.error, `${where}: probe write`).toEqual([]);
          for (let i = 0; i < 50 && bulks.length === 0; i++) await sleep(10);
          subscription.unsubscribe();
          expect(bulks.map((bulk) => bulk.events.map((event) => event.documentId)), `${where}: change stream`).toEqual([[probe.id]]);
          const streamed = bulks[0]!.checkpoint;
          // Also above every number an acknowledged write carried, though cleanup may have purged its row since.
          expect(streamed.seq, `${where}: probe sequence`).toBeGreaterThan(Math.max(cursor?.seq ?? 0, lastRowSeq, maxAckedSeq));
          maxAckedSeq = streamed.seq;
          const after = await instance.getChangedDocumentsSince!(10, cursor);
          expect(after.documents.map((doc) => doc.id), `${where}: change feed after the probe`).toEqual([probe.id]);
          expect(after.checkpoint.seq).toBe(streamed.seq);
          checkpoint = after.checkpoint;

          for (const id of ids) {
            const doc = stored.get(id);
            if (doc) known.set(id, { rev: doc._rev, v: doc.v, isDeleted: doc._deleted });
            else known.delete(id);
          }
          known.set(probe.id, { rev: probe._rev, v: probe.v, isDeleted: false });
        } finally {
          await instance.close();
        }

        if (isStorageFirst) expect(integrityCheck(dbFile), `${where}: integrity_check`).toBe('ok');
        // What the file keeps (its rows' numbers, and the stored value cleanup and remove leave) still covers
        // every number handed out: the sequence recovered at the next open cannot go back.
        const sequences = readSequences(dbFile, ITEMS_TABLE);
        expect(Math.max(sequences.metaSeq, sequences.maxRowSeq), `${where}: the file lost its highest sequence`).toBe(maxAckedSeq);
        expect(sequences.maxRowSeq, `${where}: sequence did not advance`).toBeGreaterThan(lastRowSeq);
        lastRowSeq = sequences.maxRowSeq;
      }

      const summary = { ...stats, documentsKnown: known.size, finalSequence: lastRowSeq, seed: SEED };
      console.log(`crash test: ${stats.kills} kills -9 ran ${JSON.stringify(summary)}`);
      expect(stats.kills).toBe(KILLS);
      // The kills must land while writes are going on, or the test proves nothing.
      expect(stats.acknowledgedWrites).toBeGreaterThan(KILLS * 5);
    },
    KILLS * 5_000 + 60_000,
  );
  // A new database file is made with one sync and its WAL unsynced (data-folder.ts): a writer killed while it
  // makes the file, or right after its first acknowledged writes, must leave a file that is a WAL database from
  // its first page on and opens whole with those writes.
  it(
    `opens a new database whole after its creator is killed while making it or just after its first writes (${NEW_FILE_KILLS} kills)`,
    async () => {
      const random = seededRandom(SEED + 1);
      const stats = { kills: 0, killedBeforeFileExisted: 0, killedWhileOpening: 0, killedAfterFirstWrite: 0, acknowledgedRows: 0 };
      for (let round = 0; round < NEW_FILE_KILLS; round++) {
        const where = `seed ${SEED}, new file round ${round}`;
        const newFolder = createTempFolder('crash-new');
        try {
          const workFile = join(newFolder, 'work.json');
          writeFileSync(workFile, JSON.stringify({ run: round, ids: [] }));
          const dbFile = join(newFolder, `${DATABASE}.sqlite`);
          const child = startChild('crash-writer', [newFolder, DATABASE, String((SEED + round * 104_729) >>> 0), workFile]);
          const isWhileOpening = round % 2 === 1;
          if (isWhileOpening) {
            // Watch for the file to appear, then kill within a few milliseconds: while the writer is making it.
            const giveUpAt = performance.now() + 30_000;
            while (!existsSync(dbFile) && !child.hasClosed() && performance.now() < giveUpAt) await nextTurn();
            const killAt = performance.now() + random() * 3;
            while (performance.now() < killAt) await nextTurn();
          } else {
            await child.waitForLine((line) => line.startsWith('A '), 30_000);
          }
          const exit = await killChild(child);
          expect(exit.signal, `${where}: the writer ended by itself:\n${child.stderr()}`).toBe('SIGKILL');
          stats.kills++;
          const acked = new Map<string, Known>();
          for (const line of child.lines) {
            if (!line.startsWith('A ')) continue;
            for (const [id, rev, v, isDeleted] of JSON.parse(line.slice(2)) as CrashAck[]) acked.set(id, { rev, v, isDeleted: isDeleted === 1 });
          }
          if (!existsSync(dbFile)) stats.killedBeforeFileExisted++;
          else if (acked.size === 0) stats.killedWhileOpening++;
          else stats.killedAfterFirstWrite++;
          stats.acknowledgedRows += acked.size;

          if (existsSync(dbFile)) {
            // From its first page on, the file is a WAL database (header bytes 18 and 19 are 2) or still empty.
            const header = readFileSync(dbFile).subarray(0, 100);
            if (header.length > 0) expect([header[18], header[19]], `${where}: header of the new file`).toEqual([2, 2]);
            expect(integrityCheck(dbFile), `${where}: integrity_check`).toBe('ok');
          }
          const instance = await openItems(newFolder, DATABASE);
          try {
            const stored = new Map((await instance.findDocumentsById([...acked.keys()], true)).map((doc) => [doc.id, doc]));
            const problems: string[] = [];
            const hasCleanup = child.lines.includes('C');
            for (const [id, expected] of acked) compare(id, stored.get(id), expected, 'acknowledged', problems, hasCleanup);
            expect(problems, `${where}: acknowledged writes`).toEqual([]);
            const probe = newItem('parent', `probe-${round}`, `probe.${round}`, round);
            expect((await instance.bulkWrite([{ document: probe }], 'crash-test-probe')).error, `${where}: probe write`).toEqual([]);
          } finally {
            await instance.close();
          }
          expect(integrityCheck(dbFile), `${where}: integrity_check after reopening`).toBe('ok');
        } finally {
          removeTempFolder(newFolder);
        }
      }
      console.log(`crash test (new files): ${stats.kills} kills -9 ran ${JSON.stringify({ ...stats, seed: SEED })}`);
      expect(stats.kills).toBe(NEW_FILE_KILLS);
      expect(stats.killedAfterFirstWrite).toBeGreaterThanOrEqual(Math.floor(NEW_FILE_KILLS / 2));
    },
    NEW_FILE_KILLS * 5_000 + 30_000,
  );
});
