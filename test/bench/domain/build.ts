/**
 * The account the domain benchmarks run on: a real store (`openStore`) in the group's temp folder whose local
 * account gets a large generated log (generate.ts), bulk-inserted straight through the events collection's
 * storage instance in batches while the projector is stopped. A fresh projector then rebuilds every projection
 * from that log (`Projector.rebuild()`, timed: the rebuild benchmark) and follows the feed from there; the
 * domain context the benchmarks use waits for that projector.
 */
import { join } from 'node:path';
import type { KnownEvent } from '../../../shared/events';
import type { DomainContext } from '../../../src-main/domain/context';
import { accountDatabaseName } from '../../../src-main/store/account-files';
import { openStore, type AccountSession, type Store } from '../../../src-main/store/store';
import { Projector } from '../../../src-main/worker/projector';
import type { BenchContext } from '../lib/group';
import { elapsedMs, nowNs } from '../lib/measure';
import { createLogSource, type LogPlan, type LogWorld } from './generate';

export type BenchAccount = {
  readonly store: Store;
  readonly session: AccountSession;
  /** The projector following the feed after the rebuild (the session's own one is stopped). */
  readonly projector: Projector;
  readonly ctx: DomainContext;
  readonly world: LogWorld;
  /** The account's SQLite file. */
  readonly file: string;
  /** Events in the log after the build (the generated ones and the first run's `account_created`). */
  readonly logEvents: number;
  readonly insertMs: number;
  readonly rebuildMs: number;
  close(): Promise<void>;
};

const INSERT_BATCH = 2000;

export function turnEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export async function buildBenchAccount(context: BenchContext, plan: LogPlan): Promise<BenchAccount> {
  const dataDir = join(context.tempDir, 'store');
  const store = await openStore({ dataDir });
  let projector: Projector | undefined;
  try {
    const session = await store.ensureLocalAccount();
    const { account } = session;
    // Nothing folds while the log is loaded: the rebuild below does it in one go.
    await session.projector.stop();

    const source = createLogSource({
      plan,
      accountId: account.accountId,
      actor: session.user,
      deviceId: store.deviceId,
      clock: store.clock,
      now: store.now,
    });
    const events = account.collections.events.storageInstance;
    let insertMs = 0;
    let inserted = 0;
    let nextReport = 100_000;
    for (;;) {
      const batch: KnownEvent[] = source.next(INSERT_BATCH);
      if (batch.length === 0) break;
      const rows = batch.map((event) => ({ document: { ...event, _deleted: false, _attachments: {}, _rev: '', _meta: { lwt: 0 } } }));
      const begun = nowNs();
      const { error } = await events.bulkWrite(rows as never, 'bench-domain-log');
      insertMs += elapsedMs(begun);
      if (error.length > 0) throw new Error(`bulkWrite refused ${error.length} events, first: ${JSON.stringify(error[0]).slice(0, 300)}`);
      inserted += batch.length;
      // Let the event loop turn, as between an app's imports: RxDB defers its document-cache upkeep for each write
      // to a timer, and a loop that only awaits the (synchronous) storage would pile those tasks up unprocessed.
      await turnEventLoop();
      if (inserted >= nextReport) {
        context.log(`log: ${inserted.toLocaleString('en-US')} events inserted (${((inserted / insertMs) * 1000).toFixed(0)} events/s in bulkWrite)`);
        nextReport += 100_000;
      }
    }
    context.log(
      `log: ${inserted.toLocaleString('en-US')} events inserted in ${(insertMs / 1000).toFixed(1)} s of bulkWrite ` +
        `(preamble ${source.preambleEvents.toLocaleString('en-US')}: boards, columns, cards)`,
    );

    projector = new Projector(account);
    const begun = nowNs();
    await projector.rebuild();
    const rebuildMs = elapsedMs(begun);
    const logEvents = projector.stats.rebuilt;
    context.log(`rebuild: ${logEvents.toLocaleString('en-US')} events folded into projections in ${(rebuildMs / 1000).toFixed(1)} s`);
    await projector.start();
    await turnEventLoop();

    const followingProjector = projector;
    const ctx: DomainContext = { ...session.context(), projector: followingProjector };
    return {
      store,
      session,
      projector: followingProjector,
      ctx,
      world: source.world,
      file: join(dataDir, `${accountDatabaseName(account.accountId)}.sqlite`),
      logEvents,
      insertMs,
      rebuildMs,
      async close() {
        await followingProjector.stop();
        await store.close();
      },
    };
  } catch (error) {
    await projector?.stop().catch(() => undefined);
    await store.close();
    throw error;
  }
}
