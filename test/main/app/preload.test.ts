// The BUILT preload (dist/main/preload.cjs, from `node scripts/build.mjs`) loaded the way a sandboxed
// renderer loads it: as CommonJS in a fresh V8 context whose `require` offers `electron` and nothing else
// (here a stand-in contextBridge and ipcRenderer). It must load, require only `electron`, and expose
// exactly `window.trailboard = { call, on }` wired to the one channel pair.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { beforeEach, describe, expect, it } from 'vitest';
import { CALL_CHANNEL, PUSH_CHANNEL } from '../../../src-main/app/channels';

const built = join(import.meta.dirname, '..', '..', '..', 'dist', 'main', 'preload.cjs');

type Api = { call: (command: unknown, input?: unknown) => Promise<unknown>; on: (topic: unknown, listener: unknown) => () => void };
type Loaded = {
  exposed: Map<string, unknown>;
  required: string[];
  invoked: { channel: string; message: unknown }[];
  listeners: { channel: string; listener: (event: unknown, message: unknown) => void }[];
  errors: unknown[][];
  /** How the stand-in main process answers an invoke. */
  answer: (message: unknown) => Promise<unknown>;
};

function loadPreload(): Loaded {
  if (!existsSync(built)) throw new Error(`${built} is missing: run node scripts/build.mjs first`);
  const loaded: Loaded = {
    exposed: new Map(),
    required: [],
    invoked: [],
    listeners: [],
    errors: [],
    answer: () => Promise.reject(new Error('no answer set')),
  };
  const electron = {
    contextBridge: {
      exposeInMainWorld: (name: string, api: unknown) => loaded.exposed.set(name, api),
    },
    ipcRenderer: {
      invoke: (channel: string, message: unknown) => {
        loaded.invoked.push({ channel, message });
        return loaded.answer(message);
      },
      on: (channel: string, listener: (event: unknown, message: unknown) => void) => {
        loaded.listeners.push({ channel, listener });
      },
    },
  };
  const require = (name: string): unknown => {
    loaded.required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`Cannot find module '${name}' (a sandboxed preload may require only electron)`);
  };
  const context = createContext({ console: { error: (...args: unknown[]) => loaded.errors.push(args) } });
  const wrapper = runInContext(`(function (exports, require, module) {\n${readFileSync(built, 'utf8')}\n})`, context, { filename: built });
  const module = { exports: {} };
  wrapper(module.exports, require, module);
  return loaded;
}

function api(loaded: Loaded): Api {
  const trailboard = loaded.exposed.get('trailboard');
  if (typeof trailboard !== 'object' || trailboard === null) throw new Error('window.trailboard was not exposed');
  return trailboard as Api;
}

function push(loaded: Loaded, message: unknown): void {
  for (const { channel, listener } of loaded.listeners) if (channel === PUSH_CHANNEL) listener({ sender: 'ipc event' }, message);
}

let loaded: Loaded;
beforeEach(() => {
  loaded = loadPreload();
});

describe('the built preload', () => {
  it('requires only electron and exposes exactly window.trailboard = { call, on }', () => {
    expect([...new Set(loaded.required)]).toEqual(['electron']);
    expect([...loaded.exposed.keys()]).toEqual(['trailboard']);
    const trailboard = api(loaded);
    expect(Object.keys(trailboard).sort()).toEqual(['call', 'on']);
    expect(typeof trailboard.call).toBe('function');
    expect(typeof trailboard.on).toBe('function');
    expect(loaded.listeners.map((each) => each.channel)).toEqual([PUSH_CHANNEL]);
  });

  it('sends a call on the call channel and answers the core’s result', async () => {
    loaded.answer = (message) => Promise.resolve({ type: 'result', id: (message as { id: number }).id, result: { ok: true, value: ['a board'] } });
    const result = await api(loaded).call('board.list', {});
    expect(loaded.invoked).toEqual([{ channel: CALL_CHANNEL, message: { type: 'call', id: 1, command: 'board.list', input: {} } }]);
    expect(result).toEqual({ ok: true, value: ['a board'] });
    await api(loaded).call('board.list', {});
    expect(loaded.invoked.map((each) => (each.message as { id: number }).id)).toEqual([1, 2]);
  });

  it('never throws into the page: a failed send, a wrong answer or a bad command answer a failed Result', async () => {
    const trailboard = api(loaded);
    loaded.answer = () => Promise.reject(new Error('An object could not be cloned.'));
    expect(await trailboard.call('board.create', { name: () => 1 })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    loaded.answer = () => Promise.resolve({ type: 'result', id: 999, result: { ok: true, value: 1 } });
    expect(await trailboard.call('board.list', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    loaded.answer = () => Promise.resolve('nonsense');
    expect(await trailboard.call('board.list', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    const before = loaded.invoked.length;
    expect(await trailboard.call(42, {})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(loaded.invoked.length).toBe(before);
  });

  it('delivers pushes of a topic to its listeners until they unsubscribe', () => {
    const trailboard = api(loaded);
    const changed: unknown[] = [];
    const undos: unknown[] = [];
    const stop = trailboard.on('board.changed', (payload: unknown) => changed.push(payload));
    trailboard.on('menu.undo', (payload: unknown) => undos.push(payload));
    push(loaded, { type: 'push', push: { topic: 'board.changed', payload: { accountId: 'a', boardId: 'b' } } });
    push(loaded, { type: 'push', push: { topic: 'menu.undo', payload: {} } });
    push(loaded, { type: 'push', push: { topic: 42, payload: {} } });
    push(loaded, 'not a push');
    expect(changed).toEqual([{ accountId: 'a', boardId: 'b' }]);
    expect(undos).toEqual([{}]);
    stop();
    push(loaded, { type: 'push', push: { topic: 'board.changed', payload: { accountId: 'a', boardId: 'c' } } });
    expect(changed).toHaveLength(1);
  });

  it('keeps delivering to the other listeners when one throws', () => {
    const trailboard = api(loaded);
    const received: unknown[] = [];
    trailboard.on('board.changed', () => {
      throw new Error('a buggy listener');
    });
    trailboard.on('board.changed', (payload: unknown) => received.push(payload));
    push(loaded, { type: 'push', push: { topic: 'board.changed', payload: { boardId: 'b' } } });
    expect(received).toEqual([{ boardId: 'b' }]);
    expect(loaded.errors).toHaveLength(1);
  });

  it('ignores a listener that is not a function', () => {
    const stop = api(loaded).on('board.changed', 'not a function');
    expect(typeof stop).toBe('function');
    push(loaded, { type: 'push', push: { topic: 'board.changed', payload: {} } });
    expect(loaded.errors).toEqual([]);
  });
});
