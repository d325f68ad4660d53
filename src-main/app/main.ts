// The Electron main process (built to dist/main/app.mjs, package.json's "main"). It owns the window, the
// menu and the IPC binding; the store, the domain and the worker run in the core's worker thread
// (core/client.ts), so nothing here blocks on SQLite. Data lives in the app's userData folder.
//
// Start-up: one instance only (a second launch focuses the first window), the app's scheme registered,
// every renderer sandboxed, the session locked down (security.ts), then the core, the IPC binding and
// the window. Quitting lets the core finish its calls and close its store before the process ends.
import { app, BrowserWindow, dialog, session, shell } from 'electron';
import { join } from 'node:path';
import { createLogger } from '../../shared/node/logger';
import { startCore, type CoreClient } from '../core/client';
import { bindIpc } from './ipc';
import { installMenu } from './menu';
import { registerAppScheme, serveRenderer } from './protocol';
import { secureAllWebContents, secureSession } from './security';
import { createMainWindow } from './window';

/** This bundle's folder, dist/main: the preload sits beside it, the renderer in dist/renderer. */
const distMain = import.meta.dirname;
const preload = join(distMain, 'preload.cjs');
const rendererDir = join(distMain, '..', 'renderer');

// Both must happen before the app is ready.
app.enableSandbox();
registerAppScheme();

if (app.requestSingleInstanceLock()) {
  void run();
} else {
  app.quit();
}

async function run(): Promise<void> {
  const dataDir = app.getPath('userData');
  const logger = createLogger({ dataDir, fields: { thread: 'main' } });
  let window: BrowserWindow | undefined;

  secureAllWebContents(logger);

  await app.whenReady();
  secureSession(session.defaultSession, logger);
  serveRenderer(session.defaultSession, rendererDir);
  installMenu({ isMac: process.platform === 'darwin', isPackaged: app.isPackaged, appName: app.name });

  let core: CoreClient;
  try {
    core = await startCore({ dataDir });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.error('the core did not start', { dataDir, error: message });
    dialog.showErrorBox('Trailboard could not start', message);
    logger.close();
    app.exit(1);
    return;
  }
  logger.info('started', { version: app.getVersion(), electron: process.versions.electron, dataDir });

  let isQuitting = false;
  void core.exited.then((exit) => {
    if (isQuitting) return;
    logger.error('the core stopped unexpectedly', { exitCode: exit.exitCode, error: exit.error ? String(exit.error) : null });
    dialog.showErrorBox('Trailboard stopped working', 'The part of Trailboard that keeps your boards stopped. Your work is saved; please restart Trailboard.');
  });

  const unbind = bindIpc({
    core,
    logger,
    pages: () => BrowserWindow.getAllWindows().map((each) => each.webContents),
    reveal: (path) => shell.showItemInFolder(path),
  });

  const open = (): void => {
    window = createMainWindow({ preload, stateFile: join(dataDir, 'window-state.json'), logger });
    window.on('closed', () => {
      window = undefined;
    });
  };
  open();

  // A second launch (the lock refused it) brings this instance's window forward instead.
  app.on('second-instance', () => {
    if (!window) return open();
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', (event) => {
    if (isQuitting) return;
    event.preventDefault();
    isQuitting = true;
    unbind();
    void core
      .close()
      .catch((error: unknown) => logger.error('the core did not close cleanly', { error: String(error) }))
      .finally(() => {
        logger.info('quit');
        logger.close();
        app.quit();
      });
  });
}
