import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashText, type StoredEvent } from '../../../shared/events';
import type { Board, Card, Column } from '../../../shared/model';
import * as boardVerbs from '../../../src-main/domain/board';
import * as card from '../../../src-main/domain/card';
import * as column from '../../../src-main/domain/column';
import * as comment from '../../../src-main/domain/comment';
import { commit, type DomainContext } from '../../../src-main/domain/context';
import * as event from '../../../src-main/domain/event';
import {
  addMember,
  expectOneEvent,
  expectRefused,
  openDomainFixture,
  seedBoard,
  withTwoAccounts,
  type DomainFixture,
} from '../../support/domain-fixtures';
import { insertEvents, rawEvent } from './queries/raw-events';

let f: DomainFixture;
let me: DomainContext;
let ann: DomainContext;
let board: Board;
let todo: Column;
let doing: Column;
let subject: Card;

const ref = (c: { id: string; name: string }) => ({ id: c.id, name: c.name });

/** Runs a verb and answers the one event it recorded. */
async function recorded(act: () => Promise<unknown>): Promise<StoredEvent> {
  return (await expectOneEvent(f, act)).event;
}

/** Undoes `undone` as `me`, asserting exactly one new event with this action and these particulars. */
async function expectUndo(undone: StoredEvent, action: string, particulars: Record<string, unknown>) {
  const { result, event: compensating } = await expectOneEvent(f, () => event.undo(me, undone.id));
  expect(compensating).toMatchObject({
    action,
    eventableId: undone.eventableId,
    boardId: undone.boardId,
    creatorId: me.actor.id,
  });
  expect(compensating.particulars).toEqual(particulars);
  expect(result.event).toEqual(compensating);
  expect(result.undone).toEqual(undone);
  // History is never deleted: the undone event is still in the log.
  expect((await f.events()).some((e) => e.id === undone.id)).toBe(true);
  return result;
}

/** Asserts undoing `undone` (as `who`) is a conflict that records nothing, with a message matching `message`. */
async function expectConflict(undone: StoredEvent, message: RegExp, who: DomainContext = me): Promise<void> {
  const error = await expectRefused(f, () => event.undo(who, undone.id), 'conflict');
  expect(error.message).toMatch(message);
}

describe('event.undo', () => {
  beforeEach(async () => {
    f = await openDomainFixture();
    me = f.session.context();
    ann = f.session.context(await addMember(me, { id: 'ann-0001', name: 'Ann' }));
    const seeded = await seedBoard(me, { columns: ['To do', 'Doing'] });
    board = seeded.board;
    [todo, doing] = seeded.columns as [Column, Column];
    subject = await card.create(me, { boardId: board.id, columnId: todo.id, title: 'Subject' });
  });
  afterEach(async () => {
    await f.close();
  });

  describe('card events', () => {
    it('undoes card_created by recording card_deleted', async () => {
      const created = await recorded(() => card.create(me, { boardId: board.id, columnId: doing.id, title: 'Oops' }));
      const { entity } = await expectUndo(created, 'card_deleted', { title: 'Oops', column: ref(doing) });
      expect(entity).toMatchObject({ id: created.eventableId, isDeleted: true });
    });

    it('undoes card_moved by moving the card back to its column and place', async () => {
      await card.create(me, { boardId: board.id, columnId: todo.id, title: 'Below' });
      const moved = await recorded(() => card.move(me, subject.id, { toColumnId: doing.id }));
      const position = moved.particulars['toPosition'];
      const { entity } = await expectUndo(moved, 'card_moved', {
        title: 'Subject',
        from: ref(doing),
        to: ref(todo),
        fromPosition: position,
        toPosition: subject.position,
      });
      expect(entity).toMatchObject({ columnId: todo.id, position: subject.position });
      expect((await card.cardsOfColumn(me, todo)).map((c) => c.title)).toEqual(['Subject', 'Below']);
    });

    it('undoes a reorder within a column', async () => {
      await card.create(me, { boardId: board.id, columnId: todo.id, title: 'Second' });
      const moved = await recorded(() => card.move(me, subject.id, { toColumnId: todo.id }));
      await expectUndo(moved, 'card_moved', {
        title: 'Subject',
        from: ref(todo),
        to: ref(todo),
        fromPosition: moved.particulars['toPosition'],
        toPosition: subject.position,
      });
      expect((await card.cardsOfColumn(me, todo)).map((c) => c.title)).toEqual(['Subject', 'Second']);
    });

    it('undoes card_renamed by renaming it back', async () => {
      const renamed = await recorded(() => card.rename(me, subject.id, 'Better'));
      const { entity } = await expectUndo(renamed, 'card_renamed', { from: 'Better', to: 'Subject' });
      expect(entity).toMatchObject({ title: 'Subject' });
    });

    it('undoes card_description_changed by restoring the previous text from the earlier event', async () => {
      const first = await recorded(() => card.describe(me, subject.id, 'First text'));
      const second = await recorded(() => card.describe(me, subject.id, 'Second text'));
      const back = await expectUndo(second, 'card_description_changed', {
        title: 'Subject',
        description: 'First text',
        previousHash: hashText('Second text'),
      });
      expect(back.entity).toMatchObject({ description: 'First text' });
      const empty = await expectUndo(first, 'card_description_changed', {
        title: 'Subject',
        description: '',
        previousHash: hashText('First text'),
      });
      expect(empty.entity).toMatchObject({ description: '' });
    });

    it('restores the text a merged description change replaced, however many changes came between', async () => {
      await card.describe(me, subject.id, 'Seen offline');
      for (let i = 0; i < 60; i++) await card.describe(ann, subject.id, `Revision ${i}`);
      // A change made on a device that last saw 'Seen offline', merged now (it sorts last).
      const merged = await commit(me, {
        action: 'card_description_changed',
        eventableId: subject.id,
        boardId: board.id,
        particulars: { title: 'Subject', description: 'Written offline', previousHash: hashText('Seen offline') },
      });
      const { entity } = await expectUndo(merged, 'card_description_changed', {
        title: 'Subject',
        description: 'Seen offline',
        previousHash: hashText('Written offline'),
      });
      expect(entity).toMatchObject({ description: 'Seen offline' });
    });

    it('answers conflict when the text a description change replaced is not in the log', async () => {
      const merged = await commit(me, {
        action: 'card_description_changed',
        eventableId: subject.id,
        boardId: board.id,
        particulars: { title: 'Subject', description: 'New', previousHash: hashText('Never seen here') },
      });
      await expectConflict(merged, /earlier text is not on this device/);
    });

    it('undoes card_closed by reopening and card_reopened by closing', async () => {
      const closed = await recorded(() => card.close(me, subject.id));
      expect((await expectUndo(closed, 'card_reopened', { title: 'Subject', column: ref(todo) })).entity).toMatchObject({ isClosed: false });
      await card.close(me, subject.id);
      const reopened = await recorded(() => card.reopen(me, subject.id));
      expect((await expectUndo(reopened, 'card_closed', { title: 'Subject', column: ref(todo) })).entity).toMatchObject({ isClosed: true });
    });

    it('undoes card_assigned by unassigning and card_unassigned by assigning', async () => {
      const assigned = await recorded(() => card.assign(me, subject.id, ann.actor.id));
      expect((await expectUndo(assigned, 'card_unassigned', { title: 'Subject', assignee: ref(ann.actor) })).entity).toMatchObject({ assignees: [] });
      await card.assign(me, subject.id, ann.actor.id);
      const unassigned = await recorded(() => card.unassign(me, subject.id, ann.actor.id));
      expect((await expectUndo(unassigned, 'card_assigned', { title: 'Subject', assignee: ref(ann.actor) })).entity).toMatchObject({
        assignees: [ref(ann.actor)],
      });
    });

    it('undoes card_tagged by untagging and card_untagged by tagging', async () => {
      const tagged = await recorded(() => card.tag(me, subject.id, 'urgent'));
      expect((await expectUndo(tagged, 'card_untagged', { title: 'Subject', tag: 'urgent' })).entity).toMatchObject({ tags: [] });
      await card.tag(me, subject.id, 'urgent');
      const untagged = await recorded(() => card.untag(me, subject.id, 'urgent'));
      expect((await expectUndo(untagged, 'card_tagged', { title: 'Subject', tag: 'urgent' })).entity).toMatchObject({ tags: ['urgent'] });
    });

    it('undoes card_due_date_changed by setting the date back (or removing it)', async () => {
      const set = await recorded(() => card.setDueDate(me, subject.id, '2026-12-01'));
      const changed = await recorded(() => card.setDueDate(me, subject.id, '2026-12-24'));
      const back = await expectUndo(changed, 'card_due_date_changed', { title: 'Subject', from: '2026-12-24', to: '2026-12-01' });
      expect(back.entity).toMatchObject({ dueDate: '2026-12-01' });
      const none = await expectUndo(set, 'card_due_date_changed', { title: 'Subject', from: '2026-12-01', to: null });
      expect(none.entity).toMatchObject({ dueDate: null });
    });

    it('undoes card_deleted by restoring and card_restored by deleting', async () => {
      const deleted = await recorded(() => card.remove(me, subject.id));
      expect((await expectUndo(deleted, 'card_restored', { title: 'Subject', column: ref(todo) })).entity).toMatchObject({ isDeleted: false });
      await card.remove(me, subject.id);
      const restored = await recorded(() => card.restore(me, subject.id));
      expect((await expectUndo(restored, 'card_deleted', { title: 'Subject', column: ref(todo) })).entity).toMatchObject({ isDeleted: true });
    });

    it('undoes an undo (redo), which is an event of its own', async () => {
      const closed = await recorded(() => card.close(me, subject.id));
      const { event: reopened } = await event.undo(me, closed.id);
      const { event: closedAgain, entity } = await event.undo(me, reopened.id);
      expect(closedAgain.action).toBe('card_closed');
      expect(entity).toMatchObject({ isClosed: true });
      expect((await f.events()).filter((e) => e.eventableId === subject.id).map((e) => e.action)).toEqual([
        'card_created',
        'card_closed',
        'card_reopened',
        'card_closed',
      ]);
    });
  });

  describe('column events', () => {
    it('undoes column_created of an empty column by deleting it', async () => {
      const created = await recorded(() => column.create(me, { boardId: board.id, name: 'Later' }));
      const { entity } = await expectUndo(created, 'column_deleted', { name: 'Later' });
      expect(entity).toMatchObject({ isDeleted: true });
    });

    it('refuses to undo column_created once the column holds cards', async () => {
      const created = await recorded(() => column.create(me, { boardId: board.id, name: 'Busy' }));
      await card.create(me, { boardId: board.id, columnId: created.eventableId, title: 'Inside' });
      await expectConflict(created, /holds cards/);
    });

    it('undoes column_renamed and column_moved', async () => {
      const renamed = await recorded(() => column.rename(me, doing.id, 'In progress'));
      expect((await expectUndo(renamed, 'column_renamed', { from: 'In progress', to: 'Doing' })).entity).toMatchObject({ name: 'Doing' });
      const moved = await recorded(() => column.move(me, doing.id, { beforeColumnId: todo.id }));
      const back = await expectUndo(moved, 'column_moved', {
        name: 'Doing',
        fromPosition: moved.particulars['toPosition'],
        toPosition: doing.position,
      });
      expect(back.entity).toMatchObject({ position: doing.position });
    });

    it('undoes column_deleted by restoring and column_restored by deleting', async () => {
      const deleted = await recorded(() => column.remove(me, doing.id));
      expect((await expectUndo(deleted, 'column_restored', { name: 'Doing' })).entity).toMatchObject({ isDeleted: false });
      await column.remove(me, doing.id);
      const restored = await recorded(() => column.restore(me, doing.id));
      expect((await expectUndo(restored, 'column_deleted', { name: 'Doing' })).entity).toMatchObject({ isDeleted: true });
    });
  });

  describe('comment events', () => {
    it('undoes comment_created by deleting the comment', async () => {
      const created = await recorded(() => comment.create(me, { cardId: subject.id, body: 'Hello' }));
      const { entity } = await expectUndo(created, 'comment_deleted', { card: { id: subject.id, title: 'Subject' } });
      expect(entity).toMatchObject({ isDeleted: true });
    });

    it('undoes comment_edited by restoring the previous body', async () => {
      const created = await comment.create(me, { cardId: subject.id, body: 'Helo' });
      const first = await recorded(() => comment.edit(me, created.id, 'Hello'));
      const second = await recorded(() => comment.edit(me, created.id, 'Hello there'));
      const back = await expectUndo(second, 'comment_edited', {
        card: { id: subject.id, title: 'Subject' },
        body: 'Hello',
        previousHash: hashText('Hello there'),
      });
      expect(back.entity).toMatchObject({ body: 'Hello' });
      expect((await expectUndo(first, 'comment_edited', { card: { id: subject.id, title: 'Subject' }, body: 'Helo', previousHash: hashText('Hello') })).entity).toMatchObject({
        body: 'Helo',
      });
    });

    it('undoes comment_deleted by restoring and comment_restored by deleting', async () => {
      const created = await comment.create(me, { cardId: subject.id, body: 'Hello' });
      const deleted = await recorded(() => comment.remove(me, created.id));
      expect((await expectUndo(deleted, 'comment_restored', { card: { id: subject.id, title: 'Subject' } })).entity).toMatchObject({ isDeleted: false });
      await comment.remove(me, created.id);
      const restored = await recorded(() => comment.restore(me, created.id));
      expect((await expectUndo(restored, 'comment_deleted', { card: { id: subject.id, title: 'Subject' } })).entity).toMatchObject({ isDeleted: true });
    });
  });

  describe('board events', () => {
    it('undoes board_created of an empty board by deleting it, and refuses once it has columns', async () => {
      const created = await recorded(() => boardVerbs.create(me, { name: 'Scratch' }));
      const busy = await recorded(() => boardVerbs.create(me, { name: 'Busy' }));
      await column.create(me, { boardId: busy.eventableId, name: 'Inbox' });
      await expectConflict(busy, /no longer empty/);
      expect((await expectUndo(created, 'board_deleted', { name: 'Scratch' })).entity).toMatchObject({ isDeleted: true });
    });

    it('undoes board_renamed', async () => {
      const renamed = await recorded(() => boardVerbs.rename(me, board.id, 'Launch 2026'));
      expect((await expectUndo(renamed, 'board_renamed', { from: 'Launch 2026', to: 'Launch' })).entity).toMatchObject({ name: 'Launch' });
    });
  });

  describe('when the field changed since', () => {
    it('answers conflict naming who moved the card again, and records nothing', async () => {
      const moved = await recorded(() => card.move(me, subject.id, { toColumnId: doing.id }));
      await card.move(ann, subject.id, { toColumnId: todo.id });
      await expectConflict(moved, /^Ann moved it again since/);
    });

    it('answers conflict when the card was reordered within its new column since', async () => {
      const other = await card.create(me, { boardId: board.id, columnId: doing.id, title: 'Other' });
      const moved = await recorded(() => card.move(me, subject.id, { toColumnId: doing.id }));
      await card.move(ann, subject.id, { toColumnId: doing.id, beforeCardId: other.id });
      await expectConflict(moved, /^Ann moved it again since/);
    });

    it('answers conflict for every kind of later change', async () => {
      const renamed = await recorded(() => card.rename(me, subject.id, 'Mine'));
      await card.rename(ann, subject.id, 'Hers');
      await expectConflict(renamed, /^Ann renamed it again since/);

      const described = await recorded(() => card.describe(me, subject.id, 'Mine'));
      await card.describe(ann, subject.id, 'Hers');
      await expectConflict(described, /^Ann changed the description again since/);

      const closed = await recorded(() => card.close(me, subject.id));
      await card.reopen(ann, subject.id);
      await expectConflict(closed, /^Ann reopened it since/);

      const tagged = await recorded(() => card.tag(me, subject.id, 'urgent'));
      await card.tag(ann, subject.id, 'later');
      await card.untag(ann, subject.id, 'urgent');
      await expectConflict(tagged, /^Ann removed that tag since/);

      const assigned = await recorded(() => card.assign(me, subject.id, ann.actor.id));
      await card.unassign(ann, subject.id, ann.actor.id);
      await expectConflict(assigned, /^Ann unassigned that person since/);

      const due = await recorded(() => card.setDueDate(me, subject.id, '2026-12-01'));
      await card.setDueDate(ann, subject.id, '2026-12-02');
      await expectConflict(due, /^Ann changed the due date again since/);

      const columnRenamed = await recorded(() => column.rename(me, doing.id, 'Doing now'));
      await column.rename(ann, doing.id, 'Busy');
      await expectConflict(columnRenamed, /^Ann renamed the column again since/);

      const columnMoved = await recorded(() => column.move(me, doing.id, { beforeColumnId: todo.id }));
      await column.move(ann, doing.id);
      await expectConflict(columnMoved, /^Ann moved the column again since/);
    });

    it('answers conflict for a change to a card deleted since', async () => {
      const renamed = await recorded(() => card.rename(me, subject.id, 'Mine'));
      await card.remove(ann, subject.id);
      await expectConflict(renamed, /^Ann deleted it since/);
    });

    it('names who deleted the card also when that deletion was made offline and merged later', async () => {
      const renamed = await recorded(() => card.rename(me, subject.id, 'Mine'));
      const created = (await f.events()).find((e) => e.action === 'card_created' && e.eventableId === subject.id)!;
      // Ann deleted it on a device whose clock sorts her change between the creation and the rename.
      const deletion = rawEvent(ann, {
        hlc: `${created.hlc.slice(0, 19)}ffffffffffffffff`,
        action: 'card_deleted',
        eventableType: 'card',
        eventableId: subject.id,
        boardId: board.id,
        particulars: { title: 'Subject', column: ref(todo) },
      });
      expect(deletion.hlc < renamed.hlc).toBe(true);
      await insertEvents(f.session, [deletion]);
      await expectConflict(renamed, /^Ann deleted it, so this can no longer be undone/);
    });

    it('answers conflict when the same event is undone twice', async () => {
      const closed = await recorded(() => card.close(me, subject.id));
      await event.undo(me, closed.id);
      await expectConflict(closed, /^You reopened it since/);
      const note = await comment.create(me, { cardId: subject.id, body: 'One' });
      const edited = await recorded(() => comment.edit(me, note.id, 'Two'));
      await comment.edit(me, note.id, 'Three');
      await expectConflict(edited, /^You edited the comment again since/);
    });

    it('undoes while the field holds the value the event set, even after changes back and forth', async () => {
      const renamed = await recorded(() => card.rename(me, subject.id, 'Mine'));
      await card.rename(ann, subject.id, 'Hers');
      await card.rename(ann, subject.id, 'Mine');
      await expectUndo(renamed, 'card_renamed', { from: 'Mine', to: 'Subject' });
    });

    it('refuses to move a card back into a column deleted since', async () => {
      const moved = await recorded(() => card.move(me, subject.id, { toColumnId: doing.id }));
      await column.remove(ann, todo.id);
      await expectConflict(moved, /column “To do” it came from has been deleted/);
    });

    it('refuses to assign someone who has left the account', async () => {
      await card.assign(me, subject.id, ann.actor.id);
      const unassigned = await recorded(() => card.unassign(me, subject.id, ann.actor.id));
      await commit(me, {
        action: 'member_removed',
        eventableId: me.account.accountId,
        particulars: { member: ref(ann.actor), role: 'member' },
      });
      await expectConflict(unassigned, /Ann is no longer a member/);
    });

    it('refuses anything on a board deleted since', async () => {
      const renamed = await recorded(() => card.rename(me, subject.id, 'Mine'));
      const columnRenamed = await recorded(() => column.rename(me, doing.id, 'Now'));
      await boardVerbs.remove(ann, board.id);
      await expectConflict(renamed, /board “Launch” has been deleted/);
      await expectConflict(columnRenamed, /board “Launch” has been deleted/);
    });
  });

  describe('what cannot be undone', () => {
    it('refuses account, member, webhook and board deletion events with invalid_input', async () => {
      const all = await f.events();
      const accountCreated = all.find((e) => e.action === 'account_created')!;
      const memberJoined = all.find((e) => e.action === 'member_joined')!;
      const webhook = await commit(me, {
        action: 'webhook_created',
        eventableId: 'webhook-0001',
        particulars: { host: 'hooks.example.com', urlHash: hashText('https://hooks.example.com/x'), actions: ['*'], board: null, isEnabled: true },
      });
      const scratch = await boardVerbs.create(me, { name: 'Scratch' });
      const deleted = await recorded(() => boardVerbs.remove(me, scratch.id));
      for (const [undone, message] of [
        [accountCreated, /account cannot be undone/],
        [memberJoined, /members of an account cannot be undone/],
        [webhook, /Webhook changes cannot be undone/],
        [deleted, /deleted board cannot be restored/],
      ] as const) {
        const error = await expectRefused(f, () => event.undo(me, undone.id), 'invalid_input');
        expect(error.message).toMatch(message);
      }
    });

    it('refuses a refused event and an unknown action with invalid_input', async () => {
      const refused = rawEvent(me, {
        action: 'card_renamed',
        eventableType: 'card',
        eventableId: subject.id,
        boardId: board.id,
        particulars: { from: 'Subject', to: 'Nope' },
        rejection: { code: 'forbidden', message: 'No.', at: '2026-11-26T09:00:00.000Z' },
      });
      const unknown = rawEvent(me, { action: 'card_sparkled', eventableType: 'card', eventableId: subject.id, boardId: board.id, particulars: {} });
      await insertEvents(f.session, [refused, unknown]);
      expect((await expectRefused(f, () => event.undo(me, refused.id), 'invalid_input')).message).toMatch(/refused/);
      expect((await expectRefused(f, () => event.undo(me, unknown.id), 'invalid_input')).message).toMatch(/newer version/);
    });

    it("lets only an event's author undo it", async () => {
      const byAnn = await recorded(() => card.close(ann, subject.id));
      expect((await expectRefused(f, () => event.undo(me, byAnn.id), 'forbidden')).message).toMatch(/Only Ann/);
      const stranger = f.session.context({ id: 'stranger-1', name: 'Stranger' });
      await expectRefused(f, () => event.undo(stranger, byAnn.id), 'forbidden');
      const { event: reopened } = await expectOneEvent(f, () => event.undo(ann, byAnn.id)).then(({ result }) => result);
      expect(reopened).toMatchObject({ action: 'card_reopened', creatorId: ann.actor.id, eventableId: subject.id });
    });

    it('answers not_found for an unknown event and invalid_input for a malformed id', async () => {
      await expectRefused(f, () => event.undo(me, '0198f000-0000-7000-8000-000000000000'), 'not_found');
      await expectRefused(f, () => event.undo(me, 'not an id'), 'invalid_input');
    });
  });
});

describe('event.undo across accounts', () => {
  it('answers not_found for an event of another account', async () => {
    await withTwoAccounts(async (fixture, other) => {
      const home = fixture.session.context();
      for (const id of other.eventIds) {
        await expectRefused(fixture, () => event.undo(home, id), 'not_found');
      }
    });
  });
});
