import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashText } from '../../../shared/events';
import type { Board, Card, Column } from '../../../shared/model';
import * as card from '../../../src-main/domain/card';
import * as column from '../../../src-main/domain/column';
import type { DomainContext } from '../../../src-main/domain/context';
import {
  addMember,
  expectOneEvent,
  expectRefused,
  openDomainFixture,
  seedBoard,
  withTwoAccounts,
  type DomainFixture,
} from '../../support/domain-fixtures';
import { loopCount } from '../../support/long';

let f: DomainFixture;
let ctx: DomainContext;
let board: Board;
let todo: Column;
let doing: Column;

describe('card verbs', () => {
  beforeEach(async () => {
    f = await openDomainFixture();
    ctx = f.session.context();
    const seeded = await seedBoard(ctx, { columns: ['To do', 'Doing'] });
    board = seeded.board;
    [todo, doing] = seeded.columns as [Column, Column];
  });
  afterEach(async () => {
    await f.close();
  });

  const me = () => ({ id: f.session.user.id, name: f.session.user.name });
  const ref = (c: Column) => ({ id: c.id, name: c.name });
  const addCard = (title: string, extra: Partial<Parameters<typeof card.create>[1]> = {}) =>
    card.create(ctx, { boardId: board.id, columnId: todo.id, title, ...extra });
  const titlesOf = async (c: Column) => (await card.cardsOfColumn(ctx, c)).map((x) => x.title);

  describe('card.create', () => {
    it('creates a card at the end of a column and records card_created', async () => {
      const first = await addCard('First');
      const { result, event } = await expectOneEvent(f, () => addCard('  Write the launch post  '));
      expect(result).toMatchObject({
        boardId: board.id,
        columnId: todo.id,
        title: 'Write the launch post',
        description: '',
        isClosed: false,
        isDeleted: false,
        assignees: [],
        tags: [],
        dueDate: null,
        createdBy: me(),
      });
      expect(result.position > first.position).toBe(true);
      expect(event).toMatchObject({
        action: 'card_created',
        eventableType: 'card',
        eventableId: result.id,
        boardId: board.id,
        creatorId: me().id,
        creatorName: me().name,
        accountId: ctx.account.accountId,
      });
      expect(event.particulars).toEqual({ title: 'Write the launch post', column: ref(todo), position: result.position });
    });

    it('places a new card after or before a given card', async () => {
      const a = await addCard('A');
      const c = await addCard('C');
      await addCard('B', { afterCardId: a.id });
      await addCard('Z', { beforeCardId: a.id });
      await addCard('D', { afterCardId: c.id });
      expect(await titlesOf(todo)).toEqual(['Z', 'A', 'B', 'C', 'D']);
    });

    it('keeps a given id', async () => {
      const id = '0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee';
      const { result, event } = await expectOneEvent(f, () => addCard('Imported', { id }));
      expect(result.id).toBe(id);
      expect(event.eventableId).toBe(id);
    });

    it('accepts a title of exactly 512 characters (an emoji counts once)', async () => {
      const title = '😀'.repeat(512);
      const { result } = await expectOneEvent(f, () => addCard(title));
      expect(result.title).toBe(title);
    });

    it.each([
      ['an empty title', { title: '' }],
      ['a blank title', { title: '  \n\t ' }],
      ['a title of 513 characters', { title: 'x'.repeat(513) }],
      ['a title that is not text', { title: 42 }],
      ['a column id that is not an id', { columnId: 'no such id!' }],
      ['a board id that is not an id', { boardId: 42 }],
      ['a card id that is not an id', { id: 'a b' }],
      ['both an after and a before card', { afterCardId: 'x', beforeCardId: 'y' }],
    ])('refuses %s with invalid_input and records nothing', async (_name, change) => {
      await expectRefused(f, () => card.create(ctx, { boardId: board.id, columnId: todo.id, title: 'Ok', ...change } as never), 'invalid_input');
    });

    it('refuses an unknown card to place after or before with not_found', async () => {
      const a = await addCard('A');
      await expectRefused(f, () => addCard('X', { afterCardId: 'missing' }), 'not_found');
      await expectRefused(f, () => addCard('X', { beforeCardId: 'missing' }), 'not_found');
      await expectRefused(f, () => card.move(ctx, a.id, { toColumnId: doing.id, afterCardId: 'missing' }), 'not_found');
    });

    it('refuses a column of another board with invalid_input', async () => {
      const other = await seedBoard(ctx, { name: 'Other', columns: ['Elsewhere'] });
      await expectRefused(f, () => card.create(ctx, { boardId: board.id, columnId: other.columns[0]!.id, title: 'X' }), 'invalid_input');
    });

    it('refuses an unknown column or board with not_found', async () => {
      await expectRefused(f, () => card.create(ctx, { boardId: board.id, columnId: 'unknown', title: 'X' }), 'not_found');
      await expectRefused(f, () => card.create(ctx, { boardId: 'unknown', columnId: todo.id, title: 'X' }), 'not_found');
    });

    it('refuses a card in a deleted column with conflict', async () => {
      const empty = await column.create(ctx, { boardId: board.id, name: 'Empty' });
      await column.remove(ctx, empty.id);
      await expectRefused(f, () => card.create(ctx, { boardId: board.id, columnId: empty.id, title: 'X' }), 'conflict');
    });

    it('refuses an id that is taken with conflict', async () => {
      const a = await addCard('A');
      await expectRefused(f, () => addCard('Again', { id: a.id }), 'conflict');
    });
  });

  describe('card.move', () => {
    it('moves a card to another column and records card_moved with both columns and positions', async () => {
      const a = await addCard('A');
      const { result, event } = await expectOneEvent(f, () => card.move(ctx, a.id, { toColumnId: doing.id }));
      expect(result.columnId).toBe(doing.id);
      expect(event).toMatchObject({ action: 'card_moved', eventableId: a.id, boardId: board.id });
      expect(event.particulars).toEqual({
        title: 'A',
        from: ref(todo),
        to: ref(doing),
        fromPosition: a.position,
        toPosition: result.position,
      });
      expect(await titlesOf(todo)).toEqual([]);
      expect(await titlesOf(doing)).toEqual(['A']);
    });

    it('reorders a card within its column and records card_moved from and to the same column', async () => {
      const a = await addCard('A');
      await addCard('B');
      const c = await addCard('C');
      const { event } = await expectOneEvent(f, () => card.move(ctx, c.id, { toColumnId: todo.id, beforeCardId: a.id }));
      expect(event.particulars).toMatchObject({ from: ref(todo), to: ref(todo), fromPosition: c.position });
      expect(await titlesOf(todo)).toEqual(['C', 'A', 'B']);
      await card.move(ctx, c.id, { toColumnId: todo.id, afterCardId: a.id });
      expect(await titlesOf(todo)).toEqual(['A', 'C', 'B']);
    });

    it('refuses a move that leaves the card where it is with invalid_input', async () => {
      const a = await addCard('A');
      const b = await addCard('B');
      await expectRefused(f, () => card.move(ctx, b.id, { toColumnId: todo.id }), 'invalid_input');
      await expectRefused(f, () => card.move(ctx, b.id, { toColumnId: todo.id, afterCardId: a.id }), 'invalid_input');
      await expectRefused(f, () => card.move(ctx, a.id, { toColumnId: todo.id, beforeCardId: b.id }), 'invalid_input');
    });

    it.each([
      ['a card id that is not an id', 'bad id', {}],
      ['a column id that is not text', undefined, { toColumnId: 7 }],
      ['itself as the card to place after', undefined, { afterCardId: 'SELF' }],
      ['a neighbour in another column', undefined, { toColumnId: 'DOING', afterCardId: 'OTHER' }],
    ])('refuses %s with invalid_input and records nothing', async (_name, cardId, change) => {
      const a = await addCard('A');
      const other = await addCard('Other');
      const input = { toColumnId: todo.id, ...change } as Record<string, unknown>;
      for (const [key, value] of Object.entries(input)) {
        if (value === 'SELF') input[key] = a.id;
        if (value === 'OTHER') input[key] = other.id;
        if (value === 'DOING') input[key] = doing.id;
      }
      await expectRefused(f, () => card.move(ctx, cardId ?? a.id, input as never), 'invalid_input');
    });

    it('refuses a move to a column of another board with invalid_input', async () => {
      const a = await addCard('A');
      const other = await seedBoard(ctx, { name: 'Other', columns: ['Elsewhere'] });
      await expectRefused(f, () => card.move(ctx, a.id, { toColumnId: other.columns[0]!.id }), 'invalid_input');
    });

    it('refuses a move into a deleted column, or of a deleted card, with conflict', async () => {
      const a = await addCard('A');
      const empty = await column.create(ctx, { boardId: board.id, name: 'Empty' });
      await column.remove(ctx, empty.id);
      await expectRefused(f, () => card.move(ctx, a.id, { toColumnId: empty.id }), 'conflict');
      await card.remove(ctx, a.id);
      await expectRefused(f, () => card.move(ctx, a.id, { toColumnId: doing.id }), 'conflict');
    });
  });

  describe('card.rename', () => {
    it('renames a card and records card_renamed with the old and new title', async () => {
      const a = await addCard('Draft');
      const { result, event } = await expectOneEvent(f, () => card.rename(ctx, a.id, ' Final '));
      expect(result.title).toBe('Final');
      expect(event).toMatchObject({ action: 'card_renamed', eventableId: a.id, boardId: board.id });
      expect(event.particulars).toEqual({ from: 'Draft', to: 'Final' });
    });

    it.each([
      ['an empty title', ''],
      ['a blank title', '   '],
      ['a title of 513 characters', 'y'.repeat(513)],
      ['a title that is not text', null],
      ['the same title', 'Draft'],
    ])('refuses %s with invalid_input and records nothing', async (_name, title) => {
      const a = await addCard('Draft');
      await expectRefused(f, () => card.rename(ctx, a.id, title as never), 'invalid_input');
    });
  });

  describe('card.describe', () => {
    it('sets the description and records card_description_changed with the new text and the hash of the old', async () => {
      const a = await addCard('A');
      const first = await expectOneEvent(f, () => card.describe(ctx, a.id, 'Line one\nLine two'));
      expect(first.result.description).toBe('Line one\nLine two');
      expect(first.event).toMatchObject({ action: 'card_description_changed', eventableId: a.id, boardId: board.id });
      expect(first.event.particulars).toEqual({ title: 'A', description: 'Line one\nLine two', previousHash: hashText('') });
      const second = await expectOneEvent(f, () => card.describe(ctx, a.id, ''));
      expect(second.result.description).toBe('');
      expect(second.event.particulars).toEqual({ title: 'A', description: '', previousHash: hashText('Line one\nLine two') });
    });

    it('accepts exactly 64 KiB of UTF-8', async () => {
      const a = await addCard('A');
      const text = 'é'.repeat(32_768);
      const { result } = await expectOneEvent(f, () => card.describe(ctx, a.id, text));
      expect(result.description).toBe(text);
    });

    it.each([
      ['64 KiB and one byte of ASCII', 'a'.repeat(65_537)],
      ['64 KiB and two bytes of two-byte characters', 'é'.repeat(32_769)],
      ['a description that is not text', 12],
      ['an unchanged description', ''],
    ])('refuses %s with invalid_input and records nothing', async (_name, text) => {
      const a = await addCard('A');
      await expectRefused(f, () => card.describe(ctx, a.id, text as never), 'invalid_input');
    });
  });

  describe('card.close and card.reopen', () => {
    it('closes an open card and records card_closed', async () => {
      const a = await addCard('A');
      const { result, event } = await expectOneEvent(f, () => card.close(ctx, a.id));
      expect(result).toMatchObject({ isClosed: true, closedBy: me(), closedAt: event.createdAt });
      expect(event).toMatchObject({ action: 'card_closed', eventableId: a.id, boardId: board.id });
      expect(event.particulars).toEqual({ title: 'A', column: ref(todo) });
    });

    it('refuses to close a closed card with conflict', async () => {
      const a = await addCard('A');
      await card.close(ctx, a.id);
      await expectRefused(f, () => card.close(ctx, a.id), 'conflict');
    });

    it('reopens a closed card and records card_reopened', async () => {
      const a = await addCard('A');
      await card.close(ctx, a.id);
      const { result, event } = await expectOneEvent(f, () => card.reopen(ctx, a.id));
      expect(result).toMatchObject({ isClosed: false, closedBy: null, closedAt: null });
      expect(event).toMatchObject({ action: 'card_reopened', eventableId: a.id });
      expect(event.particulars).toEqual({ title: 'A', column: ref(todo) });
    });

    it('refuses to reopen an open card with conflict', async () => {
      const a = await addCard('A');
      await expectRefused(f, () => card.reopen(ctx, a.id), 'conflict');
    });
  });

  describe('card.assign and card.unassign', () => {
    it('assigns a member and records card_assigned with their id and name', async () => {
      const a = await addCard('A');
      const ann = await addMember(ctx, { id: 'ann', name: 'Ann' });
      const { result, event } = await expectOneEvent(f, () => card.assign(ctx, a.id, ann.id));
      expect(result.assignees).toEqual([{ id: 'ann', name: 'Ann' }]);
      expect(event).toMatchObject({ action: 'card_assigned', eventableId: a.id });
      expect(event.particulars).toEqual({ title: 'A', assignee: { id: 'ann', name: 'Ann' } });
      await card.assign(ctx, a.id, me().id);
      expect((await card.assign(ctx, (await addCard('B')).id, 'ann')).assignees).toEqual([{ id: 'ann', name: 'Ann' }]);
    });

    it('refuses to assign someone twice with conflict', async () => {
      const a = await addCard('A');
      await card.assign(ctx, a.id, me().id);
      await expectRefused(f, () => card.assign(ctx, a.id, me().id), 'conflict');
    });

    it('refuses someone who is not a member with not_found, and a bad id with invalid_input', async () => {
      const a = await addCard('A');
      await expectRefused(f, () => card.assign(ctx, a.id, 'nobody'), 'not_found');
      await expectRefused(f, () => card.assign(ctx, a.id, 'not an id'), 'invalid_input');
      await expectRefused(f, () => card.assign(ctx, a.id, 5 as never), 'invalid_input');
    });

    it('unassigns someone and records card_unassigned', async () => {
      const a = await addCard('A');
      await card.assign(ctx, a.id, me().id);
      const { result, event } = await expectOneEvent(f, () => card.unassign(ctx, a.id, me().id));
      expect(result.assignees).toEqual([]);
      expect(event).toMatchObject({ action: 'card_unassigned', eventableId: a.id });
      expect(event.particulars).toEqual({ title: 'A', assignee: me() });
    });

    it('refuses to unassign someone not assigned with conflict, and a bad id with invalid_input', async () => {
      const a = await addCard('A');
      await expectRefused(f, () => card.unassign(ctx, a.id, me().id), 'conflict');
      await expectRefused(f, () => card.unassign(ctx, a.id, 'not an id'), 'invalid_input');
      await expectRefused(f, () => card.unassign(ctx, a.id, { id: me().id } as never), 'invalid_input');
    });
  });

  describe('card.tag and card.untag', () => {
    it('tags a card and records card_tagged', async () => {
      const a = await addCard('A');
      const { result, event } = await expectOneEvent(f, () => card.tag(ctx, a.id, ' urgent '));
      expect(result.tags).toEqual(['urgent']);
      expect(event).toMatchObject({ action: 'card_tagged', eventableId: a.id });
      expect(event.particulars).toEqual({ title: 'A', tag: 'urgent' });
    });

    it('refuses a tag the card already has with conflict', async () => {
      const a = await addCard('A');
      await card.tag(ctx, a.id, 'urgent');
      await expectRefused(f, () => card.tag(ctx, a.id, 'urgent'), 'conflict');
    });

    it.each([
      ['an empty tag', ''],
      ['a tag of 65 characters', 't'.repeat(65)],
      ['a tag with a line break', 'two\nlines'],
      ['a tag that is not text', ['x']],
    ])('refuses %s with invalid_input and records nothing', async (_name, value) => {
      const a = await addCard('A');
      await expectRefused(f, () => card.tag(ctx, a.id, value as never), 'invalid_input');
    });

    it('untags a card and records card_untagged', async () => {
      const a = await addCard('A');
      await card.tag(ctx, a.id, 'urgent');
      await card.tag(ctx, a.id, 'later');
      const { result, event } = await expectOneEvent(f, () => card.untag(ctx, a.id, 'urgent'));
      expect(result.tags).toEqual(['later']);
      expect(event).toMatchObject({ action: 'card_untagged', eventableId: a.id });
      expect(event.particulars).toEqual({ title: 'A', tag: 'urgent' });
    });

    it('refuses a tag the card lacks with conflict, and one that is not text with invalid_input', async () => {
      const a = await addCard('A');
      await expectRefused(f, () => card.untag(ctx, a.id, 'urgent'), 'conflict');
      await expectRefused(f, () => card.untag(ctx, a.id, 3 as never), 'invalid_input');
    });
  });

  describe('card.setDueDate', () => {
    it('sets and clears the due date and records card_due_date_changed with old and new dates', async () => {
      const a = await addCard('A');
      const set = await expectOneEvent(f, () => card.setDueDate(ctx, a.id, '2028-02-29'));
      expect(set.result.dueDate).toBe('2028-02-29');
      expect(set.event).toMatchObject({ action: 'card_due_date_changed', eventableId: a.id });
      expect(set.event.particulars).toEqual({ title: 'A', from: null, to: '2028-02-29' });
      const cleared = await expectOneEvent(f, () => card.setDueDate(ctx, a.id, null));
      expect(cleared.result.dueDate).toBeNull();
      expect(cleared.event.particulars).toEqual({ title: 'A', from: '2028-02-29', to: null });
    });

    it.each([
      ['a day that does not exist', '2026-02-29'],
      ['a month that does not exist', '2026-13-01'],
      ['another format', '24/12/2026'],
      ['a time', '2026-12-24T10:00:00Z'],
      ['an empty string', ''],
      ['a number', 20261224],
      ['undefined', undefined],
      ['the date it already has', null],
    ])('refuses %s with invalid_input and records nothing', async (_name, value) => {
      const a = await addCard('A');
      await expectRefused(f, () => card.setDueDate(ctx, a.id, value as never), 'invalid_input');
    });
  });

  describe('card.remove and card.restore', () => {
    it('deletes a card and records card_deleted naming its column', async () => {
      const a = await addCard('A');
      const { result, event } = await expectOneEvent(f, () => card.remove(ctx, a.id));
      expect(result).toMatchObject({ isDeleted: true, deletedBy: me(), deletedAt: event.createdAt, columnId: todo.id });
      expect(event).toMatchObject({ action: 'card_deleted', eventableId: a.id, boardId: board.id });
      expect(event.particulars).toEqual({ title: 'A', column: ref(todo) });
    });

    it('refuses to delete a deleted card, and every change to it, with conflict', async () => {
      const a = await addCard('A');
      await card.remove(ctx, a.id);
      const changes: (() => Promise<Card>)[] = [
        () => card.remove(ctx, a.id),
        () => card.rename(ctx, a.id, 'B'),
        () => card.describe(ctx, a.id, 'text'),
        () => card.close(ctx, a.id),
        () => card.assign(ctx, a.id, me().id),
        () => card.tag(ctx, a.id, 'x'),
        () => card.setDueDate(ctx, a.id, '2026-01-01'),
      ];
      for (const change of changes) await expectRefused(f, change, 'conflict');
    });

    it('restores a deleted card and records card_restored', async () => {
      const a = await addCard('A');
      await card.remove(ctx, a.id);
      const { result, event } = await expectOneEvent(f, () => card.restore(ctx, a.id));
      expect(result).toMatchObject({ isDeleted: false, deletedBy: null, deletedAt: null, columnId: todo.id });
      expect(event).toMatchObject({ action: 'card_restored', eventableId: a.id });
      expect(event.particulars).toEqual({ title: 'A', column: ref(todo) });
    });

    it('refuses to restore a card that is not deleted with conflict', async () => {
      const a = await addCard('A');
      await expectRefused(f, () => card.restore(ctx, a.id), 'conflict');
    });
  });

  describe('card order keys', () => {
    it('keep the order of many inserts and moves placed before and after other cards', async () => {
      const steps = loopCount(120, 1500);
      let seed = 20_261_126;
      const random = (n: number) => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed % n;
      };
      const model: string[] = [];
      let ran = 0;
      for (let step = 0; step < steps; step += 1) {
        const isInsert = model.length < 4 || random(3) === 0;
        const neighbour = model[random(model.length || 1)];
        const isAfter = random(2) === 0;
        const place = neighbour === undefined ? {} : isAfter ? { afterCardId: neighbour } : { beforeCardId: neighbour };
        if (isInsert) {
          const created = await card.create(ctx, { boardId: board.id, columnId: todo.id, title: `Card ${step}`, ...place });
          insertPlaced(model, created.id, neighbour, isAfter);
          ran += 1;
        } else {
          const moving = model[random(model.length)]!;
          if (moving === neighbour) continue;
          const without = model.filter((id) => id !== moving);
          const expected = [...without];
          insertPlaced(expected, moving, neighbour, isAfter);
          if (expected.join() === model.join()) continue; // already there: the verb refuses it
          await card.move(ctx, moving, { toColumnId: todo.id, ...place });
          model.splice(0, model.length, ...expected);
          ran += 1;
        }
        if (step % 25 === 0) expect((await card.cardsOfColumn(ctx, todo)).map((c) => c.id)).toEqual(model);
      }
      const cards = await card.cardsOfColumn(ctx, todo);
      expect(cards.map((c) => c.id)).toEqual(model);
      console.log(`card order: ${ran} inserts and moves ran (of ${steps} steps), ${model.length} cards, longest key ${Math.max(...cards.map((c) => c.position.length))} characters`);
    });
  });
});

describe('card verbs with an id from another account', () => {
  it('answer not_found and record nothing in either account', async () => {
    await withTwoAccounts(async (home, other) => {
      const ctx = home.session.context();
      const mine = await seedBoard(ctx, { columns: ['Mine'] });
      const [col] = mine.columns as [Column];
      const a = await card.create(ctx, { boardId: mine.board.id, columnId: col.id, title: 'A' });
      const attempts: [string, () => Promise<unknown>][] = [
        ['create in their column', () => card.create(ctx, { boardId: mine.board.id, columnId: other.column.id, title: 'X' })],
        ['create on their board', () => card.create(ctx, { boardId: other.board.id, columnId: col.id, title: 'X' })],
        ['move their card', () => card.move(ctx, other.card.id, { toColumnId: col.id })],
        ['move into their column', () => card.move(ctx, a.id, { toColumnId: other.column.id })],
        ['create after their card', () => card.create(ctx, { boardId: mine.board.id, columnId: col.id, title: 'X', afterCardId: other.card.id })],
        ['move before their card', () => card.move(ctx, a.id, { toColumnId: col.id, beforeCardId: other.card.id })],
        ['rename', () => card.rename(ctx, other.card.id, 'Mine')],
        ['describe', () => card.describe(ctx, other.card.id, 'Mine')],
        ['close', () => card.close(ctx, other.card.id)],
        ['reopen', () => card.reopen(ctx, other.card.id)],
        ['assign their card', () => card.assign(ctx, other.card.id, home.session.user.id)],
        ['assign their person', () => card.assign(ctx, a.id, other.user.id)],
        ['unassign', () => card.unassign(ctx, other.card.id, other.user.id)],
        ['tag', () => card.tag(ctx, other.card.id, 'x')],
        ['untag', () => card.untag(ctx, other.card.id, 'theirs')],
        ['setDueDate', () => card.setDueDate(ctx, other.card.id, '2026-01-01')],
        ['remove', () => card.remove(ctx, other.card.id)],
        ['restore', () => card.restore(ctx, other.card.id)],
      ];
      for (const [name, attempt] of attempts) {
        const error = await expectRefused(home, attempt, 'not_found');
        expect(error.message, name).not.toMatch(/Their|Bea/);
      }
    });
  });
});

function insertPlaced(list: string[], id: string, neighbour: string | undefined, isAfter: boolean): void {
  if (neighbour === undefined) {
    list.push(id);
    return;
  }
  const index = list.indexOf(neighbour);
  list.splice(isAfter ? index + 1 : index, 0, id);
}
