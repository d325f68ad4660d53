// Cursor paging of newest-first event lists (a card's timeline, a board's activity feed): asking the core,
// merging a page into what is shown, re-reading the newest page after a change, one reload at a time.
import type { CommandName, InputOf, OutputOf, Result } from '../../shared/api/contract';
import type { EventItem } from '../../shared/model/views';
import { api } from '../lib/api';

/** The most a refresh re-reads at once (the core's page limit). */
export const REFRESH_MAX = 500;

/** Calls the core; a promise that rejected (the transport broke) becomes an `unavailable` failure. */
export async function ask<C extends CommandName>(command: C, input: InputOf<C>): Promise<Result<OutputOf<C>>> {
  try {
    return await api.call(command, input);
  } catch (error) {
    const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
    return { ok: false, error: { code: 'unavailable', message: `Trailboard's core did not answer${detail}. Try again in a moment.` } };
  }
}

/** Newest-first items of `a` then those of `b` not already in it. */
export function appendUnique(a: EventItem[], b: EventItem[]): EventItem[] {
  const seen = new Set(a.map((item) => item.event.id));
  return [...a, ...b.filter((item) => !seen.has(item.event.id))];
}

/** How many items a refresh re-reads when `shown` are on screen: at least a page, at most REFRESH_MAX. */
export function refreshLimit(shown: number, pageSize: number): number {
  return Math.min(REFRESH_MAX, Math.max(pageSize, shown));
}

type Paged = { items: EventItem[]; nextCursor: string | null };

/**
 * The list after a refresh that re-read the newest `refreshLimit(shown, …)` items: the fresh page, then the
 * older pages shown beyond what a refresh can re-read (more than REFRESH_MAX shown) with their cursor.
 */
export function mergeRefreshed(shown: number, current: Paged, fresh: Paged): Paged {
  const kept = shown > REFRESH_MAX ? current.items.slice(REFRESH_MAX) : [];
  return {
    items: appendUnique(fresh.items, kept),
    nextCursor: shown > REFRESH_MAX ? current.nextCursor : fresh.nextCursor,
  };
}

/** Runs `once` one at a time: a call arriving meanwhile runs it once more after the current run. */
export function coalescedReload(once: () => Promise<void>): () => Promise<void> {
  let reloading: Promise<void> | undefined;
  let isReloadQueued = false;
  return () => {
    if (reloading) {
      isReloadQueued = true;
      return reloading;
    }
    reloading = (async () => {
      try {
        do {
          isReloadQueued = false;
          await once();
        } while (isReloadQueued);
      } finally {
        reloading = undefined;
      }
    })();
    return reloading;
  };
}
