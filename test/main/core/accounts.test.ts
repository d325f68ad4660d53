// Accounts never mix, with both open at once: two accounts, two databases, ONE process (the core started by
// `startCore`, each account in its own thread). Every query and verb sees only the current account's data;
// a command naming the other account's ids answers not_found and writes nothing to either log.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandName, InputOf, OutputOf, Result } from '../../../shared/api';
import type { EventItem } from '../../../shared/model/views';
import { startCore, type CoreClient } from '../../../src-main/core/client';
import { ensureChildrenBuilt, startChild } from '../store/sqlite-storage/durability-harness';
import { CORE_THREAD_FILE, ensureMainBuilt } from './built';

let dir: string;
let core: CoreClient;

beforeAll(async () => {
  ensureMainBuilt();
  ensureChildrenBuilt(['lock-holder']);
  dir = mkdtempSync(join(tmpdir(), 'tb-accounts-'));
  core = await startCore({ dataDir: dir, threadFile: CORE_THREAD_FILE });
});

afterAll(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

async function ok<C extends CommandName>(command: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const result = await core.call(command, input);
  if (!result.ok) throw new Error(`${command} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

type Seeded = { accountId: string; boardId: string; columnId: string; cardId: string; commentId: string; eventId: string };

/** A board, a column, a card and a comment in the current account, through the API. */
async function seed(label: string): Promise<Seeded> {
  const board = await ok('board.create', { name: `${label} board` });
  const column = await ok('column.create', { boardId: board.id, name: `${label} column` });
  const card = await ok('card.create', { boardId: board.id, columnId: column.id, title: `${label} card` });
  const comment = await ok('comment.create', { cardId: card.id, body: `${label} comment` });
  return { accountId: board.accountId, boardId: board.id, columnId: column.id, cardId: card.id, commentId: comment.id, eventId: card.lastEventId };
}

/** Every event of the current account's log, newest first (the account activity feed, all pages). */
async function log(): Promise<EventItem[]> {
  const items: EventItem[] = [];
  let cursor: string | null = null;
  do {
    const page: OutputOf<'activity.account'> = await ok('activity.account', { limit: 100, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

/** How many events the current account's log holds, counted by the audit export of all of it. */
async function eventCount(): Promise<number> {
  return (await ok('audit.export', {})).eventCount;
}

async function current(): Promise<string> {
  return (await ok('account.get', {})).account.id;
}

/** What the current account shows, and that none of it is the other's. */
async function expectOnlyOwn(own: Seeded, other: Seeded): Promise<void> {
  expect(await current()).toBe(own.accountId);
  const boards = await ok('board.list', {});
  expect(boards.map((b) => b.id)).toEqual([own.boardId]);
  const view = await ok('board.get', { boardId: own.boardId });
  expect(view.columns.map((c) => c.id)).toEqual([own.columnId]);
  expect(view.columns[0]?.cards.map((c) => c.id)).toEqual([own.cardId]);
  const panel = await ok('card.get', { cardId: own.cardId });
  expect(panel.comments.map((c) => c.id)).toEqual([own.commentId]);
  const timeline = await ok('card.timeline', { cardId: own.cardId, limit: 50 });
  expect(timeline.items.map((item) => item.event.action)).toEqual(['comment_created', 'card_created']);
  const activity = await ok('activity.board', { boardId: own.boardId, limit: 50 });
  expect(activity.items.every((item) => item.event.accountId === own.accountId && item.event.boardId === own.boardId)).toBe(true);
  const everything = await log();
  expect(everything.length).toBeGreaterThanOrEqual(5);
  expect(everything.filter((item) => item.event.accountId !== own.accountId)).toEqual([]);
  const theirIds = new Set(Object.values(other));
  expect(everything.filter((item) => theirIds.has(item.event.eventableId) || theirIds.has(item.event.id))).toEqual([]);
}

/** Every read and verb naming the other account's things: not_found, and neither log grows. */
async function expectOtherNotFound(other: Seeded, countsBefore: () => Promise<[number, number]>): Promise<void> {
  const before = await countsBefore();
  const attempts: [string, Result<unknown>][] = [
    ['board.get', await core.call('board.get', { boardId: other.boardId })],
    ['board.rename', await core.call('board.rename', { boardId: other.boardId, name: 'Taken over' })],
    ['board.delete', await core.call('board.delete', { boardId: other.boardId })],
    ['column.create', await core.call('column.create', { boardId: other.boardId, name: 'Intruder' })],
    ['column.rename', await core.call('column.rename', { columnId: other.columnId, name: 'Intruder' })],
    ['card.create', await core.call('card.create', { boardId: other.boardId, columnId: other.columnId, title: 'Intruder' })],
    ['card.get', await core.call('card.get', { cardId: other.cardId })],
    ['card.timeline', await core.call('card.timeline', { cardId: other.cardId, limit: 10 })],
    ['card.move', await core.call('card.move', { cardId: other.cardId, toColumnId: other.columnId })],
    ['card.close', await core.call('card.close', { cardId: other.cardId })],
    ['card.tag', await core.call('card.tag', { cardId: other.cardId, tag: 'mine' })],
    ['comment.create', await core.call('comment.create', { cardId: other.cardId, body: 'Intruder' })],
    ['comment.edit', await core.call('comment.edit', { commentId: other.commentId, body: 'Intruder' })],
    ['comment.delete', await core.call('comment.delete', { commentId: other.commentId })],
    ['activity.board', await core.call('activity.board', { boardId: other.boardId, limit: 10 })],
    ['event.undo', await core.call('event.undo', { eventId: other.eventId })],
  ];
  for (const [command, result] of attempts) {
    expect(result.ok ? 'ok' : result.error.code, `${command} with the other account's id`).toBe('not_found');
  }
  expect(await countsBefore()).toEqual(before);
}

describe('two accounts open at once in one process', () => {
  it('keeps every query and verb to the current account, with both accounts open in their threads', async () => {
    const home = await seed('Home');
    expect(home.accountId).toBe(core.accountId);

    const created = await ok('accounts.create', { name: 'Side project', userName: 'Bea' });
    const side = await seed('Side');
    expect(side.accountId).toBe(created.id);

    // Both are open at the same time (each in its own thread): the list says so and names both.
    const listed = await ok('accounts.list', {});
    expect(listed.map(({ id, name, isCurrent, isOpen }) => ({ id, name, isCurrent, isOpen })).sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(
      [
        { id: home.accountId, name: 'My boards', isCurrent: false, isOpen: true },
        { id: side.accountId, name: 'Side project', isCurrent: true, isOpen: true },
      ].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );

    // Counts of both logs, read by switching (the switch closes nothing, so the counts are of the live logs).
    const counts = async (): Promise<[number, number]> => {
      const was = await current();
      await ok('accounts.switch', { accountId: home.accountId });
      const homeCount = await eventCount();
      await ok('accounts.switch', { accountId: side.accountId });
      const sideCount = await eventCount();
      await ok('accounts.switch', { accountId: was });
      return [homeCount, sideCount];
    };

    await expectOnlyOwn(side, home);
    await expectOtherNotFound(home, counts);

    await ok('accounts.switch', { accountId: home.accountId });
    await expectOnlyOwn(home, side);
    await expectOtherNotFound(side, counts);

    // Back and forth with writes in between: each write lands in the account current when it was sent.
    for (let round = 0; round < 3; round++) {
      await ok('accounts.switch', { accountId: side.accountId });
      await ok('card.rename', { cardId: side.cardId, title: `Side card, round ${round}` });
      await ok('accounts.switch', { accountId: home.accountId });
      await ok('card.rename', { cardId: home.cardId, title: `Home card, round ${round}` });
    }
    expect((await ok('card.get', { cardId: home.cardId })).card.title).toBe('Home card, round 2');
    const [homeCount, sideCount] = await counts();
    const homeLog = await log();
    expect(homeLog.length).toBe(homeCount);
    expect(homeLog.filter((item) => item.event.action === 'card_renamed')).toHaveLength(3);
    await ok('accounts.switch', { accountId: side.accountId });
    expect((await ok('card.get', { cardId: side.cardId })).card.title).toBe('Side card, round 2');
    const sideLog = await log();
    expect(sideLog.filter((item) => item.event.action === 'card_renamed')).toHaveLength(3);
    expect(sideLog.filter((item) => item.event.accountId !== side.accountId)).toEqual([]);
    expect(sideLog.length).toBe(sideCount);
  });

  it('keeps the folder locked against another process while both accounts are open', async () => {
    expect((await ok('accounts.list', {})).filter((account) => account.isOpen)).toHaveLength(2);
    const child = startChild('lock-holder', ['try', dir, 'intruder']);
    const line = await child.waitForLine((l) => l.startsWith('RESULT '), 30_000);
    await child.closed;
    const result = JSON.parse(line.slice('RESULT '.length)) as { ok: boolean; error?: { code: string; message: string } };
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('locked');
    expect(result.error?.message).toContain(String(process.pid));
  });
});
