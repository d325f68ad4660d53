// The core's router: the folder owner, and one worker thread per open account (DESIGN.md, "One database per
// account"). It runs in the core thread (thread.ts, role 'core').
//
// - It holds the data folder's lock (holdDataFolder) and device.json for the core's whole life; it opens no
//   account file itself. Each open account lives in an ACCOUNT THREAD (account-thread.ts, the same bundle
//   with `role: 'account'`), which adopts the lock: RxDB's open-source build allows 13 open collections per JS
//   realm and an account has 8, so a realm can hold one account, and a thread per account is how several
//   are open at once. (Background sync and relay for accounts not on screen will run in those threads too.)
// - It answers `accounts.list`, `accounts.create` and `accounts.switch` itself and forwards every other
//   command to the CURRENT account's thread, with the same Result semantics (nothing throws across; a dead
//   account thread answers `unavailable`, and the next command for that account starts it again).
// - Switching accounts closes nothing: the account left behind stays open in its thread, its projector
//   running. A switch (or a creation) waits for the switches before it, and the commands that arrive after
//   it run in the account it makes current; commands that arrived before it run in the account that was
//   current then (in its thread, which stays open), so none waits for another account's work.
// - Pushes from every account thread are forwarded (they name their account); the renderer shows only the
//   current account's.
// - Closing closes every account thread (each lets its calls under way finish and closes its store), then
//   releases the lock.
import type { Push, Result } from '../../shared/api';
import { parseInput, succeeded, type AccountSummary, type Contract, type InputOf, type OutputOf } from '../../shared/api';
import { AppError } from '../../shared/errors';
import type { Logger } from '../../shared/node/logger';
import { failureOf, isRouterCommand, type Handlers, type RouterCommandName } from '../api/commands';
import { listAccountIds } from '../store/account-files';
import { defaultUserName, readDevice, readOrCreateDevice, reserveAccount, startingAccount } from '../store/device';
// The lock alone (data-folder.ts), not the storage's index, which loads RxDB: this thread opens no account.
import { holdDataFolder } from '../store/sqlite-storage/data-folder';
import type { AccountThreadOptions, LogLevelOption } from './protocol';
import { messageOf } from './serve';
import { startThreadClient, type ThreadClient } from './thread-client';

export type RouterOptions = {
  dataDir: string;
  /** The built core bundle (dist/main/core-thread.mjs) the account threads run from. */
  threadFile: string | URL;
  logLevel?: LogLevelOption;
  logger?: Logger;
  /** Where pushes go (every account's; see the header). */
  push: (push: Push) => void;
  now?: () => number;
  /** How long closing waits for an account thread before it stops it. Default 10 s (under the client's 15 s). */
  accountCloseTimeoutMs?: number;
};

export type Router = {
  readonly dataDir: string;
  /** The account commands go to now. */
  readonly currentAccountId: string;
  /** Answers a call from any transport: an account command here, any other in the current account's thread. */
  dispatch(command: string, input: unknown): Promise<Result<unknown>>;
  /** The accounts whose thread is running, sorted. */
  openAccountIds(): string[];
  /** The running thread of `accountId`, if any (to watch or stop it, as tests do). */
  threadOf(accountId: string): ThreadClient | undefined;
  /** Closes every account thread, then releases the folder; resolves true when all of it went in order. */
  close(): Promise<boolean>;
};

const DEFAULT_ACCOUNT_CLOSE_TIMEOUT_MS = 10_000;

type RouterHandlers = Handlers<Pick<Contract, RouterCommandName>, void>;

export async function openRouter(options: RouterOptions): Promise<Router> {
  const { dataDir, logger } = options;
  const now = options.now ?? Date.now;
  const releaseFolder = holdDataFolder(dataDir);
  try {
    readOrCreateDevice(dataDir, now());
  } catch (error) {
    releaseFolder();
    throw error;
  }

  /** Account threads, starting or running; an entry leaves when its thread ends. */
  const threads = new Map<string, Promise<ThreadClient>>();
  /** The running ones. */
  const running = new Map<string, ThreadClient>();
  let current = '';
  /** Settles when the last queued change of the current account is done. */
  let changes: Promise<void> | undefined;
  let isClosing = false;
  let closing: Promise<boolean> | undefined;
  /** Forwarded calls under way: closing lets them finish. */
  const inFlight = new Set<Promise<unknown>>();

  function forwardPush(push: Push): void {
    // A thread tells `accounts.changed` (after a restore) naming its own account; which one is current is the
    // router's to say.
    options.push(push.topic === 'accounts.changed' ? { topic: 'accounts.changed', payload: { currentAccountId: current } } : push);
  }

  /** The account's thread: the running one, or a new one (which creates the reserved account if `isCreating`). */
  function open(accountId: string, isCreating = false): Promise<ThreadClient> {
    if (isClosing) return Promise.reject(new AppError('unavailable', 'Trailboard is shutting down.'));
    const known = threads.get(accountId);
    if (known) return known;
    const workerData: AccountThreadOptions = { role: 'account', dataDir, accountId, isCreating, ...(options.logLevel ? { logLevel: options.logLevel } : {}) };
    const starting = startThreadClient({
      threadFile: options.threadFile,
      workerData,
      name: `trailboard-account-${accountId}`,
      closeTimeoutMs: options.accountCloseTimeoutMs ?? DEFAULT_ACCOUNT_CLOSE_TIMEOUT_MS,
      label: 'The account’s thread',
      onPush: forwardPush,
    });
    threads.set(accountId, starting);
    const forget = (): void => {
      if (threads.get(accountId) === starting) threads.delete(accountId);
    };
    starting.then(
      (client) => {
        running.set(accountId, client);
        logger?.info('account thread started', { accountId, isCreating });
        void client.exited.then((exit) => {
          if (running.get(accountId) === client) running.delete(accountId);
          forget();
          if (!isClosing) logger?.error('account thread stopped; the next command for it starts it again', { accountId, ...exit, error: exit.error?.message });
        });
      },
      (error: unknown) => {
        forget();
        logger?.warn('account thread could not start', { accountId, isCreating, error: messageOf(error) });
      },
    );
    return starting;
  }

  /** Runs `work` after the changes queued before it; commands arriving meanwhile run after it. */
  function queueChange<T>(work: () => Promise<T>): Promise<T> {
    const result = (changes ?? Promise.resolve()).then(work);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    changes = settled;
    void settled.then(() => {
      if (changes === settled) changes = undefined;
    });
    return result;
  }

  /** The account's person on this device; `users` when device.json was already read for this answer. */
  function localUser(accountId: string, users = readDevice(dataDir)?.users): { id: string; name: string } | undefined {
    const user = users?.[accountId];
    return user ? { id: user.id, name: user.name } : undefined;
  }

  /** The account as the switcher lists it; its name is asked of its thread when it is open. */
  async function summaryOf(accountId: string, user: { id: string; name: string }): Promise<AccountSummary> {
    const thread = running.get(accountId);
    let name: string | null = null;
    if (thread) {
      const view = await thread.call('account.get', {});
      if (view.ok) name = view.value.account.name;
    }
    return { id: accountId, name, user, isCurrent: accountId === current, isOpen: thread !== undefined && thread.isRunning() };
  }

  async function currentSummary(): Promise<AccountSummary> {
    const user = localUser(current);
    if (!user) throw new AppError('not_found', `This device has no user for the account ${current}.`);
    return summaryOf(current, user);
  }

  /**
   * The accounts on this device. Every account switched to since the core started is open (in its thread);
   * an account not open yet is listed with `name: null` (the store keeps no names for accounts it did not
   * create here) and `isOpen: false`. A file of an account this device has no user for (left by a failed
   * import, say) is not listed.
   */
  async function listAccounts(): Promise<AccountSummary[]> {
    const summaries: Promise<AccountSummary>[] = [];
    const users = readDevice(dataDir)?.users;
    for (const accountId of listAccountIds(dataDir)) {
      const user = localUser(accountId, users);
      if (user) summaries.push(summaryOf(accountId, user));
    }
    return Promise.all(summaries);
  }

  function becameCurrent(accountId: string): Promise<AccountSummary> {
    current = accountId;
    options.push({ topic: 'accounts.changed', payload: { currentAccountId: accountId } });
    return currentSummary();
  }

  async function createAccount(input: InputOf<'accounts.create'>): Promise<AccountSummary> {
    const userName = input.userName ?? localUser(current)?.name ?? defaultUserName();
    // Recorded in device.json BEFORE the account's file exists (the store's crash-safety order); the new
    // thread creates the file and records account_created, or removes both again if it cannot.
    const { accountId } = reserveAccount(dataDir, now(), { name: input.name, userName });
    await open(accountId, true);
    return becameCurrent(accountId);
  }

  async function switchAccount(accountId: string): Promise<AccountSummary> {
    if (!listAccountIds(dataDir).includes(accountId)) throw new AppError('not_found', 'There is no such account on this device.');
    await open(accountId); // if it cannot be opened, the current account stays current
    return becameCurrent(accountId);
  }

  const handlers = {
    'accounts.list': async () => {
      const ahead = changes;
      if (ahead) await ahead;
      return listAccounts();
    },
    'accounts.create': (_, input) => queueChange(() => createAccount(input)),
    'accounts.switch': (_, { accountId }) => queueChange(() => switchAccount(accountId)),
  } satisfies RouterHandlers;

  async function forward(command: string, input: unknown): Promise<Result<unknown>> {
    // A command waits for the switches queued before it (captured now, so not for later ones), then goes to
    // the account current at that point.
    const ahead = changes;
    if (ahead) await ahead;
    const accountId = current;
    const thread = await open(accountId);
    return thread.call(command, input);
  }

  function runHere<C extends RouterCommandName>(command: C, rawInput: unknown): Promise<OutputOf<C>> {
    const input: InputOf<C> = parseInput(command, rawInput);
    const table: RouterHandlers = handlers;
    const handler: RouterHandlers[C] = table[command];
    return handler(undefined, input);
  }

  async function dispatch(command: string, rawInput: unknown): Promise<Result<unknown>> {
    try {
      if (typeof command === 'string' && isRouterCommand(command)) return succeeded(await runHere(command, rawInput));
      if (isClosing) throw new AppError('unavailable', 'Trailboard is shutting down.');
      const forwarded = forward(command, rawInput);
      inFlight.add(forwarded);
      try {
        return await forwarded;
      } finally {
        inFlight.delete(forwarded);
      }
    } catch (error) {
      return { ok: false, error: failureOf(error, command, logger) };
    }
  }

  async function closeAll(): Promise<boolean> {
    isClosing = true;
    if (changes) await changes;
    await Promise.allSettled([...inFlight]);
    const exits = await Promise.allSettled(
      [...threads.values()].map(async (starting) => {
        const thread = await starting;
        await thread.close();
        return (await thread.exited).isClean;
      }),
    );
    releaseFolder();
    return exits.every((exit) => exit.status === 'fulfilled' && exit.value);
  }

  // Start with the folder's first account this device has a user for (on first run, a new local one).
  try {
    const { accountId, isNew } = startingAccount(dataDir, now());
    await open(accountId, isNew);
    current = accountId;
  } catch (error) {
    await closeAll();
    throw error;
  }

  return {
    dataDir,
    get currentAccountId() {
      return current;
    },
    dispatch,
    openAccountIds: () => [...running.keys()].sort(),
    threadOf: (accountId) => running.get(accountId),
    close: () => (closing ??= closeAll()),
  };
}
