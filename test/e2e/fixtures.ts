// The Trailboard app under test, as a Playwright fixture. One spec drives it two ways (the `target` option,
// set per project in playwright.config.ts):
//   - `web`: the built web host (`node dist/main/web-host.mjs --data-dir <fresh temp dir> --port 0`) in
//     Debian's Chromium. The host prints its address (token in the fragment) on stdout; the page opens it.
//   - `electron`: the built app (`electron .`) through Playwright's Electron support, on a fresh userData
//     folder. Only where a real Electron binary is installed; elsewhere each test is skipped with one line.
// `stop()` ends the app (its process exits and releases the data folder) and `start()` starts it again on
// the same data folder, so a test can check that everything survived.
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, expect, test as base } from '@playwright/test';
import type { Browser, ElectronApplication, Page, TestInfo } from '@playwright/test';
import { startHostProcess, type HostProcess } from '../main/web-host/host-process';
import { findElectronBinary } from './electron-binary';

export type Target = 'web' | 'electron';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RENDERER_DIR = join(REPO_ROOT, 'dist/renderer');
export const SCREENSHOTS_DIR = join(REPO_ROOT, 'test-results/screenshots');

/** The size of the window in both targets: screenshots and layouts compare. */
const VIEWPORT = { width: 1440, height: 900 };

export type TrailboardApp = {
  readonly target: Target;
  /** The page showing Trailboard: in the browser the same page throughout, in Electron the current window. */
  readonly page: Page;
  /** The data folder (the web host's --data-dir, or Electron's userData). */
  readonly dataDir: string;
  /** Stops the app: the web host's process ends (its page stays open, without its core); the Electron app quits. */
  stop(): Promise<void>;
  /** Starts it again on the same data folder: the page opens the new host's address, or the new app's window. */
  start(): Promise<Page>;
};

/** How one target starts, stops and ends; `logs` is what the app wrote (for a failed test's report). */
type Driver = {
  readonly page: Page | undefined;
  start(): Promise<Page>;
  stop(): Promise<void>;
  close(): Promise<void>;
  logs(): string;
};

function webDriver(dataDir: string, launchBrowser: () => Promise<Browser>): Driver {
  let browser: Browser | undefined;
  let page: Page | undefined;
  let host: HostProcess | undefined;
  let logs = '';
  const stopHost = async (): Promise<void> => {
    const running = host;
    host = undefined;
    if (!running) return;
    const exit = await running.stop();
    logs += running.stderr();
    // A clean stop closes the sockets and the core, which releases the data folder's lock.
    expect(exit, `the web host stops cleanly on SIGTERM:\n${running.stderr()}`).toEqual({ code: 0, signal: null });
  };
  return {
    get page() {
      return page;
    },
    async start() {
      host = await startHostProcess({ dataDir, rendererDir: RENDERER_DIR });
      if (host.url === '') throw new Error(`The web host did not start:\n${host.stderr()}`);
      browser ??= await launchBrowser();
      page ??= await (await browser.newContext({ viewport: VIEWPORT, reducedMotion: 'reduce' })).newPage();
      await page.goto(host.url);
      return page;
    },
    stop: stopHost,
    async close() {
      await browser?.close();
      await stopHost();
    },
    logs: () => logs + (host?.stderr() ?? ''),
  };
}

function electronDriver(dataDir: string): Driver {
  let electronApp: ElectronApplication | undefined;
  let page: Page | undefined;
  let logs = '';
  return {
    get page() {
      return page;
    },
    async start() {
      electronApp = await _electron.launch({
        cwd: REPO_ROOT,
        // Chromium's --user-data-dir is Electron's userData, where Trailboard keeps its data. XDG_CONFIG_HOME
        // (where userData would be otherwise, on Linux) points inside it too, so nothing reaches ~/.config.
        args: [REPO_ROOT, `--user-data-dir=${dataDir}`],
        env: { ...process.env, XDG_CONFIG_HOME: join(dataDir, '.config') },
      });
      electronApp.process().stderr?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
      page = await electronApp.firstWindow();
      await page.setViewportSize(VIEWPORT);
      return page;
    },
    async stop() {
      const running = electronApp;
      electronApp = undefined;
      await running?.close();
    },
    async close() {
      await this.stop();
    },
    logs: () => logs,
  };
}

async function attachFailure(testInfo: TestInfo, driver: Driver): Promise<void> {
  if (testInfo.status === testInfo.expectedStatus) return;
  const screenshot = await driver.page?.screenshot().catch(() => undefined);
  if (screenshot) await testInfo.attach('screen at failure', { body: screenshot, contentType: 'image/png' });
  await testInfo.attach('app log', { body: driver.logs(), contentType: 'text/plain' });
}

export const test = base.extend<{ app: TrailboardApp }, { target: Target }>({
  target: ['web', { option: true, scope: 'worker' }],

  app: async ({ target, playwright, launchOptions }, use, testInfo) => {
    if (target === 'electron') {
      const binary = findElectronBinary();
      testInfo.skip(!binary.isFound, binary.isFound ? '' : binary.reason);
      testInfo.skip(process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'], 'no display for Electron (run under xvfb-run -a)');
    }
    const dataDir = mkdtempSync(join(tmpdir(), `tb-e2e-${target}-`));
    // The browser is launched here rather than through the `browser` fixture, so the electron project
    // never needs Chromium.
    const driver = target === 'web' ? webDriver(dataDir, () => playwright.chromium.launch(launchOptions)) : electronDriver(dataDir);
    const app: TrailboardApp = {
      target,
      dataDir,
      get page() {
        if (!driver.page) throw new Error('Trailboard has not started');
        return driver.page;
      },
      stop: () => driver.stop(),
      start: () => driver.start(),
    };
    try {
      await driver.start();
      await use(app);
    } finally {
      await attachFailure(testInfo, driver);
      await driver.close();
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
    }
  },
});

export { expect };

/** Saves a screenshot of the whole window as test-results/screenshots/[electron/]NAME.png; returns its path. */
export async function saveScreenshot(app: TrailboardApp, name: string): Promise<string> {
  const dir = app.target === 'web' ? SCREENSHOTS_DIR : join(SCREENSHOTS_DIR, app.target);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await writeFile(path, await app.page.screenshot({ animations: 'disabled', caret: 'hide' }));
  return path;
}
