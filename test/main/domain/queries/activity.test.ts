import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../../shared/events';
import type { Board, Column } from '../../../../shared/model';
import type { EventItem, Page } from '../../../../shared/model/views';
import { describeEvent } from '../../../../shared/sentences';
import * as boardVerbs from '../../../../src-main/domain/board';
import * as card from '../../../../src-main/domain/card';
import * as comment from '../../../../src-main/domain/comment';
import type { DomainContext } from '../../../../src-main/domain/context';
import * as queries from '../../../../src-main/domain/queries';
import { addMember, expectRefused, openDomainFixture, seedBoard, withTwoAccounts, type DomainFixture } from '../../../support/domain-fixtures';
import { insertEvents, rawEvent } from './raw-events';

let f: DomainFixture;
let me: DomainContext;
let ann: DomainContext;
let launch: Board;
let other: Board;

const newestFirst = (events: StoredEvent[]) =>
  [...events].sort((a, b) => (a.hlc !== b.hlc ? (a.hlc < b.hlc ? 1 : -1) : a.id < b.id ? 1 : -1));
const ids = (items: readonly { event: StoredEvent }[] | readonly StoredEvent[]) =>
  items.map((item) => ('event' in item ? item.event.id : item.id));

async function allPages(
  read: (cursor: string | null) => Promise<Page<EventItem>>,
  between: () => Promise<void> = async () => {},
): Promise<EventItem[][]> {
  const pages: EventItem[][] = [];
  let cursor: string | null = null;
  do {
    const page = await read(cursor);
    pages.push(page.items);
    cursor = page.nextCursor;
    await between();
  } while (cursor !== null);
  return pages;
}

describe('activity feeds', () => {
  beforeEach(async () => {
    f = await openDomainFixture();
    me = f.session.context();
    ann = f.session.context(await addMember(me, { id: 'ann-0001', name: 'Ann' }));
    const seeded = await seedBoard(me, { name: 'Launch', columns: ['To do', 'Done'] });
    launch = seeded.board;
    const [todo, done] = seeded.columns as [Column, Column];
    const post = await card.create(me, { boardId: launch.id, columnId: todo.id, title: 'Write the post' });
    await card.assign(ann, post.id, ann.actor.id);
    await card.move(ann, post.id, { toColumnId: done.id });
    await comment.create(ann, { cardId: post.id, body: 'Done!' });
    await card.close(me, post.id);
    const seededOther = await seedBoard(ann, { name: 'Other', columns: ['Inbox'] });
    other = seededOther.board;
    await card.create(ann, { boardId: other.id, columnId: seededOther.columns[0]!.id, title: 'Elsewhere' });
    await boardVerbs.rename(me, launch.id, 'Launch 2026');
  });
  afterEach(async () => {
    await f.close();
  });

  describe('queries.boardActivity', () => {
    it("answers every event of the board (its columns', cards' and comments'), newest first, with sentences", async () => {
      const page = await queries.boardActivity(me, launch.id, { limit: 100 });
      const expected = newestFirst((await f.events()).filter((e) => e.boardId === launch.id));
      expect(ids(page.items)).toEqual(ids(expected));
      expect(page.items.map((item) => item.event.action)).toEqual([
        'board_renamed',
        'card_closed',
        'comment_created',
        'card_moved',
        'card_assigned',
        'card_created',
        'column_created',
        'column_created',
        'board_created',
      ]);
      for (const item of page.items) expect(item.sentence).toEqual(describeEvent(item.event));
      expect(page.nextCursor).toBeNull();
    });

    it('filters by action and by creator, alone and together', async () => {
      const byAction = await queries.boardActivity(me, launch.id, { limit: 100, actions: ['card_moved', 'card_closed', 'card_sparkled'] });
      expect(byAction.items.map((item) => item.event.action)).toEqual(['card_closed', 'card_moved']);
      const byAnn = await queries.boardActivity(me, launch.id, { limit: 100, creatorId: ann.actor.id });
      expect(byAnn.items.map((item) => item.event.action)).toEqual(['comment_created', 'card_moved', 'card_assigned']);
      const both = await queries.boardActivity(me, launch.id, { limit: 100, creatorId: me.actor.id, actions: ['card_closed', 'card_moved'] });
      expect(both.items.map((item) => item.event.action)).toEqual(['card_closed']);
    });

    it('pages with a cursor, never repeating or skipping while new events arrive, filters included', async () => {
      const expected = newestFirst((await f.events()).filter((e) => e.boardId === launch.id));
      let n = 0;
      const arrive = async () => {
        await boardVerbs.rename(ann, launch.id, `Launch v${++n}`);
      };
      const pages = await allPages((cursor) => queries.boardActivity(me, launch.id, { cursor, limit: 2 }), arrive);
      expect(pages.map((page) => page.length)).toEqual([2, 2, 2, 2, 1]);
      expect(ids(pages.flat())).toEqual(ids(expected));

      const mine = newestFirst((await f.events()).filter((e) => e.boardId === launch.id && e.creatorId === me.actor.id));
      const minePages = await allPages((cursor) => queries.boardActivity(me, launch.id, { cursor, limit: 3, creatorId: me.actor.id }), arrive);
      expect(ids(minePages.flat())).toEqual(ids(mine));
    });

    it('answers the feed of a deleted board, and not_found for an unknown one', async () => {
      await boardVerbs.remove(me, launch.id);
      const page = await queries.boardActivity(me, launch.id, { limit: 1 });
      expect(page.items.map((item) => item.event.action)).toEqual(['board_deleted']);
      await expectRefused(f, () => queries.boardActivity(me, 'no-such-board', { limit: 1 }), 'not_found');
    });

    it('refuses malformed requests with invalid_input', async () => {
      const bad: unknown[] = [
        { limit: 0 },
        { limit: 10, actions: [] },
        { limit: 10, actions: ['Card Moved'] },
        { limit: 10, actions: 'card_moved' },
        { limit: 10, creatorId: 'not an id' },
        { limit: 10, cursor: 'nope' },
      ];
      for (const request of bad) {
        await expectRefused(f, () => queries.boardActivity(me, launch.id, request as never), 'invalid_input');
      }
    });
  });

  describe('queries.accountActivity', () => {
    it('answers every event of the account, newest first', async () => {
      const page = await queries.accountActivity(me, { limit: 100 });
      expect(ids(page.items)).toEqual(ids(newestFirst(await f.events())));
      expect(page.items.at(-1)!.event.action).toBe('account_created');
      expect(page.items.some((item) => item.event.boardId === other.id)).toBe(true);
    });

    it('filters by action and by creator', async () => {
      const created = await queries.accountActivity(me, { limit: 100, actions: ['board_created', 'member_joined'] });
      expect(created.items.map((item) => [item.event.action, item.event.creatorName])).toEqual([
        ['board_created', 'Ann'],
        ['board_created', me.actor.name],
        ['member_joined', me.actor.name],
      ]);
      const byAnn = await queries.accountActivity(me, { limit: 100, creatorId: ann.actor.id });
      expect(ids(byAnn.items)).toEqual(ids(newestFirst((await f.events()).filter((e) => e.creatorId === ann.actor.id))));
      const annsCards = await queries.accountActivity(me, { limit: 100, creatorId: ann.actor.id, actions: ['card_created'] });
      expect(annsCards.items.map((item) => item.event.particulars['title'])).toEqual(['Elsewhere']);
    });

    it('pages with a cursor, never repeating or skipping while new events arrive', async () => {
      const expected = newestFirst(await f.events());
      let n = 0;
      const pages = await allPages(
        (cursor) => queries.accountActivity(me, { cursor, limit: 4 }),
        async () => {
          await boardVerbs.create(ann, { name: `Board ${++n}` });
        },
      );
      expect(ids(pages.flat())).toEqual(ids(expected));
      expect(pages.slice(0, -1).every((page) => page.length === 4)).toBe(true);
    });

    it('includes refused events and unknown actions, flagged', async () => {
      const refused = rawEvent(ann, {
        action: 'board_created',
        eventableType: 'board',
        eventableId: 'refused-board',
        boardId: 'refused-board',
        particulars: { name: 'Refused' },
        rejection: { code: 'forbidden', message: 'Not today.', at: '2026-11-26T09:00:00.000Z' },
      });
      const unknown = rawEvent(ann, { action: 'account_renamed', eventableType: 'account', eventableId: me.account.accountId, particulars: {} });
      await insertEvents(f.session, [refused, unknown]);
      const page = await queries.accountActivity(me, { limit: 2 });
      expect(page.items.map((item) => [item.event.id, item.isRejected, item.isUnknown, item.sentence.id])).toEqual([
        [unknown.id, false, true, 'unknown_change'],
        [refused.id, true, false, 'event_refused'],
      ]);
      const unknownOnly = await queries.accountActivity(me, { limit: 5, actions: ['account_renamed'] });
      expect(ids(unknownOnly.items)).toEqual([unknown.id]);
    });
  });
});

describe('activity across accounts', () => {
  it('never shows events of another account', async () => {
    await withTwoAccounts(async (fixture, theirs) => {
      const home = fixture.session.context();
      await seedBoard(home, { columns: ['Only'] });
      const page = await queries.accountActivity(home, { limit: 500 });
      expect(page.items.every((item) => item.event.accountId === home.account.accountId)).toBe(true);
      expect(ids(page.items).some((id) => theirs.eventIds.includes(id))).toBe(false);
      const byThem = await queries.accountActivity(home, { limit: 500, creatorId: theirs.user.id });
      expect(byThem.items).toEqual([]);
      await expectRefused(fixture, () => queries.boardActivity(home, theirs.board.id, { limit: 10 }), 'not_found');
    });
  });
});
