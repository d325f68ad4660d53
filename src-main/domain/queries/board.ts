// The board query: a board with its live columns and their live cards, in order, filtered. Cards whose
// column is deleted or unknown (a merge moved one into a column deleted elsewhere) show in the board's
// first live column, flagged `isRecovered`: never lost (DESIGN.md, "Rules under merge").
import { AppError } from '../../../shared/errors';
import { isId } from '../../../shared/ids';
import type { Card, Column } from '../../../shared/model';
import { boardCardOf, CARD_STATUSES, type BoardCard, type BoardFilters, type BoardView, type CardStatus } from '../../../shared/model/views';
import { authorize } from '../access';
import { requireEntity, type DomainContext } from '../context';
import { comparePositioned } from '../position';
import { findDocuments } from './read';

/** Longest text a search may hold. */
export const SEARCH_MAX_CHARS = 1000;

type CardTest = (card: Card) => boolean;

export async function board(ctx: DomainContext, boardId: string, filters: BoardFilters = {}): Promise<BoardView> {
  await authorize(ctx, 'board.view');
  const applied = readFilters(filters);
  const found = await requireEntity(ctx, 'boards', boardId);
  if (found.isDeleted) throw new AppError('not_found', `The board “${found.name}” was deleted.`);
  const { collections } = ctx.account;
  const [columns, cards] = await Promise.all([
    findDocuments(collections.columns, {
      selector: { boardId: found.id },
      sort: [{ position: 'asc' }, { id: 'asc' }],
    }),
    findDocuments(collections.cards, {
      selector: { boardId: found.id },
      sort: [{ columnId: 'asc' }, { position: 'asc' }, { id: 'asc' }],
    }),
  ]);
  const liveColumns = columns.filter((column) => !column.isDeleted && column.accountId === found.accountId);
  const cardsByColumn = new Map<string, BoardCard[]>(liveColumns.map((column) => [column.id, []]));
  const first = liveColumns[0];
  const unplacedCards: BoardCard[] = [];
  const isShown = cardTest(applied);
  for (const card of cards) {
    if (card.isDeleted || card.accountId !== found.accountId || !isShown(card)) continue;
    const own = cardsByColumn.get(card.columnId);
    if (own) own.push(boardCardOf(card, false));
    else if (first) cardsByColumn.get(first.id)!.push(boardCardOf(card, true));
    else unplacedCards.push(boardCardOf(card, true));
  }
  return {
    board: found,
    columns: liveColumns.map((column: Column) => ({
      ...column,
      cards: cardsByColumn.get(column.id)!.sort(comparePositioned),
    })),
    unplacedCards: unplacedCards.sort(comparePositioned),
    filters: applied,
  };
}

type AppliedFilters = BoardView['filters'];

/** The filters checked and normalised; `invalid_input` for anything else. */
function readFilters(filters: unknown): AppliedFilters {
  if (filters === undefined || filters === null) return { status: 'all' };
  if (typeof filters !== 'object' || Array.isArray(filters)) throw new AppError('invalid_input', 'The board filters must be an object.');
  const { assigneeId, tag, status, text, ...rest } = filters as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new AppError('invalid_input', `Unknown board filter: ${unknown.join(', ')}.`);
  const applied: AppliedFilters = { status: readStatus(status) };
  if (assigneeId !== undefined) {
    if (!isId(assigneeId)) throw new AppError('invalid_input', 'The assignee filter must be a person id.');
    applied.assigneeId = assigneeId;
  }
  if (tag !== undefined) {
    if (typeof tag !== 'string' || tag.trim() === '') throw new AppError('invalid_input', 'The tag filter must be a tag.');
    applied.tag = tag.trim();
  }
  if (text !== undefined) {
    if (typeof text !== 'string') throw new AppError('invalid_input', 'The search must be text.');
    if (text.length > SEARCH_MAX_CHARS) {
      throw new AppError('invalid_input', `The search may hold at most ${SEARCH_MAX_CHARS} characters.`);
    }
    if (text.trim() !== '') applied.text = text.trim();
  }
  return applied;
}

function readStatus(status: unknown): CardStatus {
  if (status === undefined) return 'all';
  const known: readonly unknown[] = CARD_STATUSES;
  if (!known.includes(status)) throw new AppError('invalid_input', 'The status filter must be open, closed or all.');
  return status as CardStatus;
}

function cardTest(filters: AppliedFilters): CardTest {
  const tests: CardTest[] = [];
  const { assigneeId, tag, status, text } = filters;
  if (status === 'open') tests.push((card) => !card.isClosed);
  if (status === 'closed') tests.push((card) => card.isClosed);
  if (assigneeId !== undefined) tests.push((card) => card.assignees.some((person) => person.id === assigneeId));
  if (tag !== undefined) tests.push((card) => card.tags.includes(tag));
  if (text !== undefined) {
    const needle = text.toLowerCase();
    tests.push((card) => card.title.toLowerCase().includes(needle) || card.description.toLowerCase().includes(needle));
  }
  return (card) => tests.every((test) => test(card));
}
