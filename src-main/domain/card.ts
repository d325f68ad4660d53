// Cards: bare verbs, each checking its rules against the projections and committing exactly one event.
import { AppError } from '../../shared/errors';
import { hashText, isCalendarDate, type Ref } from '../../shared/events';
import { newId } from '../../shared/ids';
import type { Card, Column } from '../../shared/model';
import { authorize } from './access';
import { commit, findEntity, requireEntity, requireId, type DomainContext } from './context';
import { comparePositioned, positionFor } from './position';
import { requireText } from './text';

export type Placement = { afterCardId?: string; beforeCardId?: string };

export async function create(
  ctx: DomainContext,
  input: { boardId: string; columnId: string; title: string; id?: string } & Placement,
): Promise<Card> {
  await authorize(ctx, 'card.create');
  const title = requireText(input.title, 'title');
  const column = await liveColumn(ctx, input.columnId);
  const board = await requireEntity(ctx, 'boards', input.boardId);
  if (board.isDeleted) throw new AppError('conflict', `The board “${board.name}” is deleted.`);
  if (column.boardId !== board.id) throw new AppError('invalid_input', 'That column belongs to another board.');
  const siblings = await cardsOfColumn(ctx, column);
  const id = input.id === undefined ? newId(ctx.now()) : requireId(input.id, 'The card id');
  if (await findEntity(ctx, 'cards', id)) throw new AppError('conflict', 'A card with that id already exists.');
  const place = placement(input);
  await requireNeighbour(ctx, siblings, place);
  const position = positionFor(siblings, place);
  await commit(ctx, {
    action: 'card_created',
    eventableId: id,
    boardId: board.id,
    particulars: { title, column: ref(column), position },
  });
  return requireEntity(ctx, 'cards', id);
}

export async function move(ctx: DomainContext, cardId: string, input: { toColumnId: string } & Placement): Promise<Card> {
  await authorize(ctx, 'card.move');
  const card = await liveCard(ctx, cardId);
  const from = await findEntity(ctx, 'columns', card.columnId);
  const to = await liveColumn(ctx, input.toColumnId);
  if (to.boardId !== card.boardId) throw new AppError('invalid_input', 'Cards move between columns of the same board.');
  const siblings = (await cardsOfColumn(ctx, to)).filter((sibling) => sibling.id !== card.id);
  const place = placement(input);
  await requireNeighbour(ctx, siblings, place);
  const toPosition = positionFor(siblings, place);
  const isSamePlace = card.columnId === to.id && placementMatches(siblings, card, place);
  if (isSamePlace) throw new AppError('invalid_input', 'The card is already there.');
  await commit(ctx, {
    action: 'card_moved',
    eventableId: card.id,
    boardId: card.boardId,
    particulars: {
      title: card.title,
      from: from ? ref(from) : { id: card.columnId, name: 'Unknown column' },
      to: ref(to),
      fromPosition: card.position,
      toPosition,
    },
  });
  return requireEntity(ctx, 'cards', card.id);
}

export async function rename(ctx: DomainContext, cardId: string, title: string): Promise<Card> {
  await authorize(ctx, 'card.rename');
  const card = await liveCard(ctx, cardId);
  const to = requireText(title, 'title');
  if (to === card.title) throw new AppError('invalid_input', 'The card already has that title.');
  await commit(ctx, { action: 'card_renamed', eventableId: card.id, boardId: card.boardId, particulars: { from: card.title, to } });
  return requireEntity(ctx, 'cards', card.id);
}

export async function describe(ctx: DomainContext, cardId: string, description: string): Promise<Card> {
  await authorize(ctx, 'card.describe');
  const card = await liveCard(ctx, cardId);
  if (typeof description !== 'string') throw new AppError('invalid_input', 'The description must be text.');
  if (description === card.description) throw new AppError('invalid_input', 'The description is unchanged.');
  await commit(ctx, {
    action: 'card_description_changed',
    eventableId: card.id,
    boardId: card.boardId,
    particulars: { title: card.title, description, previousHash: hashText(card.description) },
  });
  return requireEntity(ctx, 'cards', card.id);
}

export async function close(ctx: DomainContext, cardId: string): Promise<Card> {
  await authorize(ctx, 'card.close');
  const card = await liveCard(ctx, cardId);
  if (card.isClosed) throw new AppError('conflict', 'The card is already closed.');
  await commit(ctx, { action: 'card_closed', eventableId: card.id, boardId: card.boardId, particulars: { title: card.title, column: await columnRef(ctx, card) } });
  return requireEntity(ctx, 'cards', card.id);
}

export async function reopen(ctx: DomainContext, cardId: string): Promise<Card> {
  await authorize(ctx, 'card.reopen');
  const card = await liveCard(ctx, cardId);
  if (!card.isClosed) throw new AppError('conflict', 'The card is open.');
  await commit(ctx, { action: 'card_reopened', eventableId: card.id, boardId: card.boardId, particulars: { title: card.title, column: await columnRef(ctx, card) } });
  return requireEntity(ctx, 'cards', card.id);
}

export async function assign(ctx: DomainContext, cardId: string, userId: string): Promise<Card> {
  await authorize(ctx, 'card.assign');
  const card = await liveCard(ctx, cardId);
  const assignee = await requireMember(ctx, userId);
  if (card.assignees.some((a) => a.id === assignee.id)) throw new AppError('conflict', `${assignee.name} is already assigned.`);
  await commit(ctx, { action: 'card_assigned', eventableId: card.id, boardId: card.boardId, particulars: { title: card.title, assignee } });
  return requireEntity(ctx, 'cards', card.id);
}

export async function unassign(ctx: DomainContext, cardId: string, userId: string): Promise<Card> {
  await authorize(ctx, 'card.unassign');
  const card = await liveCard(ctx, cardId);
  requireId(userId, 'The person id');
  const assignee = card.assignees.find((a) => a.id === userId);
  if (!assignee) throw new AppError('conflict', 'That person is not assigned to this card.');
  await commit(ctx, {
    action: 'card_unassigned',
    eventableId: card.id,
    boardId: card.boardId,
    particulars: { title: card.title, assignee: { id: assignee.id, name: assignee.name } },
  });
  return requireEntity(ctx, 'cards', card.id);
}

export async function tag(ctx: DomainContext, cardId: string, tagName: string): Promise<Card> {
  await authorize(ctx, 'card.tag');
  const card = await liveCard(ctx, cardId);
  const value = requireText(tagName, 'tag');
  if (card.tags.includes(value)) throw new AppError('conflict', `The card is already tagged “${value}”.`);
  await commit(ctx, { action: 'card_tagged', eventableId: card.id, boardId: card.boardId, particulars: { title: card.title, tag: value } });
  return requireEntity(ctx, 'cards', card.id);
}

export async function untag(ctx: DomainContext, cardId: string, tagName: string): Promise<Card> {
  await authorize(ctx, 'card.untag');
  const card = await liveCard(ctx, cardId);
  if (typeof tagName !== 'string') throw new AppError('invalid_input', 'The tag must be text.');
  if (!card.tags.includes(tagName)) throw new AppError('conflict', 'The card does not have that tag.');
  await commit(ctx, { action: 'card_untagged', eventableId: card.id, boardId: card.boardId, particulars: { title: card.title, tag: tagName } });
  return requireEntity(ctx, 'cards', card.id);
}

export async function setDueDate(ctx: DomainContext, cardId: string, dueDate: string | null): Promise<Card> {
  await authorize(ctx, 'card.setDueDate');
  const card = await liveCard(ctx, cardId);
  if (dueDate !== null && !isCalendarDate(dueDate)) {
    throw new AppError('invalid_input', 'The due date must be a calendar date (YYYY-MM-DD) or empty.');
  }
  if (dueDate === card.dueDate) throw new AppError('invalid_input', 'The card already has that due date.');
  await commit(ctx, {
    action: 'card_due_date_changed',
    eventableId: card.id,
    boardId: card.boardId,
    particulars: { title: card.title, from: card.dueDate, to: dueDate },
  });
  return requireEntity(ctx, 'cards', card.id);
}

export async function remove(ctx: DomainContext, cardId: string): Promise<Card> {
  await authorize(ctx, 'card.delete');
  const card = await requireEntity(ctx, 'cards', cardId);
  if (card.isDeleted) throw new AppError('conflict', 'The card is already deleted.');
  await commit(ctx, { action: 'card_deleted', eventableId: card.id, boardId: card.boardId, particulars: { title: card.title, column: await columnRef(ctx, card) } });
  return requireEntity(ctx, 'cards', card.id);
}

export async function restore(ctx: DomainContext, cardId: string): Promise<Card> {
  await authorize(ctx, 'card.restore');
  const card = await requireEntity(ctx, 'cards', cardId);
  if (!card.isDeleted) throw new AppError('conflict', 'The card is not deleted.');
  await commit(ctx, { action: 'card_restored', eventableId: card.id, boardId: card.boardId, particulars: { title: card.title, column: await columnRef(ctx, card) } });
  return requireEntity(ctx, 'cards', card.id);
}

/** The cards of a column in board order (deleted ones included: their keys still take room). */
export async function cardsOfColumn(ctx: DomainContext, column: Column): Promise<Card[]> {
  const docs = await ctx.account.collections.cards
    .find({ selector: { boardId: column.boardId, columnId: column.id }, sort: [{ position: 'asc' }, { id: 'asc' }] })
    .exec();
  return docs.map((doc) => doc.toJSON() as Card).sort(comparePositioned);
}

async function liveCard(ctx: DomainContext, cardId: string): Promise<Card> {
  const card = await requireEntity(ctx, 'cards', cardId);
  if (card.isDeleted) throw new AppError('conflict', 'The card is deleted; restore it first.');
  return card;
}

async function liveColumn(ctx: DomainContext, columnId: string): Promise<Column> {
  const column = await requireEntity(ctx, 'columns', columnId);
  if (column.isDeleted) throw new AppError('conflict', `The column “${column.name}” is deleted.`);
  return column;
}

async function columnRef(ctx: DomainContext, card: Card): Promise<Ref> {
  const column = await findEntity(ctx, 'columns', card.columnId);
  return column ? ref(column) : { id: card.columnId, name: 'Unknown column' };
}

async function requireMember(ctx: DomainContext, userId: string): Promise<Ref> {
  requireId(userId, 'The person id');
  const record = await findEntity(ctx, 'members', ctx.account.accountId);
  const member = record?.members.find((m) => m.id === userId);
  if (!member) throw new AppError('not_found', 'That person is not a member of this account.');
  return { id: member.id, name: member.name };
}

function ref(entity: { id: string; name: string }): Ref {
  return { id: entity.id, name: entity.name };
}

function placement(input: Placement): { afterId?: string; beforeId?: string } {
  if (input.afterCardId !== undefined && input.beforeCardId !== undefined) {
    throw new AppError('invalid_input', 'Give either the card to place after or the one to place before, not both.');
  }
  if (input.afterCardId !== undefined) return { afterId: requireId(input.afterCardId, 'The card to place after') };
  if (input.beforeCardId !== undefined) return { beforeId: requireId(input.beforeCardId, 'The card to place before') };
  return {};
}

/** A neighbour that is no card of this account at all is `not_found` (one in another column: invalid_input). */
async function requireNeighbour(ctx: DomainContext, siblings: readonly Card[], place: { afterId?: string; beforeId?: string }): Promise<void> {
  const id = place.afterId ?? place.beforeId;
  if (id === undefined || siblings.some((sibling) => sibling.id === id)) return;
  await requireEntity(ctx, 'cards', id);
}

/** Whether `card` already sits where `place` would put it among `siblings` (the card excluded). */
function placementMatches(siblings: readonly Card[], card: Card, place: { afterId?: string; beforeId?: string }): boolean {
  const all = [...siblings, card].sort(comparePositioned);
  const index = all.findIndex((c) => c.id === card.id);
  if (place.afterId !== undefined) return all[index - 1]?.id === place.afterId;
  if (place.beforeId !== undefined) return all[index + 1]?.id === place.beforeId;
  return index === all.length - 1;
}
