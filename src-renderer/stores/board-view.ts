// Pure functions over the board view the store shows: where a moved card is shown before the core
// answers, and how a fresh view from the core keeps the objects of the one on screen that did not change
// (so React re-renders only the columns and cards that did: a 5,000-card board read again after a move
// costs a parse and a comparison, not a render of every column).
import type { BoardCard, BoardColumn, BoardView } from '../../shared/model/views';

/** A card move the store shows before (or regardless of) what a view from the core says. */
export type ShownMove = {
  readonly cardId: string;
  readonly toColumnId: string;
  /** Its index among the target column's other cards. */
  readonly index: number;
  /** The card as the core answered the move (null while it has not answered). */
  readonly card: BoardCard | null;
};

/** The view with `card` shown at `index` of `toColumnId` (among that column's other cards); the view itself when that column is not on it. */
export function placeCard(view: BoardView, card: BoardCard, toColumnId: string, index: number): BoardView {
  if (!view.columns.some((column) => column.id === toColumnId)) return view;
  const columns = view.columns.map((column): BoardColumn => {
    const at = column.cards.findIndex((c) => c.id === card.id);
    if (column.id !== toColumnId) return at < 0 ? column : { ...column, cards: column.cards.filter((c) => c.id !== card.id) };
    const rest = at < 0 ? column.cards : column.cards.filter((c) => c.id !== card.id);
    const to = Math.max(0, Math.min(index, rest.length));
    if (at === to && column.cards[at] === card) return column;
    return { ...column, cards: [...rest.slice(0, to), card, ...rest.slice(to)] };
  });
  return { ...view, columns };
}

/** The card `cardId` as the view shows it, with its column and index, or undefined. */
export function findCard(view: BoardView, cardId: string): { card: BoardCard; columnId: string; index: number } | undefined {
  for (const column of view.columns) {
    const index = column.cards.findIndex((card) => card.id === cardId);
    const card = column.cards[index];
    if (card) return { card, columnId: column.id, index };
  }
  return undefined;
}

/**
 * The view with each move shown (in order). A card the view does not have (deleted or filtered out
 * meanwhile) is left out; a move answered by the core shows the core's card.
 */
export function withMoves(view: BoardView, moves: readonly ShownMove[]): BoardView {
  let shown = view;
  for (const move of moves) {
    const found = findCard(shown, move.cardId);
    if (!found) continue;
    const card = move.card ?? (found.card.columnId === move.toColumnId && !found.card.isRecovered ? found.card : { ...found.card, columnId: move.toColumnId, isRecovered: false });
    shown = placeCard(shown, card, move.toColumnId, move.index);
  }
  return shown;
}

/**
 * `next`, reusing every part of `previous` that is equal to it: cards (by id, anywhere on the board),
 * columns whose fields and cards are all unchanged, the lists, and `previous` itself when nothing
 * changed. Views of different boards share nothing.
 */
export function shareView(previous: BoardView | null, next: BoardView): BoardView {
  if (!previous || previous.board.id !== next.board.id) return next;
  const cardsBefore = new Map<string, BoardCard>();
  for (const column of previous.columns) for (const card of column.cards) cardsBefore.set(card.id, card);
  for (const card of previous.unplacedCards) cardsBefore.set(card.id, card);
  const shareCards = (cards: BoardCard[], before: readonly BoardCard[] | undefined): BoardCard[] => {
    const shared = cards.map((card) => {
      const old = cardsBefore.get(card.id);
      return old && isSameData(old, card) ? old : card;
    });
    return before && sameItems(before, shared) ? (before as BoardCard[]) : shared;
  };
  const columnsBefore = new Map(previous.columns.map((column) => [column.id, column]));
  const columns = next.columns.map((column) => {
    const old = columnsBefore.get(column.id);
    const cards = shareCards(column.cards, old?.cards);
    if (old && old.cards === cards && isSameColumn(old, column)) return old;
    return cards === column.cards ? column : { ...column, cards };
  });
  const shared: BoardView = {
    board: isSameData(previous.board, next.board) ? previous.board : next.board,
    columns: sameItems(previous.columns, columns) ? previous.columns : columns,
    unplacedCards: shareCards(next.unplacedCards, previous.unplacedCards),
    filters: isSameData(previous.filters, next.filters) ? previous.filters : next.filters,
  };
  const isUnchanged =
    shared.board === previous.board &&
    shared.columns === previous.columns &&
    shared.unplacedCards === previous.unplacedCards &&
    shared.filters === previous.filters;
  return isUnchanged ? previous : shared;
}

/** A column's own fields (not its cards) are equal. */
function isSameColumn(a: BoardColumn, b: BoardColumn): boolean {
  const { cards: _a, ...own } = a;
  const { cards: _b, ...otherOwn } = b;
  return isSameData(own, otherOwn);
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** Deep equality of plain data (what JSON carries): same keys with equal values, arrays in order. */
export function isSameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => isSameData(item, b[i]));
  if (Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && isSameData(Reflect.get(a, key), Reflect.get(b, key)));
}
