// What the board shows while a card or column is moved with the keyboard, before the core answers.
import { describe, expect, it } from 'vitest';
import type { BoardCard, BoardColumn } from '../../../../shared/model/views';
import { locateCard, positionText, stepCard, withCardAt, withColumnAt } from '../../../../src-renderer/features/board/moves';
import type { CardLift } from '../../../../src-renderer/features/board/moves';

function card(id: string, columnId: string): BoardCard {
  return { id, columnId, title: `Card ${id}` } as BoardCard;
}

function column(id: string, cardIds: string[]): BoardColumn {
  return { id, name: `Column ${id}`, cards: cardIds.map((cardId) => card(cardId, id)) } as BoardColumn;
}

const ids = (columns: BoardColumn[]) => columns.map((c) => `${c.id}:${c.cards.map((x) => x.id).join('')}`);

const board = [column('A', ['a', 'b', 'c']), column('B', ['d']), column('C', [])];

function lift(cardId: string): CardLift {
  const at = locateCard(board, cardId);
  if (!at) throw new Error(`no card ${cardId}`);
  return { cardId, title: cardId, fromColumnId: at.columnId, fromIndex: at.index, columnId: at.columnId, index: at.index };
}

describe('withCardAt', () => {
  it('shows a card at another index of its own column', () => {
    expect(ids(withCardAt(board, 'a', 'A', 2))).toEqual(['A:bca', 'B:d', 'C:']);
  });

  it('shows a card in another column and leaves the untouched columns as they were', () => {
    const shown = withCardAt(board, 'b', 'B', 0);
    expect(ids(shown)).toEqual(['A:ac', 'B:bd', 'C:']);
    expect(shown[2]).toBe(board[2]);
  });

  it('clamps an index past the end and returns the same columns when nothing moves', () => {
    expect(ids(withCardAt(board, 'a', 'C', 9))).toEqual(['A:bc', 'B:d', 'C:a']);
    expect(withCardAt(board, 'b', 'A', 1)).toBe(board);
    expect(withCardAt(board, 'missing', 'A', 0)).toBe(board);
  });
});

describe('withColumnAt', () => {
  it('shows a column at another place', () => {
    expect(withColumnAt(board, 'C', 0).map((c) => c.id)).toEqual(['C', 'A', 'B']);
    expect(withColumnAt(board, 'A', 2).map((c) => c.id)).toEqual(['B', 'C', 'A']);
    expect(withColumnAt(board, 'B', 1)).toBe(board);
  });
});

describe('stepCard', () => {
  it('moves up and down within the column and stops at its ends', () => {
    expect(stepCard(board, lift('b'), 'ArrowUp')).toEqual({ columnId: 'A', index: 0 });
    expect(stepCard(board, lift('b'), 'ArrowDown')).toEqual({ columnId: 'A', index: 2 });
    expect(stepCard(board, lift('a'), 'ArrowUp')).toBeUndefined();
    expect(stepCard(board, lift('c'), 'ArrowDown')).toBeUndefined();
    expect(stepCard(board, lift('c'), 'Home')).toEqual({ columnId: 'A', index: 0 });
  });

  it('moves across columns at the same index, clamped to the target column', () => {
    expect(stepCard(board, lift('c'), 'ArrowRight')).toEqual({ columnId: 'B', index: 1 });
    expect(stepCard(board, lift('d'), 'ArrowRight')).toEqual({ columnId: 'C', index: 0 });
    expect(stepCard(board, lift('a'), 'ArrowLeft')).toBeUndefined();
    expect(stepCard(board, lift('a'), 'x')).toBeUndefined();
  });
});

describe('positionText', () => {
  it('counts the moving card once, wherever it is shown', () => {
    expect(positionText(board, 'a', 'B', 1)).toBe('position 2 of 2 in Column B');
    expect(positionText(board, 'a', 'A', 0)).toBe('position 1 of 3 in Column A');
  });
});
