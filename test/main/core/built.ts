// The core thread and the web host run from their builds (dist/main/*.mjs), as in the product. Tests call
// `ensureMainBuilt()` first: it runs `node scripts/build.mjs` (without the renderer, TRAILBOARD_SKIP_RENDERER=1)
// when a bundle is missing or older than a TypeScript source. Test files run in parallel workers: a lock
// folder (the one the durability tests use) serialises the builds.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CORE_THREAD_FILE = join(REPO_ROOT, 'dist/main/core-thread.mjs');
export const WEB_HOST_FILE = join(REPO_ROOT, 'dist/main/web-host.mjs');

function newestSourceTime(): number {
  let newest = 0;
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  for (const dir of ['src-main', 'shared']) visit(join(REPO_ROOT, dir));
  return newest;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function ensureMainBuilt(): void {
  const bundles = [CORE_THREAD_FILE, WEB_HOST_FILE];
  const isFresh = (): boolean => {
    const newest = newestSourceTime();
    return bundles.every((file) => existsSync(file) && statSync(file).mtimeMs >= newest);
  };
  if (isFresh()) return;
  mkdirSync(join(REPO_ROOT, 'dist'), { recursive: true });
  const lock = join(REPO_ROOT, 'dist/.durability-build-lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // the other builder just finished
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the build lock ${lock}`);
      sleepSync(100);
    }
  }
  try {
    if (!isFresh()) {
      execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/build.mjs')], {
        cwd: REPO_ROOT,
        stdio: 'pipe',
        env: { ...process.env, TRAILBOARD_SKIP_RENDERER: '1' },
      });
    }
  } catch (error) {
    const output = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`node scripts/build.mjs failed:\n${output.stdout?.toString() ?? ''}${output.stderr?.toString() ?? ''}`, { cause: error });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
