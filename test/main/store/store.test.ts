// The store's side of accounts with threads: device.json is changed by read-modify-write (a change another
// thread made is never overwritten with a stale copy), an account reserved in device.json (as the core's
// router does) is created by `createReservedAccount` — or removed again, file and reservation, when it
// cannot be — and a store that serves one account (an account thread's) opens no other.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { accountDatabaseName } from '../../../src-main/store/account-files';
import { readDevice, reserveAccount, updateDevice } from '../../../src-main/store/device';
import { openStore, type Store } from '../../../src-main/store/store';
import { createTestClock, eventsOf } from '../../support/domain-fixtures';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function open(dir: string, options: { onlyAccountId?: string } = {}): Promise<Store> {
  const store = await openStore({ dataDir: dir, now: createTestClock().now, ...options });
  cleanups.push(() => store.close());
  return store;
}

function tempFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tb-store-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const fileOf = (dir: string, accountId: string) => join(dir, `${accountDatabaseName(accountId)}.sqlite`);

describe('device.json with several writers', () => {
  it('keeps a reservation another thread made while the store was open when the store records a user', async () => {
    const dir = tempFolder();
    const store = await open(dir);
    const first = await store.createAccount({ name: 'First', userName: 'Ann' });
    // Another thread of the process (the router) reserves an account after this store read device.json.
    const reserved = reserveAccount(dir, Date.now(), { name: 'Reserved elsewhere', userName: 'Bea' });
    store.setLocalUser('imported-account', { id: 'member-1', name: 'Cy' });
    await store.closeAccount(first.account.id); // one account open per realm (RxDB's collection limit)
    await store.createAccount({ name: 'Second', userName: 'Dee' });

    const device = readDevice(dir);
    expect(device?.deviceId).toBe(store.deviceId);
    expect(device?.users[reserved.accountId]).toEqual(reserved.user);
    expect(device?.accountNames?.[reserved.accountId]).toBe('Reserved elsewhere');
    expect(device?.users['imported-account']).toEqual({ id: 'member-1', name: 'Cy' });
    expect(device?.users[first.account.id]).toEqual(first.session.user);
    expect(Object.keys(device?.users ?? {})).toHaveLength(4);
    // Writes leave no temp file behind.
    expect(readdirSync(dir).filter((name) => name.includes('.tmp'))).toEqual([]);
  });

  it('applies each change to the file as it is now', () => {
    const dir = tempFolder();
    updateDevice(dir, Date.now(), (device) => {
      device.users['a'] = { id: 'u-a', name: 'A' };
    });
    const written = updateDevice(dir, Date.now(), (device) => {
      device.users['b'] = { id: 'u-b', name: 'B' };
    });
    expect(Object.keys(written.users).sort()).toEqual(['a', 'b']);
    expect(readDevice(dir)).toEqual(written);
  });
});

describe('createReservedAccount', () => {
  it('creates the account reserved in device.json, with its reserved user as admin and its name', async () => {
    const dir = tempFolder();
    const store = await open(dir);
    const reserved = reserveAccount(dir, Date.now(), { name: ' Side project ', userName: 'Bea' });
    expect(existsSync(fileOf(dir, reserved.accountId))).toBe(false);
    const { session, account } = await store.createReservedAccount(reserved.accountId);
    expect(account).toMatchObject({ id: reserved.accountId, name: 'Side project' });
    expect(session.user).toEqual(reserved.user);
    expect((await eventsOf(session)).map((e) => [e.action, e.creatorId])).toEqual([['account_created', reserved.user.id]]);
    expect(store.listAccountIds()).toEqual([reserved.accountId]);

    // Once only: the account exists now.
    await expect(store.createReservedAccount(reserved.accountId)).rejects.toMatchObject({ code: 'conflict' });
    expect(await eventsOf(session)).toHaveLength(1);
  });

  it('refuses an account nobody reserved, creating no file', async () => {
    const dir = tempFolder();
    const store = await open(dir);
    await expect(store.createReservedAccount('never-reserved')).rejects.toMatchObject({ code: 'not_found' });
    expect(store.listAccountIds()).toEqual([]);
  });

  it('removes the file and the reservation when account_created is refused', async () => {
    const dir = tempFolder();
    const store = await open(dir);
    const reserved = reserveAccount(dir, Date.now(), { name: 'x'.repeat(201), userName: 'Bea' });
    await expect(store.createReservedAccount(reserved.accountId)).rejects.toMatchObject({ code: 'invalid_input' });
    expect(existsSync(fileOf(dir, reserved.accountId))).toBe(false);
    expect(readDevice(dir)?.users[reserved.accountId]).toBeUndefined();
    expect(readDevice(dir)?.accountNames?.[reserved.accountId]).toBeUndefined();
  });
});

describe('a store that serves one account', () => {
  it('opens and creates only that account', async () => {
    const dir = tempFolder();
    const setup = await openStore({ dataDir: dir, now: createTestClock().now });
    const other = await setup.createAccount({ name: 'Other', userName: 'Ann' });
    await setup.close();
    const reserved = reserveAccount(dir, Date.now(), { name: 'Mine', userName: 'Bea' });

    const store = await open(dir, { onlyAccountId: reserved.accountId });
    await expect(store.openAccount(other.account.id)).rejects.toMatchObject({ code: 'internal' });
    await expect(store.createAccount({ name: 'Third', userName: 'Cy' })).rejects.toMatchObject({ code: 'internal' });
    const { session } = await store.createReservedAccount(reserved.accountId);
    expect(session.account.accountId).toBe(reserved.accountId);
    expect(await store.openAccount(reserved.accountId)).toBe(session);
  });
});
