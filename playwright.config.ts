// End-to-end tests (`npm run test:e2e`; `npm test` runs them too, through scripts/test.mjs): test/e2e drives
// the real UI. Project `web`: the built web host in Debian's Chromium (/usr/bin/chromium; Playwright's own
// browsers cannot download on these machines). Project `electron`: the same spec on the built Electron app,
// skipped with a one-line reason where no Electron binary is installed. Each test starts its own app on a
// fresh data folder (test/e2e/fixtures.ts).
import { defineConfig } from '@playwright/test';
import { findElectronBinary } from './test/e2e/electron-binary';
import type { Target } from './test/e2e/fixtures';

// The list reporter shows skipped tests without their reason: say it once, from the runner (workers load
// this file too, with TEST_WORKER_INDEX set).
const electron = findElectronBinary();
if (!electron.isFound && process.env['TEST_WORKER_INDEX'] === undefined) {
  process.stdout.write(`electron project: skipped, ${electron.reason}\n`);
}

export default defineConfig<object, { target: Target }>({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  // Not test-results/ itself: Playwright empties its output folder first, and that folder also holds the
  // other runners' reports and test-results/screenshots/.
  outputDir: 'test-results/e2e',
  timeout: 120_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  forbidOnly: Boolean(process.env['CI']),
  retries: 0,
  workers: 2,
  // scripts/test.mjs passes --reporter=list,json and PLAYWRIGHT_JSON_OUTPUT_FILE, which win over these.
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
  },
  projects: [
    {
      name: 'web',
      use: {
        target: 'web',
        browserName: 'chromium',
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
    {
      name: 'electron',
      use: { target: 'electron' },
    },
  ],
});
