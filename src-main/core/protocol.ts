// The messages between a core worker thread (thread.ts) and the client that started it (thread-client.ts),
// over the worker's MessagePort. Both roles of the one bundle speak it: the core's router thread with the
// main thread (client.ts), and each account thread with the router (router.ts). Calls, results and pushes
// are the transport messages of the API contract (shared/api/contract.ts); the few others start and stop
// the thread. Both sides read what arrives as `unknown` and check its shape before using it.
import {
  type CallMessage,
  type Failure,
  type Push,
  type PushMessage,
  type Result,
  type ResultMessage,
} from '../../shared/api';
import { isErrorCode } from '../../shared/errors';

export type LogLevelOption = 'debug' | 'info' | 'warn' | 'error';

/**
 * What the core thread is started with (`workerData`): the router, which holds the data folder and starts
 * one account thread per open account from `threadFile` (its own bundle). `role` may be left out.
 */
export type ThreadOptions = {
  role?: 'core';
  dataDir: string;
  /** Lines below this level are not logged. Default `info`. */
  logLevel?: LogLevelOption;
  /** The built bundle (a file path) the router starts account threads from: the one it runs from. */
  threadFile?: string;
};

/** What an account thread is started with: it serves `accountId` on the folder its router holds. */
export type AccountThreadOptions = {
  role: 'account';
  dataDir: string;
  logLevel?: LogLevelOption;
  accountId: string;
  /** Create the account the router reserved in device.json (its file does not exist yet) instead of opening it. */
  isCreating: boolean;
};

export function parseThreadOptions(value: unknown): ThreadOptions | AccountThreadOptions | undefined {
  if (!isRecord(value) || typeof value['dataDir'] !== 'string') return undefined;
  const logLevel = parseLogLevel(value['logLevel']);
  const level = logLevel === undefined ? {} : { logLevel };
  if (value['role'] === 'account') {
    if (typeof value['accountId'] !== 'string' || typeof value['isCreating'] !== 'boolean') return undefined;
    return { role: 'account', dataDir: value['dataDir'], accountId: value['accountId'], isCreating: value['isCreating'], ...level };
  }
  if (value['role'] !== undefined && value['role'] !== 'core') return undefined;
  const threadFile = typeof value['threadFile'] === 'string' ? { threadFile: value['threadFile'] } : {};
  return { role: 'core', dataDir: value['dataDir'], ...level, ...threadFile };
}

function parseLogLevel(value: unknown): LogLevelOption | undefined {
  return value === 'debug' || value === 'info' || value === 'warn' || value === 'error' ? value : undefined;
}

/** Client -> thread: a call, or the request to close (calls under way finish first) and end the thread. */
export type ToThread = CallMessage | { type: 'close' };

/** Thread -> client. */
export type FromThread =
  | { type: 'ready'; accountId: string }
  /** The thread could not start (the data folder is locked by another process, say); it then ends. */
  | { type: 'failed'; error: Failure }
  | ResultMessage
  | PushMessage
  /** Everything is closed (for the router: every account thread, then the folder lock); the thread ends right after. */
  | { type: 'closed' };

export function parseToThread(value: unknown): ToThread | undefined {
  if (isRecord(value) && value['type'] === 'close') return { type: 'close' };
  return parseCallMessage(value);
}

/** A call message from any transport (the thread's port, the web host's socket); the core checks the rest. */
export function parseCallMessage(value: unknown): CallMessage | undefined {
  if (isRecord(value) && value['type'] === 'call' && isCallId(value['id']) && typeof value['command'] === 'string') {
    return { type: 'call', id: value['id'], command: value['command'], input: value['input'] };
  }
  return undefined;
}

export function parseFromThread(value: unknown): FromThread | undefined {
  if (!isRecord(value)) return undefined;
  switch (value['type']) {
    case 'ready':
      return typeof value['accountId'] === 'string' ? { type: 'ready', accountId: value['accountId'] } : undefined;
    case 'failed':
      return isFailure(value['error']) ? { type: 'failed', error: value['error'] } : undefined;
    case 'result':
      return isCallId(value['id']) && isResult(value['result']) ? { type: 'result', id: value['id'], result: value['result'] } : undefined;
    case 'push':
      return isPush(value['push']) ? { type: 'push', push: value['push'] } : undefined;
    case 'closed':
      return { type: 'closed' };
    default:
      return undefined;
  }
}

/** Call ids are the caller's: any safe integer. */
export function isCallId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

export function isResult(value: unknown): value is Result<unknown> {
  if (!isRecord(value)) return false;
  if (value['ok'] === true) return 'value' in value;
  return value['ok'] === false && isFailure(value['error']);
}

export function isFailure(value: unknown): value is Failure {
  return isRecord(value) && isErrorCode(value['code']) && typeof value['message'] === 'string';
}

export function isPush(value: unknown): value is Push {
  if (!isRecord(value)) return false;
  const payload = value['payload'];
  if (!isRecord(payload)) return false;
  const isText = (key: string): boolean => typeof payload[key] === 'string';
  switch (value['topic']) {
    case 'board.changed':
      return isText('accountId') && isText('boardId');
    case 'account.changed':
      return isText('accountId');
    case 'accounts.changed':
      return isText('currentAccountId');
    default:
      return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
