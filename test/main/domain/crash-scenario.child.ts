// Child process of crash.test.ts: opens the store in a data folder and runs mixed domain scenarios (the real
// verbs, sometimes two at once) until it is killed with SIGKILL.
//
//   node crash-scenario.child.mjs <dataFolder> <accountId> <seed> <stopAt>
//
// <stopAt> is `none` or `<kind>:<n>`: stop at the n-th write boundary of that kind and wait to be killed.
// Write boundaries are the moments right after one write reached the SQLite file (the storage's bulkWriteSync
// is one synchronous transaction; a write whose every row was refused is no boundary): `event` (an event inserted: a command's commit), `projection` (a projection
// collection written by the projector) and `checkpoint` (the projector's checkpoint saved). They are counted
// from the start of the process, so they include the writes of the projector catching up at start-up.
//
// Protocol on stdout, one line each, written synchronously (a line is on the pipe before the next write starts):
//   S                                   started, about to open the store
//   R {"recovered":…}                   the store is open and the projector has caught up; scenarios begin
//   B <n> <kind> <collection>           write boundary n passed
//   K <n> <kind> <collection>           stopped at write boundary n (the target): kill me now
//   A <eventId> <own|later> <verb>      a command RESOLVED: its one event is acknowledged (`own`: the entity it
//                                       returned was last changed by that event; `later`: by a concurrent one)
//   X <code> <verb>                     a command was refused (a stale world after a concurrent step)
//   E <message>                         something failed unexpectedly (the child then exits with code 3)
import { AsyncLocalStorage } from 'node:async_hooks';
import { writeSync } from 'node:fs';
import type { BulkWriteRow, RxStorageBulkWriteResponse } from 'rxdb';
import { PROJECTION_COLLECTIONS } from '../../../shared/model';
import { RxStorageInstanceSQLite } from '../../../src-main/store/sqlite-storage';
import { openStore } from '../../../src-main/store/store';
import { seededRandom } from '../store/sqlite-storage/durability-schema';
import { loadWorld, randomStep, refreshTouched, type StepOutcome } from './scenario';

export type BoundaryKind = 'event' | 'projection' | 'checkpoint';

/** Writes a whole line to stdout before returning (retrying if the pipe is momentarily full). */
function emit(line: string): void {
  let rest = Buffer.from(`${line}\n`);
  while (rest.length > 0) {
    try {
      rest = rest.subarray(writeSync(1, rest));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

function fail(error: unknown): never {
  const message = error instanceof Error ? `${error.name}: ${error.message} ${error.stack ?? ''}` : String(error);
  emit(`E ${message.replace(/\n/g, ' | ')}`);
  process.exit(3);
}

const PROJECTIONS: ReadonlySet<string> = new Set(PROJECTION_COLLECTIONS);

function kindOf(collectionName: string): BoundaryKind | undefined {
  if (collectionName === 'events') return 'event';
  if (collectionName === 'checkpoints') return 'checkpoint';
  return PROJECTIONS.has(collectionName) ? 'projection' : undefined;
}

/** The ids of the events each command inserted (the command runs inside `commandEvents.run`). */
const commandEvents = new AsyncLocalStorage<string[]>();

/**
 * Instruments the storage (test code only, the product is unchanged): every write transaction of an account
 * collection that stored at least one document is a numbered boundary once it has committed (the storage's
 * `bulkWrite` runs `bulkWriteSync`, one SQLite transaction); at the target boundary the process stops dead.
 */
function instrumentWrites(stopKind: BoundaryKind | undefined, stopAt: number): void {
  type SyncWrite = (rows: BulkWriteRow<unknown>[], context: string) => RxStorageBulkWriteResponse<unknown>;
  const prototype = RxStorageInstanceSQLite.prototype as unknown as { bulkWriteSync: SyncWrite };
  const original = prototype.bulkWriteSync;
  let boundary = 0;
  const perKind: Record<BoundaryKind, number> = { event: 0, projection: 0, checkpoint: 0 };
  prototype.bulkWriteSync = function (this: RxStorageInstanceSQLite<unknown>, rows, context) {
    const result = original.call(this, rows, context);
    const kind = kindOf(this.collectionName);
    if (kind === undefined || result.error.length === rows.length) return result;
    if (kind === 'event') {
      const ids = commandEvents.getStore();
      const refused = new Set(result.error.map((error) => error.documentId));
      if (ids) for (const row of rows) if (!refused.has(idOf(row))) ids.push(idOf(row));
    }
    boundary++;
    perKind[kind]++;
    if (kind === stopKind && perKind[kind] === stopAt) {
      emit(`K ${boundary} ${kind} ${this.collectionName}`);
      // The write is in the file; nothing after it runs. The parent kills this process now.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
      emit('E not killed within 60 s of stopping at the target boundary');
      process.exit(4);
    }
    emit(`B ${boundary} ${kind} ${this.collectionName}`);
    return result;
  };
}

function idOf(row: BulkWriteRow<unknown>): string {
  return (row.document as unknown as { id: string }).id;
}

async function main(): Promise<void> {
  const [folder, accountId, seedText, stopText] = process.argv.slice(2);
  if (!folder || !accountId || !seedText || !stopText) {
    throw new Error('usage: crash-scenario.child.mjs <dataFolder> <accountId> <seed> <none|kind:n>');
  }
  const [stopKind, stopAtText] = stopText === 'none' ? [undefined, '0'] : stopText.split(':');
  instrumentWrites(stopKind as BoundaryKind | undefined, Number(stopAtText));
  const random = seededRandom(Number(seedText));

  emit('S');
  const store = await openStore({ dataDir: folder });
  const session = await store.openAccount(accountId);
  const ctx = session.context();
  const world = await loadWorld(ctx);
  emit(`R ${JSON.stringify({ pid: process.pid, recovered: session.projector.stats })}`);
  // The loop below never ends by itself: an empty event loop means a command waits for something that
  // will never come (an event the projector does not see). Say so instead of exiting quietly.
  process.on('beforeExit', () => {
    fail(new Error(`the event loop ran empty while a command waited; projector ${JSON.stringify(session.projector.stats)}, error ${String(session.projector.error)}`));
  });

  const run = async (): Promise<StepOutcome> => {
    const ids: string[] = [];
    const outcome = await commandEvents.run(ids, () => randomStep(ctx, world, random));
    if (outcome.status === 'refused') {
      if (ids.length > 0) throw new Error(`${outcome.verb} was refused (${outcome.code}) but inserted ${ids.length} events`);
      emit(`X ${outcome.code} ${outcome.verb} ${outcome.message.replace(/\n/g, " ")}`);
      return outcome;
    }
    if (ids.length !== 1) throw new Error(`${outcome.verb} inserted ${ids.length} events, not exactly one`);
    emit(`A ${ids[0]!} ${outcome.touched.entity.lastEventId === ids[0] ? 'own' : 'later'} ${outcome.verb}`);
    return outcome;
  };

  for (;;) {
    // Commands arrive as separate tasks (as IPC calls do): without this turn of the event loop, a storage
    // that answers synchronously keeps every command in one chain of microtasks and no timer (the
    // projector's checkpoint save) ever runs.
    await new Promise((resolve) => setImmediate(resolve));
    // Mostly one command at a time; sometimes two at once, so the projector folds batches.
    const outcomes = random() < 0.2 ? await Promise.all([run(), run()]) : [await run()];
    if (outcomes.length > 1) {
      for (const outcome of outcomes) if (outcome.status === 'done') await refreshTouched(ctx, world, outcome.touched);
    }
  }
}

main().catch(fail);
