// A handle on one core worker thread (thread.ts, built to dist/main/core-thread.mjs), whatever its role:
// the main thread's client of the core's router (client.ts) and the router's client of each account thread
// (router.ts) are both this. It starts the thread, resolves once the thread is serving, and turns the
// protocol's messages (protocol.ts) into calls that answer Results and pushes to listeners.
//
// If the thread dies (a crash, or `terminate`), every call still waiting and every later call is answered
// `{ ok: false, error: { code: 'unavailable' } }`, and `exited` resolves saying how it ended.
import { Worker } from 'node:worker_threads';
import type { CommandName, InputOf, On, OutputOf, Push, PushTopic, Pushes, Result } from '../../shared/api';
import { AppError } from '../../shared/errors';
import { parseFromThread, type ToThread } from './protocol';

/** How a thread ended. */
export type CoreExit = {
  /** True when it closed everything on request (`close`): for the router, the data folder was released in order. */
  isClean: boolean;
  exitCode: number;
  /** What killed it, if an error did. */
  error?: Error;
};

/** A call as the transports forward it: any command name and input, checked by the thread. */
export type UncheckedCall = (command: string, input: unknown) => Promise<Result<unknown>>;

export type ThreadClient = {
  /** The account the thread named when it became ready (the router: the current account at start). */
  readonly accountId: string;
  /** Runs a command in the thread. Never rejects: a failure is a Result (`unavailable` once the thread is gone). */
  call: (<C extends CommandName>(command: C, input: InputOf<C>) => Promise<Result<OutputOf<C>>>) & UncheckedCall;
  /** Listens to one push topic; returns the unsubscribe. */
  on: On;
  /** Listens to every push (what a transport forwards); returns the unsubscribe. */
  onPush(listener: (push: Push) => void): () => void;
  /** Lets the calls under way finish, closes what the thread holds and ends it (stops it after the timeout). */
  close(): Promise<void>;
  /** Stops the thread at once, as a crash would: calls under way are answered `unavailable`. */
  terminate(): Promise<void>;
  /** True until the thread has ended. */
  isRunning(): boolean;
  /** Resolves when the thread has ended, for whatever reason. */
  readonly exited: Promise<CoreExit>;
};

export type ThreadClientOptions = {
  /** The built bundle. */
  threadFile: string | URL;
  /** The thread's `workerData` (ThreadOptions or AccountThreadOptions). */
  workerData: unknown;
  /** The thread's name (shown in debuggers and diagnostics). */
  name: string;
  /** How long `close` waits for the thread to close before it stops it. */
  closeTimeoutMs: number;
  /** Names the thread in `unavailable` messages and logs: "The Trailboard core", "The account's thread". */
  label: string;
  /** A listener of every push from the very first (pushes the thread sends while starting included). */
  onPush?: (push: Push) => void;
};

/** Starts the thread; resolves once it is serving, rejects (an AppError) if it could not start. */
export async function startThreadClient(options: ThreadClientOptions): Promise<ThreadClient> {
  const { label } = options;
  const worker = new Worker(options.threadFile, { workerData: options.workerData, name: options.name });

  type State = 'starting' | 'ready' | 'closing' | 'exited';
  let state: State = 'starting';
  let isClosedCleanly = false;
  let fatalError: Error | undefined;
  let nextId = 1;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const pushListeners = new Set<(push: Push) => void>(options.onPush ? [options.onPush] : []);

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
        for (const listener of [...pushListeners]) deliver(listener, message.push, label);
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
    const gone = unavailable(fatalError ? `${label} stopped after an error.` : `${label} is not running.`);
    for (const answer of pending.values()) answer(gone);
    pending.clear();
    settleStart.reject(fatalError ?? new AppError('unavailable', `${label} stopped while starting (exit code ${exitCode}).`));
    resolveExited({ isClean: isClosedCleanly, exitCode, ...(fatalError ? { error: fatalError } : {}) });
  });

  const accountId = await started;

  function call<C extends CommandName>(command: C, input: InputOf<C>): Promise<Result<OutputOf<C>>>;
  function call(command: string, input: unknown): Promise<Result<unknown>>;
  function call(command: string, input: unknown): Promise<Result<unknown>> {
    if (state !== 'ready') {
      return Promise.resolve(unavailable(state === 'closing' ? 'Trailboard is shutting down.' : `${label} is not running.`));
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
    let timer: ReturnType<typeof setTimeout> | undefined;
    const isTimedOut = await Promise.race([
      exited.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), options.closeTimeoutMs))),
    ]);
    clearTimeout(timer);
    if (isTimedOut) await terminate();
  }

  async function terminate(): Promise<void> {
    if (state !== 'exited') await worker.terminate();
    await exited;
  }

  return { accountId, call, on, onPush, close, terminate, isRunning: () => state !== 'exited', exited };
}

function unavailable(message: string): Result<never> {
  return { ok: false, error: { code: 'unavailable', message } };
}

/** One listener's bug must not keep the push from the others, nor take the listening thread down. */
function deliver(listener: (push: Push) => void, push: Push, label: string): void {
  try {
    listener(push);
  } catch (error) {
    console.error(`A listener of ${label}'s push ${push.topic} failed:`, error);
  }
}
