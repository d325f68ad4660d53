// The board activity feed's view state: the events the core answers for `activity.board` with the chosen
// filters (actions, person), in newest-first cursor pages, and what is loading or failed. A filter change
// asks the core again; the core's `board.changed` push refreshes the pages shown. Nothing here decides
// what an event means: the core sends each event with its sentence.
import { create } from 'zustand';
import type { ActivityFilters, Failure, InputOf, OutputOf, Result } from '../../shared/api/contract';
import type { EventItem } from '../../shared/model/views';
import { api } from '../lib/api';
import type { LoadStatus } from './card-store';

/** Events per page ("Show older" asks for the next one). */
export const ACTIVITY_PAGE_SIZE = 40;
/** The most a refresh re-reads at once (the core's page limit). */
const REFRESH_MAX = 500;

export type ActivityStore = {
  boardId: string | null;
  filters: ActivityFilters;
  items: EventItem[];
  nextCursor: string | null;
  status: LoadStatus;
  error: Failure | null;
  isLoadingOlder: boolean;
  olderError: Failure | null;
  /** Shows `boardId`'s feed (keeping the filters when it is the same board) and follows its changes. */
  open: (boardId: string) => void;
  close: () => void;
  setFilters: (filters: ActivityFilters) => void;
  reload: () => Promise<void>;
  loadOlder: () => Promise<void>;
};

async function ask(input: InputOf<'activity.board'>): Promise<Result<OutputOf<'activity.board'>>> {
  try {
    return await api.call('activity.board', input);
  } catch (error) {
    const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
    return { ok: false, error: { code: 'unavailable', message: `Trailboard's core did not answer${detail}. Try again in a moment.` } };
  }
}

function request(boardId: string, filters: ActivityFilters, limit: number, cursor?: string | null): InputOf<'activity.board'> {
  const input: InputOf<'activity.board'> = { boardId, limit };
  if (filters.actions !== undefined && filters.actions.length > 0) input.actions = filters.actions;
  if (filters.creatorId !== undefined) input.creatorId = filters.creatorId;
  if (cursor) input.cursor = cursor;
  return input;
}

function appendUnique(a: EventItem[], b: EventItem[]): EventItem[] {
  const seen = new Set(a.map((item) => item.event.id));
  return [...a, ...b.filter((item) => !seen.has(item.event.id))];
}

export const useActivityStore = create<ActivityStore>()((set, get) => {
  /** Bumped whenever the board or the filters change: answers for the old ones are dropped. */
  let query = 0;
  let unsubscribe: (() => void) | undefined;
  let reloading: Promise<void> | undefined;
  let isReloadQueued = false;

  async function loadFirst(forQuery: number): Promise<void> {
    const { boardId, filters, items, status } = get();
    if (boardId === null) return;
    const shown = status === 'ready' ? items.length : 0;
    const limit = Math.min(REFRESH_MAX, Math.max(ACTIVITY_PAGE_SIZE, shown));
    const result = await ask(request(boardId, filters, limit));
    if (forQuery !== query) return;
    if (result.ok) {
      const current = get();
      const kept = shown > REFRESH_MAX ? current.items.slice(REFRESH_MAX) : [];
      set({
        items: appendUnique(result.value.items, kept),
        nextCursor: shown > REFRESH_MAX ? current.nextCursor : result.value.nextCursor,
        status: 'ready',
        error: null,
      });
    } else if (get().status !== 'ready') {
      set({ status: 'error', error: result.error });
    }
  }

  function reload(): Promise<void> {
    if (reloading) {
      isReloadQueued = true;
      return reloading;
    }
    reloading = (async () => {
      try {
        do {
          isReloadQueued = false;
          await loadFirst(query);
        } while (isReloadQueued);
      } finally {
        reloading = undefined;
      }
    })();
    return reloading;
  }

  function restart(): void {
    query += 1;
    set({ items: [], nextCursor: null, status: 'loading', error: null, isLoadingOlder: false, olderError: null });
    void loadFirst(query);
  }

  return {
    boardId: null,
    filters: {},
    items: [],
    nextCursor: null,
    status: 'idle',
    error: null,
    isLoadingOlder: false,
    olderError: null,

    open(boardId) {
      const isSameBoard = get().boardId === boardId;
      unsubscribe?.();
      const offBoard = api.on('board.changed', (payload) => {
        if (payload.boardId === get().boardId) void reload();
      });
      const offAccounts = api.on('accounts.changed', () => restart());
      // Pushes missed while the link to the core was down are not replayed: read again on reconnecting.
      let wasDown = false;
      const offConnection = api.onConnection((state) => {
        if (state === 'disconnected') wasDown = true;
        else if (state === 'connected' && wasDown) {
          wasDown = false;
          void reload();
        }
      });
      unsubscribe = () => {
        offBoard();
        offAccounts();
        offConnection();
      };
      set({ boardId, filters: isSameBoard ? get().filters : {} });
      restart();
    },

    close() {
      query += 1;
      unsubscribe?.();
      unsubscribe = undefined;
      set({ boardId: null, items: [], nextCursor: null, status: 'idle', error: null, isLoadingOlder: false, olderError: null });
    },

    setFilters(filters) {
      set({ filters });
      if (get().boardId !== null) restart();
    },

    reload,

    async loadOlder() {
      const { boardId, filters, nextCursor, isLoadingOlder } = get();
      if (boardId === null || nextCursor === null || isLoadingOlder) return;
      const forQuery = query;
      set({ isLoadingOlder: true, olderError: null });
      const result = await ask(request(boardId, filters, ACTIVITY_PAGE_SIZE, nextCursor));
      if (forQuery !== query) return;
      set(
        result.ok
          ? { items: appendUnique(get().items, result.value.items), nextCursor: result.value.nextCursor, isLoadingOlder: false }
          : { isLoadingOlder: false, olderError: result.error },
      );
    },
  };
});
