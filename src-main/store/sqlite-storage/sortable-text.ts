/**
 * RxDB compares indexable strings with JavaScript's `<`, i.e. by UTF-16 code unit. SQLite's BINARY collation
 * compares UTF-8 bytes, i.e. by code point, and cannot even store a lone surrogate (RxDB's upper bound
 * INDEX_MAX is '\uffff' and indexed text may hold emoji). The two orders differ only for code units
 * 0xD800..0xFFFF, so those are remapped to valid code points that keep the code-unit order:
 *
 *   0x0000..0xD7FF  -> unchanged
 *   0xD800..0xDFFF  -> 0xE000..0xE7FF   (surrogate halves, each on its own)
 *   0xE000..0xFFFF  -> 0x10000..0x11FFF (written as a surrogate pair, which UTF-8 encodes as one code point)
 *
 * The mapping is injective and order-preserving, so `a < b` in JavaScript iff `sortable(a) < sortable(b)` in
 * SQLite. Strings without such code units (the common case) are returned as they are.
 */
const FIRST_REMAPPED = 0xd800;
const NEEDS_MAPPING = /[\ud800-\uffff]/;

/** The sortable form of one code unit at or above 0xD800. */
function remapUnit(unit: number): string {
  if (unit < 0xe000) return String.fromCharCode(unit + 0x0800);
  // U+10000 + (unit - 0xE000) as a surrogate pair: the offset is below 0x2000, so the high half is D800..D807.
  const offset = unit - 0xe000;
  return String.fromCharCode(0xd800 + (offset >> 10), 0xdc00 + (offset & 0x3ff));
}

export function toSortableText(value: string): string {
  // The common case, no such code unit, is one native scan.
  const start = value.search(NEEDS_MAPPING);
  if (start < 0) return value;
  const length = value.length;
  // Copied in runs, not one code unit at a time: unchanged stretches as slices, and a run of one remapped unit
  // (an upper bound's INDEX_MAX padding is dozens of U+FFFF) as one repeat.
  let out = value.slice(0, start);
  let i = start;
  while (i < length) {
    const unit = value.charCodeAt(i);
    let end = i + 1;
    if (unit < FIRST_REMAPPED) {
      while (end < length && value.charCodeAt(end) < FIRST_REMAPPED) end++;
      out += value.slice(i, end);
    } else {
      while (end < length && value.charCodeAt(end) === unit) end++;
      const mapped = remapUnit(unit);
      out += end - i === 1 ? mapped : mapped.repeat(end - i);
    }
    i = end;
  }
  return out;
}
