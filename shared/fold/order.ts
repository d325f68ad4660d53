// Events fold in (hlc, id) order: hlc first (time across devices), the event id breaks a tie.
// Plain string comparison (code units), the same order as RxDB's index and SQLite's BINARY collation.

type Ordered = { hlc: string; id: string };

/** -1, 0 or 1 by (hlc, id). */
export function compareEvents(a: Ordered, b: Ordered): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

/** A sorted copy, without repeats of the same event id (the first in order is kept). */
export function sortEvents<T extends Ordered>(events: readonly T[]): T[] {
  const sorted = [...events].sort(compareEvents);
  const seen = new Set<string>();
  return sorted.filter((event) => {
    if (seen.has(event.id)) return false;
    seen.add(event.id);
    return true;
  });
}
