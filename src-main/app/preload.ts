// The preload of the app's window (built to dist/main/preload.cjs: CommonJS, sandboxed, requiring nothing
// but `electron`). It gives the page exactly two functions, as `window.trailboard`:
//
//   call(command, input): Promise<Result>    one command of the API contract, answered by the core
//   on(topic, listener): () => void          listens to a push; returns the unsubscribe
//
// and nothing else: no ipcRenderer, no event objects, no Node. Neither function throws into the page:
// a call that cannot be made answers a failed Result, like any refusal of the core.
import { contextBridge, ipcRenderer } from 'electron';
import type { Result } from '../../shared/api/contract';
import { CALL_CHANNEL, PUSH_CHANNEL } from './channels';

type Listener = (payload: unknown) => void;

const listeners = new Map<string, Set<Listener>>();
let nextCallId = 1;

ipcRenderer.on(PUSH_CHANNEL, (_event, message: unknown) => {
  if (!isRecord(message) || message['type'] !== 'push' || !isRecord(message['push'])) return;
  const { topic, payload } = message['push'];
  if (typeof topic !== 'string') return;
  for (const listener of [...(listeners.get(topic) ?? [])]) {
    try {
      listener(payload);
    } catch (error) {
      console.error(`A listener of the push ${topic} failed:`, error);
    }
  }
});

async function call(command: unknown, input: unknown): Promise<Result<unknown>> {
  if (typeof command !== 'string') return failure('invalid_input', 'A command name is a string.');
  const id = nextCallId++;
  let answer: unknown;
  try {
    answer = await ipcRenderer.invoke(CALL_CHANNEL, { type: 'call', id, command, input });
  } catch {
    // The input could not be copied (a function in it, say), or the main process is going away.
    return failure('unavailable', 'Trailboard could not pass this request on.');
  }
  if (isRecord(answer) && answer['type'] === 'result' && answer['id'] === id && isResult(answer['result'])) return answer['result'];
  return failure('internal', 'Trailboard answered in a way it should not have.');
}

function on(topic: unknown, listener: unknown): () => void {
  if (typeof topic !== 'string' || typeof listener !== 'function') return () => undefined;
  const own: Listener = (payload) => listener(payload);
  let set = listeners.get(topic);
  if (!set) listeners.set(topic, (set = new Set()));
  set.add(own);
  return () => {
    set.delete(own);
  };
}

function failure(code: 'invalid_input' | 'unavailable' | 'internal', message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

function isResult(value: unknown): value is Result<unknown> {
  if (!isRecord(value)) return false;
  if (value['ok'] === true) return 'value' in value;
  return value['ok'] === false && isRecord(value['error']) && typeof value['error']['code'] === 'string' && typeof value['error']['message'] === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

contextBridge.exposeInMainWorld('trailboard', { call, on });
