/**
 * `npm run bench -- ui`: the React UI in Chromium (/usr/bin/chromium, headless) through the web host, against the
 * same React board fed from an in-memory array (test/bench/ui/board.ts says what is measured and how): opening a
 * 5,000-card board, keyboard card moves, DOM size at 100, 1,000 and 5,000 cards, the core's board query, and a
 * cold start of the web host to that board's first paint. Needs `npm run build` (the bench script runs it).
 *
 * Environment: BENCH_UI_ROUNDS (interleaved rounds, default 5, after one warm-up), BENCH_UI_MOVES (keyboard moves
 * per run, default 20), BENCH_UI_COLD_ROUNDS (web host starts, default 3), BENCH_UI_CARDS (the three board sizes,
 * default `100,1000,5000`).
 */
import type { BenchGroup } from '../lib/group';
import { envInt } from '../lib/measure';
import { runUi } from '../ui/board';

function boardSizes(): [number, number, number] {
  const raw = process.env.BENCH_UI_CARDS ?? '100,1000,5000';
  const sizes = raw.split(',').map((part) => Number(part.trim().replaceAll('_', '')));
  const [small, middle, large] = sizes;
  if (sizes.length !== 3 || small === undefined || middle === undefined || large === undefined || !sizes.every((n) => Number.isInteger(n) && n > 0)) {
    throw new Error(`BENCH_UI_CARDS must be three positive integers, got "${raw}"`);
  }
  return [small, middle, large];
}

export const uiGroup: BenchGroup = {
  name: 'ui',
  summary: 'the React board in Chromium through the web host vs the same board fed from memory; cold start',
  run: (context) =>
    runUi(context, {
      rounds: envInt('BENCH_UI_ROUNDS', 5),
      moves: envInt('BENCH_UI_MOVES', 20),
      coldRounds: envInt('BENCH_UI_COLD_ROUNDS', 3),
      cards: boardSizes(),
    }),
};
