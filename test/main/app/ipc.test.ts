// The IPC binding against the stand-in electron module and a REAL core (its worker thread on a temporary
// data folder): a call from anything but the top frame of the app's own page is refused, logged and never
// reaches the core; the app's page gets the core's answers; pushes go to the app's pages only.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Board } from '../../../shared/model';
import { createLogger, type Logger } from '../../../shared/node/logger';
import { CALL_CHANNEL, PUSH_CHANNEL } from '../../../src-main/app/channels';
import { answerCall, bindIpc } from '../../../src-main/app/ipc';
import { APP_PAGE_URL } from '../../../src-main/app/own-page';
import { startCore, type CoreClient } from '../../../src-main/core/client';
import { asWebContents, ipcEvent, ipcMain, resetStandIn, StandInWebContents } from './electron-stand-in';

vi.mock('electron', () => import('./electron-stand-in'));

let dir: string;
let core: CoreClient;
let logger: Logger;
let calls: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailboard-ipc-'));
  core = await startCore({ dataDir: join(dir, 'data') });
  logger = createLogger({ dataDir: join(dir, 'main-log'), fields: { thread: 'main' } });
});
afterAll(async () => {
  await core.close();
  logger.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  resetStandIn();
  calls = [];
});

/** The real core, with the commands that reach it written down. */
function countedCore(): Parameters<typeof answerCall>[2]['core'] {
  return {
    call: (command, input) => {
      calls.push(command);
      return core.call(command, input);
    },
    onPush: (listener) => core.onPush(listener),
  };
}

function logLines(): { msg: string; sender?: string }[] {
  return readFileSync(logger.path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

async function boardNames(): Promise<string[]> {
  const result = await core.call('board.list', {});
  if (!result.ok) throw new Error(result.error.message);
  return result.value.map((board) => board.name);
}

const create = (name: string) => ({ type: 'call', id: 7, command: 'board.create', input: { name } });

describe('the sender check', () => {
  const strangers: [string, Parameters<typeof ipcEvent>[0], string][] = [
    ['a web page', { url: 'https://evil.example/index.html?x=1' }, 'https://evil.example/[redacted]'],
    ['a file:// page', { url: 'file:///opt/trailboard/dist/renderer/index.html' }, 'file:///opt/trailboard/dist/renderer/index.html'],
    ['another page of the app’s origin', { url: 'app://trailboard/other.html' }, 'app://trailboard/other.html'],
    ['another host on the app’s scheme', { url: 'app://trailboard.evil/index.html' }, 'app://trailboard.evil/index.html'],
    ['a subframe of the app’s page', { url: APP_PAGE_URL, isSubframe: true }, `${APP_PAGE_URL} (subframe)`],
    ['a frame that is gone', null, 'no frame'],
  ];

  it.each(strangers)('refuses a call from %s, logs it, and leaves the core untouched', async (_what, frame, logged) => {
    const before = await boardNames();
    const answer = await answerCall(ipcEvent(frame), create('Not from us'), { core: countedCore(), logger });
    expect(answer).toEqual({ type: 'result', id: 7, result: { ok: false, error: { code: 'forbidden', message: expect.any(String) } } });
    expect(calls).toEqual([]);
    expect(await boardNames()).toEqual(before);
    expect(logLines().at(-1)).toMatchObject({ msg: 'IPC call refused: it did not come from the app page', sender: logged });
  });

  it('refuses when reading the sender frame throws (disposed meanwhile)', async () => {
    const event = {
      get senderFrame(): never {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    const answer = await answerCall(event, create('Gone'), { core: countedCore(), logger });
    expect(answer.result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it('passes a call from the app’s page (whatever its fragment) to the core and returns its result', async () => {
    const answer = await answerCall(ipcEvent({ url: `${APP_PAGE_URL}#board=1` }), create('Launch'), { core: countedCore(), logger });
    expect(answer).toMatchObject({ type: 'result', id: 7, result: { ok: true, value: { name: 'Launch' } } });
    expect(calls).toEqual(['board.create']);
    expect(await boardNames()).toContain('Launch');
  });

  it('answers a malformed message invalid_input without calling the core', async () => {
    for (const message of [null, 'board.list', { type: 'call', id: 'x', command: 'board.list' }, { type: 'call', id: 1, command: 42 }]) {
      const answer = await answerCall(ipcEvent({ url: APP_PAGE_URL }), message, { core: countedCore(), logger });
      expect(answer.result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(calls).toEqual([]);
  });

  it('passes the core’s refusals through unchanged', async () => {
    const answer = await answerCall(ipcEvent({ url: APP_PAGE_URL }), { type: 'call', id: 3, command: 'board.rename', input: { boardId: 42 } }, { core: countedCore(), logger });
    expect(answer).toMatchObject({ id: 3, result: { ok: false, error: { code: 'invalid_input' } } });
    expect(calls).toEqual(['board.rename']);
  });
});

describe('bindIpc', () => {
  it('answers on the one call channel, forwards pushes to the app’s pages only, and unbinds', async () => {
    const page = new StandInWebContents();
    page.url = APP_PAGE_URL;
    const stranger = new StandInWebContents();
    stranger.url = 'https://evil.example/';
    const closed = new StandInWebContents();
    closed.url = APP_PAGE_URL;
    closed.isGone = true;
    const revealed: string[] = [];
    const unbind = bindIpc({
      core: countedCore(),
      logger,
      pages: () => [page, stranger, closed].map(asWebContents),
      reveal: (path) => revealed.push(path),
    });
    expect([...ipcMain.handlers.keys()]).toEqual([CALL_CHANNEL]);
    const handler = ipcMain.handlers.get(CALL_CHANNEL);
    if (!handler) throw new Error('no handler');

    const answer = await handler(ipcEvent({ url: APP_PAGE_URL }), { type: 'call', id: 11, command: 'board.create', input: { name: 'Pushed' } });
    expect(answer).toMatchObject({ type: 'result', id: 11, result: { ok: true } });
    const board = (answer as { result: { value: Board } }).result.value;

    await vi.waitFor(() => expect(page.sent.map((each) => each.message)).toContainEqual({ type: 'push', push: { topic: 'board.changed', payload: { accountId: core.accountId, boardId: board.id } } }), { timeout: 10_000 });
    expect(page.sent.every((each) => each.channel === PUSH_CHANNEL)).toBe(true);
    expect(stranger.sent).toEqual([]);
    expect(closed.sent).toEqual([]);

    // A file the core exported is shown in the file manager.
    const exported = await handler(ipcEvent({ url: APP_PAGE_URL }), { type: 'call', id: 12, command: 'diagnostics.export', input: {} });
    expect(exported).toMatchObject({ result: { ok: true, value: { path: expect.any(String) } } });
    expect(revealed).toEqual([(exported as { result: { value: { path: string } } }).result.value.path]);

    unbind();
    expect(ipcMain.handlers.size).toBe(0);
    const sentBefore = page.sent.length;
    await core.call('board.create', { name: 'After unbind' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(page.sent.length).toBe(sentBefore);
  });
});
