/**
 * `npm run bench -- domain`: the domain on a real store against raw node:sqlite in the same run (issue 3):
 * full rebuild of the projections from a large log, opening a board of 5,000 cards, newest-first pages of a
 * card's timeline (10,000 events) and of the account's activity (the whole log), card.move throughput and p99
 * latency, and the time from a verb's call to a live query's update.
 *
 * Environment: BENCH_DOMAIN_EVENTS (events in the generated log, default 1000000), BENCH_ROUNDS (interleaved
 * rounds, default 5), BENCH_DOMAIN_MOVES (card moves per write round, default 400), BENCH_DOMAIN_LIVE (moves
 * timed to a live-query update, default 300), BENCH_DOMAIN_PARTS (comma list of `reads,writes`, default both;
 * the build and rebuild always run).
 */
import type { BenchGroup } from '../lib/group';
import { envInt } from '../lib/measure';
import { buildBenchAccount } from '../domain/build';
import type { LogPlan } from '../domain/generate';
import { runReads } from '../domain/reads';
import { runWrites } from '../domain/writes';

const TIMELINE_EVENTS = 10_000;
const BOARD_CARDS = 5000;

/** The log for `events` events: 2 boards of 5,000 cards, a write board, and up to 20 cards with 10,000 events. */
function planFor(events: number): LogPlan {
  const preamble = 2 * (BOARD_CARDS + 5) + 105 + 2 + 40 * 5;
  // About a fifth of what is left goes to the timeline cards, the rest to filler.
  const timelineCards = Math.max(0, Math.min(20, Math.floor((events - preamble) / 5 / TIMELINE_EVENTS)));
  return {
    events,
    bigBoards: 2,
    boardCards: BOARD_CARDS,
    writeBoardCards: 100,
    timelineCards: events - preamble >= TIMELINE_EVENTS && timelineCards === 0 ? 1 : timelineCards,
    timelineEvents: TIMELINE_EVENTS,
    fillerBoards: 40,
  };
}

export const domainGroup: BenchGroup = {
  name: 'domain',
  summary: 'domain verbs, queries and projector on a real store vs raw node:sqlite',
  run: async (context) => {
    const rounds = envInt('BENCH_ROUNDS', 5);
    const events = envInt('BENCH_DOMAIN_EVENTS', 1_000_000);
    const parts = new Set((process.env.BENCH_DOMAIN_PARTS ?? 'reads,writes').split(',').map((part) => part.trim()));
    const plan = planFor(events);
    context.log(
      `building a log of ${events.toLocaleString('en-US')} events (${plan.bigBoards} boards of ${plan.boardCards} cards, ` +
        `${plan.timelineCards} cards of ${plan.timelineEvents} events, filler)`,
    );
    const account = await buildBenchAccount(context, plan);
    const failures: unknown[] = [];
    try {
      context.record({
        metric: `full rebuild of all projections from a ${account.logEvents.toLocaleString('en-US')}-event log (Projector.rebuild)`,
        value: (account.logEvents / account.rebuildMs) * 1000,
        unit: 'events/s',
      });
      context.record({
        metric: `bulk insert of the generated log through the events storage instance (for information)`,
        value: ((account.logEvents - 1) / account.insertMs) * 1000,
        unit: 'events/s',
      });
      const attempt = async (part: string, run: () => Promise<void>): Promise<void> => {
        if (!parts.has(part)) return;
        try {
          await run();
        } catch (error) {
          context.log(`${part} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          failures.push(error);
        }
      };
      await attempt('reads', () => runReads(context, account, { rounds, pages: 10, pageSize: 50 }));
      await attempt('writes', () =>
        runWrites(context, account, {
          rounds,
          movesPerRound: envInt('BENCH_DOMAIN_MOVES', 400),
          liveMoves: envInt('BENCH_DOMAIN_LIVE', 300),
        }),
      );
    } finally {
      await account.close();
    }
    if (failures.length > 0) throw new AggregateError(failures, `${failures.length} part(s) of the domain group failed`);
  },
};
