// The core's store: the data folder with one database per account (DESIGN.md, "One database per
// account"), this device's identity and clock, and a running projector per open account.
import { readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { AppError } from '../../shared/errors';
import type { Actor } from '../../shared/events';
import { createClock, nodeIdFromDeviceId, type Clock } from '../../shared/hlc';
import { newId } from '../../shared/ids';
import type { Account } from '../../shared/model';
import * as account from '../domain/account';
import type { DomainContext } from '../domain/context';
import { Projector, type ProjectorOptions } from '../worker/projector';
import { accountIdFromFileName, openAccountDb, type AccountDb } from './account-db';
import { readOrCreateDevice, writeDevice, type DeviceFile } from './device';
import { getRxStorageSQLite, type RxStorageSQLite } from './sqlite-storage';

export type StoreOptions = {
  dataDir: string;
  /** Wall clock in epoch ms (a controllable clock in tests). */
  now?: () => number;
  projector?: ProjectorOptions;
};

/** An open account: its database, its projector, and the person using it on this device. */
export type AccountSession = {
  readonly account: AccountDb;
  readonly projector: Projector;
  readonly user: Actor;
  /** The context for domain verbs acting as this device's user (or as `actor`). */
  context(actor?: Actor): DomainContext;
};

export type Store = {
  readonly dataDir: string;
  readonly storage: RxStorageSQLite;
  readonly deviceId: string;
  readonly clock: Clock;
  readonly now: () => number;
  /** Ids of the accounts stored in the data folder. */
  listAccountIds(): string[];
  /** Opens (once) an account stored here. */
  openAccount(accountId: string): Promise<AccountSession>;
  /** Creates a new local account with this device's person as its first admin. */
  createAccount(input: { name: string; userName: string }): Promise<{ session: AccountSession; account: Account }>;
  /** First run: with no account in the folder, creates a local one so the app works with no server. */
  ensureLocalAccount(): Promise<AccountSession>;
  close(): Promise<void>;
};

export async function openStore(options: StoreOptions): Promise<Store> {
  const now = options.now ?? Date.now;
  const storage = getRxStorageSQLite({ path: options.dataDir });
  const device: DeviceFile = readOrCreateDevice(options.dataDir, now());
  const clock = createClock({ nodeId: nodeIdFromDeviceId(device.deviceId), now });
  const sessions = new Map<string, Promise<AccountSession>>();
  let isClosed = false;

  function listAccountIds(): string[] {
    return readdirSync(options.dataDir)
      .map(accountIdFromFileName)
      .filter((id): id is string => id !== undefined)
      .sort();
  }

  async function startSession(accountId: string, user: Actor | undefined): Promise<AccountSession> {
    const db = await openAccountDb(storage, accountId);
    // Continue the clock after every event this account holds (the wall clock may have been set back).
    const newest = await db.collections.events
      .findOne({ selector: { accountId }, sort: [{ hlc: 'desc' }, { id: 'desc' }] })
      .exec();
    if (newest) clock.restore(newest.hlc);
    const projector = new Projector(db, options.projector);
    await projector.start();
    const localUser = user ?? device.users[accountId];
    if (!localUser) {
      await projector.stop();
      await db.db.close();
      throw new AppError('not_found', `This device has no user for the account ${accountId}.`);
    }
    return {
      account: db,
      projector,
      user: localUser,
      context: (actor) => ({ account: db, actor: actor ?? localUser, deviceId: device.deviceId, clock, now, projector }),
    };
  }

  function openAccount(accountId: string): Promise<AccountSession> {
    if (isClosed) return Promise.reject(new AppError('unavailable', 'The store is closed.'));
    let session = sessions.get(accountId);
    if (!session) {
      if (!listAccountIds().includes(accountId)) {
        return Promise.reject(new AppError('not_found', `No account ${accountId} on this device.`));
      }
      session = startSession(accountId, undefined);
      sessions.set(accountId, session);
      session.catch(() => sessions.delete(accountId));
    }
    return session;
  }

  async function createAccount(input: { name: string; userName: string }) {
    const accountId = newId(now());
    const user: Actor = { id: newId(now()), name: input.userName.trim() || 'You' };
    const pending = startSession(accountId, user);
    sessions.set(accountId, pending);
    const session = await pending;
    try {
      const created = await account.create(session.context(), { name: input.name });
      device.users[accountId] = user;
      writeDevice(options.dataDir, device);
      return { session, account: created };
    } catch (error) {
      sessions.delete(accountId);
      await session.projector.stop();
      await session.account.db.remove();
      throw error;
    }
  }

  async function ensureLocalAccount(): Promise<AccountSession> {
    const existing = listAccountIds().filter((id) => device.users[id] !== undefined);
    if (existing.length > 0) return openAccount(existing[0]!);
    const { session } = await createAccount({ name: 'My boards', userName: defaultUserName() });
    return session;
  }

  async function close(): Promise<void> {
    isClosed = true;
    const open = await Promise.allSettled(sessions.values());
    sessions.clear();
    for (const result of open) {
      if (result.status !== 'fulfilled') continue;
      await result.value.projector.stop();
      await result.value.account.db.close();
    }
  }

  return {
    dataDir: options.dataDir,
    storage,
    deviceId: device.deviceId,
    clock,
    now,
    listAccountIds,
    openAccount,
    createAccount,
    ensureLocalAccount,
    close,
  };
}

function defaultUserName(): string {
  try {
    const name = userInfo().username.trim();
    return name.length > 0 ? name.charAt(0).toUpperCase() + name.slice(1) : 'You';
  } catch {
    return 'You';
  }
}
