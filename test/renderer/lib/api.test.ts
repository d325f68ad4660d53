// The renderer's API transports. The WebSocket one runs against the real web host (a process on a temp data
// folder), through the `ws` package in place of the browser's WebSocket (it can send the page's Origin);
// the Electron one against a stand-in for the preload's bridge.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/api';
import {
  createBridgeApi,
  createWebSocketApi,
  type ConnectionState,
  type SocketConnector,
  type WebSocketApi,
} from '../../../src-renderer/lib/api';
import { ensureMainBuilt } from '../../main/core/built';
import { createRendererFixture, startHostProcess, type HostProcess } from '../../main/web-host/host-process';

const folders: string[] = [];
const hosts: HostProcess[] = [];
const apis: WebSocketApi[] = [];
let rendererDir = '';

beforeAll(() => {
  ensureMainBuilt();
  const fixture = createRendererFixture();
  rendererDir = fixture.rendererDir;
  folders.push(fixture.base);
});

afterEach(async () => {
  for (const api of apis.splice(0)) api.close();
  await Promise.all(hosts.splice(0).map((host) => host.stop()));
});

afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

async function startHost(): Promise<HostProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tb-api-'));
  folders.push(dataDir);
  const host = await startHostProcess({ dataDir, rendererDir });
  hosts.push(host);
  return host;
}

/** The browser's WebSocket, played by `ws` with the page's Origin; keeps every socket it opens. */
function connector(origin: string, sockets: WebSocket[]): SocketConnector {
  return (url, handlers) => {
    const socket = new WebSocket(url, { origin });
    sockets.push(socket);
    socket.on('open', () => handlers.onOpen());
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) handlers.onMessage(data.toString('utf8'));
    });
    socket.on('error', () => undefined); // a close follows
    socket.on('close', () => handlers.onClose());
    return { send: (text) => socket.send(text), close: () => socket.close() };
  };
}

function connect(host: HostProcess, token = host.token): { api: WebSocketApi; sockets: WebSocket[]; states: ConnectionState[] } {
  const sockets: WebSocket[] = [];
  const api = createWebSocketApi({
    url: `${host.apiUrl}?token=${token}`,
    exportBase: `${host.origin}/exports/`,
    token,
    connect: connector(host.origin, sockets),
    backoff: { firstMs: 20, longestMs: 100 },
  });
  apis.push(api);
  const states: ConnectionState[] = [];
  api.onConnection((state) => states.push(state));
  return { api, sockets, states };
}

function waitFor(check: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const poll = (): void => {
      if (check()) resolve();
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 10);
    };
    poll();
  });
}

function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe('the WebSocket transport (web host)', () => {
  it('sends calls made while connecting once it opens, answers them, and delivers pushes by topic', async () => {
    const host = await startHost();
    const { api, states } = connect(host);
    const changed: string[] = [];
    api.on('board.changed', ({ boardId }) => changed.push(boardId));
    const accountChanges: string[] = [];
    api.on('account.changed', ({ accountId }) => accountChanges.push(accountId));

    const board = valueOf(await api.call('board.create', { name: 'Through the renderer API' }));
    expect(states).toEqual(['connecting', 'connected']);
    expect(valueOf(await api.call('board.list', {})).map((b) => b.id)).toEqual([board.id]);
    await waitFor(() => changed.includes(board.id), 'board.changed');
    expect(accountChanges).toEqual([board.accountId]);

    expect(await api.call('board.rename', { boardId: board.id, name: '' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(api.exportUrl({ fileName: 'audit-1.jsonl' })).toBe(`${host.origin}/exports/audit-1.jsonl?token=${host.token}`);
  });

  it('answers a call waiting when the connection drops with unavailable, then reconnects by itself', async () => {
    const host = await startHost();
    const { api, sockets, states } = connect(host);
    valueOf(await api.call('board.list', {}));

    const waiting = api.call('board.create', { name: 'Cut off' });
    sockets[0]!.terminate();
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    await waitFor(() => states.at(-1) === 'connected' && states.includes('disconnected'), 'the reconnection');
    expect(states).toEqual(['connecting', 'connected', 'disconnected', 'connected']);
    expect(sockets).toHaveLength(2);
    expect(valueOf(await api.call('board.create', { name: 'After the reconnection' })).name).toBe('After the reconnection');
  });

  it('answers unavailable while the host cannot be reached, or refuses the token', async () => {
    const host = await startHost();
    const refused = connect(host, 'not-the-token');
    expect(await refused.api.call('board.list', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(refused.states).toContain('disconnected');

    const { api, states } = connect(host);
    valueOf(await api.call('board.list', {}));
    await host.stop();
    await waitFor(() => states.at(-1) === 'disconnected', 'the drop');
    expect(await api.call('board.list', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    api.close();
    expect(await api.call('board.list', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});

describe('the Electron bridge transport', () => {
  it('passes calls and pushes through the preload, and turns its failures into Results', async () => {
    const listeners = new Map<string, (payload: unknown) => void>();
    const answers: unknown[] = [
      { ok: true, value: [] },
      { nonsense: true },
    ];
    const bridge = {
      call: async (command: string) => {
        if (command === 'board.delete') throw new Error('IPC is gone');
        return answers.shift();
      },
      on: (topic: string, listener: (payload: unknown) => void) => {
        listeners.set(topic, listener);
        return () => void listeners.delete(topic);
      },
    };
    const api = createBridgeApi(bridge);
    expect(await api.call('board.list', {})).toEqual({ ok: true, value: [] });
    expect(await api.call('board.list', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(await api.call('board.delete', { boardId: 'b1' })).toMatchObject({ ok: false, error: { code: 'unavailable' } });

    const seen: string[] = [];
    const stop = api.on('board.changed', ({ boardId }) => seen.push(boardId));
    listeners.get('board.changed')?.({ accountId: 'a1', boardId: 'b1' });
    expect(seen).toEqual(['b1']);
    stop();
    expect(listeners.has('board.changed')).toBe(false);

    // The shell's own push (Edit ▸ Undo), a typed topic of the contract like the core's.
    let undos = 0;
    const stopUndo = api.on('menu.undo', () => undos++);
    listeners.get('menu.undo')?.({});
    expect(undos).toBe(1);
    stopUndo();
    expect(listeners.has('menu.undo')).toBe(false);

    const states: ConnectionState[] = [];
    api.onConnection((state) => states.push(state));
    expect(states).toEqual(['connected']);
    expect(api.exportUrl({ fileName: 'x.jsonl' })).toBeUndefined();
  });
});
