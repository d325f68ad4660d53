import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as board from '../../../src-main/domain/board';
import * as card from '../../../src-main/domain/card';
import * as column from '../../../src-main/domain/column';
import type { DomainContext } from '../../../src-main/domain/context';
import {
  expectOneEvent,
  expectRefused,
  openDomainFixture,
  seedBoard,
  withTwoAccounts,
  type DomainFixture,
} from '../../support/domain-fixtures';

describe('board verbs', () => {
  let f: DomainFixture;
  let ctx: DomainContext;
  beforeEach(async () => {
    f = await openDomainFixture();
    ctx = f.session.context();
  });
  afterEach(async () => {
    await f.close();
  });
  const me = () => ({ id: f.session.user.id, name: f.session.user.name });

  describe('board.create', () => {
    it('creates a board and records board_created with its name', async () => {
      const { result, event } = await expectOneEvent(f, () => board.create(ctx, { name: '  Launch  ' }));
      expect(result).toMatchObject({
        name: 'Launch',
        isDeleted: false,
        deletedAt: null,
        deletedBy: null,
        createdBy: me(),
        createdAt: event.createdAt,
        accountId: ctx.account.accountId,
      });
      expect(event).toMatchObject({
        action: 'board_created',
        eventableType: 'board',
        eventableId: result.id,
        boardId: result.id,
        creatorId: me().id,
      });
      expect(event.particulars).toEqual({ name: 'Launch' });
      const listed = await ctx.account.collections.boards.find().exec();
      expect(listed.map((doc) => doc.id)).toEqual([result.id]);
    });

    it('keeps a given id and accepts a name of 200 characters', async () => {
      const id = '0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee';
      const name = 'n'.repeat(200);
      const { result, event } = await expectOneEvent(f, () => board.create(ctx, { name, id }));
      expect(result).toMatchObject({ id, name });
      expect(event.eventableId).toBe(id);
    });

    it.each([
      ['an empty name', { name: '' }],
      ['a blank name', { name: ' \t ' }],
      ['a name of 201 characters', { name: 'n'.repeat(201) }],
      ['a name that is not text', { name: 3 }],
      ['no name', {}],
      ['an id that is not an id', { name: 'Ok', id: 'not an id' }],
      ['an id that is not text', { name: 'Ok', id: 12 }],
    ])('refuses %s with invalid_input and records nothing', async (_name, input) => {
      await expectRefused(f, () => board.create(ctx, input as never), 'invalid_input');
    });

    it('refuses an id that is taken with conflict', async () => {
      const existing = await board.create(ctx, { name: 'Launch' });
      await expectRefused(f, () => board.create(ctx, { name: 'Again', id: existing.id }), 'conflict');
    });
  });

  describe('board.rename', () => {
    it('renames a board and records board_renamed with the old and new name', async () => {
      const launch = await board.create(ctx, { name: 'Launch' });
      const { result, event } = await expectOneEvent(f, () => board.rename(ctx, launch.id, 'Launch 2026'));
      expect(result.name).toBe('Launch 2026');
      expect(event).toMatchObject({ action: 'board_renamed', eventableId: launch.id, boardId: launch.id });
      expect(event.particulars).toEqual({ from: 'Launch', to: 'Launch 2026' });
    });

    it.each([
      ['an empty name', ''],
      ['a name of 201 characters', 'n'.repeat(201)],
      ['a name that is not text', { name: 'x' }],
      ['the same name', ' Launch '],
    ])('refuses %s with invalid_input and records nothing', async (_name, name) => {
      const launch = await board.create(ctx, { name: 'Launch' });
      await expectRefused(f, () => board.rename(ctx, launch.id, name as never), 'invalid_input');
    });

    it('refuses a bad id with invalid_input and an unknown one with not_found', async () => {
      await expectRefused(f, () => board.rename(ctx, 'no such id', 'X'), 'invalid_input');
      await expectRefused(f, () => board.rename(ctx, 'unknown', 'X'), 'not_found');
    });

    it('refuses to rename a deleted board with conflict', async () => {
      const launch = await board.create(ctx, { name: 'Launch' });
      await board.remove(ctx, launch.id);
      await expectRefused(f, () => board.rename(ctx, launch.id, 'X'), 'conflict');
    });
  });

  describe('board.remove', () => {
    it('deletes a board and records board_deleted with its name', async () => {
      const { board: launch } = await seedBoard(ctx);
      const { result, event } = await expectOneEvent(f, () => board.remove(ctx, launch.id));
      expect(result).toMatchObject({ isDeleted: true, deletedBy: me(), deletedAt: event.createdAt });
      expect(event).toMatchObject({ action: 'board_deleted', eventableId: launch.id, boardId: launch.id });
      expect(event.particulars).toEqual({ name: 'Launch' });
    });

    it('refuses to delete a deleted board with conflict', async () => {
      const launch = await board.create(ctx, { name: 'Launch' });
      await board.remove(ctx, launch.id);
      await expectRefused(f, () => board.remove(ctx, launch.id), 'conflict');
    });

    it('refuses new columns and cards on a deleted board, and changes to its columns, with conflict', async () => {
      const { board: launch, columns } = await seedBoard(ctx, { columns: ['To do', 'Empty'] });
      const [todo, empty] = columns as [(typeof columns)[0], (typeof columns)[0]];
      await card.create(ctx, { boardId: launch.id, columnId: todo.id, title: 'A' });
      await board.remove(ctx, launch.id);
      await expectRefused(f, () => column.create(ctx, { boardId: launch.id, name: 'New' }), 'conflict');
      await expectRefused(f, () => card.create(ctx, { boardId: launch.id, columnId: todo.id, title: 'B' }), 'conflict');
      await expectRefused(f, () => column.rename(ctx, todo.id, 'Doing'), 'conflict');
      await expectRefused(f, () => column.move(ctx, empty.id, { beforeColumnId: todo.id }), 'conflict');
      await expectRefused(f, () => column.remove(ctx, empty.id), 'conflict');
    });

    it('refuses a bad id with invalid_input and an unknown one with not_found', async () => {
      await expectRefused(f, () => board.remove(ctx, '../etc'), 'invalid_input');
      await expectRefused(f, () => board.remove(ctx, 'unknown'), 'not_found');
    });
  });
});

describe('board verbs with an id from another account', () => {
  it('answer not_found and record nothing in either account', async () => {
    await withTwoAccounts(async (home, other) => {
      const ctx = home.session.context();
      await board.create(ctx, { name: 'Mine' });
      await expectRefused(home, () => board.rename(ctx, other.board.id, 'Mine now'), 'not_found');
      await expectRefused(home, () => board.remove(ctx, other.board.id), 'not_found');
      const listed = await ctx.account.collections.boards.find().exec();
      expect(listed.map((doc) => doc.name)).toEqual(['Mine']);
    });
  });
});
