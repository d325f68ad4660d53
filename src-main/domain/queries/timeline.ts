// A card's timeline: its own events and its comments' events (comment events are about the comment),
// newest first, in cursor pages. Rejected events and unknown actions are included and flagged.
//
// Each eventable's events are one backwards range scan of the [eventableId, hlc, id] index, merged here:
// one `$in` query over every eventable cannot be read in (hlc, id) order from that index, so it reads the
// whole range to sort it (measured on a card of 10,000 events with 20 comments in a 20,000-event log: a
// page took 200 to 300 ms with `$in`, about 2 ms merged). The card's own scan comes first; its page's
// oldest event bounds the comments' scans, so a comment with nothing in the page costs one index seek.
import { AppError } from '../../../shared/errors';
import type { StoredEvent } from '../../../shared/events';
import type { EventItem, Page, PageRequest } from '../../../shared/model/views';
import { authorize } from '../access';
import { hasEntity, notFound, requireEntityId, type DomainContext } from '../context';
import { commentsOfCard } from '../card-order';
import { compareNewestFirst, eventsNewestFirst, pageOf, readCursor, readLimit } from './read';

export async function timeline(ctx: DomainContext, cardId: string, request: PageRequest): Promise<Page<EventItem>> {
  // The members record and the card are nearly always in the projection cache: checked there, no copy.
  await authorize(ctx, 'card.view');
  if (typeof request !== 'object' || request === null) throw new AppError('invalid_input', 'Give a page size.');
  const before = readCursor(request.cursor);
  const limit = readLimit(request.limit);
  const id = requireEntityId('cards', cardId);
  // One more than the page, to tell whether another page follows.
  const wanted = limit + 1;
  // The card's own page first: the read the page cannot do without, while the storage is coldest (after a pause,
  // the first read costs several times the next ones); then the card check and its comments' list, which are
  // usually held in memory and are cheap reads when not.
  let newest = await eventsNewestFirst(ctx, 'eventableId', id, { before, limit: wanted });
  if (!(await hasEntity(ctx, 'cards', id))) throw notFound('cards', id);
  const comments = await commentsOfCard(ctx, id);
  // Newest comments first: their events are the likeliest to fall in this page and tighten the bound.
  for (let i = comments.length - 1; i >= 0; i--) {
    const bound = newest.length >= wanted ? newest[wanted - 1]!.hlc : undefined;
    const events = await eventsNewestFirst(ctx, 'eventableId', comments[i]!.id, { before, limit: wanted, notBeforeHlc: bound });
    if (events.length > 0) newest = mergeNewestFirst(newest, events, wanted);
  }
  return pageOf(newest, limit);
}

/** The first `limit` of two newest-first lists, newest first. */
function mergeNewestFirst(a: readonly StoredEvent[], b: readonly StoredEvent[], limit: number): StoredEvent[] {
  const merged: StoredEvent[] = [];
  let i = 0;
  let j = 0;
  while (merged.length < limit && (i < a.length || j < b.length)) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && compareNewestFirst(x, y) <= 0)) {
      merged.push(x!);
      i++;
    } else {
      merged.push(y);
      j++;
    }
  }
  return merged;
}
