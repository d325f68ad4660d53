// The window factory against the stand-in electron module: the web preferences are exactly the secure
// set (nothing added, nothing missing), the window opens the app's own page, and its bounds and maximized
// state survive a restart through window-state.json.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { APP_PAGE_URL } from '../../../src-main/app/own-page';
import { createMainWindow } from '../../../src-main/app/window';
import { DEFAULT_SIZE, MIN_SIZE, placeWindow, readWindowState } from '../../../src-main/app/window-state';
import { BrowserWindow, resetStandIn, screen } from './electron-stand-in';

vi.mock('electron', () => import('./electron-stand-in'));

let dir: string;
let stateFile: string;
const preload = '/opt/trailboard/dist/main/preload.cjs';

beforeEach(() => {
  resetStandIn();
  dir = mkdtempSync(join(tmpdir(), 'trailboard-window-'));
  stateFile = join(dir, 'window-state.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function onlyWindow(): BrowserWindow {
  expect(BrowserWindow.created).toHaveLength(1);
  const [window] = BrowserWindow.created;
  if (!window) throw new Error('no window');
  return window;
}

describe('createMainWindow', () => {
  it('gives the page exactly: contextIsolation, sandbox, no nodeIntegration, webSecurity, our preload', () => {
    createMainWindow({ preload, stateFile });
    const { webPreferences } = onlyWindow().options;
    expect(webPreferences).toStrictEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload,
    });
  });

  it('opens hidden on the app page and shows itself once painted', () => {
    createMainWindow({ preload, stateFile });
    const window = onlyWindow();
    expect(window.options['show']).toBe(false);
    expect(window.loadedUrls).toEqual([APP_PAGE_URL]);
    expect(window.isShown).toBe(false);
    window.emit('ready-to-show');
    expect(window.isShown).toBe(true);
  });

  it('opens at the default size, centred, the first time', () => {
    createMainWindow({ preload, stateFile });
    const { options } = onlyWindow();
    expect(options).toMatchObject({ width: DEFAULT_SIZE.width, height: DEFAULT_SIZE.height, minWidth: MIN_SIZE.width, minHeight: MIN_SIZE.height });
    expect(options).not.toHaveProperty('x');
    expect(options).not.toHaveProperty('y');
  });

  it('saves its bounds and maximized state on close and reopens the same way', () => {
    createMainWindow({ preload, stateFile });
    const first = onlyWindow();
    first.normalBounds = { x: 100, y: 80, width: 1000, height: 700 };
    first.isMaximizedNow = true;
    first.close();
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({ bounds: { x: 100, y: 80, width: 1000, height: 700 }, isMaximized: true });

    resetStandIn();
    createMainWindow({ preload, stateFile });
    const second = onlyWindow();
    expect(second.options).toMatchObject({ x: 100, y: 80, width: 1000, height: 700 });
    expect(second.isMaximizedNow).toBe(false);
    second.emit('ready-to-show');
    expect(second.isMaximizedNow).toBe(true);
  });

  it('drops a saved position that is on no screen any more (a monitor unplugged)', () => {
    writeFileSync(stateFile, JSON.stringify({ bounds: { x: 2500, y: 100, width: 1000, height: 700 }, isMaximized: false }));
    screen.workAreas = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    createMainWindow({ preload, stateFile });
    const { options } = onlyWindow();
    expect(options).toMatchObject({ width: 1000, height: 700 });
    expect(options).not.toHaveProperty('x');
  });

  it('opens at the default size when the state file is damaged', () => {
    writeFileSync(stateFile, '{"bounds": {"x": "left"}');
    createMainWindow({ preload, stateFile });
    expect(onlyWindow().options).toMatchObject(DEFAULT_SIZE);
  });
});

describe('window state', () => {
  it('reads nothing from a file that is not a state', () => {
    writeFileSync(stateFile, JSON.stringify({ bounds: { x: 0, y: 0, width: -5, height: 10 }, isMaximized: false }));
    expect(readWindowState(stateFile)).toBeUndefined();
    expect(readWindowState(join(dir, 'missing.json'))).toBeUndefined();
  });

  it('keeps a window on a second screen to the left, and clamps sizes to the minimum and the screens', () => {
    const screens = [
      { x: -1280, y: 0, width: 1280, height: 1024 },
      { x: 0, y: 0, width: 1920, height: 1080 },
    ];
    expect(placeWindow({ bounds: { x: -1200, y: 50, width: 800, height: 600 }, isMaximized: false }, screens)).toEqual({ x: -1200, y: 50, width: 800, height: 600, isMaximized: false });
    expect(placeWindow({ bounds: { x: 10, y: 10, width: 100, height: 100 }, isMaximized: false }, screens)).toMatchObject({ width: MIN_SIZE.width, height: MIN_SIZE.height });
    expect(placeWindow({ bounds: { x: 10, y: 10, width: 9000, height: 9000 }, isMaximized: false }, screens)).toMatchObject({ width: 1920, height: 1080 });
    // The title bar above the top of every screen: unreachable, so no position.
    expect(placeWindow({ bounds: { x: 10, y: -300, width: 800, height: 600 }, isMaximized: false }, screens)).not.toHaveProperty('x');
  });
});
