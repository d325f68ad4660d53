// The messages between the core's worker thread (thread.ts) and the main thread's client (client.ts), over
// the worker's MessagePort. Calls, results and pushes are the transport messages of the API contract
// (shared/api/contract.ts); the few others start and stop the thread. Both sides read what arrives as
// `unknown` and check its shape before using it.
import {
  type CallMessage,
  type Failure,
  type Push,
  type PushMessage,
  type Result,
  type ResultMessage,
} from '../../shared/api';
import { isErrorCode } from '../../shared/errors';

/** What the thread is started with (`workerData`). */
export type ThreadOptions = {
  dataDir: string;
  /** Lines below this level are not logged. Default `info`. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
};

/** Main thread -> core: a call, or the request to close the store and end the thread. */
export type ToThread = CallMessage | { type: 'close' };

/** Core -> main thread. */
export type FromThread =
  | { type: 'ready'; accountId: string }
  /** The core could not start (the data folder is locked by another process, say); the thread then ends. */
  | { type: 'failed'; error: Failure }
  | ResultMessage
  | PushMessage
  /** The store is closed (the folder lock released); the thread ends right after. */
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
