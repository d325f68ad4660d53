// Builds what runs outside the TypeScript tooling into dist/:
//   - the core's worker thread, the web host, the Electron main and preload (src-main), as Node bundles;
//   - test children (test/**/*.child.ts) and the benchmarks (test/bench/run.ts): child processes that tests
//     start hundreds of times run from this compiled JavaScript, never through a TypeScript loader;
//   - the renderer (src-renderer) with Vite, when its config exists.
// Packages stay external for Node bundles: node_modules is resolved at run time.
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function walk(dir, pick, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, pick, out);
    else if (pick(full)) out.push(full);
  }
  return out;
}

const existing = (entries) => entries.filter((entry) => existsSync(entry.in));

/** ESM bundles for Node (and Electron's main process, which loads ESM). */
const esmEntries = existing([
  { in: join(root, 'src-main/web-host/main.ts'), out: 'main/web-host' },
  { in: join(root, 'src-main/app/main.ts'), out: 'main/app' },
  { in: join(root, 'test/bench/run.ts'), out: 'bench/run' },
  ...walk(join(root, 'test'), (f) => f.endsWith('.child.ts')).map((f) => ({
    in: f,
    out: join('test', relative(join(root, 'test'), f)).replace(/\.ts$/, ''),
  })),
]);

const common = {
  outdir: join(root, 'dist'),
  bundle: true,
  platform: 'node',
  target: 'node24',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
};

await build({ ...common, entryPoints: esmEntries, format: 'esm', outExtension: { '.js': '.mjs' } });

// The core's worker threads (one entry, two roles: src-main/core/thread.ts), split so that the router role does
// not load what only the account role imports (RxDB, the domain): dist/main/core-thread.mjs plus its chunks in
// dist/main/core-chunks/ (packed with dist/main/**). Old chunks are removed first: their names carry hashes.
rmSync(join(root, 'dist/main/core-chunks'), { recursive: true, force: true });
await build({
  ...common,
  entryPoints: [{ in: join(root, 'src-main/core/thread.ts'), out: 'core-thread' }],
  outdir: join(root, 'dist/main'),
  format: 'esm',
  splitting: true,
  chunkNames: 'core-chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
});

// A sandboxed preload must be CommonJS and may require nothing but `electron`: bundle everything else in.
const preload = join(root, 'src-main/app/preload.ts');
if (existsSync(preload)) {
  await build({
    ...common,
    packages: undefined,
    external: ['electron'],
    entryPoints: [{ in: preload, out: 'main/preload' }],
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    sourcemap: false,
  });
}

const viteConfig = join(root, 'vite.config.ts');
if (existsSync(viteConfig) && process.env.TRAILBOARD_SKIP_RENDERER !== '1') {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: viteConfig, logLevel: 'warn' });
}
