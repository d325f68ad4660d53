// Account threads without the router: this test's thread holds the data folder (as the router does), and
// two account threads from the built bundle each serve their own account at the same time, on the folder
// they adopt. A thread whose process does not hold the folder is refused before it opens anything.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CommandName, InputOf, OutputOf, Push } from '../../../shared/api';
import type { AccountThreadOptions } from '../../../src-main/core/protocol';
import { startThreadClient, type ThreadClient } from '../../../src-main/core/thread-client';
import { accountDatabaseName } from '../../../src-main/store/account-files';
import { readDevice, readOrCreateDevice, reserveAccount } from '../../../src-main/store/device';
import { holdDataFolder, LOCK_HOLDER_FILE_NAME } from '../../../src-main/store/sqlite-storage';
import { useCleanups } from '../store/sqlite-storage/durability-harness';
import { CORE_THREAD_FILE, ensureMainBuilt } from './built';

const { cleanups, tempFolder } = useCleanups();

function startAccount(dataDir: string, accountId: string, isCreating: boolean, pushes: Push[] = []): Promise<ThreadClient> {
  const workerData: AccountThreadOptions = { role: 'account', dataDir, accountId, isCreating };
  return startThreadClient({
    threadFile: CORE_THREAD_FILE,
    workerData,
    name: `test-account-${accountId}`,
    closeTimeoutMs: 10_000,
    label: 'The account’s thread',
    onPush: (push) => pushes.push(push),
  }).then((thread) => {
    cleanups.push(() => thread.terminate());
    return thread;
  });
}

async function ok<C extends CommandName>(thread: ThreadClient, command: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const result = await thread.call(command, input);
  if (!result.ok) throw new Error(`${command} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** A board with a column and `count` cards, the card creations all sent at once. */
async function fill(thread: ThreadClient, label: string, count: number): Promise<{ boardId: string; cardIds: string[] }> {
  const board = await ok(thread, 'board.create', { name: `${label} board` });
  const column = await ok(thread, 'column.create', { boardId: board.id, name: 'To do' });
  const cards = await Promise.all(
    Array.from({ length: count }, (_, i) => ok(thread, 'card.create', { boardId: board.id, columnId: column.id, title: `${label} ${i}` })),
  );
  return { boardId: board.id, cardIds: cards.map((card) => card.id) };
}

beforeAll(() => ensureMainBuilt());

describe('account threads in one process', () => {
  it('serve two accounts at the same time, each only its own, on the folder this thread holds', async () => {
    const dir = tempFolder('account-thread');
    const release = holdDataFolder(dir);
    cleanups.push(release);
    readOrCreateDevice(dir, Date.now());
    const ann = reserveAccount(dir, Date.now(), { name: 'Ann’s', userName: 'Ann' });
    const bea = reserveAccount(dir, Date.now(), { name: 'Bea’s', userName: 'Bea' });
    const annPushes: Push[] = [];
    const beaPushes: Push[] = [];
    const [annThread, beaThread] = await Promise.all([
      startAccount(dir, ann.accountId, true, annPushes),
      startAccount(dir, bea.accountId, true, beaPushes),
    ]);
    expect([annThread.accountId, beaThread.accountId]).toEqual([ann.accountId, bea.accountId]);

    // Both write at once (each thread's own RxDB, projector and clock).
    const [annFilled, beaFilled] = await Promise.all([fill(annThread, 'Ann', 25), fill(beaThread, 'Bea', 25)]);

    for (const [thread, own, other, accountId, user] of [
      [annThread, annFilled, beaFilled, ann.accountId, ann.user],
      [beaThread, beaFilled, annFilled, bea.accountId, bea.user],
    ] as const) {
      const view = await ok(thread, 'account.get', {});
      expect(view.account.id).toBe(accountId);
      expect(view.me).toMatchObject({ id: user.id, name: user.name, role: 'admin' });
      expect((await ok(thread, 'board.list', {})).map((b) => b.id)).toEqual([own.boardId]);
      const board = await ok(thread, 'board.get', { boardId: own.boardId });
      expect(board.columns[0]?.cards.map((c) => c.id).sort()).toEqual([...own.cardIds].sort());
      expect(await thread.call('board.get', { boardId: other.boardId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await thread.call('card.close', { cardId: other.cardIds[0]! })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      const activity = await ok(thread, 'activity.account', { limit: 100 });
      expect(activity.items.map((item) => item.event.accountId).every((id) => id === accountId)).toBe(true);
      expect(activity.items).toHaveLength(1 + 1 + 1 + 25); // account, board, column, cards
      expect((await ok(thread, 'audit.export', {})).eventCount).toBe(28);
    }
    // Each thread pushed only about its own account.
    expect(annPushes.length).toBeGreaterThan(0);
    expect(beaPushes.length).toBeGreaterThan(0);
    expect(annPushes.every((push) => push.topic === 'accounts.changed' || push.payload.accountId === ann.accountId)).toBe(true);
    expect(beaPushes.every((push) => push.topic === 'accounts.changed' || push.payload.accountId === bea.accountId)).toBe(true);

    // Closing an account thread closes its account, never the folder this thread holds.
    await annThread.close();
    expect(await annThread.exited).toMatchObject({ isClean: true });
    expect(existsSync(join(dir, LOCK_HOLDER_FILE_NAME))).toBe(true);
    expect((await ok(beaThread, 'board.list', {})).map((b) => b.id)).toEqual([beaFilled.boardId]);
    // And the account opens again in a new thread, as it was.
    const annAgain = await startAccount(dir, ann.accountId, false);
    expect((await ok(annAgain, 'board.list', {})).map((b) => b.id)).toEqual([annFilled.boardId]);
    await Promise.all([annAgain.close(), beaThread.close()]);
  });

  it('is refused, opening nothing, on a folder its process does not hold', async () => {
    const dir = tempFolder('account-thread');
    readOrCreateDevice(dir, Date.now());
    const reserved = reserveAccount(dir, Date.now(), { name: 'Nobody’s', userName: 'Ann' });
    await expect(startAccount(dir, reserved.accountId, true)).rejects.toThrow(/Cannot adopt the data folder .*no process/);
    expect(readdirSync(dir).filter((name) => name.startsWith(accountDatabaseName(''))).length).toBe(0);
    expect(existsSync(join(dir, LOCK_HOLDER_FILE_NAME))).toBe(false);
    expect(readDevice(dir)?.users[reserved.accountId]).toEqual(reserved.user);
  });
});
