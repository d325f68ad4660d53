// Text limits and the measures they use. One rule everywhere (domain, server, validators, fold):
// - titles and names are capped in CHARACTERS, meaning Unicode code points (what JSON Schema's
//   `maxLength` counts: an emoji made of a surrogate pair is one character);
// - descriptions and comments are capped in BYTES of their UTF-8 encoding (64 KiB = 65,536 bytes);
//   a lone surrogate counts as the 3 bytes of the U+FFFD that replaces it when encoded.

/** Card titles: at most 512 characters. */
export const TITLE_MAX_CHARS = 512;
/** Card descriptions: at most 64 KiB of UTF-8. */
export const DESCRIPTION_MAX_BYTES = 65_536;
/** Comment bodies: at most 64 KiB of UTF-8. */
export const COMMENT_MAX_BYTES = 65_536;
/** Names of accounts, boards, columns and people: at most 200 characters. */
export const NAME_MAX_CHARS = 200;
/** One tag on a card: at most 64 characters. */
export const TAG_MAX_CHARS = 64;
/** Fractional order keys (base62, from fractional-indexing-jittered): at most 128 characters. */
export const POSITION_MAX_LENGTH = 128;
/** The reason a server gives when it refuses an event: at most 1,000 characters. */
export const REJECTION_MESSAGE_MAX_CHARS = 1000;

/** Number of Unicode code points (a surrogate pair counts once, a lone surrogate once). */
export function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
    }
    count += 1;
  }
  return count;
}

/** Length in bytes of the UTF-8 encoding of `text` (lone surrogates encode as U+FFFD, 3 bytes). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

/** The UTF-8 encoding of `text` (what `TextEncoder` gives, without needing the DOM or Node). */
export function utf8Encode(text: string): Uint8Array {
  const out = new Uint8Array(utf8ByteLength(text));
  let at = 0;
  for (let i = 0; i < text.length; i += 1) {
    let point = text.charCodeAt(i);
    if (point >= 0xd800 && point <= 0xdbff && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
      point = 0x10000 + ((point - 0xd800) << 10) + (text.charCodeAt(i + 1) - 0xdc00);
      i += 1;
    } else if (point >= 0xd800 && point <= 0xdfff) {
      point = 0xfffd;
    }
    if (point < 0x80) {
      out[at++] = point;
    } else if (point < 0x800) {
      out[at++] = 0xc0 | (point >> 6);
      out[at++] = 0x80 | (point & 0x3f);
    } else if (point < 0x10000) {
      out[at++] = 0xe0 | (point >> 12);
      out[at++] = 0x80 | ((point >> 6) & 0x3f);
      out[at++] = 0x80 | (point & 0x3f);
    } else {
      out[at++] = 0xf0 | (point >> 18);
      out[at++] = 0x80 | ((point >> 12) & 0x3f);
      out[at++] = 0x80 | ((point >> 6) & 0x3f);
      out[at++] = 0x80 | (point & 0x3f);
    }
  }
  return out;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Due dates are plain calendar dates. */
export const CALENDAR_DATE_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
const CALENDAR_DATE_REGEX = new RegExp(CALENDAR_DATE_PATTERN);

/** True for a real date of the proleptic Gregorian calendar written `YYYY-MM-DD` (no 2025-02-30). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !CALENDAR_DATE_REGEX.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const isLeap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= (monthDays[month - 1] ?? 0);
}

/** An instant as Trailboard writes it: ISO 8601 in UTC with milliseconds, `2025-01-31T09:30:00.000Z`. */
export const INSTANT_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$';
/** Longest instant string (years past 9999 would need more; the schema leaves room). */
export const INSTANT_MAX_LENGTH = 30;

/** The instant string for epoch milliseconds. */
export function instantFromMs(ms: number): string {
  return new Date(ms).toISOString();
}
