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
const NEEDS_MAPPING = /[\ud800-\uffff]/;

export function toSortableText(value: string): string {
  if (!NEEDS_MAPPING.test(value)) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit < 0xd800) out += value[i];
    else if (unit < 0xe000) out += String.fromCharCode(unit + 0x0800);
    else out += String.fromCodePoint(unit - 0xe000 + 0x10000);
  }
  return out;
}
