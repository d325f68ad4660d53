// Accounts never mix: two accounts, two databases in one data folder, one process. (RxDB's open-source build
// keeps at most 13 collections open per JS realm and an account has 8, so in this test's one realm the two are
// open one after the other: see `withTwoAccounts`. Both open at once, each in its own thread as in the app:
// test/main/core/accounts.test.ts.)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Column } from '../../../shared/model';
import { PROJECTION_COLLECTIONS } from '../../../shared/model';
import * as board from '../../../src-main/domain/board';
import * as card from '../../../src-main/domain/card';
import * as column from '../../../src-main/domain/column';
import * as comment from '../../../src-main/domain/comment';
import { findEntity } from '../../../src-main/domain/context';
import { accountDatabaseName } from '../../../src-main/store/account-files';
import type { AccountSession } from '../../../src-main/store/store';
import { eventsOf, expectRefused, readAccount, seedBoard, withTwoAccounts } from '../../support/domain-fixtures';

/** Every document of every projection collection and every event of a session, as (collection, id, accountId). */
async function everything(session: AccountSession): Promise<{ collection: string; id: string; accountId: string }[]> {
  const rows: { collection: string; id: string; accountId: string }[] = [];
  for (const name of PROJECTION_COLLECTIONS) {
    const docs = await session.account.collections[name].find().exec();
    for (const doc of docs) rows.push({ collection: name, id: doc.primary, accountId: doc.get('accountId') as string });
  }
  for (const event of await eventsOf(session)) rows.push({ collection: 'events', id: event.id, accountId: event.accountId });
  return rows;
}

describe('two accounts in one data folder', () => {
  it('live in two database files, and each lists only its own boards, columns, cards, comments and events', async () => {
    await withTwoAccounts(async (home, other) => {
      const ctx = home.session.context();
      const homeId = home.session.account.accountId;
      const { board: mine, columns } = await seedBoard(ctx, { name: 'My board', columns: ['Mine'] });
      const mineCard = await card.create(ctx, { boardId: mine.id, columnId: (columns[0] as Column).id, title: 'My card' });
      await comment.create(ctx, { cardId: mineCard.id, body: 'My comment' });

      expect(home.store.listAccountIds().sort()).toEqual([homeId, other.accountId].sort());
      for (const id of [homeId, other.accountId]) {
        expect(existsSync(join(home.dir, `${accountDatabaseName(id)}.sqlite`))).toBe(true);
      }

      const boards = await ctx.account.collections.boards.find().exec();
      expect(boards.map((doc) => doc.name)).toEqual(['My board']);
      const rows = await everything(home.session);
      expect(rows.length).toBeGreaterThan(8);
      expect(rows.filter((row) => row.accountId !== homeId)).toEqual([]);
      const theirIds = [other.accountId, other.board.id, other.column.id, other.card.id, other.comment.id, ...other.eventIds];
      expect(rows.filter((row) => theirIds.includes(row.id))).toEqual([]);

      // The queries the verbs use, asked about the other account's things, find nothing.
      expect(await column.columnsOfBoard(ctx, other.board.id)).toEqual([]);
      expect(await card.cardsOfColumn(ctx, other.column)).toEqual([]);
      expect(await findEntity(ctx, 'boards', other.board.id)).toBeUndefined();
      expect(await findEntity(ctx, 'members', other.accountId)).toBeUndefined();

      // And the other account, opened afterwards, lists only its own.
      await home.close();
      const theirs = await readAccount(home.dir, home.clock, other.accountId, async (session) => ({
        boards: (await session.account.collections.boards.find().exec()).map((doc) => doc.name),
        rows: await everything(session),
      }));
      expect(theirs.boards).toEqual(['Their board']);
      expect(theirs.rows.filter((row) => row.accountId !== other.accountId)).toEqual([]);
      expect(theirs.rows.filter((row) => row.id === mine.id || row.id === mineCard.id || row.id === homeId)).toEqual([]);
    });
  });

  it('refuses the other account’s person as a stranger here (forbidden, nothing recorded)', async () => {
    await withTwoAccounts(async (home, other) => {
      const bea = home.session.context(other.user);
      const { board: mine } = await seedBoard(home.session.context(), { columns: [] });
      await expectRefused(home, () => board.rename(bea, mine.id, 'Bea was here'), 'forbidden');
      await expectRefused(home, () => board.create(bea, { name: 'Bea’s board' }), 'forbidden');
      await expectRefused(home, () => card.assign(home.session.context(), other.card.id, other.user.id), 'not_found');
    });
  });

  it('keeps the same id apart in each account: a board made here with their board’s id changes nothing there', async () => {
    let theirName = '';
    await withTwoAccounts(async (home, other) => {
      const ctx = home.session.context();
      const twin = await board.create(ctx, { name: 'My twin', id: other.board.id });
      expect(twin).toMatchObject({ id: other.board.id, name: 'My twin', accountId: home.session.account.accountId });
      await board.rename(ctx, twin.id, 'My twin, renamed');
      await board.remove(ctx, twin.id);
      await home.close();
      theirName = await readAccount(home.dir, home.clock, other.accountId, async (session) => {
        const theirs = await session.account.collections.boards.findOne(other.board.id).exec();
        expect(theirs?.accountId).toBe(other.accountId);
        expect(theirs?.isDeleted).toBe(false);
        return theirs?.name ?? '';
      });
    });
    expect(theirName).toBe('Their board');
  });

  it('answers not_found for every verb given the other account’s ids, recording nothing in either', async () => {
    await withTwoAccounts(async (home, other) => {
      const ctx = home.session.context();
      const { board: mine, columns } = await seedBoard(ctx, { columns: ['Mine'] });
      const col = columns[0] as Column;
      const mineCard = await card.create(ctx, { boardId: mine.id, columnId: col.id, title: 'Mine' });
      const attempts: [string, () => Promise<unknown>][] = [
        ['board.rename', () => board.rename(ctx, other.board.id, 'X')],
        ['board.delete', () => board.remove(ctx, other.board.id)],
        ['column.create', () => column.create(ctx, { boardId: other.board.id, name: 'X' })],
        ['column.rename', () => column.rename(ctx, other.column.id, 'X')],
        ['column.move', () => column.move(ctx, other.column.id, {})],
        ['column.delete', () => column.remove(ctx, other.column.id)],
        ['column.restore', () => column.restore(ctx, other.column.id)],
        ['card.create', () => card.create(ctx, { boardId: other.board.id, columnId: other.column.id, title: 'X' })],
        ['card.move', () => card.move(ctx, mineCard.id, { toColumnId: other.column.id })],
        ['card.rename', () => card.rename(ctx, other.card.id, 'X')],
        ['card.describe', () => card.describe(ctx, other.card.id, 'X')],
        ['card.close', () => card.close(ctx, other.card.id)],
        ['card.reopen', () => card.reopen(ctx, other.card.id)],
        ['card.assign', () => card.assign(ctx, other.card.id, home.session.user.id)],
        ['card.unassign', () => card.unassign(ctx, other.card.id, other.user.id)],
        ['card.tag', () => card.tag(ctx, other.card.id, 'x')],
        ['card.untag', () => card.untag(ctx, other.card.id, 'theirs')],
        ['card.setDueDate', () => card.setDueDate(ctx, other.card.id, null)],
        ['card.delete', () => card.remove(ctx, other.card.id)],
        ['card.restore', () => card.restore(ctx, other.card.id)],
        ['comment.create', () => comment.create(ctx, { cardId: other.card.id, body: 'X' })],
        ['comment.edit', () => comment.edit(ctx, other.comment.id, 'X')],
        ['comment.delete', () => comment.remove(ctx, other.comment.id)],
        ['comment.restore', () => comment.restore(ctx, other.comment.id)],
      ];
      for (const [name, attempt] of attempts) {
        const error = await expectRefused(home, attempt, 'not_found');
        expect(error.message, name).not.toMatch(/Their|Bea|Elsewhere/);
      }
    });
  });
});
