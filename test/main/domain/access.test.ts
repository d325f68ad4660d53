import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../shared/events';
import type { Board, Card, Column, Comment } from '../../../shared/model';
import { ADMIN_VERBS, authorize } from '../../../src-main/domain/access';
import * as board from '../../../src-main/domain/board';
import * as card from '../../../src-main/domain/card';
import * as column from '../../../src-main/domain/column';
import * as comment from '../../../src-main/domain/comment';
import { commit, type DomainContext } from '../../../src-main/domain/context';
import {
  addMember,
  expectOneEvent,
  expectRefused,
  openDomainFixture,
  seedBoard,
  type DomainFixture,
} from '../../support/domain-fixtures';

let f: DomainFixture;
let admin: DomainContext;
let launch: Board;
let todo: Column;
let doing: Column;
let spare: Column;
let task: Card;
let note: Comment;

beforeEach(async () => {
  f = await openDomainFixture();
  admin = f.session.context();
  const seeded = await seedBoard(admin, { columns: ['To do', 'Doing', 'Spare'] });
  launch = seeded.board;
  [todo, doing, spare] = seeded.columns as [Column, Column, Column];
  task = await card.create(admin, { boardId: launch.id, columnId: todo.id, title: 'Task' });
  await card.tag(admin, task.id, 'urgent');
  await card.assign(admin, task.id, f.session.user.id);
  note = await comment.create(admin, { cardId: task.id, body: 'Note' });
});
afterEach(async () => {
  await f.close();
});

/** Every verb of board, column, card and comment, run as `ctx` against the seeded entities. */
function everyVerb(ctx: DomainContext): [string, () => Promise<unknown>][] {
  const me = f.session.user.id;
  return [
    ['board.create', () => board.create(ctx, { name: 'New' })],
    ['board.rename', () => board.rename(ctx, launch.id, 'Renamed')],
    ['board.delete', () => board.remove(ctx, launch.id)],
    ['column.create', () => column.create(ctx, { boardId: launch.id, name: 'New' })],
    ['column.rename', () => column.rename(ctx, spare.id, 'Renamed')],
    ['column.move', () => column.move(ctx, spare.id, { beforeColumnId: todo.id })],
    ['column.delete', () => column.remove(ctx, spare.id)],
    ['column.restore', () => column.restore(ctx, spare.id)],
    ['card.create', () => card.create(ctx, { boardId: launch.id, columnId: todo.id, title: 'New' })],
    ['card.move', () => card.move(ctx, task.id, { toColumnId: doing.id })],
    ['card.rename', () => card.rename(ctx, task.id, 'Renamed')],
    ['card.describe', () => card.describe(ctx, task.id, 'Text')],
    ['card.close', () => card.close(ctx, task.id)],
    ['card.reopen', () => card.reopen(ctx, task.id)],
    ['card.assign', () => card.assign(ctx, task.id, me)],
    ['card.unassign', () => card.unassign(ctx, task.id, me)],
    ['card.tag', () => card.tag(ctx, task.id, 'later')],
    ['card.untag', () => card.untag(ctx, task.id, 'urgent')],
    ['card.setDueDate', () => card.setDueDate(ctx, task.id, '2026-12-24')],
    ['card.delete', () => card.remove(ctx, task.id)],
    ['card.restore', () => card.restore(ctx, task.id)],
    ['comment.create', () => comment.create(ctx, { cardId: task.id, body: 'Hi' })],
    ['comment.edit', () => comment.edit(ctx, note.id, 'Edited')],
    ['comment.delete', () => comment.remove(ctx, note.id)],
    ['comment.restore', () => comment.restore(ctx, note.id)],
  ];
}

describe('someone who is not a member', () => {
  it('is refused every verb with forbidden and nothing is recorded', async () => {
    const stranger = f.session.context({ id: 'stranger', name: 'S' });
    const verbs = everyVerb(stranger);
    expect(verbs).toHaveLength(25);
    for (const [name, run] of verbs) {
      const error = await expectRefused(f, run, 'forbidden');
      expect(error.message, name).toMatch(/not a member/);
    }
  });

  it('is refused before the input is looked at (no hint whether an id exists)', async () => {
    const stranger = f.session.context({ id: 'stranger', name: 'S' });
    await expectRefused(f, () => card.close(stranger, 'unknown'), 'forbidden');
    await expectRefused(f, () => card.close(stranger, 'not an id'), 'forbidden');
    await expectRefused(f, () => board.create(stranger, { name: '' }), 'forbidden');
  });

  it('cannot borrow a member name: the members record decides, by id', async () => {
    const impostor = f.session.context({ id: 'impostor', name: f.session.user.name });
    await expectRefused(f, () => card.close(impostor, task.id), 'forbidden');
    await expectRefused(f, () => authorize(impostor, 'webhook.create'), 'forbidden');
  });
});

describe('a plain member', () => {
  let member: DomainContext;
  let ann: Actor;
  beforeEach(async () => {
    ann = await addMember(admin, { id: 'ann', name: 'Ann' });
    member = f.session.context(ann);
  });

  it('moves a card, and the event names them as its creator', async () => {
    const { result, event } = await expectOneEvent(f, () => card.move(member, task.id, { toColumnId: doing.id }));
    expect(result.columnId).toBe(doing.id);
    expect(event).toMatchObject({ action: 'card_moved', creatorId: 'ann', creatorName: 'Ann' });
  });

  it('may run every board, column, card and comment verb on their own things', async () => {
    const own = await expectOneEvent(f, () => board.create(member, { name: 'Ann’s board' }));
    const col = await column.create(member, { boardId: own.result.id, name: 'Ann’s column' });
    const second = await column.create(member, { boardId: own.result.id, name: 'Second' });
    const mine = await card.create(member, { boardId: own.result.id, columnId: col.id, title: 'Ann’s card' });
    const next = await card.create(member, { boardId: own.result.id, columnId: col.id, title: 'Next' });
    await card.move(member, mine.id, { toColumnId: col.id, afterCardId: next.id });
    await card.rename(member, mine.id, 'Ann’s card, renamed');
    await card.describe(member, mine.id, 'What it is about');
    await card.close(member, mine.id);
    await card.reopen(member, mine.id);
    await card.assign(member, mine.id, 'ann');
    await card.unassign(member, mine.id, 'ann');
    await card.tag(member, mine.id, 'mine');
    await card.untag(member, mine.id, 'mine');
    await card.setDueDate(member, mine.id, '2026-12-31');
    const said = await comment.create(member, { cardId: mine.id, body: 'Mine' });
    await comment.edit(member, said.id, 'Mine, edited');
    await comment.remove(member, said.id);
    await comment.restore(member, said.id);
    await card.remove(member, mine.id);
    await card.restore(member, mine.id);
    await column.rename(member, col.id, 'Renamed');
    await column.move(member, second.id, { beforeColumnId: col.id });
    await column.remove(member, second.id);
    await column.restore(member, second.id);
    await board.rename(member, own.result.id, 'Renamed');
    await board.remove(member, own.result.id);
    const byAnn = (await f.events()).filter((e) => e.creatorId === 'ann').map((e) => e.action);
    expect(byAnn).toEqual([
      'board_created',
      'column_created',
      'column_created',
      'card_created',
      'card_created',
      'card_moved',
      'card_renamed',
      'card_description_changed',
      'card_closed',
      'card_reopened',
      'card_assigned',
      'card_unassigned',
      'card_tagged',
      'card_untagged',
      'card_due_date_changed',
      'comment_created',
      'comment_edited',
      'comment_deleted',
      'comment_restored',
      'card_deleted',
      'card_restored',
      'column_renamed',
      'column_moved',
      'column_deleted',
      'column_restored',
      'board_renamed',
      'board_deleted',
    ]);
  });

  it('is refused the admin verbs with forbidden, which the admin may run', async () => {
    await expectRefused(f, () => authorize(member, 'webhook.create'), 'forbidden');
    await expect(authorize(admin, 'webhook.create')).resolves.toMatchObject({ id: f.session.user.id, role: 'admin' });
    await expect(authorize(member, 'card.move')).resolves.toEqual({ id: 'ann', name: 'Ann', role: 'member' });
    expect(ADMIN_VERBS.size).toBeGreaterThan(0);
    for (const verb of ADMIN_VERBS) {
      await expectRefused(f, () => authorize(member, verb), 'forbidden');
      await expect(authorize(admin, verb)).resolves.toMatchObject({ role: 'admin' });
    }
  });

  it('gets the admin verbs once the members record makes them an admin, and nothing once removed', async () => {
    await commit(admin, {
      action: 'member_role_changed',
      eventableId: admin.account.accountId,
      particulars: { member: ann, from: 'member', to: 'admin' },
    });
    await expect(authorize(member, 'webhook.create')).resolves.toMatchObject({ role: 'admin' });
    await commit(admin, {
      action: 'member_removed',
      eventableId: admin.account.accountId,
      particulars: { member: ann, role: 'admin' },
    });
    await expectRefused(f, () => card.move(member, task.id, { toColumnId: doing.id }), 'forbidden');
    await expectRefused(f, () => authorize(member, 'webhook.create'), 'forbidden');
  });
});
