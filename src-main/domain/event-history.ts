// An eventable's history, read for undo: who changed a field since an event (for the `conflict` message),
// and the text a description or comment had before a change (its `previousHash` names it; the text itself
// is in an earlier event). Pages of the [eventableId, hlc, id] index read backwards, only as far as needed.
import { AppError } from '../../shared/errors';
import { hashText, readEvent, type Action, type KnownEvent, type StoredEvent } from '../../shared/events';
import type { DomainContext } from './context';
import { eventsNewestFirst, isOlder, type EventKey } from './queries/read';

const SCAN_PAGE = 50;

/**
 * The events of `event`'s eventable with one of `actions`, newest first, from just before `before` (or
 * from the newest): pages of the [eventableId, hlc, id] index read backwards, as long as the caller reads.
 */
async function* backwards(
  ctx: DomainContext,
  event: KnownEvent,
  actions: readonly Action[],
  before?: EventKey,
): AsyncGenerator<StoredEvent> {
  let cursor = before;
  for (;;) {
    const page = await eventsNewestFirst(ctx, 'eventableId', event.eventableId, {
      before: cursor,
      limit: SCAN_PAGE,
      where: { action: { $in: [...actions] } },
    });
    yield* page;
    if (page.length < SCAN_PAGE) return;
    cursor = page.at(-1);
  }
}

/**
 * The `conflict` for a field changed since `event`: names who changed it last ("Ann moved it again
 * since."), from the newest later event of one of `actions` (matching `matches`).
 */
export async function changedSince(
  ctx: DomainContext,
  event: KnownEvent,
  actions: readonly Action[],
  matches: (later: KnownEvent) => boolean = () => true,
): Promise<AppError> {
  for await (const stored of backwards(ctx, event, actions)) {
    if (!isOlder(event, stored)) break;
    const later = readEvent(stored);
    if (later && matches(later)) return conflictAfter(ctx, event, later, ' since');
  }
  return new AppError('conflict', 'It has changed since, so this can no longer be undone.');
}

/**
 * The `conflict` for a change to something deleted: names who deleted it, also when that deletion sorts
 * before the undone change (made offline elsewhere and merged after it).
 */
export async function deletedSince(ctx: DomainContext, event: KnownEvent, deletion: Action): Promise<AppError> {
  for await (const stored of backwards(ctx, event, [deletion])) {
    const deleted = readEvent(stored);
    if (deleted) return conflictAfter(ctx, event, deleted, isOlder(event, deleted) ? ' since' : '');
  }
  return new AppError('conflict', 'It has been deleted, so this can no longer be undone.');
}

function conflictAfter(ctx: DomainContext, event: KnownEvent, later: KnownEvent, since: string): AppError {
  const who = later.creatorId === ctx.actor.id ? 'You' : later.creatorName;
  const again = later.action === event.action ? ' again' : '';
  return new AppError('conflict', `${who} ${DONE[later.action] ?? 'changed it'}${again}${since}, so this can no longer be undone.`, {
    eventId: later.id,
  });
}

/** What a later change did, for "Ann … since". */
const DONE: Partial<Record<Action, string>> = {
  board_renamed: 'renamed the board',
  board_deleted: 'deleted the board',
  column_renamed: 'renamed the column',
  column_moved: 'moved the column',
  column_deleted: 'deleted the column',
  column_restored: 'restored the column',
  card_moved: 'moved it',
  card_renamed: 'renamed it',
  card_description_changed: 'changed the description',
  card_closed: 'closed it',
  card_reopened: 'reopened it',
  card_assigned: 'assigned that person',
  card_unassigned: 'unassigned that person',
  card_tagged: 'added that tag',
  card_untagged: 'removed that tag',
  card_due_date_changed: 'changed the due date',
  card_deleted: 'deleted it',
  card_restored: 'restored it',
  comment_edited: 'edited the comment',
  comment_deleted: 'deleted the comment',
  comment_restored: 'restored the comment',
};

/**
 * The text a description or comment had before `event`: the newest earlier text whose hash is the
 * `previousHash` the event recorded (the empty text when that is what it hashes). A `conflict` when
 * the log holds no such text (an earlier change has not arrived from another device yet).
 */
export async function earlierText(
  ctx: DomainContext,
  event: KnownEvent,
  actions: readonly Action[],
  previousHash: string,
  textOf: (earlier: KnownEvent) => string | undefined,
): Promise<string> {
  for await (const stored of backwards(ctx, event, actions, event)) {
    const earlier = readEvent(stored);
    const text = earlier ? textOf(earlier) : undefined;
    if (text !== undefined && hashText(text) === previousHash) return text;
  }
  if (hashText('') === previousHash) return '';
  throw new AppError('conflict', 'The earlier text is not on this device yet, so this cannot be undone now.');
}
