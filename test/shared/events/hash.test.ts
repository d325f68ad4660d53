import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HASH_PATTERN, hashText, sha256Hex } from '../../../shared/events/hash';
import { propertyRuns } from '../runs';

describe('hashText', () => {
  it('is SHA-256 of the UTF-8 bytes (FIPS 180-4 test vectors)', () => {
    expect(hashText('')).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hashText('abc')).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashText('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      'sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(sha256Hex(new Uint8Array(1_000_000).fill(0x61))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('matches node:crypto for any text, across block boundaries', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const expected = createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');
        expect(hashText(text)).toBe(`sha256:${expected}`);
      }),
      { numRuns: propertyRuns('sha256 vs node:crypto', 300, 10_000) },
    );
    for (let length = 50; length < 140; length += 1) {
      const bytes = new Uint8Array(length).map((_, i) => (i * 31) & 0xff);
      expect(sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('writes the algorithm and 64 hex digits', () => {
    expect(hashText('https://hooks.example.com/T0/B0/secret')).toMatch(new RegExp(HASH_PATTERN));
  });
});
