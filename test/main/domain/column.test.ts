import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Board, Column } from '../../../shared/model';
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
import { loopCount } from '../../support/long';

describe('column verbs', () => {
  let f: DomainFixture;
  let ctx: DomainContext;
  let launch: Board;
  beforeEach(async () => {
    f = await openDomainFixture();
    ctx = f.session.context();
    launch = await board.create(ctx, { name: 'Launch' });
  });
  afterEach(async () => {
    await f.close();
  });
  const me = () => ({ id: f.session.user.id, name: f.session.user.name });
  const addColumn = (name: string, extra: Partial<Parameters<typeof column.create>[1]> = {}) =>
    column.create(ctx, { boardId: launch.id, name, ...extra });
  const namesOf = async (boardId = launch.id) => (await column.columnsOfBoard(ctx, boardId)).map((c) => c.name);

  describe('column.create', () => {
    it('creates a column at the end of the board and records column_created naming the board', async () => {
      const first = await addColumn('To do');
      const { result, event } = await expectOneEvent(f, () => addColumn(' Doing '));
      expect(result).toMatchObject({
        boardId: launch.id,
        name: 'Doing',
        isDeleted: false,
        deletedAt: null,
        deletedBy: null,
        createdBy: me(),
      });
      expect(result.position > first.position).toBe(true);
      expect(event).toMatchObject({ action: 'column_created', eventableType: 'column', eventableId: result.id, boardId: launch.id });
      expect(event.particulars).toEqual({ name: 'Doing', position: result.position, board: { id: launch.id, name: 'Launch' } });
      expect(await namesOf()).toEqual(['To do', 'Doing']);
    });

    it('places a new column after or before a given column', async () => {
      const todo = await addColumn('To do');
      const done = await addColumn('Done');
      await addColumn('Doing', { afterColumnId: todo.id });
      await addColumn('Ideas', { beforeColumnId: todo.id });
      await addColumn('Review', { beforeColumnId: done.id });
      await addColumn('Archive', { afterColumnId: done.id });
      expect(await namesOf()).toEqual(['Ideas', 'To do', 'Doing', 'Review', 'Done', 'Archive']);
    });

    it('keeps a given id and accepts a name of 200 characters', async () => {
      const id = '0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee';
      const { result, event } = await expectOneEvent(f, () => addColumn('c'.repeat(200), { id }));
      expect(result.id).toBe(id);
      expect(event.eventableId).toBe(id);
    });

    it.each([
      ['an empty name', { name: '' }],
      ['a name of 201 characters', { name: 'c'.repeat(201) }],
      ['a name that is not text', { name: false }],
      ['a board id that is not an id', { boardId: 'a/b' }],
      ['a column id that is not an id', { id: '' }],
      ['both an after and a before column', { afterColumnId: 'x', beforeColumnId: 'y' }],
      ['a column to place before that is not an id', { beforeColumnId: 'no way' }],
    ])('refuses %s with invalid_input and records nothing', async (_name, change) => {
      await addColumn('To do');
      await expectRefused(f, () => column.create(ctx, { boardId: launch.id, name: 'Ok', ...change } as never), 'invalid_input');
    });

    it('refuses an unknown neighbour with not_found', async () => {
      await addColumn('To do');
      await expectRefused(f, () => addColumn('X', { afterColumnId: 'missing' }), 'not_found');
      const todo = await addColumn('Doing');
      await expectRefused(f, () => column.move(ctx, todo.id, { beforeColumnId: 'missing' }), 'not_found');
    });

    it('refuses a neighbour on another board with invalid_input', async () => {
      const other = await seedBoard(ctx, { name: 'Other', columns: ['Theirs'] });
      await expectRefused(f, () => addColumn('X', { afterColumnId: other.columns[0]!.id }), 'invalid_input');
    });

    it('refuses an unknown board with not_found, a deleted one and a taken id with conflict', async () => {
      await expectRefused(f, () => column.create(ctx, { boardId: 'unknown', name: 'X' }), 'not_found');
      const taken = await addColumn('To do');
      await expectRefused(f, () => addColumn('Again', { id: taken.id }), 'conflict');
      await board.remove(ctx, launch.id);
      await expectRefused(f, () => addColumn('X'), 'conflict');
    });
  });

  describe('column.rename', () => {
    it('renames a column and records column_renamed with the old and new name', async () => {
      const todo = await addColumn('To do');
      const { result, event } = await expectOneEvent(f, () => column.rename(ctx, todo.id, 'Backlog'));
      expect(result.name).toBe('Backlog');
      expect(event).toMatchObject({ action: 'column_renamed', eventableId: todo.id, boardId: launch.id });
      expect(event.particulars).toEqual({ from: 'To do', to: 'Backlog' });
    });

    it.each([
      ['an empty name', '  '],
      ['a name of 201 characters', 'c'.repeat(201)],
      ['a name that is not text', 7],
      ['the same name', 'To do'],
    ])('refuses %s with invalid_input and records nothing', async (_name, name) => {
      const todo = await addColumn('To do');
      await expectRefused(f, () => column.rename(ctx, todo.id, name as never), 'invalid_input');
    });

    it('refuses to rename a deleted column with conflict and an unknown one with not_found', async () => {
      const todo = await addColumn('To do');
      await column.remove(ctx, todo.id);
      await expectRefused(f, () => column.rename(ctx, todo.id, 'Backlog'), 'conflict');
      await expectRefused(f, () => column.rename(ctx, 'unknown', 'Backlog'), 'not_found');
    });
  });

  describe('column.move', () => {
    it('moves a column before another and records column_moved with both positions', async () => {
      const todo = await addColumn('To do');
      await addColumn('Doing');
      const done = await addColumn('Done');
      const { result, event } = await expectOneEvent(f, () => column.move(ctx, done.id, { beforeColumnId: todo.id }));
      expect(result.position < todo.position).toBe(true);
      expect(event).toMatchObject({ action: 'column_moved', eventableId: done.id, boardId: launch.id });
      expect(event.particulars).toEqual({ name: 'Done', fromPosition: done.position, toPosition: result.position });
      expect(await namesOf()).toEqual(['Done', 'To do', 'Doing']);
    });

    it('moves a column after another, and to the end', async () => {
      const todo = await addColumn('To do');
      const doing = await addColumn('Doing');
      await addColumn('Done');
      await column.move(ctx, todo.id, { afterColumnId: doing.id });
      expect(await namesOf()).toEqual(['Doing', 'To do', 'Done']);
      await column.move(ctx, doing.id);
      expect(await namesOf()).toEqual(['To do', 'Done', 'Doing']);
    });

    it('refuses a move that leaves the column where it is with invalid_input', async () => {
      const todo = await addColumn('To do');
      const doing = await addColumn('Doing');
      await expectRefused(f, () => column.move(ctx, doing.id, {}), 'invalid_input');
      await expectRefused(f, () => column.move(ctx, doing.id, { afterColumnId: todo.id }), 'invalid_input');
      await expectRefused(f, () => column.move(ctx, todo.id, { beforeColumnId: doing.id }), 'invalid_input');
    });

    it('refuses itself, a foreign neighbour, both placements and bad ids with invalid_input', async () => {
      const todo = await addColumn('To do');
      const doing = await addColumn('Doing');
      const other = await seedBoard(ctx, { name: 'Other', columns: ['Theirs'] });
      await expectRefused(f, () => column.move(ctx, todo.id, { afterColumnId: todo.id }), 'invalid_input');
      await expectRefused(f, () => column.move(ctx, todo.id, { afterColumnId: other.columns[0]!.id }), 'invalid_input');
      await expectRefused(f, () => column.move(ctx, todo.id, { afterColumnId: doing.id, beforeColumnId: doing.id }), 'invalid_input');
      await expectRefused(f, () => column.move(ctx, 'not an id', { afterColumnId: doing.id }), 'invalid_input');
      await expectRefused(f, () => column.move(ctx, todo.id, { afterColumnId: 1 } as never), 'invalid_input');
    });

    it('refuses to move a deleted column with conflict', async () => {
      const todo = await addColumn('To do');
      const doing = await addColumn('Doing');
      await column.remove(ctx, doing.id);
      await expectRefused(f, () => column.move(ctx, doing.id, { beforeColumnId: todo.id }), 'conflict');
    });
  });

  describe('column.remove', () => {
    it('deletes an empty column and records column_deleted with its name', async () => {
      const todo = await addColumn('To do');
      const { result, event } = await expectOneEvent(f, () => column.remove(ctx, todo.id));
      expect(result).toMatchObject({ isDeleted: true, deletedBy: me(), deletedAt: event.createdAt });
      expect(event).toMatchObject({ action: 'column_deleted', eventableId: todo.id, boardId: launch.id });
      expect(event.particulars).toEqual({ name: 'To do' });
    });

    it('refuses to delete a column holding an open or a closed card with conflict', async () => {
      const todo = await addColumn('To do');
      const done = await addColumn('Done');
      await card.create(ctx, { boardId: launch.id, columnId: todo.id, title: 'Open' });
      const closed = await card.create(ctx, { boardId: launch.id, columnId: done.id, title: 'Closed' });
      await card.close(ctx, closed.id);
      await expectRefused(f, () => column.remove(ctx, todo.id), 'conflict');
      await expectRefused(f, () => column.remove(ctx, done.id), 'conflict');
    });

    it('deletes a column whose cards were all moved out or deleted', async () => {
      const todo = await addColumn('To do');
      const done = await addColumn('Done');
      const moved = await card.create(ctx, { boardId: launch.id, columnId: todo.id, title: 'Moved' });
      const gone = await card.create(ctx, { boardId: launch.id, columnId: todo.id, title: 'Gone' });
      await card.move(ctx, moved.id, { toColumnId: done.id });
      await card.remove(ctx, gone.id);
      const { result } = await expectOneEvent(f, () => column.remove(ctx, todo.id));
      expect(result.isDeleted).toBe(true);
    });

    it('refuses to delete a deleted column with conflict, a bad id with invalid_input, an unknown one with not_found', async () => {
      const todo = await addColumn('To do');
      await column.remove(ctx, todo.id);
      await expectRefused(f, () => column.remove(ctx, todo.id), 'conflict');
      await expectRefused(f, () => column.remove(ctx, { id: todo.id } as never), 'invalid_input');
      await expectRefused(f, () => column.remove(ctx, 'unknown'), 'not_found');
    });
  });

  describe('column.restore', () => {
    it('restores a deleted column, in its place, and records column_restored', async () => {
      await addColumn('To do');
      const doing = await addColumn('Doing');
      await addColumn('Done');
      await column.remove(ctx, doing.id);
      const { result, event } = await expectOneEvent(f, () => column.restore(ctx, doing.id));
      expect(result).toMatchObject({ isDeleted: false, deletedAt: null, deletedBy: null, position: doing.position });
      expect(event).toMatchObject({ action: 'column_restored', eventableId: doing.id, boardId: launch.id });
      expect(event.particulars).toEqual({ name: 'Doing' });
      expect(await namesOf()).toEqual(['To do', 'Doing', 'Done']);
      await card.create(ctx, { boardId: launch.id, columnId: doing.id, title: 'Back in business' });
    });

    it('refuses to restore a column that is not deleted, or one on a deleted board, with conflict', async () => {
      const todo = await addColumn('To do');
      await expectRefused(f, () => column.restore(ctx, todo.id), 'conflict');
      await column.remove(ctx, todo.id);
      await board.remove(ctx, launch.id);
      await expectRefused(f, () => column.restore(ctx, todo.id), 'conflict');
    });

    it('refuses a bad id with invalid_input and an unknown one with not_found', async () => {
      await expectRefused(f, () => column.restore(ctx, 'bad id'), 'invalid_input');
      await expectRefused(f, () => column.restore(ctx, 'unknown'), 'not_found');
    });
  });

  describe('column order keys', () => {
    it('keep the order of many inserts and moves placed before and after other columns', async () => {
      const steps = loopCount(80, 1000);
      let seed = 424_242;
      const random = (n: number) => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed % n;
      };
      const model: string[] = [];
      let ran = 0;
      for (let step = 0; step < steps; step += 1) {
        const neighbour = model.length === 0 ? undefined : model[random(model.length)];
        const isAfter = random(2) === 0;
        const place = neighbour === undefined ? {} : isAfter ? { afterColumnId: neighbour } : { beforeColumnId: neighbour };
        if (model.length < 4 || random(3) === 0) {
          const created = await addColumn(`Column ${step}`, place);
          placeIn(model, created.id, neighbour, isAfter);
          ran += 1;
        } else {
          const moving = model[random(model.length)]!;
          if (moving === neighbour) continue;
          const expected = model.filter((id) => id !== moving);
          placeIn(expected, moving, neighbour, isAfter);
          if (expected.join() === model.join()) continue; // already there: the verb refuses it
          await column.move(ctx, moving, place);
          model.splice(0, model.length, ...expected);
          ran += 1;
        }
        if (step % 20 === 0) expect((await column.columnsOfBoard(ctx, launch.id)).map((c) => c.id)).toEqual(model);
      }
      const columns = await column.columnsOfBoard(ctx, launch.id);
      expect(columns.map((c) => c.id)).toEqual(model);
      expect(new Set(columns.map((c) => c.position)).size).toBe(columns.length);
      console.log(`column order: ${ran} inserts and moves ran (of ${steps} steps), ${model.length} columns`);
    });
  });
});

describe('column verbs with an id from another account', () => {
  it('answer not_found and record nothing in either account', async () => {
    await withTwoAccounts(async (home, other) => {
      const ctx = home.session.context();
      const mine = await seedBoard(ctx, { columns: ['Mine'] });
      const [col] = mine.columns as [Column];
      const attempts: [string, () => Promise<unknown>][] = [
        ['create on their board', () => column.create(ctx, { boardId: other.board.id, name: 'X' })],
        ['create after their column', () => column.create(ctx, { boardId: mine.board.id, name: 'X', afterColumnId: other.column.id })],
        ['move after their column', () => column.move(ctx, col.id, { afterColumnId: other.column.id })],
        ['rename', () => column.rename(ctx, other.column.id, 'Mine')],
        ['move', () => column.move(ctx, other.column.id, { beforeColumnId: col.id })],
        ['remove', () => column.remove(ctx, other.column.id)],
        ['restore', () => column.restore(ctx, other.column.id)],
      ];
      for (const [name, attempt] of attempts) {
        const error = await expectRefused(home, attempt, 'not_found');
        expect(error.message, name).not.toMatch(/Their|Bea/);
      }
      expect(await column.columnsOfBoard(ctx, other.board.id)).toEqual([]);
    });
  });
});

function placeIn(list: string[], id: string, neighbour: string | undefined, isAfter: boolean): void {
  if (neighbour === undefined) {
    list.push(id);
    return;
  }
  const index = list.indexOf(neighbour);
  list.splice(isAfter ? index + 1 : index, 0, id);
}
