import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aheadBy,
  compareHlc,
  createClock,
  formatHlc,
  HLC_LENGTH,
  hlcCeiling,
  hlcFloor,
  isHlc,
  MAX_CLOCK_AHEAD_MS,
  nodeIdFromDeviceId,
  parseHlc,
} from '../../shared/hlc';
import { propertyRuns } from './runs';

const NODE = '0123456789abcdef';
const OTHER = 'fedcba9876543210';
const T0 = 1_760_000_000_000;
const MINUTE = 60_000;

/** A wall clock the test moves by hand. */
function controllableClock(start: number): { now: () => number; set: (ms: number) => void } {
  let current = start;
  return { now: () => current, set: (ms) => (current = ms) };
}

const parts = fc.record({
  wallMs: fc.integer({ min: 0, max: 9_999_999_999_999 }),
  counter: fc.integer({ min: 0, max: 0xffff }),
  nodeId: fc.stringMatching(/^[0-9a-f]{16}$/),
});

describe('HLC strings', () => {
  it('round-trip through format and parse, fixed-width', () => {
    fc.assert(
      fc.property(parts, (p) => {
        const hlc = formatHlc(p);
        expect(hlc).toHaveLength(HLC_LENGTH);
        expect(isHlc(hlc)).toBe(true);
        expect(parseHlc(hlc)).toEqual(p);
      }),
      { numRuns: propertyRuns('hlc round-trip', 500, 20_000) },
    );
  });

  it('sort as strings exactly as (wall time, counter, node) sort', () => {
    const tupleOrder = (a: typeof parts extends fc.Arbitrary<infer T> ? T : never, b: typeof a): number =>
      a.wallMs !== b.wallMs ? Math.sign(a.wallMs - b.wallMs) : a.counter !== b.counter ? Math.sign(a.counter - b.counter) : a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0;
    fc.assert(
      fc.property(parts, parts, (a, b) => {
        expect(compareHlc(formatHlc(a), formatHlc(b))).toBe(tupleOrder(a, b));
      }),
      { numRuns: propertyRuns('hlc order', 1000, 50_000) },
    );
    // The case naive formatting gets wrong: 9 ms before 10 ms, counter 0x00ff before 0x0100.
    expect(formatHlc({ wallMs: 9, counter: 0, nodeId: NODE }) < formatHlc({ wallMs: 10, counter: 0, nodeId: NODE })).toBe(true);
    expect(formatHlc({ wallMs: 9, counter: 0xff, nodeId: NODE }) < formatHlc({ wallMs: 9, counter: 0x100, nodeId: NODE })).toBe(true);
  });

  it('refuses strings that are not HLCs and parts outside the format', () => {
    for (const bad of ['', '1760000000000-0000', '1760000000000-0000-0123456789ABCDEF', '176000000000-0000-0123456789abcdef', 'x'.repeat(35)]) {
      expect(isHlc(bad)).toBe(false);
      expect(parseHlc(bad)).toBeUndefined();
    }
    expect(() => formatHlc({ wallMs: -1, counter: 0, nodeId: NODE })).toThrow(RangeError);
    expect(() => formatHlc({ wallMs: 1, counter: 0x10000, nodeId: NODE })).toThrow(RangeError);
    expect(() => formatHlc({ wallMs: 1, counter: 0, nodeId: 'node' })).toThrow(RangeError);
  });

  it('bound time ranges with hlcFloor and hlcCeiling', () => {
    const inside = formatHlc({ wallMs: T0, counter: 7, nodeId: NODE });
    expect(hlcFloor(T0) <= inside && inside <= hlcCeiling(T0)).toBe(true);
    expect(hlcCeiling(T0 - 1) < inside && inside < hlcFloor(T0 + 1)).toBe(true);
  });

  it('says how far an event is ahead only beyond the 5-minute window', () => {
    expect(aheadBy(formatHlc({ wallMs: T0 + 10 * MINUTE, counter: 0, nodeId: NODE }), T0)).toBe(10 * MINUTE);
    expect(aheadBy(formatHlc({ wallMs: T0 + 5 * MINUTE, counter: 0, nodeId: NODE }), T0)).toBeUndefined();
    expect(aheadBy(formatHlc({ wallMs: T0 - MINUTE, counter: 0, nodeId: NODE }), T0)).toBeUndefined();
  });

  it('derives a stable 16-hex node id from a device id', () => {
    const node = nodeIdFromDeviceId('0190a000-0000-7000-8000-000000000001');
    expect(node).toMatch(/^[0-9a-f]{16}$/);
    expect(nodeIdFromDeviceId('0190a000-0000-7000-8000-000000000001')).toBe(node);
    expect(nodeIdFromDeviceId('0190a000-0000-7000-8000-000000000002')).not.toBe(node);
  });
});

describe('createClock', () => {
  it('refuses a node id that is not 16 hex digits', () => {
    expect(() => createClock({ nodeId: 'device-1' })).toThrow(RangeError);
  });

  it('uses the wall clock while it moves forward', () => {
    const wall = controllableClock(T0);
    const clock = createClock({ nodeId: NODE, now: wall.now });
    expect(clock.tick()).toBe(formatHlc({ wallMs: T0, counter: 0, nodeId: NODE }));
    wall.set(T0 + 5);
    expect(clock.tick()).toBe(formatHlc({ wallMs: T0 + 5, counter: 0, nodeId: NODE }));
    expect(clock.tick()).toBe(formatHlc({ wallMs: T0 + 5, counter: 1, nodeId: NODE }));
  });

  it('issues strictly increasing times whatever the wall clock does', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -10 * MINUTE, max: 10 * MINUTE }), { minLength: 1, maxLength: 200 }), (steps) => {
        const wall = controllableClock(T0);
        const clock = createClock({ nodeId: NODE, now: wall.now });
        let previous = clock.tick();
        for (const step of steps) {
          wall.set(wall.now() + step);
          const next = clock.tick();
          expect(next > previous).toBe(true);
          previous = next;
        }
      }),
      { numRuns: propertyRuns('hlc monotonic', 200, 5000) },
    );
  });

  it('carries a counter overflow into the next millisecond instead of failing', () => {
    const clock = createClock({ nodeId: NODE, now: () => T0 });
    let previous = clock.tick();
    for (let i = 0; i < 70_000; i += 1) {
      const next = clock.tick();
      expect(next > previous).toBe(true);
      previous = next;
    }
    expect(parseHlc(previous)).toEqual({ wallMs: T0 + 1, counter: 70_000 - 0x10000, nodeId: NODE });
  });

  it('does not let a remote time 10 minutes in the future drag the clock, and warns', () => {
    const wall = controllableClock(T0);
    const clock = createClock({ nodeId: NODE, now: wall.now });
    const before = clock.tick();
    const remote = formatHlc({ wallMs: T0 + 10 * MINUTE, counter: 3, nodeId: OTHER });
    expect(clock.receive(remote)).toEqual({
      isAdopted: false,
      warning: { kind: 'remote_ahead', remoteHlc: remote, aheadMs: 10 * MINUTE },
    });
    expect(clock.serialize()).toBe(before);
    wall.set(T0 + 1);
    expect(parseHlc(clock.tick())?.wallMs).toBe(T0 + 1);
  });

  it('adopts a remote time within 5 minutes ahead: later local events sort after it', () => {
    const wall = controllableClock(T0);
    const clock = createClock({ nodeId: NODE, now: wall.now });
    clock.tick();
    const remote = formatHlc({ wallMs: T0 + 4 * MINUTE, counter: 9, nodeId: OTHER });
    expect(clock.receive(remote)).toEqual({ isAdopted: true });
    const next = clock.tick();
    expect(next > remote).toBe(true);
    expect(parseHlc(next)).toEqual({ wallMs: T0 + 4 * MINUTE, counter: 11, nodeId: NODE });
    // Exactly at the limit is still adopted; one ms beyond is not.
    expect(clock.receive(formatHlc({ wallMs: T0 + MAX_CLOCK_AHEAD_MS, counter: 0, nodeId: OTHER })).isAdopted).toBe(true);
    expect(clock.receive(formatHlc({ wallMs: T0 + MAX_CLOCK_AHEAD_MS + 1, counter: 0, nodeId: OTHER })).isAdopted).toBe(false);
  });

  it('merges a remote time from the past without going backwards', () => {
    const wall = controllableClock(T0);
    const clock = createClock({ nodeId: NODE, now: wall.now });
    const mine = clock.tick();
    expect(clock.receive(formatHlc({ wallMs: T0 - MINUTE, counter: 0, nodeId: OTHER }))).toEqual({ isAdopted: true });
    expect(clock.tick() > mine).toBe(true);
  });

  it('ignores a remote value that is not an HLC, with a warning', () => {
    const clock = createClock({ nodeId: NODE, now: () => T0 });
    const before = clock.serialize();
    expect(clock.receive('yesterday')).toEqual({ isAdopted: false, warning: { kind: 'invalid_remote', remoteHlc: 'yesterday' } });
    expect(clock.serialize()).toBe(before);
  });

  it('continues after the last issued time when restarted with the wall clock set back', () => {
    const first = createClock({ nodeId: NODE, now: () => T0 });
    const issued = [first.tick(), first.tick(), first.tick()];
    const saved = first.serialize();
    expect(saved).toBe(issued[2]);

    const wall = controllableClock(T0 - 60 * MINUTE); // the clock was set back an hour between runs
    const second = createClock({ nodeId: NODE, now: wall.now, last: saved });
    const after = [second.tick(), second.tick()];
    expect(after.every((hlc) => hlc > saved)).toBe(true);
    expect(after[1]! > after[0]!).toBe(true);
    wall.set(T0 + MINUTE); // once the wall clock passes the last time, it is used again
    expect(parseHlc(second.tick())).toEqual({ wallMs: T0 + MINUTE, counter: 0, nodeId: NODE });

    const third = createClock({ nodeId: NODE, now: () => 0 });
    third.restore(saved);
    third.restore(issued[0]!); // an older value never moves it back
    third.restore('not an hlc');
    expect(third.tick() > saved).toBe(true);
  });
});
