// Columns of a board: bare verbs, each checking its rules against the projections and committing exactly
// one event. Columns are ordered within their board by fractional keys (position.ts), like cards.
import { AppError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { Column } from '../../shared/model';
import { authorize } from './access';
import { liveBoard } from './board';
import { commitEntity, findEntity, requireEntity, requireId, type DomainContext } from './context';
import { comparePositioned, positionFor } from './position';
import { findDocuments } from './queries/read';
import { requireText } from './text';

/** Where a column goes among its board's columns: after one, before one, or (neither) at the end. */
export type ColumnPlacement = { afterColumnId?: string; beforeColumnId?: string };

export async function create(
  ctx: DomainContext,
  input: { boardId: string; name: string; id?: string } & ColumnPlacement,
): Promise<Column> {
  await authorize(ctx, 'column.create');
  const name = requireText(input.name, 'column name');
  const board = await liveBoard(ctx, input.boardId);
  const id = input.id === undefined ? newId(ctx.now()) : requireId(input.id, 'The column id');
  if (await findEntity(ctx, 'columns', id)) throw new AppError('conflict', 'A column with that id already exists.');
  const siblings = await columnsOfBoard(ctx, board.id);
  const place = placement(input);
  await requireNeighbour(ctx, siblings, place);
  const position = positionFor(siblings, place);
  return commitEntity(ctx, 'columns', {
    action: 'column_created',
    eventableId: id,
    boardId: board.id,
    particulars: { name, position, board: { id: board.id, name: board.name } },
  });
}

export async function rename(ctx: DomainContext, columnId: string, name: string): Promise<Column> {
  await authorize(ctx, 'column.rename');
  const column = await liveColumn(ctx, columnId);
  const to = requireText(name, 'column name');
  if (to === column.name) throw new AppError('invalid_input', 'The column already has that name.');
  return commitEntity(ctx, 'columns', {
    action: 'column_renamed',
    eventableId: column.id,
    boardId: column.boardId,
    particulars: { from: column.name, to },
  });
}

/** Reorders the column among its board's columns. */
export async function move(ctx: DomainContext, columnId: string, input: ColumnPlacement = {}): Promise<Column> {
  await authorize(ctx, 'column.move');
  const column = await liveColumn(ctx, columnId);
  const place = placement(input);
  const siblings = (await columnsOfBoard(ctx, column.boardId)).filter((sibling) => sibling.id !== column.id);
  await requireNeighbour(ctx, siblings, place);
  const toPosition = positionFor(siblings, place);
  if (isAlreadyPlaced(siblings, column, place)) throw new AppError('invalid_input', 'The column is already there.');
  return commitEntity(ctx, 'columns', {
    action: 'column_moved',
    eventableId: column.id,
    boardId: column.boardId,
    particulars: { name: column.name, fromPosition: column.position, toPosition },
  });
}

/** Deletes an empty column; one still holding cards (closed ones too, deleted ones not) is a `conflict`. */
export async function remove(ctx: DomainContext, columnId: string): Promise<Column> {
  await authorize(ctx, 'column.delete');
  const column = await requireEntity(ctx, 'columns', columnId);
  if (column.isDeleted) throw new AppError('conflict', 'The column is already deleted.');
  await liveBoard(ctx, column.boardId);
  const cards = await ctx.account.collections.cards
    .count({ selector: { boardId: column.boardId, columnId: column.id, isDeleted: false } })
    .exec();
  if (cards > 0) {
    throw new AppError('conflict', `The column “${column.name}” still holds ${cards} card${cards === 1 ? '' : 's'}; move or delete them first.`);
  }
  return commitEntity(ctx, 'columns', { action: 'column_deleted', eventableId: column.id, boardId: column.boardId, particulars: { name: column.name } });
}

export async function restore(ctx: DomainContext, columnId: string): Promise<Column> {
  await authorize(ctx, 'column.restore');
  const column = await requireEntity(ctx, 'columns', columnId);
  if (!column.isDeleted) throw new AppError('conflict', 'The column is not deleted.');
  await liveBoard(ctx, column.boardId);
  return commitEntity(ctx, 'columns', { action: 'column_restored', eventableId: column.id, boardId: column.boardId, particulars: { name: column.name } });
}

/** The columns of a board in order (deleted ones included: their keys still take room). */
export async function columnsOfBoard(ctx: DomainContext, boardId: string): Promise<Column[]> {
  const columns = await findDocuments(ctx.account.collections.columns, {
    selector: { boardId },
    sort: [{ position: 'asc' }, { id: 'asc' }],
    index: ['boardId', 'position', 'id'],
  });
  return columns.sort(comparePositioned);
}

/** A column that is not deleted, on a board that is not deleted. */
async function liveColumn(ctx: DomainContext, columnId: string): Promise<Column> {
  const column = await requireEntity(ctx, 'columns', columnId);
  if (column.isDeleted) throw new AppError('conflict', `The column “${column.name}” is deleted.`);
  await liveBoard(ctx, column.boardId);
  return column;
}

function placement(input: ColumnPlacement): { afterId?: string; beforeId?: string } {
  if (input.afterColumnId !== undefined && input.beforeColumnId !== undefined) {
    throw new AppError('invalid_input', 'Give either the column to place after or the one to place before, not both.');
  }
  if (input.afterColumnId !== undefined) return { afterId: requireId(input.afterColumnId, 'The column to place after') };
  if (input.beforeColumnId !== undefined) return { beforeId: requireId(input.beforeColumnId, 'The column to place before') };
  return {};
}

/** A neighbour that is no column of this account at all is `not_found` (one of another board: invalid_input). */
async function requireNeighbour(ctx: DomainContext, siblings: readonly Column[], place: { afterId?: string; beforeId?: string }): Promise<void> {
  const id = place.afterId ?? place.beforeId;
  if (id === undefined || siblings.some((sibling) => sibling.id === id)) return;
  await requireEntity(ctx, 'columns', id);
}

/** Whether `column` already sits where `place` would put it among `siblings` (the column excluded). */
function isAlreadyPlaced(siblings: readonly Column[], column: Column, place: { afterId?: string; beforeId?: string }): boolean {
  const all = [...siblings, column].sort(comparePositioned);
  const index = all.findIndex((c) => c.id === column.id);
  if (place.afterId !== undefined) return all[index - 1]?.id === place.afterId;
  if (place.beforeId !== undefined) return all[index + 1]?.id === place.beforeId;
  return index === all.length - 1;
}
