// Activity feeds: every event of a board, or of the whole account, newest first in cursor pages,
// optionally only some actions or one person's. Each page is a backwards scan of one
// [field, hlc, id] index (boardId, accountId, or creatorId when a person is named) that stops once the
// page is full; the action filter is applied while reading.
import { AppError } from '../../../shared/errors';
import { ACTION_PATTERN } from '../../../shared/events';
import { isId } from '../../../shared/ids';
import type { ActivityRequest, EventItem, Page } from '../../../shared/model/views';
import { authorize } from '../access';
import { requireEntity, type DomainContext } from '../context';
import { eventsNewestFirst, pageOf, readCursor, readLimit } from './read';

/** Most actions one filter may name. */
export const ACTION_FILTER_MAX = 64;

const ACTION_REGEX = new RegExp(ACTION_PATTERN);

/** The board's events (its own, its columns', cards' and comments'), also of a deleted board. */
export async function boardActivity(ctx: DomainContext, boardId: string, request: ActivityRequest): Promise<Page<EventItem>> {
  await authorize(ctx, 'board.view');
  const filter = readActivityRequest(request);
  const found = await requireEntity(ctx, 'boards', boardId);
  // The board's index also when a person is named: a board's feed is bounded, a person's is not.
  const newest = await eventsNewestFirst(ctx, 'boardId', found.id, { before: filter.before, limit: filter.limit + 1, where: filter.where });
  return pageOf(newest, filter.limit);
}

/** Every event of the account. */
export async function accountActivity(ctx: DomainContext, request: ActivityRequest): Promise<Page<EventItem>> {
  await authorize(ctx, 'account.view');
  const filter = readActivityRequest(request);
  const { creatorId, ...where } = filter.where;
  const range = { before: filter.before, limit: filter.limit + 1, where };
  // The database holds one account: a person's feed is the creatorId index alone.
  const newest =
    typeof creatorId === 'string'
      ? await eventsNewestFirst(ctx, 'creatorId', creatorId, range)
      : await eventsNewestFirst(ctx, 'accountId', ctx.account.accountId, range);
  return pageOf(newest, filter.limit);
}

function readActivityRequest(request: unknown) {
  if (typeof request !== 'object' || request === null) throw new AppError('invalid_input', 'Give a page size.');
  const { cursor, limit, actions, creatorId } = request as Record<string, unknown>;
  const where: Record<string, unknown> = {};
  if (actions !== undefined) where['action'] = { $in: readActions(actions) };
  if (creatorId !== undefined) {
    if (!isId(creatorId)) throw new AppError('invalid_input', 'The person filter must be a person id.');
    where['creatorId'] = creatorId;
  }
  return { before: readCursor(cursor), limit: readLimit(limit), where };
}

function readActions(actions: unknown): string[] {
  if (!Array.isArray(actions) || actions.length === 0 || actions.length > ACTION_FILTER_MAX) {
    throw new AppError('invalid_input', `The action filter must name 1 to ${ACTION_FILTER_MAX} actions.`);
  }
  for (const action of actions) {
    if (typeof action !== 'string' || !ACTION_REGEX.test(action)) {
      throw new AppError('invalid_input', `“${String(action)}” is not an action name.`);
    }
  }
  return [...new Set(actions as string[])];
}
