// Crash consistency of the event log and the projections (DESIGN.md, "The event log is the commit point").
// A child process runs mixed domain scenarios (crash-scenario.child.ts) and is killed with SIGKILL, first at
// numbered write boundaries (right after an event insert, a projection write or a checkpoint save reached the
// file: the child stops there and is killed), then at random points. The same data folder serves every
// round, so each child also recovers what the previous one left (and is sometimes killed while it does).
//
// After each kill the folder is reopened with `openStore` (on a copy, so the next child still finds the
// state the kill left; every fifth round on the folder itself) and the projector resumes from its checkpoint:
// - every projection equals the fold of its events (`foldAll` of the whole log): 0 torn;
// - no duplicate events (ids and hlcs unique);
// - every command acknowledged before the kill (in this round or any earlier one) is in the log.
// It prints what ran. TRAILBOARD_SEED=n repeats a seed's choices (timings still vary); TRAILBOARD_KEEP_FAILED=dir
// copies the data folder there when a child fails, for a look at the file.
import { cpSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src-main/store/store';
import { addMember, seedBoard } from '../../support/domain-fixtures';
import { loopCount } from '../../support/long';
import {
  createTempFolder,
  ensureChildrenBuilt,
  killChild,
  removeTempFolder,
  sleep,
  startChild,
  type LineChild,
} from '../store/sqlite-storage/durability-harness';
import { seededRandom } from '../store/sqlite-storage/durability-schema';
import type { BoundaryKind } from './crash-scenario.child';
import { foldedProjections, projectionCounts, projectionDifferences, readEvents, readProjections } from './scenario';

/** The harness names children relative to dist/test/main/store/sqlite-storage; ours is built to dist/test/main/domain. */
const CHILD = '../../domain/crash-scenario';
const BOUNDARY_KILLS = loopCount(54, 300);
const RANDOM_KILLS = loopCount(100, 1000);
const SEED = Number(process.env['TRAILBOARD_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
/** Boundary targets cycle through the kinds; n runs up to these limits (a checkpoint is saved every 200 ms). */
const BOUNDARY_LIMITS: Record<BoundaryKind, number> = { event: 12, projection: 12, checkpoint: 2 };
const KINDS: readonly BoundaryKind[] = ['event', 'projection', 'checkpoint'];
const ROUNDS_PER_FOLDER = 200;

type Stats = {
  folders: number;
  kills: number;
  boundaryKills: Record<BoundaryKind, number>;
  killedBeforeReady: number;
  acknowledged: number;
  refused: number;
  /** Rounds whose kill landed between a commit and its acknowledgement (an event in the log, never acked). */
  killsBetweenCommitAndAck: number;
  reopensWithCatchUp: number;
  eventsFoldedAtReopen: number;
  childStartsWithCatchUp: number;
  reopenedOnOriginal: number;
  /** Events in the logs (summed over the folders used). */
  events: number;
  torn: number;
  childMs: number;
  checkMs: number;
};

describe('domain scenarios killed with SIGKILL at write boundaries and random points', () => {
  let folder = '';
  let scratch = '';
  let accountId = '';
  /** Events written before the first kill (account, member, board): never acknowledged by a child. */
  let setupEvents = 0;

  /** A new data folder holding the account, a second member (for assignments) and a first board. */
  async function startFolder(): Promise<void> {
    if (folder) removeTempFolder(folder);
    folder = createTempFolder('domain-crash');
    const store = await openStore({ dataDir: folder });
    try {
      const session = await store.ensureLocalAccount();
      accountId = session.account.accountId;
      const ctx = session.context();
      await addMember(ctx, { id: 'user-bob', name: 'Bob' });
      await seedBoard(ctx, { name: 'Launch', columns: ['To do', 'Doing', 'Done'] });
      setupEvents = (await readEvents(session.account)).length;
    } finally {
      await store.close();
    }
  }

  beforeAll(() => {
    ensureChildrenBuilt([CHILD]);
    scratch = createTempFolder('domain-crash-check');
  });

  afterAll(() => {
    if (folder) removeTempFolder(folder);
    if (scratch) removeTempFolder(scratch);
  });

  it(
    `keeps projections equal to the fold of the log, with no duplicate or lost event, over ${BOUNDARY_KILLS} boundary and ${RANDOM_KILLS} random kills (seed ${SEED})`,
    async () => {
      const random = seededRandom(SEED);
      let acknowledged = new Set<string>();
      /** The log's length in the current folder after the last check, and how many of its events no child acked. */
      let folderEvents = 0;
      let unacknowledged = 0;
      const stats: Stats = {
        folders: 0,
        kills: 0,
        boundaryKills: { event: 0, projection: 0, checkpoint: 0 },
        killedBeforeReady: 0,
        acknowledged: 0,
        refused: 0,
        killsBetweenCommitAndAck: 0,
        reopensWithCatchUp: 0,
        eventsFoldedAtReopen: 0,
        childStartsWithCatchUp: 0,
        reopenedOnOriginal: 0,
        events: 0,
        torn: 0,
        childMs: 0,
        checkMs: 0,
      };
      const started = Date.now();

      for (let round = 0; round < BOUNDARY_KILLS + RANDOM_KILLS; round++) {
        // One folder serves many rounds; a long run starts a new one now and then, so the log (which every
        // check folds in full) stays small enough.
        if (round % ROUNDS_PER_FOLDER === 0) {
          stats.events += folderEvents;
          await startFolder();
          acknowledged = new Set();
          unacknowledged = 0;
          stats.folders++;
        }
        const isBoundaryRound = round < BOUNDARY_KILLS;
        const kind = KINDS[round % KINDS.length]!;
        const target = 1 + (Math.floor(round / KINDS.length) % BOUNDARY_LIMITS[kind]);
        const stopAt = isBoundaryRound ? `${kind}:${target}` : 'none';
        const where = `seed ${SEED}, round ${round}, ${isBoundaryRound ? `boundary ${stopAt}` : 'random kill'}`;

        const roundStarted = Date.now();
        const child = startChild(CHILD, [folder, accountId, String((SEED + round * 7919) >>> 0), stopAt]);
        try {
          if (isBoundaryRound) {
            await child.waitForLine((line) => line.startsWith('K '), 30_000);
            stats.boundaryKills[kind]++;
          } else if (random() < 0.2) {
            // Early: while the child opens the store and its projector catches up.
            await child.waitForLine((line) => line === 'S', 30_000);
            await sleep(Math.floor(random() * 150));
          } else {
            // While commands flow: from the first acknowledged one (the first command of a process is slow).
            await child.waitForLine((line) => line.startsWith('A '), 30_000);
            await sleep(Math.floor(random() * 200));
          }
        } catch (error) {
          const exit = await killChild(child);
          if (process.env['TRAILBOARD_KEEP_FAILED']) cpSync(folder, process.env['TRAILBOARD_KEEP_FAILED'], { recursive: true });
          throw new Error(`${where}: the child (exit ${JSON.stringify(exit)}) failed: ${String(error)}`, { cause: error });
        }
        const exit = await killChild(child);
        stats.kills++;
        const checkStarted = Date.now();
        stats.childMs += checkStarted - roundStarted;
        expect(exit.signal, `${where}: the child ended by itself (code ${exit.code}): ${errorsOf(child)}\n${child.stderr()}`).toBe('SIGKILL');
        expect(errorsOf(child), `${where}: the child reported failures`).toBe('');

        const ready = child.lines.find((line) => line.startsWith('R '));
        if (!ready) stats.killedBeforeReady++;
        else {
          const { recovered } = JSON.parse(ready.slice(2)) as { recovered: { applied: number; refolded: number } };
          if (recovered.applied + recovered.refolded > 0) stats.childStartsWithCatchUp++;
        }
        const acknowledgedNow: string[] = [];
        for (const line of child.lines) {
          if (line.startsWith('A ')) acknowledgedNow.push(line.split(' ')[1]!);
          else if (line.startsWith('X ')) stats.refused++;
        }
        for (const id of acknowledgedNow) acknowledged.add(id);
        stats.acknowledged += acknowledgedNow.length;

        // --- reopen (on a copy of the folder, or on the folder itself every fifth round) and check
        const isOnOriginal = round % 5 === 4;
        let checked = folder;
        if (isOnOriginal) stats.reopenedOnOriginal++;
        else {
          removeTempFolder(scratch);
          cpSync(folder, scratch, { recursive: true });
          checked = scratch;
        }
        const store = await openStore({ dataDir: checked });
        try {
          const session = await store.openAccount(accountId);
          const { applied, refolded, rebuilt } = session.projector.stats;
          expect(rebuilt, `${where}: the projector rebuilt instead of resuming from its checkpoint`).toBe(0);
          if (applied + refolded > 0) stats.reopensWithCatchUp++;
          stats.eventsFoldedAtReopen += applied + refolded;

          const events = await readEvents(session.account);
          const ids = new Set(events.map((event) => event.id));
          expect(ids.size, `${where}: duplicate event ids`).toBe(events.length);
          expect(new Set(events.map((event) => event.hlc)).size, `${where}: two events with one hlc`).toBe(events.length);
          const lost = [...acknowledged].filter((id) => !ids.has(id));
          expect(lost, `${where}: acknowledged events missing after the kill`).toEqual([]);
          const unacknowledgedNow = events.length - setupEvents - acknowledged.size;
          if (unacknowledgedNow > unacknowledged) stats.killsBetweenCommitAndAck++;
          unacknowledged = unacknowledgedNow;

          const torn = projectionDifferences(await readProjections(session.account), foldedProjections(events));
          stats.torn += torn.length;
          expect(torn.slice(0, 5), `${where}: ${torn.length} torn projections`).toEqual([]);
          folderEvents = events.length;
        } finally {
          await store.close();
        }
        stats.checkMs += Date.now() - checkStarted;
      }

      stats.events += folderEvents;
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `domain crash test: ${stats.kills} kills -9 ran (${BOUNDARY_KILLS} at write boundaries, ${RANDOM_KILLS} at random points) in ${seconds.toFixed(1)} s ${JSON.stringify({ ...stats, seed: SEED })}`,
      );
      expect(stats.kills).toBe(BOUNDARY_KILLS + RANDOM_KILLS);
      expect(stats.torn).toBe(0);
      // The kills must land while commands run and leave work for the reopen, or the test proves nothing.
      expect(stats.acknowledged).toBeGreaterThan(stats.kills);
      expect(stats.reopensWithCatchUp).toBeGreaterThan(0);
      expect(stats.killsBetweenCommitAndAck).toBeGreaterThan(0);
      for (const kind of KINDS) expect(stats.boundaryKills[kind]).toBeGreaterThanOrEqual(Math.floor(BOUNDARY_KILLS / KINDS.length));
    },
    30 * 60_000,
  );

  it('leaves a data folder whose final state still folds to its projections', async () => {
    const store = await openStore({ dataDir: folder });
    try {
      const session = await store.openAccount(accountId);
      const events = await readEvents(session.account);
      const projections = await readProjections(session.account);
      expect(projectionDifferences(projections, foldedProjections(events))).toEqual([]);
      console.log(`domain crash test: final log of ${events.length} events; projections ${JSON.stringify(projectionCounts(projections))}`);
      expect(projectionCounts(projections).cards).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });
});

function errorsOf(child: LineChild): string {
  return child.lines.filter((line) => line.startsWith('E ')).join('\n');
}
