// The reference of the ui benchmarks: the app's real board (BoardCanvas, its columns, cards, styles and the real
// board store) fed from an in-memory array instead of the core. Built by Vite (fixture.ts) and driven by the
// benchmark through `window.__tbFixture`:
//   setViews({ key: BoardView })   hands over the boards (already objects in the page: nothing to parse later);
//   show(key | null)              puts a board on screen (or none) and answers the moment it did (performance.now());
//   setHeaderHeight(px)           the height of the app's board header, so the columns get the same room.
// The store's `moveCard` is replaced by one that moves the card in the array (what the real one shows at once,
// before it asks the core), and `window.trailboard` stands in for the Electron bridge (board.get from the array).
import { StrictMode, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import type { Result } from '../../../shared/api';
import type { Card } from '../../../shared/model';
import type { BoardCard, BoardView } from '../../../shared/model/views';
import { BoardCanvas } from '../../../src-renderer/features/board/BoardCanvas';
import { useBoardStore } from '../../../src-renderer/stores/board-store';
import { applyTheme, useThemeStore } from '../../../src-renderer/stores/theme-store';
import '../../../src-renderer/styles/tokens.css';
import '../../../src-renderer/styles/base.css';
import '../../../src-renderer/styles/app.css';
import '../../../src-renderer/features/board/board.css';

export type FixtureApi = {
  setViews(views: Record<string, BoardView>): void;
  show(key: string | null): number;
  setHeaderHeight(px: number): void;
};

const views = new Map<string, BoardView>();
let shown: BoardView | null = null;

function answer<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** The whole card `card.move` answers, as far as the in-memory board knows it (the board shows only its tile). */
function coreCard(card: BoardCard, boardId: string): Card {
  const { isRecovered: _isRecovered, ...shown } = card;
  const person = { id: 'bench', name: 'Bench' };
  return {
    ...shown,
    accountId: 'bench',
    boardId,
    description: '',
    closedAt: null,
    closedBy: null,
    isDeleted: false,
    deletedAt: null,
    deletedBy: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: person,
    updatedAt: '2026-01-01T00:00:00.000Z',
    foldVersion: 1,
    lastEventHlc: '',
    lastEventId: '',
  };
}

function refuse(message: string): Result<never> {
  return { ok: false, error: { code: 'unavailable', message } };
}

/** The board with the card shown at `index` of `toColumnId` (among that column's other cards), as a move does. */
function moved(view: BoardView, cardId: string, toColumnId: string, index: number): { view: BoardView; card: BoardCard } | undefined {
  const from = view.columns.find((column) => column.cards.some((card) => card.id === cardId));
  const card = from?.cards.find((c) => c.id === cardId);
  const to = view.columns.find((column) => column.id === toColumnId);
  if (!from || !card || !to) return undefined;
  const movedCard: BoardCard = { ...card, columnId: to.id, isRecovered: false };
  const columns = view.columns.map((column) => {
    if (column.id !== from.id && column.id !== to.id) return column;
    const rest = column.cards.filter((c) => c.id !== cardId);
    if (column.id !== to.id) return { ...column, cards: rest };
    const at = Math.max(0, Math.min(index, rest.length));
    return { ...column, cards: [...rest.slice(0, at), movedCard, ...rest.slice(at)] };
  });
  return { view: { ...view, columns }, card: movedCard };
}

// A move changes the array and the board shows it: one state change, as the store's own optimistic update makes
// before it asks the core (which the in-memory board does not have).
useBoardStore.setState({
  moveCard: (cardId, toColumnId, index) => {
    const current = useBoardStore.getState().view;
    const result = current ? moved(current, cardId, toColumnId, index) : undefined;
    if (!result) return Promise.resolve(refuse('That card or column is not on the board.'));
    shown = result.view;
    useBoardStore.setState({ view: shown });
    return Promise.resolve(answer(coreCard(result.card, result.view.board.id)));
  },
});

// The store asks its bridge for nothing else during the benchmark; board.get answers the array, in case.
const bridge = {
  call(command: string): Promise<unknown> {
    if (command === 'board.get') return Promise.resolve(shown ? answer(shown) : refuse('No board is shown.'));
    return Promise.resolve(refuse(`${command} is not part of the benchmark fixture.`));
  },
  on: () => () => undefined,
};
// Before anything asks src-renderer/lib/api.ts for its bridge (it chooses at the first call).
Reflect.set(window, 'trailboard', bridge);

let headerHeight = 0;
const layoutListeners = new Set<() => void>();
const subscribeLayout = (listener: () => void): (() => void) => {
  layoutListeners.add(listener);
  return () => void layoutListeners.delete(listener);
};

function FixtureBoard() {
  const view = useBoardStore((state) => state.view);
  const height = useSyncExternalStore(subscribeLayout, () => headerHeight);
  return (
    <div className="tb-app">
      <div aria-hidden="true" />
      <main className="tb-main">
        <div className="tb-board">
          <div style={{ flex: 'none', height }} />
          <div className="tb-board__body">
            {view ? <BoardCanvas columns={view.columns} openCardId={null} onOpenCard={() => undefined} isFiltered={false} /> : null}
          </div>
        </div>
      </main>
    </div>
  );
}

const fixture: FixtureApi = {
  setViews(next) {
    views.clear();
    for (const [key, view] of Object.entries(next)) views.set(key, view);
  },
  show(key) {
    const at = performance.now();
    performance.mark('tb:board-data', { startTime: at });
    shown = key === null ? null : (views.get(key) ?? null);
    useBoardStore.setState({ boardId: shown?.board.id ?? null, view: shown, viewStatus: shown ? 'ready' : 'idle', viewError: null });
    return at;
  },
  setHeaderHeight(px) {
    headerHeight = px;
    for (const listener of [...layoutListeners]) listener();
  },
};
Reflect.set(window, '__tbFixture', fixture);

applyTheme(useThemeStore.getState().theme);
const container = document.getElementById('root');
if (!container) throw new Error('board-fixture.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <FixtureBoard />
  </StrictMode>,
);
