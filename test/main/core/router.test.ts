// The core's router in this test's thread (as the core thread runs it), with real account threads from the
// built bundle on a real data folder: it answers the account commands itself, forwards the rest to the
// current account's thread, keeps accounts it switched away from open, forwards their pushes, starts a dead
// account thread again, and on close ends every account thread before it releases the folder.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CommandName, InputOf, OutputOf, Push, Result } from '../../../shared/api';
import { openRouter, type Router } from '../../../src-main/core/router';
import { LOCK_HOLDER_FILE_NAME } from '../../../src-main/store/sqlite-storage';
import { CORE_THREAD_FILE, ensureMainBuilt } from './built';

const folders: string[] = [];
const routers: Router[] = [];
let pushes: Push[] = [];

function tempFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tb-router-'));
  folders.push(dir);
  return dir;
}

async function open(dataDir = tempFolder()): Promise<Router> {
  const router = await openRouter({ dataDir, threadFile: CORE_THREAD_FILE, push: (push) => pushes.push(push) });
  routers.push(router);
  return router;
}

function call<C extends CommandName>(router: Router, command: C, input: InputOf<C>): Promise<Result<OutputOf<C>>> {
  // dispatch answers the contract's output for the command.
  return router.dispatch(command, input) as Promise<Result<OutputOf<C>>>;
}

async function ok<C extends CommandName>(router: Router, command: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const result = await call(router, command, input);
  if (!result.ok) throw new Error(`${command} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** Resolves once a push `match` accepts has arrived (fails the test after 10 s). */
async function pushed(match: (push: Push) => boolean): Promise<Push> {
  for (let waited = 0; waited < 10_000; waited += 10) {
    const found = pushes.find(match);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no matching push within 10 s');
}

beforeAll(() => ensureMainBuilt());

afterEach(async () => {
  await Promise.all(routers.splice(0).map((router) => router.close()));
  pushes = [];
});

afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe('the core router', () => {
  it('creates another account, switches to it, and keeps the two apart', async () => {
    const router = await open();
    const first = router.currentAccountId;
    const me = valueOrThrow((await ok(router, 'accounts.list', {}))[0]).user;
    await ok(router, 'board.create', { name: 'In the first' });
    pushes = [];
    const created = await ok(router, 'accounts.create', { name: 'Side project' });
    expect(created).toMatchObject({ name: 'Side project', isCurrent: true, isOpen: true, user: { name: me.name } });
    expect(created.user.id).not.toBe(me.id);
    expect(router.currentAccountId).toBe(created.id);
    expect(pushes).toContainEqual({ topic: 'accounts.changed', payload: { currentAccountId: created.id } });
    expect(await ok(router, 'board.list', {})).toEqual([]);
    await ok(router, 'board.create', { name: 'In the second' });

    // The first account stays open in its thread: its name is known and it is listed as open.
    const listed = await ok(router, 'accounts.list', {});
    expect(listed.sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual([
      { id: first, name: 'My boards', user: me, isCurrent: false, isOpen: true },
      { id: created.id, name: 'Side project', user: created.user, isCurrent: true, isOpen: true },
    ]);
    expect(router.openAccountIds()).toEqual([first, created.id].sort());

    const back = await ok(router, 'accounts.switch', { accountId: first });
    expect(back).toEqual({ id: first, name: 'My boards', user: me, isCurrent: true, isOpen: true });
    expect((await ok(router, 'board.list', {})).map((b) => b.name)).toEqual(['In the first']);
    const unknown = await call(router, 'accounts.switch', { accountId: 'not-an-account' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(router.currentAccountId).toBe(first);
    expect((await ok(router, 'account.get', {})).account.id).toBe(first);
    const malformed = await call(router, 'accounts.create', { name: '' });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect((await ok(router, 'accounts.list', {})).length).toBe(2);
  });

  it('runs the commands sent before a switch in the account current then, and the commands after it in the new one', async () => {
    const router = await open();
    const first = router.currentAccountId;
    await ok(router, 'board.create', { name: 'In the first' });
    const second = await ok(router, 'accounts.create', { name: 'Side project' });
    const [created, switched, listed, more, listedAccounts] = await Promise.all([
      call(router, 'board.create', { name: 'In the second' }),
      call(router, 'accounts.switch', { accountId: first }),
      call(router, 'board.list', {}),
      call(router, 'board.create', { name: 'Also in the first' }),
      call(router, 'accounts.list', {}),
    ]);
    expect(created).toMatchObject({ ok: true, value: { name: 'In the second', accountId: second.id } });
    expect(switched).toMatchObject({ ok: true, value: { id: first } });
    expect(listed).toMatchObject({ ok: true, value: [{ name: 'In the first' }] });
    expect(more).toMatchObject({ ok: true, value: { accountId: first } });
    expect(listedAccounts.ok && listedAccounts.value.find((account) => account.isCurrent)?.id).toBe(first);
  });

  it('forwards the pushes of an account that is open but not current, naming that account', async () => {
    const router = await open();
    const home = router.currentAccountId;
    const side = await ok(router, 'accounts.create', { name: 'Side project' });
    await ok(router, 'accounts.switch', { accountId: home });

    // A write in the background account (as its sync will make): its projector folds it and its thread pushes.
    const background = router.threadOf(side.id);
    expect(background?.isRunning()).toBe(true);
    pushes = [];
    const made = await background!.call('board.create', { name: 'Made in the background' });
    expect(made.ok).toBe(true);
    const push = await pushed((p) => p.topic === 'board.changed');
    expect(push.payload).toMatchObject({ accountId: side.id });
    expect(pushes.every((p) => p.topic === 'accounts.changed' || p.payload.accountId === side.id)).toBe(true);
    expect(router.currentAccountId).toBe(home);
    expect(await ok(router, 'board.list', {})).toEqual([]);
  });

  it('answers unavailable while an account thread is dead and starts it again for the next command', async () => {
    const router = await open();
    const home = router.currentAccountId;
    const side = await ok(router, 'accounts.create', { name: 'Side project' });
    await ok(router, 'board.create', { name: 'Kept' });
    const thread = router.threadOf(side.id)!;
    const waiting = Array.from({ length: 4 }, (_, i) => call(router, 'board.create', { name: `Racing ${i}` }));
    await thread.terminate(); // what a crash does
    const results = await Promise.all(waiting);
    for (const result of results) if (!result.ok) expect(result.error.code).toBe('unavailable');

    // Not open now: listed so, and the other account is untouched.
    const listed = await ok(router, 'accounts.list', {});
    expect(listed.find((account) => account.id === side.id)).toMatchObject({ isOpen: false, name: null });
    expect(listed.find((account) => account.id === home)).toMatchObject({ isOpen: true });

    // The next command starts it again, on the same file.
    const names = (await ok(router, 'board.list', {})).map((b) => b.name);
    expect(names).toContain('Kept');
    expect(router.threadOf(side.id)).not.toBe(thread);
    expect(router.openAccountIds()).toEqual([home, side.id].sort());
  });

  it('closes every account thread cleanly, then releases the folder', async () => {
    const dataDir = tempFolder();
    const router = await open(dataDir);
    const side = await ok(router, 'accounts.create', { name: 'Side project' });
    const threads = router.openAccountIds().map((id) => router.threadOf(id)!);
    expect(threads).toHaveLength(2);
    const pending = call(router, 'board.create', { name: 'Finished before closing' });
    expect(existsSync(join(dataDir, LOCK_HOLDER_FILE_NAME))).toBe(true);
    routers.splice(routers.indexOf(router), 1);
    expect(await router.close()).toBe(true);
    expect((await pending).ok).toBe(true);
    for (const thread of threads) expect(await thread.exited).toMatchObject({ isClean: true });
    expect(existsSync(join(dataDir, LOCK_HOLDER_FILE_NAME))).toBe(false);
    expect(await call(router, 'board.list', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });

    // Opened again: both accounts are there, the first one current; the other opens on switching to it.
    const again = await open(dataDir);
    expect(again.openAccountIds()).toEqual([again.currentAccountId]);
    await ok(again, 'accounts.switch', { accountId: side.id });
    expect((await ok(again, 'board.list', {})).map((b) => b.name)).toEqual(['Finished before closing']);
  });
});

function valueOrThrow<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('expected a value');
  return value;
}
