// The core's worker thread (built to dist/main/core-thread.mjs; started by client.ts). node:sqlite is
// synchronous, so the store, the domain and the projector run here, never on the thread that handles
// windows, IPC or sockets (DESIGN.md, "Processes, threads and top level").
//
// It opens the data folder (taking its lock), makes sure there is a local account, and then serves the
// API contract over its MessagePort: each call message is answered by `dispatch` with a result message
// (nothing throws across), and pushes go out unasked (feed-pushes.ts, plus the handlers' own). A `close`
// message lets the calls under way finish, closes the store (releasing the lock) and ends the thread.
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Push, Result } from '../../shared/api';
import { isAppError } from '../../shared/errors';
import { createLogger } from '../../shared/node/logger';
import { dispatch, type Core } from '../api/handlers';
import { openStore, type Store } from '../store/store';
import { createFeedPushes } from './feed-pushes';
import { parseToThread, type FromThread, type ThreadOptions } from './protocol';

/** Serves the core on `port` until it is asked to close. Resolves once the thread's work is over. */
export async function serveCore(port: MessagePort, options: ThreadOptions): Promise<void> {
  const logger = createLogger({ dataDir: options.dataDir, level: options.logLevel ?? 'info', fields: { thread: 'core' } });
  const post = (message: FromThread): void => port.postMessage(message);
  const push = (message: Push): void => post({ type: 'push', push: message });
  const feed = createFeedPushes(push);

  let store: Store;
  let accountId: string;
  try {
    store = await openStore({
      dataDir: options.dataDir,
      projector: { onError: (error) => logger.error('projector failed; it retries', { error: described(error) }) },
    });
    try {
      const session = await store.ensureLocalAccount();
      feed.watch(session);
      accountId = session.account.accountId;
    } catch (error) {
      await store.close();
      throw error;
    }
  } catch (error) {
    logger.error('core could not start', { dataDir: options.dataDir, error: described(error) });
    logger.close();
    post({ type: 'failed', error: { code: isAppError(error) ? error.code : 'unavailable', message: messageOf(error) } });
    port.close();
    return;
  }

  // Every session a command opens (a switch, a restore) is followed for pushes.
  const followedStore: Store = {
    ...store,
    openAccount: async (id) => {
      const session = await store.openAccount(id);
      feed.watch(session);
      return session;
    },
  };
  const core: Core = { store: followedStore, accountId, logger, push };
  const running = new Set<Promise<void>>();
  let closing: Promise<void> | undefined;

  const answer = (id: number, result: Result<unknown>): void => {
    try {
      post({ type: 'result', id, result });
    } catch (error) {
      // An output that cannot be cloned is a bug in a handler: say so instead of leaving the call pending.
      logger.error('core result could not be sent', { error: described(error) });
      post({ type: 'result', id, result: { ok: false, error: { code: 'internal', message: 'Trailboard could not send this answer. The details are in its log.' } } });
    }
  };

  const close = async (): Promise<void> => {
    await Promise.allSettled([...running]);
    feed.stop();
    let isStoreClosed = false;
    try {
      await store.close();
      isStoreClosed = true;
      logger.info('core closed', { dataDir: options.dataDir });
    } catch (error) {
      logger.error('core could not close the store cleanly', { error: described(error) });
    }
    logger.close();
    // Only a clean close says so; the thread ends either way (its connections close with it).
    if (isStoreClosed) post({ type: 'closed' });
    port.close();
  };

  port.on('message', (raw: unknown) => {
    const message = parseToThread(raw);
    if (!message) {
      logger.warn('core ignored an unreadable message');
      return;
    }
    if (message.type === 'close') {
      closing ??= close();
      return;
    }
    if (closing) {
      answer(message.id, { ok: false, error: { code: 'unavailable', message: 'Trailboard is shutting down.' } });
      return;
    }
    const done = dispatch(core, message.command, message.input).then((result) => answer(message.id, result));
    running.add(done);
    void done.finally(() => running.delete(done));
  });

  logger.info('core started', { dataDir: options.dataDir, accountId });
  post({ type: 'ready', accountId });
}

function described(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { value: String(error) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isThreadOptions(value: unknown): value is ThreadOptions {
  return typeof value === 'object' && value !== null && 'dataDir' in value && typeof value.dataDir === 'string';
}

// Started as a worker thread: serve on the parent port. (Imported on a main thread, it does nothing.)
if (!isMainThread && parentPort && isThreadOptions(workerData)) {
  void serveCore(parentPort, workerData);
}
