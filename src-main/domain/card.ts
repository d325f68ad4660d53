// Cards: bare verbs, each checking its rules against the projections and committing exactly one event.
import { AppError } from '../../shared/errors';
import { hashText, isCalendarDate, type Ref } from '../../shared/events';
import { newId } from '../../shared/ids';
import type { Card, Column } from '../../shared/model';
import { authorize, membersRecord } from './access';
import {
  commitEntity,
  findEntities,
  findEntity,
  notFound,
  requireEntity,
  requireEntityId,
  requireId,
  type DomainContext,
} from './context';
import { columnOrder, COLUMN_ORDER_INDEX, indexInOrder } from './card-order';
import { comparePositioned, keyBetween, type Positioned } from './position';
import { findDocuments } from './queries/read';
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
  const id = input.id === undefined ? newId(ctx.now()) : requireId(input.id, 'The card id');
  if (await findEntity(ctx, 'cards', id)) throw new AppError('conflict', 'A card with that id already exists.');
  const { lower, upper } = await slotFor(ctx, column, placement(input), undefined);
  return commitEntity(ctx, 'cards', {
    action: 'card_created',
    eventableId: id,
    boardId: board.id,
    particulars: { title, column: ref(column), position: keyBetween(lower?.position, upper?.position) },
  });
}

export async function move(ctx: DomainContext, cardId: string, input: { toColumnId: string } & Placement): Promise<Card> {
  await authorize(ctx, 'card.move');
  const card = await liveCard(ctx, cardId);
  // The column it leaves and the one it goes to, in one read.
  const toColumnId = requireEntityId('columns', input.toColumnId);
  const columns = await findEntities(ctx, 'columns', [card.columnId, toColumnId]);
  const from = columns.get(card.columnId);
  const to = columns.get(toColumnId);
  if (!to) throw notFound('columns', toColumnId);
  if (to.isDeleted) throw new AppError('conflict', `The column “${to.name}” is deleted.`);
  if (to.boardId !== card.boardId) throw new AppError('invalid_input', 'Cards move between columns of the same board.');
  const slot = await slotFor(ctx, to, placement(input), card);
  if (slot.isCurrent) throw new AppError('invalid_input', 'The card is already there.');
  return commitEntity(ctx, 'cards', {
    action: 'card_moved',
    eventableId: card.id,
    boardId: card.boardId,
    particulars: {
      title: card.title,
      from: from ? ref(from) : { id: card.columnId, name: 'Unknown column' },
      to: ref(to),
      fromPosition: card.position,
      toPosition: keyBetween(slot.lower?.position, slot.upper?.position),
    },
  });
}

export async function rename(ctx: DomainContext, cardId: string, title: string): Promise<Card> {
  await authorize(ctx, 'card.rename');
  const card = await liveCard(ctx, cardId);
  const to = requireText(title, 'title');
  if (to === card.title) throw new AppError('invalid_input', 'The card already has that title.');
  return commitEntity(ctx, 'cards', { action: 'card_renamed', eventableId: card.id, boardId: card.boardId, particulars: { from: card.title, to } });
}

export async function describe(ctx: DomainContext, cardId: string, description: string): Promise<Card> {
  await authorize(ctx, 'card.describe');
  const card = await liveCard(ctx, cardId);
  if (typeof description !== 'string') throw new AppError('invalid_input', 'The description must be text.');
  if (description === card.description) throw new AppError('invalid_input', 'The description is unchanged.');
  return commitEntity(ctx, 'cards', {
    action: 'card_description_changed',
    eventableId: card.id,
    boardId: card.boardId,
    particulars: { title: card.title, description, previousHash: hashText(card.description) },
  });
}

export async function close(ctx: DomainContext, cardId: string): Promise<Card> {
  await authorize(ctx, 'card.close');
  const card = await liveCard(ctx, cardId);
  if (card.isClosed) throw new AppError('conflict', 'The card is already closed.');
  return commitEntity(ctx, 'cards', { action: 'card_closed', eventableId: card.id, boardId: card.boardId, particulars: { title: card.title, column: await columnRef(ctx, card) } });
}

export async function reopen(ctx: DomainContext, cardId: string): Promise<Card> {
  await authorize(ctx, 'card.reopen');
  const card = await liveCard(ctx, cardId);
  if (!card.isClosed) throw new AppError('conflict', 'The card is open.');
  return commitEntity(ctx, 'cards', { action: 'card_reopened', eventableId: card.id, boardId: card.boardId, particulars: { title: card.title, column: await columnRef(ctx, card) } });
}

export async function assign(ctx: DomainContext, cardId: string, userId: string): Promise<Card> {
  await authorize(ctx, 'card.assign');
  const card = await liveCard(ctx, cardId);
  const assignee = await requireMember(ctx, userId);
  if (card.assignees.some((a) => a.id === assignee.id)) throw new AppError('conflict', `${assignee.name} is already assigned.`);
  return commitEntity(ctx, 'cards', { action: 'card_assigned', eventableId: card.id, boardId: card.boardId, particulars: { title: card.title, assignee } });
}

export async function unassign(ctx: DomainContext, cardId: string, userId: string): Promise<Card> {
  await authorize(ctx, 'card.unassign');
  const card = await liveCard(ctx, cardId);
  requireId(userId, 'The person id');
  const assignee = card.assignees.find((a) => a.id === userId);
  if (!assignee) throw new AppError('conflict', 'That person is not assigned to this card.');
  return commitEntity(ctx, 'cards', {
    action: 'card_unassigned',
    eventableId: card.id,
    boardId: card.boardId,
    particulars: { title: card.title, assignee: { id: assignee.id, name: assignee.name } },
  });
}

export async function tag(ctx: DomainContext, cardId: string, tagName: string): Promise<Card> {
  await authorize(ctx, 'card.tag');
  const card = await liveCard(ctx, cardId);
  const value = requireText(tagName, 'tag');
  if (card.tags.includes(value)) throw new AppError('conflict', `The card is already tagged “${value}”.`);
  return commitEntity(ctx, 'cards', { action: 'card_tagged', eventableId: card.id, boardId: card.boardId, particulars: { title: card.title, tag: value } });
}

export async function untag(ctx: DomainContext, cardId: string, tagName: string): Promise<Card> {
  await authorize(ctx, 'card.untag');
  const card = await liveCard(ctx, cardId);
  if (typeof tagName !== 'string') throw new AppError('invalid_input', 'The tag must be text.');
  if (!card.tags.includes(tagName)) throw new AppError('conflict', 'The card does not have that tag.');
  return commitEntity(ctx, 'cards', { action: 'card_untagged', eventableId: card.id, boardId: card.boardId, particulars: { title: card.title, tag: tagName } });
}

export async function setDueDate(ctx: DomainContext, cardId: string, dueDate: string | null): Promise<Card> {
  await authorize(ctx, 'card.setDueDate');
  const card = await liveCard(ctx, cardId);
  if (dueDate !== null && !isCalendarDate(dueDate)) {
    throw new AppError('invalid_input', 'The due date must be a calendar date (YYYY-MM-DD) or empty.');
  }
  if (dueDate === card.dueDate) throw new AppError('invalid_input', 'The card already has that due date.');
  return commitEntity(ctx, 'cards', {
    action: 'card_due_date_changed',
    eventableId: card.id,
    boardId: card.boardId,
    particulars: { title: card.title, from: card.dueDate, to: dueDate },
  });
}

export async function remove(ctx: DomainContext, cardId: string): Promise<Card> {
  await authorize(ctx, 'card.delete');
  const card = await requireEntity(ctx, 'cards', cardId);
  if (card.isDeleted) throw new AppError('conflict', 'The card is already deleted.');
  return commitEntity(ctx, 'cards', { action: 'card_deleted', eventableId: card.id, boardId: card.boardId, particulars: { title: card.title, column: await columnRef(ctx, card) } });
}

export async function restore(ctx: DomainContext, cardId: string): Promise<Card> {
  await authorize(ctx, 'card.restore');
  const card = await requireEntity(ctx, 'cards', cardId);
  if (!card.isDeleted) throw new AppError('conflict', 'The card is not deleted.');
  return commitEntity(ctx, 'cards', { action: 'card_restored', eventableId: card.id, boardId: card.boardId, particulars: { title: card.title, column: await columnRef(ctx, card) } });
}

/** The cards of a column in board order (deleted ones included: their keys still take room). */
export async function cardsOfColumn(ctx: DomainContext, column: Column): Promise<Card[]> {
  const cards = await findDocuments(ctx.account.collections.cards, {
    selector: { boardId: column.boardId, columnId: column.id },
    sort: [{ position: 'asc' }, { id: 'asc' }],
    index: COLUMN_ORDER_INDEX,
  });
  return cards.sort(comparePositioned);
}

/**
 * Where a card goes in `column`: between `lower` and `upper` (either absent at the column's start or end), with
 * `card` itself (when it moves) left out of the neighbours. `isCurrent`: the card already sits exactly there.
 */
async function slotFor(
  ctx: DomainContext,
  column: Column,
  place: { afterId?: string; beforeId?: string },
  card: Card | undefined,
): Promise<{ lower: Positioned | undefined; upper: Positioned | undefined; isCurrent: boolean }> {
  const order = await columnOrder(ctx, column);
  // From here on nothing awaits before the order is read (it follows later writes).
  const isCard = (entry: Positioned | undefined): boolean => card !== undefined && entry?.id === card.id;
  const neighbourId = place.afterId ?? place.beforeId;
  if (neighbourId === undefined) {
    // At the end: after the last card, or the one before it when the last is the card itself.
    const last = order.at(-1);
    return { lower: isCard(last) ? order.at(-2) : last, upper: undefined, isCurrent: isCard(last) };
  }
  const at = indexInOrder(ctx, order, neighbourId);
  const neighbour = order[at];
  if (neighbour === undefined || isCard(neighbour)) {
    // A neighbour that is no card of this account is not_found; one in another column (or the card itself)
    // cannot be placed against.
    if (!(await findEntity(ctx, 'cards', neighbourId))) throw notFound('cards', neighbourId);
    throw new AppError('invalid_input', `There is no ${neighbourId} to place this ${place.afterId !== undefined ? 'after' : 'before'}.`);
  }
  if (place.afterId !== undefined) {
    const next = order[at + 1];
    return { lower: neighbour, upper: isCard(next) ? order[at + 2] : next, isCurrent: isCard(next) };
  }
  const previous = order[at - 1];
  return { lower: isCard(previous) ? order[at - 2] : previous, upper: neighbour, isCurrent: isCard(previous) };
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
  const record = await membersRecord(ctx);
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
