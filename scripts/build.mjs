// Bundles the Node entry points (test children, benchmarks, and later the app's processes) into dist/.
// Child processes that tests start hundreds of times run from this compiled JavaScript, never through a
// TypeScript loader. Packages stay external: node_modules is resolved at run time.
import { build } from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function walk(dir, pick, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, pick, out);
    else if (pick(full)) out.push(full);
  }
  return out;
}

/** test/**\/*.child.ts -> dist/test/**\/*.child.mjs ; test/bench/run.ts -> dist/bench/run.mjs */
const nodeEntries = [
  ...walk(join(root, 'test'), (f) => f.endsWith('.child.ts')).map((f) => ({
    in: f,
    out: join('test', relative(join(root, 'test'), f)).replace(/\.ts$/, ''),
  })),
  { in: join(root, 'test/bench/run.ts'), out: 'bench/run' },
].filter((e) => {
  try {
    return statSync(e.in).isFile();
  } catch {
    return false;
  }
});

await build({
  entryPoints: nodeEntries,
  outdir: join(root, 'dist'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
