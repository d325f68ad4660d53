/** Benchmark rows: how a measured value relates to its reference and target, printed as a table or JSON. */
import { writeFileSync } from 'node:fs';

/** A target on `value / reference`: `at-most` for times and sizes, `at-least` for throughputs. */
export type RatioTarget = { readonly comparison: 'at-most' | 'at-least'; readonly ratio: number };

/** One line of output; the JSON file is an array of these, with exactly these keys. */
export type BenchRow = {
  readonly group: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly reference: number | null;
  readonly ratio: number | null;
  readonly target: string | null;
  readonly meets: boolean | null;
};

export type Measurement = {
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  /** The reference measured in the same run, in the same unit; omit for a figure reported on its own. */
  readonly reference?: number;
  readonly target?: RatioTarget;
};

export const atMost = (ratio: number): RatioTarget => ({ comparison: 'at-most', ratio });
export const atLeast = (ratio: number): RatioTarget => ({ comparison: 'at-least', ratio });

export function formatTarget(target: RatioTarget): string {
  return `${target.comparison === 'at-most' ? '<=' : '>='} ${target.ratio}x`;
}

function roundTo(value: number, digits: number): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function makeRow(group: string, measurement: Measurement): BenchRow {
  const { metric, value, unit, reference, target } = measurement;
  const hasReference = reference !== undefined;
  const ratio = hasReference && reference !== 0 && Number.isFinite(value) && Number.isFinite(reference)
    ? value / reference
    : null;
  let meets: boolean | null = null;
  if (target) {
    if (ratio === null) meets = false;
    else meets = target.comparison === 'at-most' ? ratio <= target.ratio : ratio >= target.ratio;
  }
  return {
    group,
    metric,
    value: roundTo(value, 4),
    unit,
    reference: hasReference ? roundTo(reference, 4) : null,
    ratio: ratio === null ? null : roundTo(ratio, 3),
    target: target ? formatTarget(target) : null,
    meets,
  };
}

/** A number with about four significant digits, without exponent notation for ordinary magnitudes. */
export function formatNumber(value: number | null): string {
  if (value === null) return '-';
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return Math.round(value).toLocaleString('en-US');
  if (magnitude >= 100) return value.toFixed(1);
  if (magnitude >= 10) return value.toFixed(2);
  if (magnitude >= 1) return value.toFixed(3);
  return value.toPrecision(3);
}

export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['group', 'metric', 'value', 'unit', 'reference', 'ratio', 'target', 'meets'];
  const body = rows.map((row) => [
    row.group,
    row.metric,
    formatNumber(row.value),
    row.unit,
    formatNumber(row.reference),
    row.ratio === null ? '-' : `${row.ratio.toFixed(2)}x`,
    row.target ?? '-',
    row.meets === null ? '-' : row.meets ? 'yes' : 'NO',
  ]);
  const numeric = new Set([2, 4, 5]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((cells) => (cells[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? cell.length;
        return numeric.has(column) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(header), rule, ...body.map(line)].join('\n');
}

export function writeJson(file: string, rows: readonly BenchRow[]): void {
  writeFileSync(file, `${JSON.stringify(rows, null, 2)}\n`);
}
