// The core's worker threads, one bundle (built to dist/main/core-thread.mjs; one file to pack) in two roles
// chosen by `workerData.role`. node:sqlite is synchronous, so the store, the domain and the projector run
// in these threads, never on the thread that handles windows, IPC or sockets (DESIGN.md, "Processes,
// threads and top level").
//
// - role 'core' (started by client.ts `startCore`): the ROUTER (router.ts). It takes the data folder's lock,
//   makes sure there is a local account, starts one account thread per open account, and serves the API
//   contract over its MessagePort: account commands itself, every other one forwarded to the current
//   account's thread. A `close` message lets the calls under way finish, closes every account thread and
//   releases the lock.
// - role 'account' (started by the router): ONE account (account-thread.ts), on the folder the router holds.
//
// The account role is imported only when asked for (scripts/build.mjs splits it into its own chunk): the
// router opens no account, so it never loads RxDB and the domain, and the core is ready sooner.
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Push } from '../../shared/api';
import { createLogger } from '../../shared/node/logger';
import { parseThreadOptions, type ThreadOptions } from './protocol';
import { openRouter, type Router } from './router';
import { failStart, messageOf, postTo, serveCalls } from './serve';

/** Serves the core (the router) on `port` until it is asked to close. Resolves once it is serving. */
export async function serveCore(port: MessagePort, options: ThreadOptions): Promise<void> {
  const logger = createLogger({ dataDir: options.dataDir, level: options.logLevel ?? 'info', fields: { thread: 'core' } });
  const post = postTo(port);
  const push = (message: Push): void => post({ type: 'push', push: message });

  let router: Router;
  try {
    router = await openRouter({
      dataDir: options.dataDir,
      // The account threads run from this very bundle.
      threadFile: options.threadFile ?? fileURLToPath(import.meta.url),
      ...(options.logLevel ? { logLevel: options.logLevel } : {}),
      logger,
      push,
    });
  } catch (error) {
    failStart(port, logger, 'core could not start', error, { dataDir: options.dataDir });
    return;
  }

  serveCalls(port, {
    logger,
    dispatch: (command, input) => router.dispatch(command, input),
    close: async () => {
      const isClean = await router.close();
      logger.info('core closed', { dataDir: options.dataDir, isClean });
      return isClean;
    },
  });
  logger.info('core started', { dataDir: options.dataDir, accountId: router.currentAccountId });
  post({ type: 'ready', accountId: router.currentAccountId });
}

// Started as a worker thread: serve on the parent port in the role asked for. (Imported on a main thread, or
// with workerData of another shape, it does nothing.)
const threadOptions = isMainThread ? undefined : parseThreadOptions(workerData);
if (parentPort && threadOptions) {
  const port = parentPort;
  if (threadOptions.role === 'account') {
    const options = threadOptions;
    import('./account-thread').then(
      ({ serveAccount }) => serveAccount(port, options),
      (error: unknown) => {
        // The account's code could not be loaded: say so, as a failed start, instead of never answering.
        postTo(port)({ type: 'failed', error: { code: 'unavailable', message: messageOf(error) } });
        port.close();
      },
    );
  } else {
    void serveCore(port, threadOptions);
  }
}
