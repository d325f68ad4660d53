// The main thread's handle on the core: `startCore` starts the core's worker thread (thread.ts, built to
// dist/main/core-thread.mjs) on a data folder and answers once it is serving. The Electron shell
// (src-main/app/) and the web host (src-main/web-host/) both use it; neither runs any store work itself.
// That thread is the core's router: it holds the data folder and runs each open account in a worker thread
// of its own (router.ts); to the main thread it is one core with one API.
//
//   const core = await startCore({ dataDir });            // rejects if the core cannot start (folder locked…)
//   const result = await core.call('board.create', { name: 'Launch' });   // a Result, never a throw
//   const stop = core.on('board.changed', ({ boardId }) => …);           // typed pushes; or onPush for all
//   await core.close();                                   // lets calls finish, closes every account, frees the lock
//
// If the thread dies (a crash, or `terminate`), every call still waiting and every later call is answered
// `{ ok: false, error: { code: 'unavailable' } }`, and `exited` resolves saying how it ended.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ThreadOptions } from './protocol';
import { startThreadClient, type ThreadClient } from './thread-client';

export type { CoreExit, UncheckedCall } from './thread-client';

export type CoreClientOptions = {
  /** The data folder the core opens (and locks) for as long as it runs. */
  dataDir: string;
  /**
   * The built thread entry. Default: `core-thread.mjs` beside the running bundle (dist/main/), or the
   * repository's dist/main/core-thread.mjs when this file runs from source (tests).
   */
  threadFile?: string | URL;
  logLevel?: ThreadOptions['logLevel'];
  /** How long `close` waits for the core to close every account and the folder before it stops the thread. Default 15 s. */
  closeTimeoutMs?: number;
};

export type CoreClient = Omit<ThreadClient, 'isRunning'> & {
  readonly dataDir: string;
  /** The account that was current when the core started (`accounts.switch` changes it later). */
  readonly accountId: string;
};

const DEFAULT_CLOSE_TIMEOUT_MS = 15_000;

export async function startCore(options: CoreClientOptions): Promise<CoreClient> {
  const threadFile = options.threadFile ?? defaultThreadFile();
  // The router starts its account threads from the same bundle: one file to build and pack.
  const threadPath = typeof threadFile === 'string' ? threadFile : fileURLToPath(threadFile);
  const threadOptions: ThreadOptions = { role: 'core', dataDir: options.dataDir, logLevel: options.logLevel ?? 'info', threadFile: threadPath };
  const client = await startThreadClient({
    threadFile,
    workerData: threadOptions,
    name: 'trailboard-core',
    closeTimeoutMs: options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS,
    label: 'The Trailboard core',
  });
  return {
    dataDir: options.dataDir,
    accountId: client.accountId,
    call: client.call,
    on: client.on,
    onPush: client.onPush,
    close: client.close,
    terminate: client.terminate,
    exited: client.exited,
  };
}

function defaultThreadFile(): URL {
  const candidates = [
    new URL('./core-thread.mjs', import.meta.url), // bundled: dist/main/web-host.mjs, dist/main/app.mjs
    new URL('../../dist/main/core-thread.mjs', import.meta.url), // from source: src-main/core/client.ts
  ];
  const found = candidates.find((candidate) => existsSync(fileURLToPath(candidate)));
  if (!found) {
    throw new Error(`The core thread is not built (looked for ${candidates.map((c) => fileURLToPath(c)).join(' and ')}): run node scripts/build.mjs.`);
  }
  return found;
}
