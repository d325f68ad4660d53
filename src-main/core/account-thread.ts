// One open account in a worker thread of its own (started by the core's router, router.ts, from the same
// bundle with `role: 'account'`). Why a thread per account: RxDB's open-source build allows 13 open
// collections per JS realm and an account has 8 (later issues add more), so two accounts can only be open
// at once in two realms. Each thread has its own RxDB, store, projector, clock and feed pushes; the router
// holds the data folder's lock and this thread ADOPTS it (adoptHeldDataFolder): it never takes or frees the
// lock, and it is the only thread that ever opens its account's file.
//
// It serves the per-account API (src-main/api/handlers.ts `dispatch`) on its port, exactly as the core did
// before accounts had threads: domain verbs and queries, pushes when events are folded, backup create, list
// and restore (restore closes and reopens the account inside this thread), audit and diagnostics export.
import type { MessagePort } from 'node:worker_threads';
import type { Push } from '../../shared/api';
import { createLogger } from '../../shared/node/logger';
import { dispatch, type Core } from '../api/handlers';
import { openStore, type AccountSession, type Store } from '../store/store';
import { createFeedPushes } from './feed-pushes';
import type { AccountThreadOptions } from './protocol';
import { described, failStart, postTo, serveCalls } from './serve';

/** Serves the account on `port` until asked to close. Resolves once it is serving (or has failed to start). */
export async function serveAccount(port: MessagePort, options: AccountThreadOptions): Promise<void> {
  const { accountId, dataDir } = options;
  const logger = createLogger({ dataDir, level: options.logLevel ?? 'info', fields: { thread: 'account', accountId } });
  const post = postTo(port);
  const push = (message: Push): void => post({ type: 'push', push: message });
  const feed = createFeedPushes(push);

  let store: Store;
  try {
    store = await openStore({
      dataDir,
      adoptHeldFolder: true,
      onlyAccountId: accountId,
      projector: { onError: (error) => logger.error('projector failed; it retries', { error: described(error) }) },
    });
    try {
      const session: AccountSession = options.isCreating
        ? (await store.createReservedAccount(accountId)).session
        : await store.openAccount(accountId);
      feed.watch(session);
    } catch (error) {
      await store.close();
      throw error;
    }
  } catch (error) {
    failStart(port, logger, 'account could not open', error, { isCreating: options.isCreating });
    return;
  }

  // Every session a command opens (a restore opens a fresh one) is followed for pushes.
  const followedStore: Store = {
    ...store,
    openAccount: async (id) => {
      const session = await store.openAccount(id);
      feed.watch(session);
      return session;
    },
  };
  const core: Core = { store: followedStore, accountId, logger, push };

  serveCalls(port, {
    logger,
    dispatch: (command, input) => dispatch(core, command, input),
    close: async () => {
      feed.stop();
      await store.close();
      logger.info('account closed');
      return true;
    },
  });
  logger.info('account opened', { isCreating: options.isCreating });
  post({ type: 'ready', accountId });
}
