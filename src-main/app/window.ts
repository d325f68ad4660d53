// The app's window. Its web preferences are the whole of the renderer's privileges: an isolated,
// sandboxed page without Node, with web security on, whose only bridge is our preload (call and on).
// Nothing else is set there on purpose; window.test.ts checks the object is exactly this.
import { BrowserWindow, nativeTheme, screen } from 'electron';
import type { Logger } from '../../shared/node/logger';
import { APP_PAGE_URL } from './own-page';
import { MIN_SIZE, placeWindow, readWindowState, writeWindowState } from './window-state';

export type WindowOptions = {
  /** Absolute path of the built preload, dist/main/preload.cjs. */
  preload: string;
  /** Where the window's bounds and maximized state are kept (in userData). */
  stateFile: string;
  logger?: Logger | undefined;
};

/** Opens the app's window on its page, where it was last time. It shows itself once painted. */
export function createMainWindow({ preload, stateFile, logger }: WindowOptions): BrowserWindow {
  const placement = placeWindow(readWindowState(stateFile), screen.getAllDisplays().map((display) => display.workArea));
  const position = placement.x !== undefined && placement.y !== undefined ? { x: placement.x, y: placement.y } : {};
  const window = new BrowserWindow({ // eng-disable AUXCLICK_JS_CHECK -- a middle click can only ask for a new window, and setWindowOpenHandler denies every one (security.ts)
    ...position,
    width: placement.width,
    height: placement.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Trailboard',
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#f7f7f8',
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: preload, // eng-disable PRELOAD_JS_CHECK -- our own bundled preload: it exposes call and on over one checked channel pair, nothing else (preload.ts)
    },
  });

  window.once('ready-to-show', () => {
    if (placement.isMaximized) window.maximize();
    window.show();
  });
  window.on('close', () => {
    try {
      writeWindowState(stateFile, { bounds: window.getNormalBounds(), isMaximized: window.isMaximized() });
    } catch (error) {
      logger?.warn('could not save the window state', { file: stateFile, error: String(error) });
    }
  });
  window.loadURL(APP_PAGE_URL).catch((error: unknown) => logger?.error('the app page did not load', { url: APP_PAGE_URL, error: String(error) }));
  return window;
}
