// The main thread's handle on the core: `startCore` starts the core's worker thread (thread.ts, built to
// dist/main/core-thread.mjs) on a data folder and answers once it is serving. The Electron shell
// (src-main/app/) and the web host (src-main/web-host/) both use it; neither runs any store work itself.
//
//   const core = await startCore({ dataDir });            // rejects if the core cannot start (folder locked…)
//   const result = await core.call('board.create', { name: 'Launch' });   // a Result, never a throw
//   const stop = core.on('board.changed', ({ boardId }) => …);           // typed pushes; or onPush for all
//   await core.close();                                   // lets calls finish, closes the store, frees the lock
//
// If the thread dies (a crash, or `terminate`), every call still waiting and every later call is answered
// `{ ok: false, error: { code: 'unavailable' } }`, and `exited` resolves saying how it ended.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CommandName, InputOf, On, OutputOf, Push, PushTopic, Pushes, Result } from '../../shared/api';
import { AppError } from '../../shared/errors';
import { parseFromThread, type ThreadOptions, type ToThread } from './protocol';

export type CoreClientOptions = {
  /** The data folder the core opens (and locks) for as long as it runs. */
  dataDir: string;
  /**
   * The built thread entry. Default: `core-thread.mjs` beside the running bundle (dist/main/), or the
   * repository's dist/main/core-thread.mjs when this file runs from source (tests).
   */
  threadFile?: string | URL;
  logLevel?: ThreadOptions['logLevel'];
  /** How long `close` waits for the core to close its store before it stops the thread. Default 15 s. */
  closeTimeoutMs?: number;
};

/** How the core thread ended. */
export type CoreExit = {
  /** True when it closed its store on request (`close`): the data folder was released in order. */
  isClean: boolean;
  exitCode: number;
  /** What killed it, if an error did. */
  error?: Error;
};

/** A call as the transports forward it: any command name and input, checked by the core. */
export type UncheckedCall = (command: string, input: unknown) => Promise<Result<unknown>>;

export type CoreClient = {
  readonly dataDir: string;
  /** The account that was current when the core started (`accounts.switch` changes it later). */
  readonly accountId: string;
  /** Runs a command in the core. Never rejects: a failure is a Result (`unavailable` once the core is gone). */
  call: (<C extends CommandName>(command: C, input: InputOf<C>) => Promise<Result<OutputOf<C>>>) & UncheckedCall;
  /** Listens to one push topic; returns the unsubscribe. */
  on: On;
  /** Listens to every push (what a transport forwards); returns the unsubscribe. */
  onPush(listener: (push: Push) => void): () => void;
  /** Lets the calls under way finish, closes the store (releasing the folder lock) and ends the thread. */
  close(): Promise<void>;
  /** Stops the thread at once, as a crash would: calls under way are answered `unavailable`. */
  terminate(): Promise<void>;
  /** Resolves when the thread has ended, for whatever reason. */
  readonly exited: Promise<CoreExit>;
};

const DEFAULT_CLOSE_TIMEOUT_MS = 15_000;

export async function startCore(options: CoreClientOptions): Promise<CoreClient> {
  const threadFile = options.threadFile ?? defaultThreadFile();
  const threadOptions: ThreadOptions = { dataDir: options.dataDir, logLevel: options.logLevel ?? 'info' };
  const worker = new Worker(threadFile, { workerData: threadOptions, name: 'trailboard-core' });

  type State = 'starting' | 'ready' | 'closing' | 'exited';
  let state: State = 'starting';
  let isClosedCleanly = false;
  let fatalError: Error | undefined;
  let nextId = 1;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const pushListeners = new Set<(push: Push) => void>();

  let resolveExited!: (exit: CoreExit) => void;
  const exited = new Promise<CoreExit>((resolve) => (resolveExited = resolve));
  let settleStart!: { resolve: (accountId: string) => void; reject: (error: Error) => void };
  const started = new Promise<string>((resolve, reject) => (settleStart = { resolve, reject }));

  worker.on('message', (raw: unknown) => {
    const message = parseFromThread(raw);
    if (!message) return;
    switch (message.type) {
      case 'ready':
        if (state === 'starting') state = 'ready';
        settleStart.resolve(message.accountId);
        return;
      case 'failed':
        settleStart.reject(new AppError(message.error.code, message.error.message));
        return;
      case 'result': {
        const answer = pending.get(message.id);
        pending.delete(message.id);
        answer?.(message.result);
        return;
      }
      case 'push':
        for (const listener of [...pushListeners]) deliver(listener, message.push);
        return;
      case 'closed':
        isClosedCleanly = true;
        return;
    }
  });
  worker.on('error', (error: Error) => {
    fatalError = error;
  });
  worker.on('exit', (exitCode: number) => {
    state = 'exited';
    const gone = unavailable(fatalError ? 'The Trailboard core stopped after an error.' : 'The Trailboard core is not running.');
    for (const answer of pending.values()) answer(gone);
    pending.clear();
    settleStart.reject(fatalError ?? new AppError('unavailable', `The Trailboard core stopped while starting (exit code ${exitCode}).`));
    resolveExited({ isClean: isClosedCleanly, exitCode, ...(fatalError ? { error: fatalError } : {}) });
  });

  const accountId = await started;

  function call<C extends CommandName>(command: C, input: InputOf<C>): Promise<Result<OutputOf<C>>>;
  function call(command: string, input: unknown): Promise<Result<unknown>>;
  function call(command: string, input: unknown): Promise<Result<unknown>> {
    if (state !== 'ready') {
      return Promise.resolve(unavailable(state === 'closing' ? 'Trailboard is shutting down.' : 'The Trailboard core is not running.'));
    }
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      try {
        worker.postMessage({ type: 'call', id, command, input } satisfies ToThread);
      } catch (error) {
        // The input could not be copied to the thread (a function, say): it is not a valid input.
        pending.delete(id);
        resolve({ ok: false, error: { code: 'invalid_input', message: `The input of “${command}” cannot be sent: ${(error as Error).message}` } });
      }
    });
  }

  function onPush(listener: (push: Push) => void): () => void {
    pushListeners.add(listener);
    return () => pushListeners.delete(listener);
  }

  const on: On = <T extends PushTopic>(topic: T, listener: (payload: Pushes[T]) => void) =>
    onPush((push) => {
      // The topic is checked; TypeScript cannot narrow the union by a generic topic.
      if (push.topic === topic) listener(push.payload as Pushes[T]);
    });

  async function close(): Promise<void> {
    if (state === 'exited') return;
    if (state !== 'closing') {
      state = 'closing';
      worker.postMessage({ type: 'close' } satisfies ToThread);
    }
    const timeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const isTimedOut = await Promise.race([
      exited.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (isTimedOut) await terminate();
  }

  async function terminate(): Promise<void> {
    if (state !== 'exited') await worker.terminate();
    await exited;
  }

  return {
    dataDir: options.dataDir,
    accountId,
    call,
    on,
    onPush,
    close,
    terminate,
    exited,
  };
}

function unavailable(message: string): Result<never> {
  return { ok: false, error: { code: 'unavailable', message } };
}

/** One listener's bug must not keep the push from the others, nor take the main thread down. */
function deliver(listener: (push: Push) => void, push: Push): void {
  try {
    listener(push);
  } catch (error) {
    console.error(`A listener of the core's push ${push.topic} failed:`, error);
  }
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
