// Comments on cards: bare verbs, each checking its rules against the projections and committing exactly one
// event. Comment events are about the comment; their particulars name the card (id and title at the time).
// Only its author edits a comment; its author or an admin deletes and restores it.
import { AppError } from '../../shared/errors';
import { hashText, type CardRef } from '../../shared/events';
import { newId } from '../../shared/ids';
import type { Card, Comment, Member } from '../../shared/model';
import { authorize } from './access';
import { commitEntity, findEntity, requireEntity, requireId, type DomainContext } from './context';

/** Records `comment_created` on a card that is not deleted. `id`: only for imports and tests. */
export async function create(ctx: DomainContext, input: { cardId: string; body: string; id?: string }): Promise<Comment> {
  await authorize(ctx, 'comment.create');
  const body = requireBody(input.body);
  const card = await requireEntity(ctx, 'cards', input.cardId);
  if (card.isDeleted) throw new AppError('conflict', 'The card is deleted; restore it first.');
  const id = input.id === undefined ? newId(ctx.now()) : requireId(input.id, 'The comment id');
  if (await findEntity(ctx, 'comments', id)) throw new AppError('conflict', 'A comment with that id already exists.');
  return commitEntity(ctx, 'comments', { action: 'comment_created', eventableId: id, boardId: card.boardId, particulars: { card: cardRef(card), body } });
}

/** Replaces the body; the event carries the new body and the hash of the old one. */
export async function edit(ctx: DomainContext, commentId: string, body: string): Promise<Comment> {
  const member = await authorize(ctx, 'comment.edit');
  const comment = await requireEntity(ctx, 'comments', commentId);
  if (comment.isDeleted) throw new AppError('conflict', 'The comment is deleted; restore it first.');
  if (comment.createdBy.id !== member.id) throw new AppError('forbidden', 'Only its author can edit a comment.');
  const to = requireBody(body);
  if (to === comment.body) throw new AppError('invalid_input', 'The comment is unchanged.');
  return commitEntity(ctx, 'comments', {
    action: 'comment_edited',
    eventableId: comment.id,
    boardId: comment.boardId,
    particulars: { card: await cardRefOf(ctx, comment), body: to, previousHash: hashText(comment.body) },
  });
}

export async function remove(ctx: DomainContext, commentId: string): Promise<Comment> {
  const member = await authorize(ctx, 'comment.delete');
  const comment = await requireEntity(ctx, 'comments', commentId);
  if (comment.isDeleted) throw new AppError('conflict', 'The comment is already deleted.');
  requireAuthorOrAdmin(member, comment, 'delete');
  return commitEntity(ctx, 'comments', { action: 'comment_deleted', eventableId: comment.id, boardId: comment.boardId, particulars: { card: await cardRefOf(ctx, comment) } });
}

export async function restore(ctx: DomainContext, commentId: string): Promise<Comment> {
  const member = await authorize(ctx, 'comment.restore');
  const comment = await requireEntity(ctx, 'comments', commentId);
  if (!comment.isDeleted) throw new AppError('conflict', 'The comment is not deleted.');
  requireAuthorOrAdmin(member, comment, 'restore');
  return commitEntity(ctx, 'comments', { action: 'comment_restored', eventableId: comment.id, boardId: comment.boardId, particulars: { card: await cardRefOf(ctx, comment) } });
}

/** A comment body as typed (kept as is, line breaks and all); blank is refused. The 64 KiB cap is the particulars'. */
function requireBody(value: unknown): string {
  if (typeof value !== 'string') throw new AppError('invalid_input', 'The comment must be text.');
  if (value.trim().length === 0) throw new AppError('invalid_input', 'The comment cannot be empty.');
  return value;
}

function requireAuthorOrAdmin(member: Member, comment: Comment, verb: string): void {
  if (member.role !== 'admin' && comment.createdBy.id !== member.id) {
    throw new AppError('forbidden', `Only its author or an admin can ${verb} a comment.`);
  }
}

function cardRef(card: Card): CardRef {
  return { id: card.id, title: card.title };
}

/** The comment's card (after a merge it may not have arrived yet: then its id and a placeholder title). */
async function cardRefOf(ctx: DomainContext, comment: Comment): Promise<CardRef> {
  const card = await findEntity(ctx, 'cards', comment.cardId);
  return card ? cardRef(card) : { id: comment.cardId, title: 'Unknown card' };
}
