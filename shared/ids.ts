// Ids. Everything Trailboard mints (events, boards, columns, cards, comments, devices, local users) is a
// UUIDv7: time-ordered, so a new id sorts after older ones from the same device, and random enough that
// two offline devices never collide. Ids that come from elsewhere (the server's users, the `system`
// actor) only have to match `ID_PATTERN`.
import { v7 } from 'uuid';

/** Longest id any document may carry (RxDB primary keys and indexed strings need a maxLength). */
export const ID_MAX_LENGTH = 64;
/** Any id: letters, digits, `_` and `-`, 1 to 64 characters. */
export const ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
/** A UUIDv7 in its canonical lower-case form. */
export const UUID_V7_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$';

const ID_REGEX = new RegExp(ID_PATTERN);
const UUID_V7_REGEX = new RegExp(UUID_V7_PATTERN);

const SEQ_LIMIT = 0x7fffffff; // uuid keeps a 31-bit sequence in rand_a and the top of rand_b
let lastMs = -Infinity;
let lastSeq = 0;

/**
 * A new UUIDv7. `nowMs` (default `Date.now()`) sets its time part, so tests with a controllable clock
 * get ids from that clock. Ids minted in one process strictly increase, also when `nowMs` repeats or
 * goes backwards (the time part then stays at the last one used and the sequence counts up).
 */
export function newId(nowMs: number = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    lastSeq = Math.floor(Math.random() * 0x40000000); // room to count up before the 31 bits run out
  } else if (lastSeq >= SEQ_LIMIT) {
    lastMs += 1;
    lastSeq = Math.floor(Math.random() * 0x40000000);
  } else {
    lastSeq += 1;
  }
  return v7({ msecs: lastMs, seq: lastSeq });
}

export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_REGEX.test(value);
}

export function isUuidV7(value: unknown): value is string {
  return typeof value === 'string' && UUID_V7_REGEX.test(value);
}
