// The API end to end through `dispatch` on a real store (SQLite files in a temp folder, the real
// projector): what a renderer's call does, what it answers, and how failures are answered.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandName, InputOf, OutputOf, Push, Result } from '../../../shared/api';
import type { EventItem } from '../../../shared/model/views';
import { createLogger, type Logger } from '../../../shared/node/logger';
import { dispatch, type Core } from '../../../src-main/api/handlers';
import { openDomainFixture, type DomainFixture } from '../../support/domain-fixtures';

let f: DomainFixture;
let core: Core;
let pushes: Push[];
let logger: Logger;

beforeEach(async () => {
  f = await openDomainFixture();
  pushes = [];
  logger = createLogger({ dataDir: f.dir, name: 'core' });
  core = { store: f.store, accountId: f.session.account.accountId, logger, push: (push) => pushes.push(push) };
});

afterEach(async () => {
  logger.close();
  await f.close();
});

/** Calls through dispatch with a typed input (as the renderer's client does) and returns the raw Result. */
function call<C extends CommandName>(command: C, input: InputOf<C>): Promise<Result<OutputOf<C>>> {
  return dispatch(core, command, input) as Promise<Result<OutputOf<C>>>;
}

/** Calls and expects success. */
async function ok<C extends CommandName>(command: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const result = await call(command, input);
  if (!result.ok) throw new Error(`${command} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

const actionsOf = (items: EventItem[]) => items.map((item) => item.event.action);

describe('dispatch on a real store', () => {
  it('creates a board, its columns and a card, moves the card and shows it all in the timeline and on the board', async () => {
    const board = await ok('board.create', { name: '  Launch  ' });
    expect(board).toMatchObject({ name: 'Launch', isDeleted: false });
    const todo = await ok('column.create', { boardId: board.id, name: 'To do' });
    const doing = await ok('column.create', { boardId: board.id, name: 'Doing' });
    const done = await ok('column.create', { boardId: board.id, name: 'Done', afterColumnId: doing.id });
    const card = await ok('card.create', { boardId: board.id, columnId: todo.id, title: 'Write the post' });
    const second = await ok('card.create', { boardId: board.id, columnId: todo.id, title: 'Pick a date', beforeCardId: card.id });

    const moved = await ok('card.move', { cardId: card.id, toColumnId: doing.id });
    expect(moved).toMatchObject({ id: card.id, columnId: doing.id });

    const view = await ok('board.get', { boardId: board.id });
    expect(view.columns.map((c) => [c.name, c.cards.map((x) => x.title)])).toEqual([
      ['To do', ['Pick a date']],
      ['Doing', ['Write the post']],
      ['Done', []],
    ]);
    expect(view.columns[0]!.cards[0]!.id).toBe(second.id);
    expect(done.id).toBe(view.columns[2]!.id);

    const timeline = await ok('card.timeline', { cardId: card.id, limit: 10 });
    expect(actionsOf(timeline.items)).toEqual(['card_moved', 'card_created']);
    expect(timeline.items[0]!.sentence).toMatchObject({ id: 'card_moved', params: { from: 'To do', to: 'Doing' } });
    expect(timeline.nextCursor).toBeNull();

    const boards = await ok('board.list', {});
    expect(boards.map((b) => b.name)).toEqual(['Launch']);
    const feed = await ok('activity.board', { boardId: board.id, limit: 3 });
    expect(actionsOf(feed.items)).toEqual(['card_moved', 'card_created', 'card_created']);
    expect(feed.nextCursor).not.toBeNull();
    const older = await ok('activity.board', { boardId: board.id, limit: 50, cursor: feed.nextCursor });
    expect(actionsOf(older.items)).toEqual(['column_created', 'column_created', 'column_created', 'board_created']);
  });

  it('closes, assigns, tags, dates and comments on a card, then reads it back with its comments', async () => {
    const board = await ok('board.create', { name: 'Launch' });
    const todo = await ok('column.create', { boardId: board.id, name: 'To do' });
    const card = await ok('card.create', { boardId: board.id, columnId: todo.id, title: 'Write the post' });
    const me = f.session.user;

    await ok('card.assign', { cardId: card.id, userId: me.id });
    await ok('card.tag', { cardId: card.id, tag: ' launch ' });
    await ok('card.setDueDate', { cardId: card.id, dueDate: '2026-12-01' });
    await ok('card.describe', { cardId: card.id, description: 'Two paragraphs.\n' });
    const comment = await ok('comment.create', { cardId: card.id, body: 'Draft is in the doc.' });
    const closed = await ok('card.close', { cardId: card.id });
    expect(closed).toMatchObject({
      isClosed: true,
      assignees: [{ id: me.id, name: me.name }],
      tags: ['launch'],
      dueDate: '2026-12-01',
      description: 'Two paragraphs.\n',
    });

    const panel = await ok('card.get', { cardId: card.id });
    expect(panel.card.id).toBe(card.id);
    expect(panel.comments.map((c) => [c.id, c.body])).toEqual([[comment.id, 'Draft is in the doc.']]);

    const openOnly = await ok('board.get', { boardId: board.id, filters: { status: 'open' } });
    expect(openOnly.columns[0]!.cards).toEqual([]);
    const closedOnly = await ok('board.get', { boardId: board.id, filters: { status: 'closed', tag: 'launch', text: '  post ' } });
    expect(closedOnly.columns[0]!.cards.map((c) => c.id)).toEqual([card.id]);

    const timeline = await ok('card.timeline', { cardId: card.id, limit: 50 });
    expect(actionsOf(timeline.items)).toEqual([
      'card_closed',
      'comment_created',
      'card_description_changed',
      'card_due_date_changed',
      'card_tagged',
      'card_assigned',
      'card_created',
    ]);
  });

  it('undoes a move by recording the move back, and answers conflict once the card has moved on', async () => {
    const board = await ok('board.create', { name: 'Launch' });
    const todo = await ok('column.create', { boardId: board.id, name: 'To do' });
    const doing = await ok('column.create', { boardId: board.id, name: 'Doing' });
    const done = await ok('column.create', { boardId: board.id, name: 'Done' });
    const card = await ok('card.create', { boardId: board.id, columnId: todo.id, title: 'Write the post' });
    const moved = await ok('card.move', { cardId: card.id, toColumnId: doing.id });

    const undone = await ok('event.undo', { eventId: moved.lastEventId });
    expect(undone.undone.event.id).toBe(moved.lastEventId);
    expect(undone.compensation.event).toMatchObject({ action: 'card_moved', eventableId: card.id });
    expect(undone.compensation.sentence).toMatchObject({ id: 'card_moved', params: { from: 'Doing', to: 'To do' } });
    expect(undone.entity).toMatchObject({ id: card.id, columnId: todo.id });

    const again = await ok('card.move', { cardId: card.id, toColumnId: done.id });
    const before = (await f.events()).length;
    const refused = await call('event.undo', { eventId: moved.lastEventId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await f.events()).length).toBe(before);
    expect(again.columnId).toBe(done.id);
  });

  it('answers the code and message of an expected failure and records nothing', async () => {
    const before = (await f.events()).length;
    const missing = await call('card.close', { cardId: 'no-such-card' });
    expect(missing).toEqual({ ok: false, error: { code: 'not_found', message: 'No card with id no-such-card in this account.' } });
    const board = await ok('board.create', { name: 'Launch' });
    const todo = await ok('column.create', { boardId: board.id, name: 'To do' });
    await ok('card.create', { boardId: board.id, columnId: todo.id, title: 'Keep me' });
    const full = await call('column.delete', { columnId: todo.id });
    expect(full).toMatchObject({ ok: false, error: { code: 'conflict' } });
    if (!full.ok) expect(full.error.message).toContain('still holds 1 card');
    expect((await f.events()).length).toBe(before + 3);
  });

  it('answers invalid_input naming the field for a malformed input, and for an unknown command', async () => {
    const tooLong = await dispatch(core, 'board.create', { name: 'x'.repeat(201) });
    expect(tooLong).toEqual({ ok: false, error: { code: 'invalid_input', message: 'The board name is too long: at most 200 characters.' } });
    const typo = await dispatch(core, 'board.create', { nmae: 'Launch' });
    expect(typo).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    if (!typo.ok) expect(typo.error.message).toContain('“nmae”');
    const unknown = await dispatch(core, 'card.explode', {});
    expect(unknown).toEqual({ ok: false, error: { code: 'invalid_input', message: 'There is no command “card.explode”.' } });
    const prototypeKey = await dispatch(core, 'toString', {});
    expect(prototypeKey).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect((await f.events()).map((e) => e.action)).toEqual(['account_created']);
  });

  it('answers internal with a generic message for an unexpected failure, and logs it with its stack', async () => {
    // A file where the account's backups folder belongs: listing it fails with a plain (unexpected) error.
    mkdirSync(join(f.dir, 'backups'), { recursive: true });
    writeFileSync(join(f.dir, 'backups', core.accountId), 'not a folder');
    const result = await dispatch(core, 'backup.list', {});
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'Something went wrong inside Trailboard. The details are in its log.' } });
    if (!result.ok) expect(result.error.message).not.toContain(f.dir);
    const lines = readFileSync(logger.path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const failure = lines.find((line) => line['msg'] === 'command failed');
    expect(failure).toMatchObject({ level: 'error', command: 'backup.list', error: { name: 'Error' } });
    expect(String((failure?.['error'] as { stack?: string }).stack)).toContain('ENOTDIR');
  });
});

describe('accounts', () => {
  it('gives the current account with me as its admin', async () => {
    const view = await ok('account.get', {});
    expect(view.account.id).toBe(core.accountId);
    expect(view.me).toEqual({ id: f.session.user.id, name: f.session.user.name, role: 'admin' });
    expect(view.members).toEqual([view.me]);
  });

  // Creating, switching and listing accounts is the core router's work (test/main/core/router.test.ts).
  it('refuses the router’s account commands inside one account, and changes nothing', async () => {
    const before = (await f.events()).length;
    for (const [command, input] of [
      ['accounts.list', {}],
      ['accounts.create', { name: 'Side project' }],
      ['accounts.switch', { accountId: core.accountId }],
    ] as const) {
      const result = await dispatch(core, command, input);
      expect(result).toEqual({ ok: false, error: { code: 'invalid_input', message: `“${command}” is answered by the core's router, not inside one account.` } });
    }
    expect(await dispatch(core, 'accounts.create', { name: 5 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(f.store.listAccountIds()).toEqual([core.accountId]);
    expect((await f.events()).length).toBe(before);
    expect(pushes).toEqual([]);
  });
});

describe('safety nets', () => {
  it('backs up, lists and restores the current account', async () => {
    await ok('board.create', { name: 'Before the backup' });
    const taken = await ok('backup.create', {});
    expect(taken).toMatchObject({ kind: 'manual' });
    expect(taken.bytes).toBeGreaterThan(0);
    expect(await ok('backup.list', {})).toEqual([taken]);

    await ok('board.create', { name: 'After the backup' });
    expect((await ok('board.list', {})).map((b) => b.name)).toEqual(['After the backup', 'Before the backup']);
    const restored = await ok('backup.restore', { backupId: taken.id });
    expect(restored).toEqual(taken);
    expect((await ok('board.list', {})).map((b) => b.name)).toEqual(['Before the backup']);
    expect(pushes).toContainEqual({ topic: 'accounts.changed', payload: { currentAccountId: core.accountId } });
    // The account keeps working after its file was swapped.
    await ok('board.create', { name: 'After the restore' });

    const missing = await call('backup.restore', { backupId: '../../account.sqlite' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('exports the audit log as JSON Lines, all of it or a time range', async () => {
    const board = await ok('board.create', { name: 'Launch' });
    f.clock.advance(60_000);
    const later = new Date(f.clock.now()).toISOString();
    await ok('board.rename', { boardId: board.id, name: 'Launch day' });

    const all = await ok('audit.export', {});
    expect(all.eventCount).toBe(3);
    const lines = readFileSync(all.path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { action: string });
    expect(lines.map((e) => e.action)).toEqual(['account_created', 'board_created', 'board_renamed']);
    expect(all.fileName).toMatch(/^audit-.*\.jsonl$/);
    expect(all.bytes).toBe(readFileSync(all.path).length);

    const recent = await ok('audit.export', { from: later });
    expect(recent.eventCount).toBe(1);
    expect(recent.path).not.toBe(all.path);
    const reversed = await call('audit.export', { from: later, to: '2000-01-01T00:00:00.000Z' });
    expect(reversed).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('exports diagnostics from the logs with secrets redacted', async () => {
    logger.info('sync connected', { url: 'https://sync.example.com/?token=abc123', accountCount: 1 });
    logger.warn('webhook check', { secret: 'whsec_live_do_not_leak' });
    const exported = await ok('diagnostics.export', {});
    expect(existsSync(exported.path)).toBe(true);
    const text = readFileSync(exported.path, 'utf8');
    const lines = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ kind: 'about', deviceId: f.store.deviceId, accounts: 1 });
    expect(lines.some((line) => line['msg'] === 'sync connected' && line['file'] === 'core.log')).toBe(true);
    expect(text).not.toContain('abc123');
    expect(text).not.toContain('whsec_live_do_not_leak');
  });
});
