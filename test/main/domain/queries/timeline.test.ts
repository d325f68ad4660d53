import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../../shared/events';
import type { Board, Card, Column, Comment } from '../../../../shared/model';
import type { EventItem, Page } from '../../../../shared/model/views';
import { describeEvent } from '../../../../shared/sentences';
import * as card from '../../../../src-main/domain/card';
import * as comment from '../../../../src-main/domain/comment';
import type { DomainContext } from '../../../../src-main/domain/context';
import * as queries from '../../../../src-main/domain/queries';
import { projectionCacheOf } from '../../../../src-main/worker/projection-cache';
import { expectRefused, openDomainFixture, seedBoard, type DomainFixture } from '../../../support/domain-fixtures';
import { insertEvents, rawEvent } from './raw-events';

let f: DomainFixture;
let ctx: DomainContext;
let board: Board;
let todo: Column;
let doing: Column;
let subject: Card;

/** Newest first, as the timeline must answer. */
const newestFirst = (events: StoredEvent[]) =>
  [...events].sort((a, b) => (a.hlc !== b.hlc ? (a.hlc < b.hlc ? 1 : -1) : a.id < b.id ? 1 : -1));

/** Every page from the newest, running `between` after each page. */
async function allPages(
  read: (cursor: string | null) => Promise<Page<EventItem>>,
  between: (pageIndex: number) => Promise<void> = async () => {},
): Promise<EventItem[][]> {
  const pages: EventItem[][] = [];
  let cursor: string | null = null;
  do {
    const page = await read(cursor);
    pages.push(page.items);
    cursor = page.nextCursor;
    await between(pages.length - 1);
  } while (cursor !== null);
  return pages;
}

describe('queries.timeline', () => {
  beforeEach(async () => {
    f = await openDomainFixture();
    ctx = f.session.context();
    const seeded = await seedBoard(ctx, { columns: ['To do', 'Doing'] });
    board = seeded.board;
    [todo, doing] = seeded.columns as [Column, Column];
    subject = await card.create(ctx, { boardId: board.id, columnId: todo.id, title: 'Subject' });
  });
  afterEach(async () => {
    await f.close();
  });

  /** The events the card's timeline must hold: the card's own and its comments'. */
  async function expectedEvents(cardId: string, commentIds: readonly string[]): Promise<StoredEvent[]> {
    const ids = new Set([cardId, ...commentIds]);
    return newestFirst((await f.events()).filter((e) => ids.has(e.eventableId)));
  }

  it("answers the card's own and its comments' events, newest first, each with its sentence", async () => {
    await card.move(ctx, subject.id, { toColumnId: doing.id });
    const note = await comment.create(ctx, { cardId: subject.id, body: 'A note' });
    await card.rename(ctx, subject.id, 'Renamed');
    await comment.edit(ctx, note.id, 'A better note');
    const second = await comment.create(ctx, { cardId: subject.id, body: 'Second' });
    await comment.remove(ctx, second.id);
    await card.close(ctx, subject.id);
    // Not this card's: another card and its comment.
    const other = await card.create(ctx, { boardId: board.id, columnId: todo.id, title: 'Other' });
    await comment.create(ctx, { cardId: other.id, body: 'Elsewhere' });

    const page = await queries.timeline(ctx, subject.id, { limit: 50 });
    expect(page.items.map((item) => item.event.action)).toEqual([
      'card_closed',
      'comment_deleted',
      'comment_created',
      'comment_edited',
      'card_renamed',
      'comment_created',
      'card_moved',
      'card_created',
    ]);
    expect(page.items.map((item) => item.event)).toEqual(await expectedEvents(subject.id, [note.id, second.id]));
    for (const item of page.items) {
      expect(item.sentence).toEqual(describeEvent(item.event));
      expect(item).toMatchObject({ isRejected: false, isUnknown: false });
    }
    expect(page.nextCursor).toBeNull();
    expect(JSON.parse(JSON.stringify(page))).toEqual(page);
  });

  it('pages newest first with a cursor, never repeating or skipping while new events arrive', async () => {
    const notes: Comment[] = [];
    for (let i = 0; i < 4; i++) {
      notes.push(await comment.create(ctx, { cardId: subject.id, body: `Note ${i}` }));
      await card.tag(ctx, subject.id, `tag-${i}`);
    }
    await comment.edit(ctx, notes[0]!.id, 'Note 0, edited');
    const snapshot = await expectedEvents(subject.id, notes.map((n) => n.id));
    expect(snapshot).toHaveLength(10);

    const pages = await allPages(
      (cursor) => queries.timeline(ctx, subject.id, { cursor, limit: 3 }),
      async (index) => {
        // New events (newer than every page already read) arrive between pages, on the card and its comments.
        await card.rename(ctx, subject.id, `Renamed ${index}`);
        await comment.edit(ctx, notes[1]!.id, `Note 1, edit ${index}`);
        notes.push(await comment.create(ctx, { cardId: subject.id, body: `Late ${index}` }));
      },
    );
    expect(pages.map((page) => page.length)).toEqual([3, 3, 3, 1]);
    expect(pages.flat().map((item) => item.event.id)).toEqual(snapshot.map((e) => e.id));
    // The newest page now starts with the newest of the events that arrived meanwhile.
    const fresh = await queries.timeline(ctx, subject.id, { limit: 1 });
    expect(fresh.items[0]!.event.id).toBe((await expectedEvents(subject.id, notes.map((n) => n.id)))[0]!.id);
  });

  it('pages exactly through events that share an hlc (imported so)', async () => {
    const hlc = ctx.clock.tick();
    const twins = ['a', 'b', 'c', 'd'].map((letter) =>
      rawEvent(ctx, {
        id: `0198f000-0000-7000-8000-00000000000${letter}`,
        hlc,
        action: 'card_tagged',
        eventableType: 'card',
        eventableId: subject.id,
        boardId: board.id,
        particulars: { title: 'Subject', tag: letter },
      }),
    );
    await insertEvents(f.session, twins);
    await card.close(ctx, subject.id);
    for (const limit of [1, 2, 3]) {
      const pages = await allPages((cursor) => queries.timeline(ctx, subject.id, { cursor, limit }));
      expect(pages.flat().map((item) => item.event.id)).toEqual((await expectedEvents(subject.id, [])).map((e) => e.id));
    }
  });

  it('includes refused events and actions from a newer version, flagged', async () => {
    const refused = rawEvent(ctx, {
      action: 'card_renamed',
      eventableType: 'card',
      eventableId: subject.id,
      boardId: board.id,
      particulars: { from: 'Subject', to: 'Not allowed' },
      rejection: { code: 'forbidden', message: 'You may not rename this card.', at: '2026-11-26T09:00:00.000Z' },
    });
    const newer = rawEvent(ctx, {
      action: 'card_sparkled',
      eventableType: 'card',
      eventableId: subject.id,
      boardId: board.id,
      particulars: { sparkle: 3 },
    });
    const newerVersion = rawEvent(ctx, {
      v: 9,
      action: 'card_closed',
      eventableType: 'card',
      eventableId: subject.id,
      boardId: board.id,
      particulars: { title: 'Subject', column: { id: todo.id, name: todo.name }, reason: 'new field' },
    });
    await insertEvents(f.session, [refused, newer, newerVersion]);
    const page = await queries.timeline(ctx, subject.id, { limit: 10 });
    expect(page.items.map((item) => [item.event.id, item.isRejected, item.isUnknown, item.sentence.id])).toEqual([
      [newerVersion.id, false, true, 'unknown_change'],
      [newer.id, false, true, 'unknown_change'],
      [refused.id, true, false, 'event_refused'],
      [expect.any(String), false, false, 'card_created'],
    ]);
    // None of them changed the card.
    expect((await queries.card(ctx, subject.id)).card).toMatchObject({ title: 'Subject', isClosed: false });
  });

  it('answers not_found for an unknown card and invalid_input for a bad cursor or page size', async () => {
    await expectRefused(f, () => queries.timeline(ctx, 'no-such-card', { limit: 5 }), 'not_found');
    for (const cursor of ['nonsense', '~', 'x~y', `${ctx.clock.tick()}~not an id`, `${ctx.clock.tick()}`]) {
      await expectRefused(f, () => queries.timeline(ctx, subject.id, { cursor, limit: 5 }), 'invalid_input');
    }
    for (const limit of [0, -1, 1.5, 501, Number.NaN]) {
      await expectRefused(f, () => queries.timeline(ctx, subject.id, { limit }), 'invalid_input');
    }
  });

  it('answers a card with many comments and a long history page by page', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const note = await comment.create(ctx, { cardId: subject.id, body: `Note ${i}` });
      ids.push(note.id);
      if (i % 3 === 0) await comment.edit(ctx, note.id, `Note ${i}, edited`);
      if (i % 4 === 0) await card.tag(ctx, subject.id, `t${i}`);
    }
    const expected = (await expectedEvents(subject.id, ids)).map((e) => e.id);
    for (const limit of [1, 4, 7, 100]) {
      const pages = await allPages((cursor) => queries.timeline(ctx, subject.id, { cursor, limit }));
      expect(pages.flat().map((item) => item.event.id)).toEqual(expected);
      expect(pages.slice(0, -1).every((page) => page.length === limit)).toBe(true);
    }
  });
  it('answers not_found for ids that have events here but are no card of this account: a comment, a refused card', async () => {
    const note = await comment.create(ctx, { cardId: subject.id, body: 'A note' });
    // A card whose creation the server refused: its event is in the log, the fold made no card of it.
    const refused = rawEvent(ctx, {
      action: 'card_created',
      eventableType: 'card',
      eventableId: '0198f000-0000-7000-8000-0000000000f1',
      boardId: board.id,
      particulars: { title: 'Refused', column: { id: todo.id, name: todo.name }, position: 'a0' },
      rejection: { code: 'forbidden', message: 'Not here.', at: '2026-11-26T09:00:00.000Z' },
    });
    await insertEvents(f.session, [refused]);
    expect((await f.events()).filter((e) => e.eventableId === refused.eventableId || e.eventableId === note.id)).toHaveLength(2);
    // And an id no event here names (another account's card is one: its events are in that account's file).
    const unknown = '0198f000-0000-7000-8000-0000000000f2';
    for (const id of [note.id, refused.eventableId, board.id, todo.id, unknown]) {
      await expectRefused(f, () => queries.timeline(ctx, id, { limit: 5 }), 'not_found');
      // Also when the projection cache holds nothing of the cards (the card check reads the storage).
      projectionCacheOf(ctx.account).forget('cards');
      await expectRefused(f, () => queries.timeline(ctx, id, { limit: 5 }), 'not_found');
    }
    // The subject itself, read from the storage after the cache forgot it.
    projectionCacheOf(ctx.account).forget('cards');
    expect((await queries.timeline(ctx, subject.id, { limit: 5 })).items.map((item) => item.event.action)).toEqual(['comment_created', 'card_created']);
  });

  it('refuses a stranger with forbidden, whether the members record is held in memory or read', async () => {
    const stranger = f.session.context({ id: 'stranger', name: 'S' });
    await expectRefused(f, () => queries.timeline(stranger, subject.id, { limit: 5 }), 'forbidden');
    projectionCacheOf(ctx.account).forget('members');
    await expectRefused(f, () => queries.timeline(stranger, subject.id, { limit: 5 }), 'forbidden');
    projectionCacheOf(ctx.account).forget('members');
    expect((await queries.timeline(ctx, subject.id, { limit: 5 })).items).toHaveLength(1);
  });

  it('answers the same pages from a reopened store (nothing held in memory) as from the store that wrote them', async () => {
    const notes: Comment[] = [];
    for (let i = 0; i < 5; i++) notes.push(await comment.create(ctx, { cardId: subject.id, body: `Note ${i}` }));
    await comment.edit(ctx, notes[0]!.id, 'Note 0, edited');
    await comment.remove(ctx, notes[1]!.id);
    await comment.remove(ctx, notes[2]!.id);
    await comment.restore(ctx, notes[2]!.id);
    await card.move(ctx, subject.id, { toColumnId: doing.id });
    await comment.edit(ctx, notes[3]!.id, 'Note 3, edited');
    const read = (context: DomainContext, limit: number) => allPages((cursor) => queries.timeline(context, subject.id, { cursor, limit }));
    const written = { small: await read(ctx, 2), whole: await read(ctx, 50) };
    expect(written.whole.flat().map((item) => item.event.action)).toEqual([
      'comment_edited',
      'card_moved',
      'comment_restored',
      'comment_deleted',
      'comment_deleted',
      'comment_edited',
      'comment_created',
      'comment_created',
      'comment_created',
      'comment_created',
      'comment_created',
      'card_created',
    ]);
    expect(written.small.flat()).toEqual(written.whole.flat());

    // A new store on the same folder: no projection cached, no comment list held (afterEach removes the folder).
    await f.store.close();
    const again = await openDomainFixture({ dir: f.dir, clock: f.clock });
    try {
      const there = again.session.context();
      expect(await read(there, 2)).toEqual(written.small);
      expect(await read(there, 50)).toEqual(written.whole);
    } finally {
      await again.close();
    }
  });
});
