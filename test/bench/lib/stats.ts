/** Small, dependency-free statistics for benchmark samples. Inputs are never mutated. */

function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** The median; the mean of the two middle values for an even count. NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const ordered = sorted(values);
  const middle = Math.floor(ordered.length / 2);
  const upper = ordered[middle] ?? Number.NaN;
  if (ordered.length % 2 === 1) return upper;
  const lower = ordered[middle - 1] ?? Number.NaN;
  return (lower + upper) / 2;
}

/**
 * The p-th percentile (0..100) by linear interpolation between closest ranks (the same definition as
 * numpy's default), so percentile(v, 50) === median(v). NaN for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (p < 0 || p > 100) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const ordered = sorted(values);
  const rank = (p / 100) * (ordered.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = ordered[low] ?? Number.NaN;
  const highValue = ordered[high] ?? Number.NaN;
  return lowValue + (highValue - lowValue) * (rank - low);
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** The medians of each key over several rounds' records (keys missing from a round are skipped). */
export function medianByKey(records: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const keys = new Set(records.flatMap((record) => Object.keys(record)));
  const out: Record<string, number> = {};
  for (const key of keys) {
    const samples = records.map((record) => record[key]).filter((value): value is number => typeof value === 'number');
    out[key] = median(samples);
  }
  return out;
}
