// The core's store: the data folder with one database per account (DESIGN.md, "One database per
// account"), this device's identity and clock, and a running projector per open account.
//
// In the app each open account has a worker thread of its own (src-main/core/account-thread.ts), and its
// store serves that one account (`onlyAccountId`) on the folder the core's router thread holds
// (`adoptHeldFolder`): RxDB's open-source build allows 13 open collections per JS realm and an account has 8,
// so two accounts can only be open at once in two realms. Tests and tools may still open a store with the
// lock of its own and any account of the folder, one or two at a time.
import { AppError } from '../../shared/errors';
import type { Actor } from '../../shared/events';
import { createClock, hlcCeiling, MAX_CLOCK_AHEAD_MS, nodeIdFromDeviceId, type Clock } from '../../shared/hlc';
import type { Account } from '../../shared/model';
import * as account from '../domain/account';
import type { DomainContext } from '../domain/context';
import { Projector, type ProjectorOptions } from '../worker/projector';
import { openAccountDb, type AccountDb } from './account-db';
import { accountDatabaseName, listAccountIds as listAccountFiles } from './account-files';
import { forgetAccount, readDevice, readOrCreateDevice, reserveAccount, startingAccount, updateDevice } from './device';
import { adoptHeldDataFolder, getRxStorageSQLite, holdDataFolder, isDatabaseFileOpen, type RxStorageSQLite } from './sqlite-storage';

export type StoreOptions = {
  dataDir: string;
  /** Wall clock in epoch ms (a controllable clock in tests). */
  now?: () => number;
  projector?: ProjectorOptions;
  /**
   * The data folder's lock is already held by another thread of this process (the core's router): adopt it
   * (adoptHeldDataFolder) instead of taking it. Refused unless this process holds the lock.
   */
  adoptHeldFolder?: boolean;
  /** This store serves only this account (an account thread): opening or creating any other is refused. */
  onlyAccountId?: string;
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
  /** Creates a new local account with this device's person as its first admin (`reserveAccount`, then the below). */
  createAccount(input: { name: string; userName: string }): Promise<{ session: AccountSession; account: Account }>;
  /**
   * Creates the account that `reserveAccount` (device.ts) recorded in device.json (by this thread or the
   * core's router): its file, then `account_created`. On failure the file and the reservation are removed.
   */
  createReservedAccount(accountId: string): Promise<{ session: AccountSession; account: Account }>;
  /** First run: with no account in the folder, creates a local one so the app works with no server. */
  ensureLocalAccount(): Promise<AccountSession>;
  /** Closes the account's session (projector, database) if open; the next `openAccount` opens it afresh. */
  closeAccount(accountId: string): Promise<void>;
  /**
   * Runs `work` while the account is closed and no connection of this process holds its file (the data
   * folder stays locked), for swapping the file (restore) or creating it (import). `openAccount` calls
   * meanwhile wait and then open the account as `work` left it; sessions opened before are closed for good.
   */
  withAccountClosed<T>(accountId: string, work: () => Promise<T>): Promise<T>;
  /** Records who uses the account on this device (device.json). */
  setLocalUser(accountId: string, user: Actor): void;
  close(): Promise<void>;
};

export async function openStore(options: StoreOptions): Promise<Store> {
  const now = options.now ?? Date.now;
  const storage = getRxStorageSQLite({ path: options.dataDir });
  // The store holds the data folder's lock for its whole life, from before it reads device.json: a second
  // process is refused at once (naming this one), never half-way through opening an account.
  // An account thread adopts the lock its core's router holds (one lock per process; see adoptHeldDataFolder).
  const releaseFolder = options.adoptHeldFolder ? adoptHeldDataFolder(options.dataDir) : holdDataFolder(options.dataDir);
  let deviceId: string;
  try {
    deviceId = readOrCreateDevice(options.dataDir, now()).deviceId;
  } catch (error) {
    releaseFolder();
    throw error;
  }
  // One clock per store, so in the app one per account thread. Events of different accounts are never
  // ordered against each other (each account has its own log, its own file and, on the server, its own
  // sequence), so nothing needs one clock across accounts; each continues after its own account's log
  // (continueClock) and receives only its own account's remote events.
  const clock = createClock({ nodeId: nodeIdFromDeviceId(deviceId), now });
  const sessions = new Map<string, Promise<AccountSession>>();
  /** Accounts closed for `withAccountClosed`: settled when the work is done. */
  const closedFor = new Map<string, Promise<void>>();
  let isClosed = false;

  function listAccountIds(): string[] {
    return listAccountFiles(options.dataDir);
  }

  function refuseIfClosed(): void {
    if (isClosed) throw new AppError('unavailable', 'The store is closed.');
  }

  function refuseOtherAccount(accountId: string): void {
    if (options.onlyAccountId !== undefined && accountId !== options.onlyAccountId) {
      throw new AppError('internal', `This store serves the account ${options.onlyAccountId} only, not ${accountId}.`);
    }
  }

  /**
   * Continues the clock after the account's events (the wall clock may have been set back since): after
   * this device's own events whatever their time, and after other devices' only up to 5 minutes ahead of
   * the wall clock, as `receive` would (a remote clock far ahead must not drag ours, also not on a restart).
   */
  async function continueClock(db: AccountDb): Promise<void> {
    const events = db.collections.events;
    const ceiling = hlcCeiling(now() + MAX_CLOCK_AHEAD_MS);
    const newestInReach = await events
      .findOne({ selector: { accountId: db.accountId, hlc: { $lte: ceiling } }, sort: [{ hlc: 'desc' }, { id: 'desc' }] })
      .exec();
    if (newestInReach) clock.restore(newestInReach.hlc);
    const ownBeyond = await events
      .findOne({
        selector: { accountId: db.accountId, hlc: { $gt: ceiling }, deviceId },
        sort: [{ hlc: 'desc' }, { id: 'desc' }],
      })
      .exec();
    if (ownBeyond) clock.restore(ownBeyond.hlc);
  }

  async function startSession(
    accountId: string,
    user: Actor | undefined,
    { isCreating = false }: { isCreating?: boolean } = {},
  ): Promise<AccountSession> {
    const db = await openAccountDb(storage, accountId);
    await continueClock(db);
    const projector = new Projector(db, {
      ...options.projector,
      onEvent: (event) => {
        // What this device does next must sort after what it has seen from others (receive never adopts a
        // time more than 5 minutes ahead of the wall clock).
        if (event.deviceId !== deviceId) clock.receive(event.hlc);
        options.projector?.onEvent?.(event);
      },
    });
    await projector.start();
    const device = readDevice(options.dataDir);
    const localUser = user ?? device?.users[accountId];
    if (!localUser) {
      await projector.stop();
      await db.db.close();
      throw new AppError('not_found', `This device has no user for the account ${accountId}.`);
    }
    const session: AccountSession = {
      account: db,
      projector,
      user: localUser,
      context: (actor) => ({ account: db, actor: actor ?? localUser, deviceId, clock, now, projector }),
    };
    const pendingName = device?.accountNames?.[accountId];
    if (!isCreating && pendingName !== undefined && (await db.collections.events.count().exec()) === 0) {
      // A creation on this device interrupted before `account_created` was stored: finish it. (An account that
      // arrives by sync or import is not recorded in accountNames, and its log is never completed here.)
      await account.create(session.context(), { name: pendingName });
    }
    return session;
  }

  function openAccount(accountId: string): Promise<AccountSession> {
    try {
      refuseIfClosed();
      refuseOtherAccount(accountId);
    } catch (error) {
      return Promise.reject(error);
    }
    const closing = closedFor.get(accountId);
    if (closing) return closing.then(() => openAccount(accountId));
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
    refuseIfClosed();
    const { accountId } = reserveAccount(options.dataDir, now(), input);
    return createReservedAccount(accountId);
  }

  async function createReservedAccount(accountId: string) {
    refuseIfClosed();
    refuseOtherAccount(accountId);
    const device = readDevice(options.dataDir);
    const user = device?.users[accountId];
    const name = device?.accountNames?.[accountId];
    if (!user || name === undefined) throw new AppError('not_found', `No account ${accountId} is reserved on this device.`);
    if (sessions.has(accountId) || listAccountIds().includes(accountId)) {
      throw new AppError('conflict', `The account ${accountId} already exists on this device.`);
    }
    // The reservation (who this device's person is, the account's name) is in device.json BEFORE the file
    // exists: a crash from here on leaves a file this device opens and finishes creating (startSession).
    const forget = () => forgetAccount(options.dataDir, now(), accountId);
    let session: AccountSession;
    const pending = startSession(accountId, user, { isCreating: true });
    sessions.set(accountId, pending);
    try {
      session = await pending;
    } catch (error) {
      sessions.delete(accountId);
      forget();
      throw error;
    }
    try {
      const created = await account.create(session.context(), { name });
      return { session, account: created };
    } catch (error) {
      sessions.delete(accountId);
      await session.projector.stop();
      await session.account.db.remove();
      forget();
      throw error;
    }
  }

  async function ensureLocalAccount(): Promise<AccountSession> {
    const { accountId, isNew } = startingAccount(options.dataDir, now());
    return isNew ? (await createReservedAccount(accountId)).session : openAccount(accountId);
  }

  async function closeAccount(accountId: string): Promise<void> {
    const pending = sessions.get(accountId);
    if (!pending) return;
    sessions.delete(accountId);
    let session: AccountSession;
    try {
      session = await pending;
    } catch {
      return; // it never opened
    }
    await session.projector.stop();
    await session.account.db.close();
  }

  async function withAccountClosed<T>(accountId: string, work: () => Promise<T>): Promise<T> {
    refuseIfClosed();
    for (let earlier = closedFor.get(accountId); earlier; earlier = closedFor.get(accountId)) await earlier;
    let reopen!: () => void;
    closedFor.set(accountId, new Promise<void>((resolve) => (reopen = resolve)));
    const release = holdDataFolder(options.dataDir);
    try {
      await closeAccount(accountId);
      if (isDatabaseFileOpen(options.dataDir, accountDatabaseName(accountId))) {
        throw new Error(`The file of account ${accountId} is still open after its session closed.`);
      }
      return await work();
    } finally {
      release();
      closedFor.delete(accountId);
      reopen();
    }
  }

  function setLocalUser(accountId: string, user: Actor): void {
    updateDevice(options.dataDir, now(), (device) => {
      device.users[accountId] = { id: user.id, name: user.name };
    });
  }

  async function close(): Promise<void> {
    if (isClosed) return;
    isClosed = true;
    const open = await Promise.allSettled(sessions.values());
    sessions.clear();
    try {
      for (const result of open) {
        if (result.status !== 'fulfilled') continue;
        await result.value.projector.stop();
        await result.value.account.db.close();
      }
    } finally {
      releaseFolder();
    }
  }

  return {
    dataDir: options.dataDir,
    storage,
    deviceId,
    clock,
    now,
    listAccountIds,
    openAccount,
    createAccount,
    createReservedAccount,
    ensureLocalAccount,
    closeAccount,
    withAccountClosed,
    setLocalUser,
    close,
  };
}
