// The core in its worker thread (dist/main/core-thread.mjs) on a real data folder, driven through the
// main thread's client: calls answered with the contract's Results, pushes when events are folded, malformed
// input refused, and `unavailable` once the thread is gone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Push, Result } from '../../../shared/api';
import { startCore, type CoreClient } from '../../../src-main/core/client';
import { CORE_THREAD_FILE, ensureMainBuilt } from './built';

const folders: string[] = [];
const running: CoreClient[] = [];

function tempFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tb-core-'));
  folders.push(dir);
  return dir;
}

async function start(dataDir = tempFolder()): Promise<CoreClient> {
  const core = await startCore({ dataDir, threadFile: CORE_THREAD_FILE });
  running.push(core);
  return core;
}

function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Resolves with the first push `match` accepts (fails the test after 10 s). */
function nextPush(core: CoreClient, match: (push: Push) => boolean): Promise<Push> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error('no matching push within 10 s'));
    }, 10_000);
    const stop = core.onPush((push) => {
      if (!match(push)) return;
      clearTimeout(timer);
      stop();
      resolve(push);
    });
  });
}

beforeAll(() => ensureMainBuilt());

afterEach(async () => {
  await Promise.all(running.splice(0).map((core) => core.terminate()));
});

afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe('the core thread', () => {
  it('starts on an empty folder with a local account and answers calls: create a board, then get it', async () => {
    const core = await start();
    const accounts = valueOf(await core.call('accounts.list', {}));
    expect(accounts).toEqual([expect.objectContaining({ id: core.accountId, isCurrent: true })]);

    const board = valueOf(await core.call('board.create', { name: 'Launch' }));
    expect(board).toMatchObject({ name: 'Launch', accountId: core.accountId, isDeleted: false });
    const column = valueOf(await core.call('column.create', { boardId: board.id, name: 'To do' }));
    const card = valueOf(await core.call('card.create', { boardId: board.id, columnId: column.id, title: 'Write the brief' }));

    const view = valueOf(await core.call('board.get', { boardId: board.id }));
    expect(view.board).toMatchObject({ id: board.id, name: 'Launch' });
    expect(view.columns.map((c) => c.name)).toEqual(['To do']);
    expect(view.columns[0]?.cards.map((c) => c.id)).toEqual([card.id]);
    expect(valueOf(await core.call('board.list', {})).map((b) => b.id)).toEqual([board.id]);
  });

  it('pushes board.changed for the board whose events were folded, and account.changed for the board list', async () => {
    const core = await start();
    const accountChanged = nextPush(core, (push) => push.topic === 'account.changed');
    const board = valueOf(await core.call('board.create', { name: 'Pushes' }));
    expect((await accountChanged).payload).toEqual({ accountId: core.accountId });

    const boardChanged = nextPush(core, (push) => push.topic === 'board.changed');
    const column = valueOf(await core.call('column.create', { boardId: board.id, name: 'Doing' }));
    expect((await boardChanged).payload).toEqual({ accountId: core.accountId, boardId: board.id });

    // Once the push arrives, the change is already in what the core answers.
    const pushed = nextPush(core, (push) => push.topic === 'board.changed');
    const typed: string[] = [];
    const stop = core.on('board.changed', ({ boardId }) => typed.push(boardId));
    const created = core.call('card.create', { boardId: board.id, columnId: column.id, title: 'Seen after the push' });
    await pushed;
    const view = valueOf(await core.call('board.get', { boardId: board.id }));
    expect(view.columns[0]?.cards.map((c) => c.title)).toEqual(['Seen after the push']);
    valueOf(await created);
    stop();
    expect(typed).toContain(board.id);
  });

  it('keeps pushing for the account it switched to, and after a backup is restored', async () => {
    const core = await start();
    const boardOf = async (accountId: string, name: string): Promise<void> => {
      const pushed = nextPush(core, (push) => push.topic === 'board.changed' && push.payload.accountId === accountId);
      const board = valueOf(await core.call('board.create', { name }));
      expect((await pushed).payload).toEqual({ accountId, boardId: board.id });
    };

    const switched = nextPush(core, (push) => push.topic === 'accounts.changed');
    const side = valueOf(await core.call('accounts.create', { name: 'Side project' }));
    expect((await switched).payload).toEqual({ currentAccountId: side.id });
    await boardOf(side.id, 'In the side project');

    valueOf(await core.call('accounts.switch', { accountId: core.accountId }));
    await boardOf(core.accountId, 'Back home');

    const backup = valueOf(await core.call('backup.create', {}));
    valueOf(await core.call('board.create', { name: 'Undone by the restore' }));
    const restored = nextPush(core, (push) => push.topic === 'accounts.changed');
    valueOf(await core.call('backup.restore', { backupId: backup.id }));
    expect((await restored).payload).toEqual({ currentAccountId: core.accountId });
    expect(valueOf(await core.call('board.list', {})).map((b) => b.name)).toEqual(['Back home']);
    await boardOf(core.accountId, 'After the restore');
  });

  it('refuses malformed input and unknown commands with invalid_input, and changes nothing', async () => {
    const core = await start();
    const before = valueOf(await core.call('board.list', {}));
    const refusals: Result<unknown>[] = [
      await core.call('board.create', { name: 5 }),
      await core.call('board.create', { name: 'Fine', extra: true }),
      await core.call('board.create', 'not an object'),
      await core.call('board.get', {}),
      await core.call('card.move', { cardId: '../../etc', toColumnId: 'x' }),
      await core.call('no.such.command', {}),
    ];
    for (const result of refusals) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('invalid_input');
    }
    // An input that cannot even be copied to the thread is refused on this side.
    const uncloneable = await core.call('board.create', { name: () => 'x' });
    expect(uncloneable).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(valueOf(await core.call('board.list', {}))).toEqual(before);
  });

  it('answers every waiting and every later call with unavailable once the thread dies', async () => {
    const dataDir = tempFolder();
    const core = await start(dataDir);
    const calls = Array.from({ length: 5 }, (_, i) => core.call('board.create', { name: `Board ${i}` }));
    await core.terminate(); // what a crash does: the thread stops, no store is closed in order
    const results = await Promise.all(calls);
    for (const result of results) {
      if (!result.ok) expect(result.error.code).toBe('unavailable');
    }
    expect(results.filter((result) => !result.ok).length).toBeGreaterThan(0);
    expect(await core.call('board.list', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await core.exited).toMatchObject({ isClean: false });

    // The dead thread holds no lock: a new core opens the same folder.
    const again = await start(dataDir);
    expect(again.accountId).toBe(core.accountId);
    expect(valueOf(await again.call('board.list', {})).length).toBeGreaterThanOrEqual(results.filter((result) => result.ok).length);
  });

  it('locks its data folder while it runs and releases it when closed; the data stays', async () => {
    const dataDir = tempFolder();
    const first = await start(dataDir);
    const board = valueOf(await first.call('board.create', { name: 'Kept' }));

    await expect(start(dataDir)).rejects.toThrow(/in use by this process/);

    const pending = first.call('board.rename', { boardId: board.id, name: 'Kept and renamed' });
    await first.close();
    expect(valueOf(await pending).name).toBe('Kept and renamed'); // a call under way finishes before the store closes
    expect(await first.exited).toEqual({ isClean: true, exitCode: 0 });
    expect(await first.call('board.list', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });

    const second = await start(dataDir);
    expect(second.accountId).toBe(first.accountId);
    expect(valueOf(await second.call('board.list', {})).map((b) => b.name)).toEqual(['Kept and renamed']);
  });
});
