// One TypeScript project per runtime makes a wrong import a compile error, not only a lint error. This
// copies the real tsconfig files into a temporary tree with a few tiny modules, puts one renderer file in
// it, and runs `tsc -b src-renderer` there (the repository itself is never touched).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let tree: string;

function write(path: string, text: string): void {
  mkdirSync(dirname(join(tree, path)), { recursive: true });
  writeFileSync(join(tree, path), text);
}

beforeAll(() => {
  tree = mkdtempSync(join(tmpdir(), 'trailboard-layering-'));
  for (const config of ['tsconfig.base.json', 'shared/tsconfig.json', 'shared/node/tsconfig.json', 'src-main/tsconfig.json', 'src-server/tsconfig.json', 'src-renderer/tsconfig.json']) {
    mkdirSync(dirname(join(tree, config)), { recursive: true });
    copyFileSync(join(root, config), join(tree, config));
  }
  symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'), 'dir');
  write('shared/titles.ts', `export const appTitle = 'Trailboard';\n`);
  write('shared/node/files.ts', `import { readFileSync } from 'node:fs';\nexport const read = (p: string) => readFileSync(p, 'utf8');\n`);
  write('src-main/core.ts', `export const startCore = () => 'started';\n`);
  write('src-server/routes.ts', `export const routes = ['pull', 'push'];\n`);
});

afterAll(() => {
  rmSync(tree, { recursive: true, force: true });
});

/** Builds the renderer project with `code` as its only file; returns tsc's exit code and output. */
function buildRenderer(code: string): { status: number | null; output: string } {
  write('src-renderer/view.ts', code);
  const run = spawnSync(process.execPath, [tsc, '-b', 'src-renderer'], { cwd: tree, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('renderer TypeScript project', () => {
  it('compiles a renderer file that uses the DOM and imports shared/', () => {
    const result = buildRenderer(`import { appTitle } from '../shared/titles';\nexport const title: string = document.title || appTitle;\n`);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it.each([
    ['node:fs', `import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n`, /view\.ts.*error TS2307: Cannot find module 'node:fs'/],
    ['a node global', `export const home = process.env['HOME'];\n`, /view\.ts.*error TS25(80|91): Cannot find name 'process'/],
    ['shared/node', `import { read } from '../shared/node/files';\nexport const a = read;\n`, /error TS6307: File '.*shared\/node\/files\.ts' is not listed within the file list of project/],
    ['src-main', `import { startCore } from '../src-main/core';\nexport const a = startCore;\n`, /error TS6307: File '.*src-main\/core\.ts' is not listed within the file list of project/],
    ['src-server', `import { routes } from '../src-server/routes';\nexport const a = routes;\n`, /error TS6307: File '.*src-server\/routes\.ts' is not listed within the file list of project/],
  ])('refuses to compile a renderer file that uses %s', (_what, code, error) => {
    const result = buildRenderer(code);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(error);
  });
});
