// The hybrid logical clock that orders events across devices.
//
// Format: `TTTTTTTTTTTTT-CCCC-NNNNNNNNNNNNNNNN` (35 characters)
//   T  wall time in epoch milliseconds, 13 decimal digits, zero-padded (good until the year 2286);
//   C  logical counter, 4 lower-case hex digits (0000-ffff);
//   N  the issuing node, 16 lower-case hex digits (see `nodeIdFromDeviceId`).
// Every part is fixed-width, so plain string comparison (`<`, RxDB's index order, SQLite's BINARY
// collation) is time order: compare `hlc` strings, never their parsed numbers.
//
// Rules: `tick()` for a local event never goes backwards, also when the wall clock does (the counter
// counts up until the wall clock passes the last issued time). `receive(remote)` merges a remote time
// but never adopts one more than `MAX_CLOCK_AHEAD_MS` (5 minutes) ahead of the local wall clock: it
// leaves the clock alone and returns a warning to show. `serialize()` / `restore()` carry the last
// issued time over a restart, so a clock set back between runs still continues after it.
import { sha256Hex } from './events/hash';
import { utf8Encode } from './events/text';

export const HLC_LENGTH = 35;
export const HLC_PATTERN = '^[0-9]{13}-[0-9a-f]{4}-[0-9a-f]{16}$';
export const HLC_NODE_PATTERN = '^[0-9a-f]{16}$';
/** The most a remote clock may be ahead of ours before we refuse to adopt it (and warn). */
export const MAX_CLOCK_AHEAD_MS = 5 * 60 * 1000;

const MAX_WALL_MS = 9_999_999_999_999;
const MAX_COUNTER = 0xffff;
const HLC_REGEX = new RegExp(HLC_PATTERN);
const NODE_REGEX = new RegExp(HLC_NODE_PATTERN);

export type HlcParts = { wallMs: number; counter: number; nodeId: string };

export function isHlc(value: unknown): value is string {
  return typeof value === 'string' && HLC_REGEX.test(value);
}

export function isHlcNodeId(value: unknown): value is string {
  return typeof value === 'string' && NODE_REGEX.test(value);
}

/** The parts of an HLC string, or undefined if it is not one. */
export function parseHlc(value: string): HlcParts | undefined {
  if (!HLC_REGEX.test(value)) return undefined;
  return {
    wallMs: Number(value.slice(0, 13)),
    counter: Number.parseInt(value.slice(14, 18), 16),
    nodeId: value.slice(19),
  };
}

/** The HLC string for its parts. Throws RangeError for parts outside the format (a bug in the caller). */
export function formatHlc(parts: HlcParts): string {
  const { wallMs, counter, nodeId } = parts;
  if (!Number.isInteger(wallMs) || wallMs < 0 || wallMs > MAX_WALL_MS) {
    throw new RangeError(`HLC wall time out of range: ${wallMs}`);
  }
  if (!Number.isInteger(counter) || counter < 0 || counter > MAX_COUNTER) {
    throw new RangeError(`HLC counter out of range: ${counter}`);
  }
  if (!NODE_REGEX.test(nodeId)) throw new RangeError(`HLC node id must be 16 hex digits: ${nodeId}`);
  return `${String(wallMs).padStart(13, '0')}-${counter.toString(16).padStart(4, '0')}-${nodeId}`;
}

/** -1, 0 or 1 in time order (which is string order). */
export function compareHlc(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The smallest HLC at `wallMs`: events with `hlc >= hlcFloor(t)` happened at or after t. */
export function hlcFloor(wallMs: number): string {
  return formatHlc({ wallMs: clampWall(wallMs), counter: 0, nodeId: '0000000000000000' });
}

/** The largest HLC at `wallMs`: events with `hlc <= hlcCeiling(t)` happened at or before t. */
export function hlcCeiling(wallMs: number): string {
  return formatHlc({ wallMs: clampWall(wallMs), counter: MAX_COUNTER, nodeId: 'ffffffffffffffff' });
}

/** The wall-time part of an HLC in epoch ms, or undefined if it is not an HLC. */
export function hlcWallMs(value: string): number | undefined {
  return parseHlc(value)?.wallMs;
}

/**
 * How far `hlc` is ahead of `nowMs`, when it is more than `MAX_CLOCK_AHEAD_MS` ahead; otherwise
 * undefined. The server refuses such events; a device refuses to adopt such a time.
 */
export function aheadBy(hlc: string, nowMs: number, limitMs: number = MAX_CLOCK_AHEAD_MS): number | undefined {
  const wall = hlcWallMs(hlc);
  if (wall === undefined) return undefined;
  const ahead = wall - nowMs;
  return ahead > limitMs ? ahead : undefined;
}

/** A stable 16-hex node id for a device id (the first 64 bits of its SHA-256). */
export function nodeIdFromDeviceId(deviceId: string): string {
  return sha256Hex(utf8Encode(deviceId)).slice(0, 16);
}

export type ClockWarning =
  /** A remote time more than 5 minutes ahead of ours: not adopted. Either clock may be wrong. */
  | { kind: 'remote_ahead'; remoteHlc: string; aheadMs: number }
  /** Not an HLC string: ignored. */
  | { kind: 'invalid_remote'; remoteHlc: string };

export type ReceiveResult = { isAdopted: true } | { isAdopted: false; warning: ClockWarning };

export type ClockOptions = {
  /** 16 lower-case hex digits, unique per device (`nodeIdFromDeviceId(deviceId)`). */
  nodeId: string;
  /** The wall clock in epoch ms; injectable so tests control time. Defaults to `Date.now`. */
  now?: () => number;
  /** The last HLC this node issued or observed (from `serialize()` of a previous run). */
  last?: string;
};

export type Clock = {
  readonly nodeId: string;
  /** The HLC for a new local event: strictly greater than every HLC issued or received before. */
  tick(): string;
  /** Merge a remote event's HLC. Never adopts one more than 5 minutes ahead of the local wall clock. */
  receive(remoteHlc: string): ReceiveResult;
  /** The clock's state, to persist and pass back as `last` / `restore()` after a restart. */
  serialize(): string;
  /** Continue after `last` (a persisted `serialize()` value); ignored if it is behind or not an HLC. */
  restore(last: string): void;
};

export function createClock(options: ClockOptions): Clock {
  const { nodeId } = options;
  if (!NODE_REGEX.test(nodeId)) throw new RangeError(`HLC node id must be 16 hex digits: ${nodeId}`);
  const now = options.now ?? Date.now;
  let lastWall = 0;
  let lastCounter = 0;

  function readWall(): number {
    return clampWall(now());
  }

  /** Set the state to (wall, counter), carrying a counter overflow into the next millisecond. */
  function advanceTo(wall: number, counter: number): void {
    if (counter > MAX_COUNTER) {
      lastWall = Math.min(wall + 1, MAX_WALL_MS);
      lastCounter = 0;
    } else {
      lastWall = wall;
      lastCounter = counter;
    }
  }

  function restore(last: string): void {
    const parts = parseHlc(last);
    if (parts === undefined) return;
    if (parts.wallMs > lastWall || (parts.wallMs === lastWall && parts.counter > lastCounter)) {
      lastWall = parts.wallMs;
      lastCounter = parts.counter;
    }
  }

  if (options.last !== undefined) restore(options.last);

  return {
    nodeId,
    tick() {
      const wall = readWall();
      if (wall > lastWall) advanceTo(wall, 0);
      else advanceTo(lastWall, lastCounter + 1);
      return formatHlc({ wallMs: lastWall, counter: lastCounter, nodeId });
    },
    receive(remoteHlc) {
      const remote = parseHlc(remoteHlc);
      if (remote === undefined) return { isAdopted: false, warning: { kind: 'invalid_remote', remoteHlc } };
      const wall = readWall();
      const aheadMs = remote.wallMs - wall;
      if (aheadMs > MAX_CLOCK_AHEAD_MS) {
        return { isAdopted: false, warning: { kind: 'remote_ahead', remoteHlc, aheadMs } };
      }
      const maxWall = Math.max(wall, lastWall, remote.wallMs);
      if (maxWall === lastWall && maxWall === remote.wallMs) {
        advanceTo(maxWall, Math.max(lastCounter, remote.counter) + 1);
      } else if (maxWall === lastWall) {
        advanceTo(maxWall, lastCounter + 1);
      } else if (maxWall === remote.wallMs) {
        advanceTo(maxWall, remote.counter + 1);
      } else {
        advanceTo(maxWall, 0);
      }
      return { isAdopted: true };
    },
    serialize() {
      return formatHlc({ wallMs: lastWall, counter: lastCounter, nodeId });
    },
    restore,
  };
}

function clampWall(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) return 0;
  return Math.min(Math.floor(ms), MAX_WALL_MS);
}
