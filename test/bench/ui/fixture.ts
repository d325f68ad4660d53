/**
 * Builds the reference page (board-fixture.html + .tsx) with Vite, as the app's renderer is built (React plugin,
 * production mode, the same target), into a folder of the group's temp dir, and serves it to a Playwright page
 * from a made-up origin through `page.route` (no server to start or stop).
 */
import { existsSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import react from '@vitejs/plugin-react';
import { build } from 'vite';

export const FIXTURE_ORIGIN = 'http://fixture.bench.invalid';
export const FIXTURE_URL = `${FIXTURE_ORIGIN}/board-fixture.html`;

/** The repository root: this file runs bundled from dist/bench/ or from source in test/bench/ui/. */
function repositoryRoot(): string {
  const here = fileURLToPath(import.meta.url);
  const marker = `${sep}dist${sep}bench${sep}`;
  const at = here.lastIndexOf(marker);
  return at >= 0 ? here.slice(0, at) : fileURLToPath(new URL('../../..', import.meta.url));
}

export async function buildFixture(outDir: string): Promise<string> {
  const root = join(repositoryRoot(), 'test', 'bench', 'ui');
  await build({
    configFile: false,
    root,
    base: './',
    mode: 'production',
    logLevel: 'warn',
    plugins: [react()],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'chrome130',
      sourcemap: false,
      modulePreload: { polyfill: false },
      cssCodeSplit: false,
      assetsInlineLimit: 0,
      chunkSizeWarningLimit: 5000,
      rolldownOptions: { input: join(root, 'board-fixture.html') },
    },
  });
  if (!existsSync(join(outDir, 'board-fixture.html'))) throw new Error(`the fixture build left no board-fixture.html in ${outDir}`);
  return outDir;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

/** The content type the fixture's servers answer a built file with. */
export function contentTypeOf(file: string): string {
  return TYPES[extname(file)] ?? 'application/octet-stream';
}

/** Answers the page's requests to FIXTURE_ORIGIN from `dir`. */
export async function serveFixture(page: Page, dir: string): Promise<void> {
  await page.route(`${FIXTURE_ORIGIN}/**`, async (route) => {
    const pathname = decodeURIComponent(new URL(route.request().url()).pathname);
    const file = normalize(join(dir, pathname));
    if (!file.startsWith(dir) || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ path: file, contentType: contentTypeOf(file) });
  });
}
