// The boards of the current account (sidebar) and the board on screen: fed by `board.list` and
// `board.get` (with the filters), refreshed on the core's `board.changed` / `account.changed` pushes.
// Commands go to the core; on success the view is asked for again. A view from the core keeps the
// objects of the one on screen that did not change (board-view.ts), so React redraws only what did.
//
// A card move is shown at once where it was dropped, before the core answers; the card the core answers
// then replaces it in place (the board is not read again for it: the core's `board.changed` push brings
// any other change). Views answered meanwhile, or asked for before the core's answer, still show the
// move. A refused move puts the card back where it was (the caller explains why in a toast) and the
// board is read again.
import { create } from 'zustand';
import type { Board, Card, Column } from '../../shared/model/entities';
import { boardCardOf, type BoardCard, type BoardFilters, type BoardView } from '../../shared/model/views';
import type { CardPlacement, ColumnPlacement, Failure, Result } from '../../shared/api/contract';
import { api } from '../lib/api';
import { currentAccountId, type LoadStatus } from './account-store';
import { findCard, placeCard, shareView, withMoves, type ShownMove } from './board-view';
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
  /**
   * Shows the card at `index` of `toColumnId` (among that column's other cards) at once, then asks the
   * core and shows the card it answers; on refusal puts the card back where it was.
   */
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
/** `board.get` requests sent so far (each view answered knows its number). */
let viewRequests = 0;

/**
 * Card moves shown over the core's views. `until`: null while the core has not answered; then the last
 * view request sent before its answer, the newest view that may not show the move yet (later ones do).
 */
type MoveOverlay = ShownMove & { readonly boardId: string; readonly until: number | null };
let moveOverlays: MoveOverlay[] = [];

/** Runs `run` once the next frame has been painted (at once where nothing paints). */
function afterPaint(run: () => void): void {
  if (typeof requestAnimationFrame !== 'function') {
    run();
    return;
  }
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      run();
    };
    channel.port2.postMessage(null);
  });
}

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
        const request = ++viewRequests;
        const result = await api.call('board.get', { boardId, filters: cleanFilters(filters) });
        if (seq !== viewSeq || get().boardId !== boardId) continue;
        if (result.ok) set({ view: shown(result.value, request), viewStatus: 'ready', viewError: null });
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

  /** A view the core answered to request number `request`, with the moves it may not show yet, sharing what is unchanged with the view on screen. */
  function shown(view: BoardView, request: number): BoardView {
    moveOverlays = moveOverlays.filter((move) => move.boardId === view.board.id && (move.until === null || request <= move.until));
    return shareView(get().view, withMoves(view, moveOverlays));
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
      moveOverlays = [];
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
      const from = findCard(before, cardId);
      const target = before.columns.find((column) => column.id === toColumnId);
      if (!from || !target) return { ok: false, error: { code: 'not_found', message: 'That card or column is no longer on the board.' } };
      const siblings = target.cards.filter((card) => card.id !== cardId);
      const at = Math.max(0, Math.min(index, siblings.length));
      const place = placementAt(siblings, at);
      const boardId = before.board.id;
      // Shown at once where it was dropped, and over every view the core answers until its own answer.
      const overlay: MoveOverlay = { boardId, cardId, toColumnId, index: at, card: null, until: null };
      moveOverlays = [...moveOverlays, overlay];
      set({ view: withMoves(before, [overlay]) });

      const result = await api.call('card.move', { cardId, toColumnId, ...place });
      const isSameBoard = get().boardId === boardId;
      if (!result.ok) {
        moveOverlays = moveOverlays.filter((move) => move !== overlay);
        // Back where it was in what is shown now (other changes may have come meanwhile), then the truth.
        const now = get().view;
        if (isSameBoard && now?.board.id === boardId) set({ view: placeCard(now, from.card, from.columnId, from.index) });
        if (isSameBoard) void refreshView();
        return result;
      }
      useUndoStore.getState().remember(result.value);
      // The core's card, where it was dropped; views asked for before this answer still show it there.
      const card: BoardCard = boardCardOf(result.value, false);
      const answered: MoveOverlay = { ...overlay, card, until: viewRequests };
      moveOverlays = moveOverlays.map((move) => (move === overlay ? answered : move));
      // It looks the same as the card shown: put it in once the drop is on screen, not before (with
      // any later move of it still waiting for the core shown over it).
      afterPaint(() => {
        const now = get().view;
        if (get().boardId === boardId && now?.board.id === boardId && moveOverlays.includes(answered)) {
          set({ view: shareView(now, withMoves(now, moveOverlays)) });
        }
      });
      return result;
    },

    followPushes: () => {
      const offBoard = api.on('board.changed', ({ boardId }) => {
        if (boardId === get().boardId) void refreshView();
      });
      const offAccount = api.on('account.changed', ({ accountId }) => {
        // Every open account pushes (each runs in its own thread in the core): only the current one's boards
        // are listed here. Before the account store knows which is current, list again to be safe.
        const current = currentAccountId();
        if (current === undefined || current === accountId) void get().loadBoards();
      });
      const offAccounts = api.on('accounts.changed', () => {
        // Another account may be current now: start over with its boards.
        viewSeq++;
        moveOverlays = [];
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
