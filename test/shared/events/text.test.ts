import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  codePointLength,
  instantFromMs,
  INSTANT_PATTERN,
  isCalendarDate,
  utf8ByteLength,
  utf8Encode,
} from '../../../shared/events/text';
import { propertyRuns } from '../runs';

describe('text measures', () => {
  it('count UTF-8 bytes and encode exactly as Node does, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const reference = Buffer.from(text, 'utf8');
        expect(utf8ByteLength(text)).toBe(reference.length);
        expect(Buffer.from(utf8Encode(text)).equals(reference)).toBe(true);
      }),
      { numRuns: propertyRuns('utf8 vs Buffer', 1000, 50_000) },
    );
    expect(utf8ByteLength('a€😀')).toBe(1 + 3 + 4);
    expect(utf8ByteLength('\ud800')).toBe(3);
  });

  it('count characters as code points, a surrogate pair once', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(codePointLength(text)).toBe([...text].length);
      }),
      { numRuns: propertyRuns('code points', 500, 20_000) },
    );
    expect(codePointLength('😀😀')).toBe(2);
    expect(codePointLength('\udc00\ud800')).toBe(2);
  });

  it('accept only real calendar dates', () => {
    for (const good of ['2026-01-31', '2024-02-29', '2000-02-29', '0001-01-01']) expect(isCalendarDate(good)).toBe(true);
    for (const bad of ['2026-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '2026-1-1', '2026-01-01T00:00', 20260101]) {
      expect(isCalendarDate(bad)).toBe(false);
    }
  });

  it('write instants as ISO 8601 UTC with milliseconds', () => {
    expect(instantFromMs(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(instantFromMs(1_760_000_000_123)).toMatch(new RegExp(INSTANT_PATTERN));
  });
});
