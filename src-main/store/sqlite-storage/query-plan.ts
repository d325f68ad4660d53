import { getQueryPlan, rateQueryPlan, type MangoQuerySortPart, type PreparedQuery, type RxDocumentData, type RxJsonSchema, type RxQueryPlan } from 'rxdb';

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
 * primary key), the index read backwards is the sort order — unless one of those fields has held a value whose
 * index string orders differently from RxDB's comparator (see `orderHazards` in table.ts).
 */
export function planScan(
  plan: RxQueryPlan,
  sort: readonly MangoQuerySortPart<unknown>[],
  orderHazards: ReadonlySet<string> = new Set(),
): Scan {
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
    // A field with an order hazard is never pinned: 'a' and 'a ' share one index string, so `$eq: 'a'` spans both.
    const isPinnable = !orderHazards.has(index[i]!);
    if (isPinnable && start === end && (typeof start === 'string' || typeof start === 'number' || typeof start === 'boolean')) {
      pinned.add(index[i]!);
    }
  }
  const remainingIndex = index.filter((field) => !pinned.has(field));
  const remainingSort = sortFields.filter((field) => !pinned.has(field));
  const isMatch =
    remainingIndex.length === remainingSort.length &&
    remainingIndex.every((field, i) => field === remainingSort[i] && !orderHazards.has(field));
  return isMatch ? { isDescending: true, isSortSatisfied: true } : unsatisfied;
}

const unsatisfied: Scan = { isDescending: false, isSortSatisfied: false };

export type ChosenPlan = { readonly plan: RxQueryPlan; readonly scan: Scan };

const chosenPlans = new WeakMap<object, { hazardCount: number; chosen: ChosenPlan }>();

/**
 * RxDB rates every index without knowing that a descending sort can be served by a backwards scan, so for a
 * newest-first query it may pick an index that is equally selective but needs a full re-sort. For such queries
 * (all sort fields descending, no index forced by the caller) this looks for an index that is rated at least as
 * well as RxDB's choice AND can be read backwards, and uses it instead. Cached per prepared query.
 */
export function choosePlan<RxDocType>(
  schema: RxJsonSchema<RxDocumentData<RxDocType>>,
  preparedQuery: PreparedQuery<RxDocType>,
  orderHazards: ReadonlySet<string>,
): ChosenPlan {
  const cached = chosenPlans.get(preparedQuery);
  if (cached && cached.hazardCount === orderHazards.size) return cached.chosen;
  const query = preparedQuery.query;
  const rxdbPlan = preparedQuery.queryPlan;
  let chosen: ChosenPlan = { plan: rxdbPlan, scan: planScan(rxdbPlan, query.sort, orderHazards) };
  const isAllDescending = query.sort.every((part) => Object.values(part as Record<string, string>)[0] === 'desc');
  if (!chosen.scan.isSortSatisfied && isAllDescending && !query.index) {
    let bestRating = rateQueryPlan(schema, query, rxdbPlan);
    for (const index of schema.indexes ?? []) {
      const fields = typeof index === 'string' ? [index] : [...index];
      const plan = getQueryPlan(schema, { ...query, index: fields });
      const scan = planScan(plan, query.sort, orderHazards);
      if (!scan.isSortSatisfied) continue;
      const rating = rateQueryPlan(schema, query, plan);
      if (rating >= bestRating) {
        bestRating = rating;
        chosen = { plan, scan };
      }
    }
  }
  chosenPlans.set(preparedQuery, { hazardCount: orderHazards.size, chosen });
  return chosen;
}
