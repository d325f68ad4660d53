// Where the window was and whether it was maximized, kept in `<userData>/window-state.json` between runs.
// Reading never fails: a missing, unreadable or nonsensical file means the default size, centred. A
// position that would put the window off every screen (a monitor unplugged since) is dropped.
import { readFileSync } from 'node:fs';
import { writeFileAtomically } from '../../shared/node/atomic-file';

export type Bounds = { x: number; y: number; width: number; height: number };
export type WindowState = { bounds: Bounds; isMaximized: boolean };
/** Where to open the window: a size, and a position when the saved one is still on a screen. */
export type Placement = { width: number; height: number; x?: number; y?: number; isMaximized: boolean };

export const DEFAULT_SIZE = { width: 1280, height: 800 } as const;
export const MIN_SIZE = { width: 720, height: 480 } as const;
/** How much of the window's top edge must lie on a screen for its saved position to be kept. */
const VISIBLE_GRIP = 48;

export function readWindowState(file: string): WindowState | undefined {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const bounds = value['bounds'];
  const isMaximized = value['isMaximized'];
  if (!isBounds(bounds) || typeof isMaximized !== 'boolean') return undefined;
  return { bounds: { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height }, isMaximized };
}

/** Writes the state whole or not at all (a temporary file renamed over the old one). */
export function writeWindowState(file: string, state: WindowState): void {
  writeFileAtomically(file, `${JSON.stringify(state)}\n`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBounds(value: unknown): value is Bounds {
  if (!isRecord(value)) return false;
  const { x, y, width, height } = value;
  return [x, y, width, height].every((n) => typeof n === 'number' && Number.isFinite(n)) && Number(width) > 0 && Number(height) > 0;
}

/**
 * Where to open the window given the saved state and the screens' work areas: the saved size (at least
 * the minimum, at most the largest screen) and position if its top edge is still on a screen, else the
 * default size and no position (the window system centres it).
 */
export function placeWindow(state: WindowState | undefined, workAreas: readonly Bounds[]): Placement {
  if (!state) return { ...DEFAULT_SIZE, isMaximized: false };
  const widest = Math.max(DEFAULT_SIZE.width, ...workAreas.map((area) => area.width));
  const tallest = Math.max(DEFAULT_SIZE.height, ...workAreas.map((area) => area.height));
  const width = Math.round(Math.min(Math.max(state.bounds.width, MIN_SIZE.width), widest));
  const height = Math.round(Math.min(Math.max(state.bounds.height, MIN_SIZE.height), tallest));
  const x = Math.round(state.bounds.x);
  const y = Math.round(state.bounds.y);
  const isReachable = workAreas.some((area) => overlap(x, x + width, area.x, area.x + area.width) >= VISIBLE_GRIP && y >= area.y && y + VISIBLE_GRIP <= area.y + area.height);
  return isReachable ? { width, height, x, y, isMaximized: state.isMaximized } : { width, height, isMaximized: state.isMaximized };
}

function overlap(start1: number, end1: number, start2: number, end2: number): number {
  return Math.min(end1, end2) - Math.max(start1, start2);
}
