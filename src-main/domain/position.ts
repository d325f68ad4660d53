// Order keys for cards within a column and columns within a board: fractional keys with jitter, so two
// devices inserting at the same place never mint the same key (a tie is broken by id).
import { generateJitteredKeyBetween } from 'fractional-indexing-jittered';
import { AppError } from '../../shared/errors';

export type Positioned = { id: string; position: string };

export function comparePositioned(a: Positioned, b: Positioned): number {
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A key strictly between `lower` and `upper` (either may be absent: the start or end of the list). */
export function keyBetween(lower: string | undefined, upper: string | undefined): string {
  if (lower !== undefined && upper !== undefined && lower >= upper) {
    // Two neighbours with equal keys (minted concurrently elsewhere): go just after the lower one.
    return generateJitteredKeyBetween(lower, null);
  }
  return generateJitteredKeyBetween(lower ?? null, upper ?? null);
}

/**
 * The key for placing an item in `siblings` (sorted, the item itself excluded) right after `afterId`
 * (undefined: at the start when `beforeId` is given, else at the end) or right before `beforeId`.
 */
export function positionFor(siblings: readonly Positioned[], place: { afterId?: string; beforeId?: string }): string {
  if (place.afterId !== undefined) {
    const index = siblings.findIndex((s) => s.id === place.afterId);
    if (index < 0) throw new AppError('invalid_input', `There is no ${place.afterId} to place this after.`);
    return keyBetween(siblings[index]!.position, siblings[index + 1]?.position);
  }
  if (place.beforeId !== undefined) {
    const index = siblings.findIndex((s) => s.id === place.beforeId);
    if (index < 0) throw new AppError('invalid_input', `There is no ${place.beforeId} to place this before.`);
    return keyBetween(siblings[index - 1]?.position, siblings[index]!.position);
  }
  return positionAtEnd(siblings);
}

function positionAtEnd(siblings: readonly Positioned[]): string {
  return keyBetween(siblings.at(-1)?.position, undefined);
}
