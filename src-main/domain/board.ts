// Boards: bare verbs, each checking its rules against the projections and committing exactly one event.
import { AppError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { Board } from '../../shared/model';
import { authorize } from './access';
import { commitEntity, findEntity, requireEntity, requireId, type DomainContext } from './context';
import { requireText } from './text';

/** Records `board_created`. `id`: only for imports and tests that must keep a given id. */
export async function create(ctx: DomainContext, input: { name: string; id?: string }): Promise<Board> {
  await authorize(ctx, 'board.create');
  const name = requireText(input.name, 'board name');
  const id = input.id === undefined ? newId(ctx.now()) : requireId(input.id, 'The board id');
  if (await findEntity(ctx, 'boards', id)) throw new AppError('conflict', 'A board with that id already exists.');
  return commitEntity(ctx, 'boards', { action: 'board_created', eventableId: id, boardId: id, particulars: { name } });
}

export async function rename(ctx: DomainContext, boardId: string, name: string): Promise<Board> {
  await authorize(ctx, 'board.rename');
  const board = await liveBoard(ctx, boardId);
  const to = requireText(name, 'board name');
  if (to === board.name) throw new AppError('invalid_input', 'The board already has that name.');
  return commitEntity(ctx, 'boards', { action: 'board_renamed', eventableId: board.id, boardId: board.id, particulars: { from: board.name, to } });
}

/** Marks the board deleted (its columns, cards and history stay in the log). */
export async function remove(ctx: DomainContext, boardId: string): Promise<Board> {
  await authorize(ctx, 'board.delete');
  const board = await requireEntity(ctx, 'boards', boardId);
  if (board.isDeleted) throw new AppError('conflict', 'The board is already deleted.');
  return commitEntity(ctx, 'boards', { action: 'board_deleted', eventableId: board.id, boardId: board.id, particulars: { name: board.name } });
}

/** The board, or `not_found`; `conflict` when it is deleted. */
export async function liveBoard(ctx: DomainContext, boardId: unknown): Promise<Board> {
  const board = await requireEntity(ctx, 'boards', boardId);
  if (board.isDeleted) throw new AppError('conflict', `The board “${board.name}” is deleted.`);
  return board;
}
