// The core thread and the web host run from their builds (dist/main/*.mjs), as in the product. Tests call
// `ensureMainBuilt()` first: it runs `node scripts/build.mjs` (without the renderer, TRAILBOARD_SKIP_RENDERER=1)
// when a bundle is missing or older than a TypeScript source (test/support/build-once).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuiltOnce } from '../../support/build-once';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CORE_THREAD_FILE = join(REPO_ROOT, 'dist/main/core-thread.mjs');
export const WEB_HOST_FILE = join(REPO_ROOT, 'dist/main/web-host.mjs');

export function ensureMainBuilt(): void {
  ensureBuiltOnce({
    outputs: [CORE_THREAD_FILE, WEB_HOST_FILE],
    sourceDirs: ['src-main', 'shared'],
    env: { TRAILBOARD_SKIP_RENDERER: '1' },
  });
}
