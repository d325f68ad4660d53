// Builds with `node scripts/build.mjs` only when an output is missing or older than a TypeScript source. Test
// files run in parallel workers: a lock folder (dist/.durability-build-lock) serialises the builds, so an
// output another file is running is never rewritten under it by a needless rebuild.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type BuildOnceOptions = {
  /** Absolute paths of the files the build must produce. */
  outputs: readonly string[];
  /** Folders (relative to the repository root) whose .ts files the outputs must be newer than. */
  sourceDirs: readonly string[];
  /** Extra environment for the build. */
  env?: NodeJS.ProcessEnv;
};

function newestSourceTime(sourceDirs: readonly string[]): number {
  let newest = 0;
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  for (const dir of sourceDirs) {
    if (existsSync(join(REPO_ROOT, dir))) visit(join(REPO_ROOT, dir));
  }
  return newest;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function ensureBuiltOnce({ outputs, sourceDirs, env }: BuildOnceOptions): void {
  const isFresh = (): boolean => {
    const newest = newestSourceTime(sourceDirs);
    return outputs.every((file) => existsSync(file) && statSync(file).mtimeMs >= newest);
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
        ...(env === undefined ? {} : { env: { ...process.env, ...env } }),
      });
    }
  } catch (error) {
    const output = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`node scripts/build.mjs failed:\n${output.stdout?.toString() ?? ''}${output.stderr?.toString() ?? ''}`, { cause: error });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
