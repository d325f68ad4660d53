// The Electron main process wired up against the stand-in electron module and a REAL core on a temporary
// userData folder: it sandboxes every renderer, registers the app's scheme, takes the single-instance
// lock, locks the session down, starts the core, answers the page's calls, opens the window on the app's
// page with the built preload, and on quit lets the core close its store before the app ends.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CALL_CHANNEL } from '../../../src-main/app/channels';
import { APP_PAGE_URL, APP_SCHEME } from '../../../src-main/app/own-page';
import { startCore } from '../../../src-main/core/client';
import { app, BrowserWindow, dialog, ipcEvent, ipcMain, Menu, protocol, resetStandIn, session, standInEvent } from './electron-stand-in';

vi.mock('electron', () => import('./electron-stand-in'));

let userData: string;

beforeAll(async () => {
  resetStandIn();
  userData = mkdtempSync(join(tmpdir(), 'trailboard-main-'));
  app.userData = userData;
  await import('../../../src-main/app/main');
  await vi.waitFor(() => expect(BrowserWindow.created).toHaveLength(1), { timeout: 20_000 });
}, 30_000);

afterAll(() => rmSync(userData, { recursive: true, force: true }));

describe('the main process', () => {
  it('sandboxes every renderer, registers the app scheme and holds the single-instance lock before the window', () => {
    expect(app.isSandboxEnabled).toBe(true);
    expect(app.lockRequests).toBe(1);
    expect(protocol.privileged).toContainEqual(expect.objectContaining({ scheme: APP_SCHEME }));
    expect(dialog.errors).toEqual([]);
  });

  it('locks the session down and serves the renderer on the app scheme', () => {
    const defaultSession = session.defaultSession;
    expect(defaultSession.headersListener).toBeTypeOf('function');
    expect(defaultSession.permissionRequestHandler).toBeTypeOf('function');
    expect(defaultSession.permissionCheckHandler).toBeTypeOf('function');
    expect([...defaultSession.protocolHandlers.keys()]).toEqual([APP_SCHEME]);
    expect(app.listeners.get('web-contents-created')).toHaveLength(1);
    expect(Menu.applied).toBeDefined();
  });

  it('opens the window on the app page with the preload beside the main bundle', () => {
    const [window] = BrowserWindow.created;
    expect(window?.loadedUrls).toEqual([APP_PAGE_URL]);
    expect(window?.options['webPreferences']).toMatchObject({ preload: expect.stringMatching(/[/\\]preload\.cjs$/) });
  });

  it('answers the page’s calls from the core, in the userData folder, and logs there', async () => {
    const handler = ipcMain.handlers.get(CALL_CHANNEL);
    if (!handler) throw new Error('no IPC handler');
    const answer = await handler(ipcEvent({ url: APP_PAGE_URL }), { type: 'call', id: 1, command: 'board.create', input: { name: 'From the window' } });
    expect(answer).toMatchObject({ type: 'result', id: 1, result: { ok: true, value: { name: 'From the window' } } });
    const log = readFileSync(join(userData, 'logs', 'trailboard.log'), 'utf8');
    expect(log).toMatch(/"msg":"started".*"thread":"main"|"thread":"main".*"msg":"started"/);
  });

  it('on quit, closes the core (releasing the data folder) before quitting for real', async () => {
    const quit = standInEvent();
    app.emit('will-quit', quit);
    expect(quit.isDefaultPrevented).toBe(true);
    expect(ipcMain.handlers.size).toBe(0);
    await vi.waitFor(() => expect(app.quitCount).toBe(1), { timeout: 20_000 });
    // The second will-quit (from that quit) goes through.
    const again = standInEvent();
    app.emit('will-quit', again);
    expect(again.isDefaultPrevented).toBe(false);
    // The folder is free again: another core can open it and still finds the board.
    const core = await startCore({ dataDir: userData });
    try {
      const boards = await core.call('board.list', {});
      expect(boards.ok && boards.value.map((board) => board.name)).toEqual(['From the window']);
    } finally {
      await core.close();
    }
    expect(existsSync(join(userData, 'window-state.json'))).toBe(false); // the window was never closed
  });
});
