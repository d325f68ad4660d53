// Undo: `event.undo(ctx, eventId)` records the compensating event of one of the actor's own events (a move
// back, a reopen, a restore…), and only while the field still holds the value that event set; otherwise
// it answers `conflict`, saying who changed it since. History is never deleted: the undone event stays in
// the log and the undo is an event of its own (which can be undone in turn).
import { AppError } from '../../shared/errors';
import { hashText, readEvent, type Action, type KnownEvent, type Ref, type StoredEvent } from '../../shared/events';
import type { Board, Card, Column, Comment } from '../../shared/model';
import { authorize } from './access';
import { commitWithEntity, findEntity, requireId, type DomainContext, type EventInput } from './context';
import { changedSince, deletedSince, earlierText } from './event-history';
import { findDocuments, withoutRxFields } from './queries/read';

export type UndoResult = {
  /** The event undone (it stays in the log). */
  undone: StoredEvent;
  /** The compensating event just recorded. */
  event: KnownEvent;
  /** The board, column, card or comment after it. */
  entity: Board | Column | Card | Comment;
};

type Undoable = 'boards' | 'columns' | 'cards' | 'comments';

/** What undoing an event records: the compensating event, the verb it amounts to, and where its entity lives. */
type Compensation = { verb: string; collection: Undoable; input: EventInput<Action> };

const NOT_UNDOABLE: Partial<Record<string, string>> = {
  account_created: 'Creating the account cannot be undone.',
  board_deleted: 'Deleting a board cannot be undone: a deleted board cannot be restored.',
};

export async function undo(ctx: DomainContext, eventId: string): Promise<UndoResult> {
  await authorize(ctx, 'event.undo');
  const id = requireId(eventId, 'The event id');
  const stored = await findEvent(ctx, id);
  if (!stored) throw new AppError('not_found', `No event with id ${id} in this account.`);
  if (stored.creatorId !== ctx.actor.id) {
    throw new AppError('forbidden', `Only ${stored.creatorName}, who made this change, can undo it.`);
  }
  if (stored.rejection !== undefined) {
    throw new AppError('invalid_input', 'The server refused this change, so it changed nothing and there is nothing to undo.');
  }
  const event = readEvent(stored);
  if (!event) throw new AppError('invalid_input', 'This change comes from a newer version of Trailboard and cannot be undone here.');
  const compensation = await compensationFor(ctx, event);
  await authorize(ctx, compensation.verb);
  const { event: recorded, entity } = await commitWithEntity(ctx, compensation.collection, compensation.input);
  if (!entity) throw new Error(`The projector did not produce ${compensation.collection}/${recorded.eventableId}`);
  return { undone: stored, event: recorded, entity };
}

async function compensationFor(ctx: DomainContext, event: KnownEvent): Promise<Compensation> {
  const refused = NOT_UNDOABLE[event.action];
  if (refused !== undefined) throw new AppError('invalid_input', refused);
  switch (event.eventableType) {
    case 'board':
      return undoBoardEvent(ctx, event);
    case 'column':
      return undoColumnEvent(ctx, event);
    case 'card':
      return undoCardEvent(ctx, event);
    case 'comment':
      return undoCommentEvent(ctx, event);
    case 'account':
      throw new AppError('invalid_input', 'Changes to the members of an account cannot be undone; make the opposite change instead.');
    case 'webhook':
      throw new AppError('invalid_input', 'Webhook changes cannot be undone; change the webhook again instead.');
  }
}

function compensation<A extends Action>(verb: string, collection: Undoable, input: EventInput<A>): Compensation {
  return { verb, collection, input: input as EventInput<Action> };
}

// ---- Boards -------------------------------------------------------------------------------------------

async function undoBoardEvent(ctx: DomainContext, event: KnownEvent): Promise<Compensation> {
  const board = await findEntity(ctx, 'boards', event.eventableId);
  if (!board) throw new AppError('conflict', 'This board no longer exists.');
  if (board.isDeleted) throw await deletedSince(ctx, event, 'board_deleted');
  const { id } = board;
  switch (event.action) {
    case 'board_created': {
      const [columns, cards] = await Promise.all([
        findDocuments(ctx.account.collections.columns, { selector: { boardId: id, isDeleted: false }, limit: 1 }),
        findDocuments(ctx.account.collections.cards, { selector: { boardId: id, isDeleted: false }, limit: 1 }),
      ]);
      if (columns.length > 0 || cards.length > 0) {
        throw new AppError('conflict', `The board “${board.name}” is no longer empty; delete it from the board itself if you mean to.`);
      }
      return compensation('board.delete', 'boards', { action: 'board_deleted', eventableId: id, boardId: id, particulars: { name: board.name } });
    }
    case 'board_renamed':
      if (board.name !== event.particulars.to) throw await changedSince(ctx, event, ['board_renamed']);
      return compensation('board.rename', 'boards', {
        action: 'board_renamed',
        eventableId: id,
        boardId: id,
        particulars: { from: board.name, to: event.particulars.from },
      });
    default:
      throw cannotUndo(event);
  }
}

// ---- Columns ------------------------------------------------------------------------------------------

async function undoColumnEvent(ctx: DomainContext, event: KnownEvent): Promise<Compensation> {
  const column = await findEntity(ctx, 'columns', event.eventableId);
  if (!column) throw new AppError('conflict', 'This column no longer exists.');
  await requireLiveBoard(ctx, column.boardId);
  const { id, boardId } = column;
  const isDeletion = event.action === 'column_deleted';
  if (!isDeletion && column.isDeleted) throw await deletedSince(ctx, event, 'column_deleted');
  switch (event.action) {
    case 'column_created':
    case 'column_restored':
      await requireEmptyColumn(ctx, column);
      return compensation('column.delete', 'columns', { action: 'column_deleted', eventableId: id, boardId, particulars: { name: column.name } });
    case 'column_deleted':
      if (!column.isDeleted) throw await changedSince(ctx, event, ['column_restored']);
      return compensation('column.restore', 'columns', { action: 'column_restored', eventableId: id, boardId, particulars: { name: column.name } });
    case 'column_renamed':
      if (column.name !== event.particulars.to) throw await changedSince(ctx, event, ['column_renamed']);
      return compensation('column.rename', 'columns', {
        action: 'column_renamed',
        eventableId: id,
        boardId,
        particulars: { from: column.name, to: event.particulars.from },
      });
    case 'column_moved':
      if (column.position !== event.particulars.toPosition) throw await changedSince(ctx, event, ['column_moved']);
      return compensation('column.move', 'columns', {
        action: 'column_moved',
        eventableId: id,
        boardId,
        particulars: { name: column.name, fromPosition: column.position, toPosition: event.particulars.fromPosition },
      });
    default:
      throw cannotUndo(event);
  }
}

async function requireEmptyColumn(ctx: DomainContext, column: Column): Promise<void> {
  const cards = await findDocuments(ctx.account.collections.cards, {
    selector: { boardId: column.boardId, columnId: column.id, isDeleted: false },
    limit: 1,
  });
  if (cards.length > 0) {
    throw new AppError('conflict', `The column “${column.name}” holds cards now; move or delete them first.`);
  }
}

// ---- Cards --------------------------------------------------------------------------------------------

async function undoCardEvent(ctx: DomainContext, event: KnownEvent): Promise<Compensation> {
  const card = await findEntity(ctx, 'cards', event.eventableId);
  if (!card) throw new AppError('conflict', 'This card no longer exists.');
  await requireLiveBoard(ctx, card.boardId);
  const { id, boardId, title } = card;
  const isDeletion = event.action === 'card_deleted';
  if (!isDeletion && card.isDeleted) throw await deletedSince(ctx, event, 'card_deleted');
  const on = { eventableId: id, boardId };
  switch (event.action) {
    case 'card_created':
    case 'card_restored':
      return compensation('card.delete', 'cards', { action: 'card_deleted', ...on, particulars: { title, column: await columnRefOf(ctx, card) } });
    case 'card_deleted':
      if (!card.isDeleted) throw await changedSince(ctx, event, ['card_restored']);
      return compensation('card.restore', 'cards', { action: 'card_restored', ...on, particulars: { title, column: await columnRefOf(ctx, card) } });
    case 'card_moved': {
      const { from, to, fromPosition, toPosition } = event.particulars;
      if (card.columnId !== to.id || card.position !== toPosition) throw await changedSince(ctx, event, ['card_moved']);
      const back = await findEntity(ctx, 'columns', from.id);
      if (!back || back.isDeleted || back.boardId !== boardId) {
        throw new AppError('conflict', `The column “${back?.name ?? from.name}” it came from has been deleted since.`);
      }
      return compensation('card.move', 'cards', {
        action: 'card_moved',
        ...on,
        particulars: { title, from: await columnRefOf(ctx, card), to: ref(back), fromPosition: card.position, toPosition: fromPosition },
      });
    }
    case 'card_renamed':
      if (title !== event.particulars.to) throw await changedSince(ctx, event, ['card_renamed']);
      return compensation('card.rename', 'cards', { action: 'card_renamed', ...on, particulars: { from: title, to: event.particulars.from } });
    case 'card_description_changed': {
      if (card.description !== event.particulars.description) throw await changedSince(ctx, event, ['card_description_changed']);
      const previous = await earlierText(ctx, event, ['card_description_changed'], event.particulars.previousHash, (earlier) =>
        earlier.action === 'card_description_changed' ? earlier.particulars.description : undefined,
      );
      return compensation('card.describe', 'cards', {
        action: 'card_description_changed',
        ...on,
        particulars: { title, description: previous, previousHash: hashText(card.description) },
      });
    }
    case 'card_closed':
      if (!card.isClosed) throw await changedSince(ctx, event, ['card_reopened']);
      return compensation('card.reopen', 'cards', { action: 'card_reopened', ...on, particulars: { title, column: await columnRefOf(ctx, card) } });
    case 'card_reopened':
      if (card.isClosed) throw await changedSince(ctx, event, ['card_closed']);
      return compensation('card.close', 'cards', { action: 'card_closed', ...on, particulars: { title, column: await columnRefOf(ctx, card) } });
    case 'card_assigned': {
      const { assignee } = event.particulars;
      const current = card.assignees.find((person) => person.id === assignee.id);
      if (!current) throw await changedSince(ctx, event, ['card_unassigned'], (later) => isAbout(later, assignee.id));
      return compensation('card.unassign', 'cards', { action: 'card_unassigned', ...on, particulars: { title, assignee: ref(current) } });
    }
    case 'card_unassigned': {
      const { assignee } = event.particulars;
      if (card.assignees.some((person) => person.id === assignee.id)) {
        throw await changedSince(ctx, event, ['card_assigned'], (later) => isAbout(later, assignee.id));
      }
      const members = await findEntity(ctx, 'members', ctx.account.accountId);
      const member = members?.members.find((candidate) => candidate.id === assignee.id);
      if (!member) throw new AppError('conflict', `${assignee.name} is no longer a member of this account.`);
      return compensation('card.assign', 'cards', { action: 'card_assigned', ...on, particulars: { title, assignee: ref(member) } });
    }
    case 'card_tagged': {
      const { tag } = event.particulars;
      if (!card.tags.includes(tag)) throw await changedSince(ctx, event, ['card_untagged'], (later) => hasTag(later, tag));
      return compensation('card.untag', 'cards', { action: 'card_untagged', ...on, particulars: { title, tag } });
    }
    case 'card_untagged': {
      const { tag } = event.particulars;
      if (card.tags.includes(tag)) throw await changedSince(ctx, event, ['card_tagged'], (later) => hasTag(later, tag));
      return compensation('card.tag', 'cards', { action: 'card_tagged', ...on, particulars: { title, tag } });
    }
    case 'card_due_date_changed':
      if (card.dueDate !== event.particulars.to) throw await changedSince(ctx, event, ['card_due_date_changed']);
      return compensation('card.setDueDate', 'cards', {
        action: 'card_due_date_changed',
        ...on,
        particulars: { title, from: card.dueDate, to: event.particulars.from },
      });
    default:
      throw cannotUndo(event);
  }
}

// ---- Comments -----------------------------------------------------------------------------------------

async function undoCommentEvent(ctx: DomainContext, event: KnownEvent): Promise<Compensation> {
  const comment = await findEntity(ctx, 'comments', event.eventableId);
  if (!comment) throw new AppError('conflict', 'This comment no longer exists.');
  await requireLiveBoard(ctx, comment.boardId);
  const card = await findEntity(ctx, 'cards', comment.cardId);
  const cardRef = { id: comment.cardId, title: card?.title ?? 'Unknown card' };
  const { id, boardId } = comment;
  const on = { eventableId: id, boardId };
  const isDeletion = event.action === 'comment_deleted';
  if (!isDeletion && comment.isDeleted) throw await deletedSince(ctx, event, 'comment_deleted');
  switch (event.action) {
    case 'comment_created':
    case 'comment_restored':
      return compensation('comment.delete', 'comments', { action: 'comment_deleted', ...on, particulars: { card: cardRef } });
    case 'comment_deleted':
      if (!comment.isDeleted) throw await changedSince(ctx, event, ['comment_restored']);
      return compensation('comment.restore', 'comments', { action: 'comment_restored', ...on, particulars: { card: cardRef } });
    case 'comment_edited': {
      if (comment.body !== event.particulars.body) throw await changedSince(ctx, event, ['comment_edited']);
      const previous = await earlierText(ctx, event, ['comment_created', 'comment_edited'], event.particulars.previousHash, (earlier) =>
        earlier.action === 'comment_created' || earlier.action === 'comment_edited' ? earlier.particulars.body : undefined,
      );
      return compensation('comment.edit', 'comments', {
        action: 'comment_edited',
        ...on,
        particulars: { card: cardRef, body: previous, previousHash: hashText(comment.body) },
      });
    }
    default:
      throw cannotUndo(event);
  }
}

// ---- Helpers ------------------------------------------------------------------------------------------

async function findEvent(ctx: DomainContext, id: string): Promise<StoredEvent | undefined> {
  const [doc] = await ctx.account.collections.events.storageInstance.findDocumentsById([id], false);
  if (!doc) return undefined;
  const event = withoutRxFields(doc);
  return event.accountId === ctx.account.accountId ? event : undefined;
}

async function requireLiveBoard(ctx: DomainContext, boardId: string): Promise<void> {
  const board = await findEntity(ctx, 'boards', boardId);
  if (board?.isDeleted) throw new AppError('conflict', `The board “${board.name}” has been deleted since.`);
}

function cannotUndo(event: KnownEvent): AppError {
  return new AppError('invalid_input', `A ${event.action.replaceAll('_', ' ')} event cannot be undone.`);
}

function ref(entity: { id: string; name: string }): Ref {
  return { id: entity.id, name: entity.name };
}

async function columnRefOf(ctx: DomainContext, card: Card): Promise<Ref> {
  const column = await findEntity(ctx, 'columns', card.columnId);
  return column ? ref(column) : { id: card.columnId, name: 'Unknown column' };
}

function isAbout(event: KnownEvent, personId: string): boolean {
  return (event.action === 'card_assigned' || event.action === 'card_unassigned') && event.particulars.assignee.id === personId;
}

function hasTag(event: KnownEvent, tag: string): boolean {
  return (event.action === 'card_tagged' || event.action === 'card_untagged') && event.particulars.tag === tag;
}
