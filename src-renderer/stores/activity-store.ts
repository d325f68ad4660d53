// The board activity feed's view state: the events the core answers for `activity.board` with the chosen
// filters (actions, person), in newest-first cursor pages, and what is loading or failed. A filter change
// asks the core again; the core's `board.changed` push refreshes the pages shown. Nothing here decides
// what an event means: the core sends each event with its sentence.
import { create } from 'zustand';
import type { ActivityFilters, Failure, InputOf } from '../../shared/api/contract';
import type { EventItem } from '../../shared/model/views';
import { api } from '../lib/api';
import type { LoadStatus } from './card-store';
import { appendUnique, ask, coalescedReload, mergeRefreshed, refreshLimit } from './paging';

/** Events per page ("Show older" asks for the next one). */
export const ACTIVITY_PAGE_SIZE = 40;

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

function request(boardId: string, filters: ActivityFilters, limit: number, cursor?: string | null): InputOf<'activity.board'> {
  const input: InputOf<'activity.board'> = { boardId, limit };
  if (filters.actions !== undefined && filters.actions.length > 0) input.actions = filters.actions;
  if (filters.creatorId !== undefined) input.creatorId = filters.creatorId;
  if (cursor) input.cursor = cursor;
  return input;
}

export const useActivityStore = create<ActivityStore>()((set, get) => {
  /** Bumped whenever the board or the filters change: answers for the old ones are dropped. */
  let query = 0;
  let unsubscribe: (() => void) | undefined;

  async function loadFirst(forQuery: number): Promise<void> {
    const { boardId, filters, items, status } = get();
    if (boardId === null) return;
    const shown = status === 'ready' ? items.length : 0;
    const limit = refreshLimit(shown, ACTIVITY_PAGE_SIZE);
    const result = await ask('activity.board', request(boardId, filters, limit));
    if (forQuery !== query) return;
    if (result.ok) {
      set({ ...mergeRefreshed(shown, get(), result.value), status: 'ready', error: null });
    } else if (get().status !== 'ready') {
      set({ status: 'error', error: result.error });
    }
  }

  const reload = coalescedReload(() => loadFirst(query));

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
      const result = await ask('activity.board', request(boardId, filters, ACTIVITY_PAGE_SIZE, nextCursor));
      if (forQuery !== query) return;
      set(
        result.ok
          ? { items: appendUnique(get().items, result.value.items), nextCursor: result.value.nextCursor, isLoadingOlder: false }
          : { isLoadingOlder: false, olderError: result.error },
      );
    },
  };
});
