// The boards of the current account (sidebar) and the board on screen: fed by `board.list` and
// `board.get` (with the filters), refreshed on the core's `board.changed` / `account.changed` pushes.
// Commands go to the core; on success the view is asked for again. The only thing computed here is a
// card move's *display* while the core answers (so a dropped card stays where it was dropped); the
// core's next view replaces it, and a refused move puts the card back.
import { create } from 'zustand';
import type { Board, Card, Column } from '../../shared/model/entities';
import type { BoardCard, BoardFilters, BoardView } from '../../shared/model/views';
import type { CardPlacement, ColumnPlacement, Failure, Result } from '../../shared/api/contract';
import { api } from '../lib/api';
import type { LoadStatus } from './account-store';
import { useUndoStore } from './undo-store';

type BoardState = {
  boards: Board[];
  boardsStatus: LoadStatus;
  boardsError: Failure | null;

  boardId: string | null;
  view: BoardView | null;
  viewStatus: LoadStatus;
  viewError: Failure | null;
  filters: BoardFilters;

  loadBoards: () => Promise<void>;
  selectBoard: (boardId: string | null) => void;
  refresh: () => Promise<void>;
  setFilters: (filters: Partial<BoardFilters>) => void;
  clearFilters: () => void;

  createBoard: (name: string) => Promise<Result<Board>>;
  renameBoard: (boardId: string, name: string) => Promise<Result<Board>>;
  deleteBoard: (boardId: string) => Promise<Result<Board>>;

  createColumn: (name: string, place?: ColumnPlacement) => Promise<Result<Column>>;
  renameColumn: (columnId: string, name: string) => Promise<Result<Column>>;
  moveColumn: (columnId: string, place: ColumnPlacement) => Promise<Result<Column>>;
  deleteColumn: (columnId: string) => Promise<Result<Column>>;

  createCard: (columnId: string, title: string) => Promise<Result<Card>>;
  /** Shows the card at `index` of `toColumnId` at once, then asks the core; on refusal restores the view. */
  moveCard: (cardId: string, toColumnId: string, index: number) => Promise<Result<Card>>;

  /** Follows the core's pushes; returns the unsubscribe. */
  followPushes: () => () => void;
};

const LAST_BOARD_KEY = 'trailboard.lastBoard';

function rememberBoard(boardId: string | null): void {
  try {
    if (boardId === null) window.localStorage.removeItem(LAST_BOARD_KEY);
    else window.localStorage.setItem(LAST_BOARD_KEY, boardId);
  } catch {
    // Not essential.
  }
}

function lastBoard(): string | null {
  try {
    return window.localStorage.getItem(LAST_BOARD_KEY);
  } catch {
    return null;
  }
}

function cleanFilters(filters: BoardFilters): BoardFilters {
  const out: BoardFilters = {};
  if (filters.assigneeId) out.assigneeId = filters.assigneeId;
  if (filters.tag) out.tag = filters.tag;
  if (filters.status && filters.status !== 'all') out.status = filters.status;
  const text = filters.text?.trim();
  if (text) out.text = text;
  return out;
}

/** The cards of a column without `cardId`, as they are shown. */
function without(cards: BoardCard[], cardId: string): BoardCard[] {
  return cards.filter((card) => card.id !== cardId);
}

/** Where a card dropped at `index` of `siblings` (the column's cards without it) goes, for `card.move`. */
export function placementAt(siblings: readonly { id: string }[], index: number): CardPlacement {
  if (siblings.length === 0 || index >= siblings.length) {
    const last = siblings[siblings.length - 1];
    return last ? { afterCardId: last.id } : {};
  }
  if (index <= 0) {
    const first = siblings[0];
    return first ? { beforeCardId: first.id } : {};
  }
  const before = siblings[index - 1];
  return before ? { afterCardId: before.id } : {};
}

let viewSeq = 0;
let boardsSeq = 0;
let refreshInFlight: Promise<void> | null = null;
let isRefreshDirty = false;

export const useBoardStore = create<BoardState>()((set, get) => {
  /** Asks for the view again; coalesces bursts of pushes into at most one extra request. */
  async function refreshView(): Promise<void> {
    if (refreshInFlight) {
      isRefreshDirty = true;
      return refreshInFlight;
    }
    const run = async () => {
      do {
        isRefreshDirty = false;
        const { boardId, filters } = get();
        if (boardId === null) return;
        const seq = ++viewSeq;
        const result = await api.call('board.get', { boardId, filters: cleanFilters(filters) });
        if (seq !== viewSeq || get().boardId !== boardId) continue;
        if (result.ok) set({ view: result.value, viewStatus: 'ready', viewError: null });
        else if (result.error.code === 'not_found') {
          set({ boardId: null, view: null, viewStatus: 'idle', viewError: null });
          rememberBoard(null);
        } else set({ viewStatus: 'error', viewError: result.error });
      } while (isRefreshDirty);
    };
    refreshInFlight = run().finally(() => {
      refreshInFlight = null;
    });
    return refreshInFlight;
  }

  /** After a successful change: remember it for undo. The push refreshes the view; refresh anyway in case none comes. */
  function changed<T extends { lastEventId: string }>(result: Result<T>): Result<T> {
    if (result.ok) {
      useUndoStore.getState().remember(result.value);
      void refreshView();
    }
    return result;
  }

  return {
    boards: [],
    boardsStatus: 'idle',
    boardsError: null,
    boardId: null,
    view: null,
    viewStatus: 'idle',
    viewError: null,
    filters: {},

    loadBoards: async () => {
      const seq = ++boardsSeq;
      if (get().boardsStatus !== 'ready') set({ boardsStatus: 'loading', boardsError: null });
      const result = await api.call('board.list', {});
      if (seq !== boardsSeq) return;
      if (!result.ok) {
        set({ boardsStatus: 'error', boardsError: result.error });
        return;
      }
      const boards = result.value.filter((board) => !board.isDeleted);
      set({ boards, boardsStatus: 'ready', boardsError: null });
      const { boardId } = get();
      if (boardId !== null && !boards.some((board) => board.id === boardId)) {
        get().selectBoard(boards[0]?.id ?? null);
      } else if (boardId === null && boards.length > 0) {
        const remembered = lastBoard();
        get().selectBoard(boards.find((board) => board.id === remembered)?.id ?? boards[0]?.id ?? null);
      }
    },

    selectBoard: (boardId) => {
      if (boardId === get().boardId) return;
      viewSeq++;
      rememberBoard(boardId);
      set({ boardId, view: null, viewStatus: boardId === null ? 'idle' : 'loading', viewError: null, filters: {} });
      if (boardId !== null) void refreshView();
    },

    refresh: () => {
      if (get().viewStatus === 'error') set({ viewStatus: 'loading', viewError: null });
      return refreshView();
    },

    setFilters: (filters) => {
      set((state) => ({ filters: { ...state.filters, ...filters } }));
      void refreshView();
    },

    clearFilters: () => {
      set({ filters: {} });
      void refreshView();
    },

    createBoard: async (name) => {
      const result = await api.call('board.create', { name });
      if (result.ok) {
        useUndoStore.getState().remember(result.value);
        set((state) => ({ boards: [...state.boards.filter((b) => b.id !== result.value.id), result.value] }));
        get().selectBoard(result.value.id);
        void get().loadBoards();
      }
      return result;
    },

    renameBoard: async (boardId, name) => {
      const result = await api.call('board.rename', { boardId, name });
      if (result.ok) {
        useUndoStore.getState().remember(result.value);
        set((state) => ({ boards: state.boards.map((b) => (b.id === boardId ? result.value : b)) }));
        void get().loadBoards();
        if (get().boardId === boardId) void refreshView();
      }
      return result;
    },

    deleteBoard: async (boardId) => {
      const result = await api.call('board.delete', { boardId });
      if (result.ok) {
        // Deleting a board cannot be undone (the core says so): nothing to remember.
        useUndoStore.getState().forget();
        const boards = get().boards.filter((b) => b.id !== boardId);
        set({ boards });
        if (get().boardId === boardId) get().selectBoard(boards[0]?.id ?? null);
        void get().loadBoards();
      }
      return result;
    },

    createColumn: async (name, place = {}) => {
      const { boardId } = get();
      if (boardId === null) return { ok: false, error: { code: 'invalid_input', message: 'Open a board first.' } };
      return changed(await api.call('column.create', { boardId, name, ...place }));
    },

    renameColumn: async (columnId, name) => changed(await api.call('column.rename', { columnId, name })),

    moveColumn: async (columnId, place) => {
      const before = get().view;
      if (before) {
        // Show the column where it goes while the core answers.
        const moving = before.columns.find((c) => c.id === columnId);
        const rest = before.columns.filter((c) => c.id !== columnId);
        let at = rest.length;
        if (place.afterColumnId !== undefined) at = rest.findIndex((c) => c.id === place.afterColumnId) + 1;
        else if (place.beforeColumnId !== undefined) at = Math.max(0, rest.findIndex((c) => c.id === place.beforeColumnId));
        if (moving) {
          viewSeq++;
          set({ view: { ...before, columns: [...rest.slice(0, at), moving, ...rest.slice(at)] } });
        }
      }
      const result = await api.call('column.move', { columnId, ...place });
      if (!result.ok && before && get().view?.board.id === before.board.id) set({ view: before });
      return changed(result);
    },

    deleteColumn: async (columnId) => changed(await api.call('column.delete', { columnId })),

    createCard: async (columnId, title) => {
      const { boardId } = get();
      if (boardId === null) return { ok: false, error: { code: 'invalid_input', message: 'Open a board first.' } };
      return changed(await api.call('card.create', { boardId, columnId, title }));
    },

    moveCard: async (cardId, toColumnId, index) => {
      const before = get().view;
      if (!before) return { ok: false, error: { code: 'unavailable', message: 'The board is still loading.' } };
      const source = before.columns.find((column) => column.cards.some((card) => card.id === cardId));
      const card = source?.cards.find((c) => c.id === cardId);
      const target = before.columns.find((column) => column.id === toColumnId);
      if (!card || !target) return { ok: false, error: { code: 'not_found', message: 'That card or column is no longer on the board.' } };
      const siblings = without(target.cards, cardId);
      const at = Math.max(0, Math.min(index, siblings.length));
      const place = placementAt(siblings, at);
      // Show it at once where it was dropped (the core's next view replaces this); a view asked for
      // before the move would show it back where it was: ignore it.
      viewSeq++;
      const moved: BoardCard = { ...card, columnId: toColumnId, isRecovered: false };
      set({
        view: {
          ...before,
          columns: before.columns.map((column) => {
            if (column.id === toColumnId) return { ...column, cards: [...siblings.slice(0, at), moved, ...siblings.slice(at)] };
            if (column.id === source?.id) return { ...column, cards: without(column.cards, cardId) };
            return column;
          }),
        },
      });
      const result = await api.call('card.move', { cardId, toColumnId, ...place });
      if (!result.ok) {
        // Put it back: ask the core for the truth (the snapshot may be older than other changes).
        if (get().view?.board.id === before.board.id) set({ view: before });
        void refreshView();
        return result;
      }
      return changed(result);
    },

    followPushes: () => {
      const offBoard = api.on('board.changed', ({ boardId }) => {
        if (boardId === get().boardId) void refreshView();
      });
      const offAccount = api.on('account.changed', () => {
        void get().loadBoards();
      });
      const offAccounts = api.on('accounts.changed', () => {
        // Another account may be current now: start over with its boards.
        viewSeq++;
        set({ boards: [], boardsStatus: 'loading', boardId: null, view: null, viewStatus: 'idle', filters: {} });
        void get().loadBoards();
      });
      return () => {
        offBoard();
        offAccount();
        offAccounts();
      };
    },
  };
});
