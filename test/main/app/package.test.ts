// `electron-builder --dir` on the project with a stub Electron (a folder holding a fake `electron`
// executable, as where the real binary cannot be downloaded): it must produce an app.asar holding the
// built app (dist/main, dist/renderer), package.json and production dependencies only — no source maps,
// no tests, no sources, no dev tools — and skip the fuse step with its one-line reason.
//
// It packages a snapshot of the project (what packaging reads: the manifests, electron-builder.yml, the
// afterPack hook and the fuse settings, dist/, and node_modules as hard links), so a build running while
// it packages (other tests rebuild dist/main when a source is newer) cannot pull files from under it.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { extractFile, listPackage } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
let dir: string;
let project: string;
let output: string;
let asar: string;
let files: string[];

function walk(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder).flatMap((name) => {
    const full = join(folder, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

/** Copies what packaging reads into `project`; node_modules as hard links when the file system allows. */
function snapshotProject(): void {
  mkdirSync(join(project, 'scripts'), { recursive: true });
  mkdirSync(join(project, 'src-main', 'app'), { recursive: true });
  for (const file of ['package.json', 'package-lock.json', 'electron-builder.yml', 'scripts/after-pack.mjs', 'src-main/app/fuses.ts']) {
    copyFileSync(join(root, file), join(project, file));
  }
  cpSync(join(root, 'dist'), join(project, 'dist'), { recursive: true }); // dist/test and dist/bench too: they must stay out
  try {
    execFileSync('cp', ['-al', join(root, 'node_modules'), join(project, 'node_modules')]);
  } catch {
    rmSync(join(project, 'node_modules'), { recursive: true, force: true });
    execFileSync('cp', ['-a', join(root, 'node_modules'), join(project, 'node_modules')]);
  }
}

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'main', 'app.mjs'))) throw new Error('dist/main is not built: run node scripts/build.mjs first');
  dir = mkdtempSync(join(tmpdir(), 'trailboard-package-'));
  project = join(dir, 'project');
  snapshotProject();
  const electronDist = join(dir, 'electron-dist');
  mkdirSync(electronDist);
  writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\necho "a stand-in for the Electron binary"\n');
  chmodSync(join(electronDist, 'electron'), 0o755);
  const result = await promisify(execFile)(
    process.execPath,
    [
      join(root, 'node_modules', 'electron-builder', 'cli.js'),
      '--config',
      'electron-builder.yml',
      '--dir',
      '--linux',
      '--x64',
      `-c.electronDist=${electronDist}`,
      `-c.directories.output=${join(dir, 'out')}`,
    ],
    { cwd: project, timeout: 240_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } },
  ).catch((error: { message: string; stdout?: string; stderr?: string }) => {
    throw new Error(`${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  });
  output = `${result.stdout}${result.stderr}`;
  asar = join(dir, 'out', 'linux-unpacked', 'resources', 'app.asar');
  files = listPackage(asar, { isPack: false }).map((file) => file.replaceAll('\\', '/'));
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the package (electron-builder --dir, stub Electron)', () => {
  it('lays out the app: the renamed executable and resources/app.asar', () => {
    expect(existsSync(join(dir, 'out', 'linux-unpacked', 'trailboard'))).toBe(true);
    expect(existsSync(asar)).toBe(true);
  });

  it('holds the main process, core thread with its chunks, preload and every built renderer file', () => {
    expect(files).toEqual(expect.arrayContaining(['/package.json', '/dist/main/app.mjs', '/dist/main/core-thread.mjs', '/dist/main/preload.cjs']));
    // The account threads' code is a chunk the core thread imports when an account opens (scripts/build.mjs).
    const chunks = walk(join(project, 'dist', 'main', 'core-chunks'))
      .filter((file) => file.endsWith('.mjs'))
      .map((file) => `/${relative(project, file).split('\\').join('/')}`);
    expect(chunks.some((file) => /\/account-thread-[^/]+\.mjs$/.test(file))).toBe(true);
    expect(files).toEqual(expect.arrayContaining(chunks));
    const renderer = walk(join(project, 'dist', 'renderer'))
      .filter((file) => !file.endsWith('.map'))
      .map((file) => `/${relative(project, file).split('\\').join('/')}`);
    expect(files).toEqual(expect.arrayContaining(renderer));
  });

  it('holds nothing else of ours: no sources, tests, benchmarks, web host or configuration', () => {
    const ours = files.filter((file) => !file.startsWith('/node_modules'));
    const allowed = /^\/(package\.json|dist|dist\/main|dist\/main\/(app\.mjs|core-thread\.mjs|preload\.cjs|core-chunks|core-chunks\/[\w-]+\.mjs)|dist\/renderer(\/.*)?)$/;
    expect(ours.filter((file) => !allowed.test(file))).toEqual([]);
  });

  it('has no source maps and no tests anywhere, node_modules included', () => {
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(files.filter((file) => /\/(test|tests|__tests__)\/|\.(test|spec)\.[cm]?js$/.test(file))).toEqual([]);
    expect(files.filter((file) => /\.(ts|tsx|mts|cts)$/.test(file))).toEqual([]);
  });

  it('ships production dependencies only', () => {
    const packages = new Set(files.filter((file) => /^\/node_modules\/(@[^/]+\/)?[^/]+$/.test(file)).map((file) => file.slice('/node_modules/'.length)));
    for (const runtime of ['rxdb', 'rxjs', 'ajv', 'ws']) expect(packages, runtime).toContain(runtime);
    for (const tool of ['electron', 'electron-builder', 'vitest', 'typescript', 'esbuild', 'vite', 'eslint', '@electron/fuses', '@playwright/test', 'fast-check']) {
      expect(packages, tool).not.toContain(tool);
    }
    const manifest: unknown = JSON.parse(extractFile(asar, 'package.json').toString('utf8'));
    expect(manifest).toMatchObject({ name: 'trailboard', main: 'dist/main/app.mjs', type: 'module' });
    expect(manifest).not.toHaveProperty('devDependencies');
  });

  it('skips the fuse step on the stub with a one-line reason', () => {
    const lines = output.split('\n').filter((line) => line.includes('fuses:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/fuses: skipped, .*linux-unpacked\/trailboard is not a real Electron executable/);
  });
});
