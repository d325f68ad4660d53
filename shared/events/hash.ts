// Content hashes in the event log: SHA-256 of the UTF-8 bytes, written `sha256:<64 lower-case hex>`.
// Used for the previous text of a description or comment (the text itself is in the earlier event) and
// for webhook URLs (the URL is a secret; the log keeps only its host and this hash). Pure JavaScript so
// every runtime (renderer, worker, server) computes the same value without `node:crypto` or WebCrypto's
// async API. Written from FIPS 180-4; checked against node:crypto in the tests.
import { utf8Encode } from './text';

export const HASH_PREFIX = 'sha256:';
export const HASH_PATTERN = '^sha256:[0-9a-f]{64}$';
export const HASH_LENGTH = HASH_PREFIX.length + 64;

/** `sha256:<hex>` of the UTF-8 encoding of `text`. */
export function hashText(text: string): string {
  return HASH_PREFIX + sha256Hex(utf8Encode(text));
}

// First 32 bits of the fractional parts of the square roots of the first 8 primes (initial state) and
// of the cube roots of the first 64 primes (round constants), computed once; doubles hold them exactly.
const PRIMES = firstPrimes(64);
const INITIAL = PRIMES.slice(0, 8).map((p) => fractionBits(Math.sqrt(p)));
const ROUND = Int32Array.from(PRIMES.map((p) => fractionBits(Math.cbrt(p))));

function firstPrimes(count: number): number[] {
  const found: number[] = [];
  for (let n = 2; found.length < count; n += 1) {
    if (found.every((p) => n % p !== 0)) found.push(n);
  }
  return found;
}

function fractionBits(x: number): number {
  return Math.floor((x - Math.floor(x)) * 0x100000000) | 0;
}

/** SHA-256 of `bytes` as 64 lower-case hex digits. */
export function sha256Hex(bytes: Uint8Array): string {
  const bitLength = bytes.length * 8;
  const paddedLength = Math.ceil((bytes.length + 9) / 64) * 64;
  const data = new Uint8Array(paddedLength);
  data.set(bytes);
  data[bytes.length] = 0x80;
  // Message length in bits, big-endian, in the last 8 bytes (JavaScript lengths stay below 2^53).
  const high = Math.floor(bitLength / 0x100000000);
  const low = bitLength >>> 0;
  const view = new DataView(data.buffer);
  view.setUint32(paddedLength - 8, high);
  view.setUint32(paddedLength - 4, low);

  const state = Int32Array.from(INITIAL);
  const w = new Int32Array(64);
  for (let block = 0; block < paddedLength; block += 64) {
    for (let t = 0; t < 16; t += 1) w[t] = view.getInt32(block + t * 4);
    for (let t = 16; t < 64; t += 1) {
      const w15 = w[t - 15] ?? 0;
      const w2 = w[t - 2] ?? 0;
      const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
      const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
      w[t] = ((w[t - 16] ?? 0) + s0 + (w[t - 7] ?? 0) + s1) | 0;
    }
    let a = state[0] ?? 0;
    let b = state[1] ?? 0;
    let c = state[2] ?? 0;
    let d = state[3] ?? 0;
    let e = state[4] ?? 0;
    let f = state[5] ?? 0;
    let g = state[6] ?? 0;
    let h = state[7] ?? 0;
    for (let t = 0; t < 64; t += 1) {
      const sum1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const choose = (e & f) ^ (~e & g);
      const temp1 = (h + sum1 + choose + (ROUND[t] ?? 0) + (w[t] ?? 0)) | 0;
      const sum0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const majority = (a & b) ^ (a & c) ^ (b & c);
      const temp2 = (sum0 + majority) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + temp1) | 0;
      d = c;
      c = b;
      b = a;
      a = (temp1 + temp2) | 0;
    }
    state[0] = (state[0] ?? 0) + a;
    state[1] = (state[1] ?? 0) + b;
    state[2] = (state[2] ?? 0) + c;
    state[3] = (state[3] ?? 0) + d;
    state[4] = (state[4] ?? 0) + e;
    state[5] = (state[5] ?? 0) + f;
    state[6] = (state[6] ?? 0) + g;
    state[7] = (state[7] ?? 0) + h;
  }
  let hex = '';
  for (const word of state) hex += (word >>> 0).toString(16).padStart(8, '0');
  return hex;
}

function rotr(x: number, n: number): number {
  return (x >>> n) | (x << (32 - n));
}
