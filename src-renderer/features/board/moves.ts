// What the board shows while a card or column is being moved (by keyboard or pointer), before the core
// answers. Pure functions of the core's view: nothing here decides where a card *is*; the core does.
import type { BoardCard, BoardColumn } from '../../../shared/model/views';

/** A card being moved with the keyboard: where it came from and where it would drop now. */
export type CardLift = {
  cardId: string;
  title: string;
  fromColumnId: string;
  fromIndex: number;
  columnId: string;
  /** Its index among the target column's other cards. */
  index: number;
};

/** A column being moved with the keyboard. */
export type ColumnLift = { columnId: string; name: string; fromIndex: number; index: number };

/** Where a card is shown (column and index), or undefined when it is not on the board. */
export function locateCard(columns: readonly BoardColumn[], cardId: string): { columnId: string; index: number; card: BoardCard } | undefined {
  for (const column of columns) {
    const index = column.cards.findIndex((card) => card.id === cardId);
    const card = column.cards[index];
    if (card) return { columnId: column.id, index, card };
  }
  return undefined;
}

/** The columns with `cardId` shown at `index` of `columnId` (only the affected columns change identity). */
export function withCardAt(columns: BoardColumn[], cardId: string, columnId: string, index: number): BoardColumn[] {
  const found = locateCard(columns, cardId);
  if (!found) return columns;
  if (found.columnId === columnId && found.index === index) return columns;
  return columns.map((column) => {
    if (column.id !== columnId && column.id !== found.columnId) return column;
    const rest = column.cards.filter((card) => card.id !== cardId);
    if (column.id !== columnId) return { ...column, cards: rest };
    const at = Math.max(0, Math.min(index, rest.length));
    return { ...column, cards: [...rest.slice(0, at), found.card, ...rest.slice(at)] };
  });
}

/** The columns with `columnId` shown at `index`. */
export function withColumnAt(columns: BoardColumn[], columnId: string, index: number): BoardColumn[] {
  const from = columns.findIndex((column) => column.id === columnId);
  const moving = columns[from];
  if (!moving || from === index) return columns;
  const rest = columns.filter((column) => column.id !== columnId);
  const at = Math.max(0, Math.min(index, rest.length));
  return [...rest.slice(0, at), moving, ...rest.slice(at)];
}

/** Where a lifted card goes for an arrow key, or undefined if it cannot go further that way. */
export function stepCard(columns: readonly BoardColumn[], lift: CardLift, key: string): Pick<CardLift, 'columnId' | 'index'> | undefined {
  const at = columns.findIndex((column) => column.id === lift.columnId);
  const column = columns[at];
  if (!column) return undefined;
  const others = (c: BoardColumn) => c.cards.filter((card) => card.id !== lift.cardId).length;
  switch (key) {
    case 'ArrowUp':
      return lift.index > 0 ? { columnId: column.id, index: lift.index - 1 } : undefined;
    case 'ArrowDown':
      return lift.index < others(column) ? { columnId: column.id, index: lift.index + 1 } : undefined;
    case 'Home':
      return lift.index > 0 ? { columnId: column.id, index: 0 } : undefined;
    case 'End':
      return lift.index < others(column) ? { columnId: column.id, index: others(column) } : undefined;
    case 'ArrowLeft':
    case 'ArrowRight': {
      const next = columns[at + (key === 'ArrowLeft' ? -1 : 1)];
      if (!next) return undefined;
      return { columnId: next.id, index: Math.min(lift.index, others(next)) };
    }
    default:
      return undefined;
  }
}

/** "position 2 of 5 in Doing" for announcements. */
export function positionText(columns: readonly BoardColumn[], cardId: string, columnId: string, index: number): string {
  const column = columns.find((c) => c.id === columnId);
  if (!column) return '';
  const total = column.cards.filter((card) => card.id !== cardId).length + 1;
  return `position ${index + 1} of ${total} in ${column.name}`;
}
