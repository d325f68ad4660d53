import type { MangoQuerySortPart, RxQueryPlan } from 'rxdb';

export type Scan = {
  /** Read the index backwards. */
  readonly isDescending: boolean;
  /** Rows come out of the index scan in the query's sort order. */
  readonly isSortSatisfied: boolean;
};

/**
 * Decides the direction of the index scan. RxDB's planner never marks a descending sort as satisfied by an index,
 * so a newest-first page would read and re-sort the whole range. When every sort field is descending and the sort
 * fields, ignoring fields the selector pins to one value, are exactly the index's fields (which always end with the
 * primary key), the index read backwards is the sort order.
 */
export function planScan(plan: RxQueryPlan, sort: readonly MangoQuerySortPart<unknown>[]): Scan {
  if (plan.sortSatisfiedByIndex) return { isDescending: false, isSortSatisfied: true };
  const sortFields: string[] = [];
  for (const part of sort) {
    const entries = Object.entries(part as Record<string, 'asc' | 'desc'>);
    if (entries.length !== 1) return unsatisfied;
    const [field, direction] = entries[0]!;
    if (direction !== 'desc') return unsatisfied;
    sortFields.push(field);
  }
  const index = plan.index as readonly string[];
  const pinned = new Set<string>();
  for (let i = 0; i < index.length; i++) {
    const start: unknown = plan.startKeys[i];
    const end: unknown = plan.endKeys[i];
    if (start === end && (typeof start === 'string' || typeof start === 'number' || typeof start === 'boolean')) {
      pinned.add(index[i]!);
    }
  }
  const remainingIndex = index.filter((field) => !pinned.has(field));
  const remainingSort = sortFields.filter((field) => !pinned.has(field));
  const isMatch =
    remainingIndex.length === remainingSort.length && remainingIndex.every((field, i) => field === remainingSort[i]);
  return isMatch ? { isDescending: true, isSortSatisfied: true } : unsatisfied;
}

const unsatisfied: Scan = { isDescending: false, isSortSatisfied: false };
