// toSortableText: SQLite (BINARY collation, UTF-8 byte order) must order the converted strings exactly as
// JavaScript's `<` (UTF-16 code units) orders the originals, for every string RxDB can build, including lone
// surrogates and its INDEX_MAX padding ('\uffff').
import { DatabaseSync } from 'node:sqlite';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { toSortableText } from '../../../../src-main/store/sqlite-storage/sortable-text';
import { loopCount } from '../../../support/long';

const RUNS = loopCount(3000, 100_000);

/** Code units drawn so that the remapped ranges and their edges come up often, in runs as well as alone. */
const codeUnit = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }),
  fc.constantFrom(0x0000, 0x0020, 0x00e4, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xe7ff, 0xfffe, 0xffff),
  fc.integer({ min: 0, max: 0xffff }),
);
const anyText = fc.array(codeUnit, { maxLength: 24 }).map((units) => String.fromCharCode(...units));
/** Strings like RxDB's bounds: a prefix, then a run of INDEX_MAX padding, maybe something after it. */
const boundText = fc
  .tuple(anyText, fc.integer({ min: 0, max: 80 }), anyText)
  .map(([prefix, padding, rest]) => `${prefix}${'\uffff'.repeat(padding)}${rest}`);
const text = fc.oneof(anyText, boundText);

/** The mapping spelled out one code unit at a time, as documented in sortable-text.ts. */
function referenceMapping(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit < 0xd800) out += value[i];
    else if (unit < 0xe000) out += String.fromCharCode(unit + 0x0800);
    else out += String.fromCodePoint(unit - 0xe000 + 0x10000);
  }
  return out;
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

describe('toSortableText', () => {
  const db = new DatabaseSync(':memory:');
  const compare = db.prepare('SELECT CASE WHEN ? < ?2 THEN -1 WHEN ?1 = ?2 THEN 0 ELSE 1 END AS c');
  const roundTrip = db.prepare('SELECT ? AS v');
  afterAll(() => db.close());

  it(`orders ${RUNS} random pairs in SQLite exactly as JavaScript orders the originals`, () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        const expected = a < b ? -1 : a === b ? 0 : 1;
        const row = compare.get(toSortableText(a), toSortableText(b)) as { c: number };
        expect(sign(Number(row.c))).toBe(expected);
      }),
      { numRuns: RUNS },
    );
    console.log(`toSortableText: ${RUNS} random pairs compared in SQLite`);
  });

  it('gives strings SQLite stores unchanged (no lone surrogate left) and equals the code-unit-by-unit mapping', () => {
    fc.assert(
      fc.property(text, (value) => {
        const sortable = toSortableText(value);
        expect(sortable).toBe(referenceMapping(value));
        expect((roundTrip.get(sortable) as { v: string }).v).toBe(sortable);
      }),
      { numRuns: RUNS },
    );
  });

  it('returns a string with no code unit at or above U+D800 as it is', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xd7ff }), { maxLength: 40 }), (units) => {
        const value = String.fromCharCode(...units);
        expect(toSortableText(value)).toBe(value);
      }),
      { numRuns: RUNS },
    );
  });

  it('maps an upper bound padded with INDEX_MAX above every real value of the same prefix', () => {
    const bound = toSortableText(`card-1${'\uffff'.repeat(60)}`);
    for (const value of ['card-1', 'card-1zzz', 'card-1\ud83d\ude00', 'card-1\uffff', `card-1${'\uffff'.repeat(59)}\ufffe`]) {
      expect(sign(Number((compare.get(toSortableText(value), bound) as { c: number }).c))).toBe(-1);
    }
  });
});
