/** Timing, memory and interleaving helpers shared by every benchmark group. */

/** Monotonic time in nanoseconds. */
export function nowNs(): bigint {
  return process.hrtime.bigint();
}

export function elapsedMs(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e6;
}

/** Runs `fn` once and returns its duration in milliseconds. */
export function timeSync(fn: () => unknown): number {
  const start = nowNs();
  fn();
  return elapsedMs(start);
}

/** Awaits `fn` once and returns its duration in milliseconds. */
export async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = nowNs();
  await fn();
  return elapsedMs(start);
}

let hasWarnedNoGc = false;

/** Forces a full garbage collection (needs `node --expose-gc`; warns once and does nothing without it). */
export function forceGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === 'function') {
    gc();
    gc();
    return;
  }
  if (!hasWarnedNoGc) {
    hasWarnedNoGc = true;
    console.warn('[bench] global.gc is not exposed (run node with --expose-gc); memory figures include garbage.');
  }
}

export const MIB = 1024 * 1024;

/** Resident set size in bytes, after a forced gc. */
export function sampleRss(): number {
  forceGc();
  return process.memoryUsage().rss;
}

/** Samples RSS every `intervalMs` while `fn` runs; returns its result and the peak RSS in bytes. */
export async function withPeakRss<T>(fn: () => Promise<T>, intervalMs = 50): Promise<{ result: T; peakRss: number }> {
  let peakRss = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, intervalMs);
  try {
    const result = await fn();
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return { result, peakRss };
  } finally {
    clearInterval(timer);
  }
}

export type Contender<T> = {
  readonly name: string;
  readonly run: (round: number) => Promise<T>;
};

/**
 * Runs every contender once per round, alternating the order each round (A,B then B,A, ...) so that drift in the
 * machine's state (thermal, page cache, other load) falls on both sides evenly. Returns each contender's results in
 * round order. `warmupRounds` are run the same way first and discarded (JIT, file-system caches).
 */
export async function interleave<T>(options: {
  readonly rounds: number;
  readonly warmupRounds?: number;
  readonly contenders: readonly Contender<T>[];
  readonly onRound?: (round: number, results: ReadonlyMap<string, T>) => void;
}): Promise<Map<string, T[]>> {
  const { rounds, contenders } = options;
  const warmupRounds = options.warmupRounds ?? 0;
  const results = new Map<string, T[]>(contenders.map((contender) => [contender.name, []]));
  for (let round = 0 - warmupRounds; round < rounds; round++) {
    const order = Math.abs(round) % 2 === 0 ? contenders : [...contenders].reverse();
    const roundResults = new Map<string, T>();
    for (const contender of order) {
      forceGc();
      roundResults.set(contender.name, await contender.run(round));
    }
    if (round < 0) continue;
    for (const [name, value] of roundResults) results.get(name)?.push(value);
    options.onRound?.(round, roundResults);
  }
  return results;
}

/** `interleave` of a subject and its reference, one warm-up round: each side's results in round order. */
export async function interleaveWithReference<T>(
  rounds: number,
  subject: (round: number) => Promise<T>,
  reference: (round: number) => Promise<T>,
): Promise<{ subject: T[]; reference: T[] }> {
  const results = await interleave<T>({
    rounds,
    warmupRounds: 1,
    contenders: [
      { name: 'subject', run: subject },
      { name: 'reference', run: reference },
    ],
  });
  return { subject: results.get('subject') ?? [], reference: results.get('reference') ?? [] };
}

/** Reads a positive integer from the environment, or the fallback. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  }
  return value;
}

/** A deterministic 32-bit PRNG (mulberry32), so subject and reference see identical data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
