// The board view helpers of the store: a moved card shown where it was dropped, and a fresh view from the
// core that keeps every object of the shown one that did not change (what lets React skip those columns).
import { describe, expect, it } from 'vitest';
import type { BoardCard, BoardColumn, BoardView } from '../../../shared/model/views';
import { findCard, isSameData, placeCard, shareView, withMoves } from '../../../src-renderer/stores/board-view';

const person = { id: 'u1', name: 'Ada' };

/** The fields every stored entity carries (account, deletion, authorship, fold), for the entity `id`. */
function stored(id: string) {
  return {
    accountId: 'a1',
    isDeleted: false,
    deletedAt: null,
    deletedBy: null,
    createdAt: '2026-11-26T09:00:00.000Z',
    createdBy: person,
    updatedAt: '2026-11-26T09:00:00.000Z',
    foldVersion: 1,
    lastEventHlc: '1795686230952-0001-node',
    lastEventId: `e-${id}`,
  };
}

function card(id: string, columnId: string, extra: Partial<BoardCard> = {}): BoardCard {
  return {
    id,
    columnId,
    title: `Card ${id}`,
    position: `a${id}`,
    isClosed: false,
    assignees: [person],
    tags: ['bug'],
    dueDate: null,
    isRecovered: false,
    ...extra,
  } satisfies BoardCard;
}

function column(id: string, cards: BoardCard[]): BoardColumn {
  return {
    id,
    boardId: 'b1',
    name: `Column ${id}`,
    position: `a${id}`,
    ...stored(id),
    cards,
  } satisfies BoardColumn;
}

function view(columns: BoardColumn[]): BoardView {
  return {
    board: {
      id: 'b1',
      name: 'Launch',
      ...stored('b1'),
    },
    columns,
    unplacedCards: [],
    filters: { status: 'all' },
  } satisfies BoardView;
}

/** The same view again, as a fresh parse of the core's answer would give it (no object shared). */
function reparsed(from: BoardView): BoardView {
  const copy: unknown = JSON.parse(JSON.stringify(from));
  return copy as BoardView;
}

const ids = (v: BoardView) => v.columns.map((c) => `${c.id}:${c.cards.map((k) => k.id).join(',')}`);

describe('placeCard and withMoves', () => {
  const board = view([column('c1', [card('1', 'c1'), card('2', 'c1'), card('3', 'c1')]), column('c2', [card('4', 'c2')]), column('c3', [])]);

  it('shows a card at an index of another column, among its other cards, leaving the other columns as they were', () => {
    const found = findCard(board, '2');
    if (!found) throw new Error('card 2 is on the board');
    const moved = placeCard(board, { ...found.card, columnId: 'c2' }, 'c2', 0);
    expect(ids(moved)).toEqual(['c1:1,3', 'c2:2,4', 'c3:']);
    expect(moved.columns[2]).toBe(board.columns[2]);
    expect(ids(placeCard(board, found.card, 'c1', 99))).toEqual(['c1:1,3,2', 'c2:4', 'c3:']);
    expect(placeCard(board, found.card, 'gone', 0)).toBe(board);
  });

  it('shows each move over a view, with the core’s card once it answered, and skips cards the view lacks', () => {
    const answered = card('1', 'c3', { position: 'zz', dueDate: '2026-12-01' });
    const shown = withMoves(board, [
      { cardId: '3', toColumnId: 'c2', index: 1, card: null },
      { cardId: '1', toColumnId: 'c3', index: 0, card: answered },
      { cardId: 'not-here', toColumnId: 'c1', index: 0, card: null },
    ]);
    expect(ids(shown)).toEqual(['c1:2', 'c2:4,3', 'c3:1']);
    expect(findCard(shown, '3')?.card).toMatchObject({ columnId: 'c2', isRecovered: false });
    expect(findCard(shown, '1')?.card).toBe(answered);
  });
});

describe('shareView', () => {
  const board = view([column('c1', [card('1', 'c1'), card('2', 'c1')]), column('c2', [card('3', 'c2')])]);

  it('answers the shown view itself when the core’s view is the same', () => {
    expect(shareView(board, reparsed(board))).toBe(board);
  });

  it('keeps the unchanged columns and cards and takes the changed ones', () => {
    const next = reparsed(board);
    const c2 = next.columns[1];
    if (!c2) throw new Error('two columns');
    c2.cards[0] = card('3', 'c2', { title: 'Renamed' });
    const shared = shareView(board, next);
    expect(shared).not.toBe(board);
    expect(shared.columns[0]).toBe(board.columns[0]);
    expect(shared.columns[1]).not.toBe(board.columns[1]);
    expect(shared.columns[1]?.cards[0]?.title).toBe('Renamed');
    expect(shared.board).toBe(board.board);
  });

  it('keeps a card that moved between columns as the same object, in its new column', () => {
    const next = reparsed(board);
    const [c1, c2] = next.columns;
    if (!c1 || !c2) throw new Error('two columns');
    const moving = c1.cards.splice(1, 1)[0];
    if (!moving) throw new Error('card 2');
    c2.cards.push(moving);
    const shared = shareView(board, next);
    expect(ids(shared)).toEqual(['c1:1', 'c2:3,2']);
    expect(shared.columns[1]?.cards[1]).toBe(board.columns[0]?.cards[1]);
    expect(shared.columns[0]?.cards[0]).toBe(board.columns[0]?.cards[0]);
  });

  it('shares nothing with the view of another board', () => {
    const other = reparsed(board);
    other.board.id = 'b2';
    expect(shareView(board, other)).toBe(other);
    expect(shareView(null, board)).toBe(board);
  });
});

describe('isSameData', () => {
  it('compares plain data deeply: keys, values and array order', () => {
    expect(isSameData({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toBe(true);
    expect(isSameData({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(isSameData({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(isSameData({ a: 1, b: 2 }, { a: 1, c: 2 })).toBe(false);
    expect(isSameData([], {})).toBe(false);
    expect(isSameData(null, {})).toBe(false);
  });
});
