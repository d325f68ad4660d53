// The electronegativity wrapper (scripts/electronegativity.mjs), run as `npm test` runs it: it passes on
// the app's shell as it is, and on small fixtures it fails on a HIGH finding (suppressed or not), on an
// unsuppressed MEDIUM one, and on a suppression without a reason or that suppresses nothing.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const script = join(root, 'scripts', 'electronegativity.mjs');

type Run = { code: number; output: string };

async function wrapper(args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, ...args], { cwd: root, timeout: 120_000 });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailboard-electronegativity-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A main process that limits navigation, handles permissions and sets a CSP: no global findings. */
const sound = `// a fixture main process
const { app, BrowserWindow, session, shell } = require('electron');
session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
  callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': ["default-src 'none'; script-src 'self'"] } });
});
session.defaultSession.setPermissionRequestHandler((contents, permission, callback) => callback(false));
app.on('web-contents-created', (event, contents) => {
  contents.on('will-navigate', (navigation) => navigation.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});
`;

async function scan(source: string): Promise<Run> {
  writeFileSync(join(dir, 'main.js'), source);
  return wrapper(['--source', dir]);
}

describe('scripts/electronegativity.mjs', () => {
  it('passes on the app’s shell and its built bundles, listing what it found', async () => {
    const run = await wrapper([]);
    expect(run.output).toMatch(/src-main\/app\/window\.ts.*dist\/main\/app\.mjs.*dist\/main\/preload\.cjs/);
    expect(run.output).toMatch(/: 0 high, \d+ medium \(\d+ suppressed with a reason\), \d+ low or informational: ok\n$/);
    expect(run.code).toBe(0);
  }, 120_000);

  it('passes on sound code', async () => {
    const run = await scan(sound);
    expect(run.output).toMatch(/\d findings: 0 high, 0 medium .*: ok\n$/);
    expect(run.code).toBe(0);
  }, 60_000);

  it('fails on a HIGH finding, even one suppressed with a reason', async () => {
    const unsafe = "new BrowserWindow({ webPreferences: { contextIsolation: false, nodeIntegration: true, sandbox: true } });";
    const plain = await scan(`${sound}${unsafe}\n`);
    expect(plain.code).toBe(1);
    expect(plain.output).toMatch(/✗ HIGH (CONTEXT_ISOLATION|NODE_INTEGRATION)_JS_CHECK at main\.js|✗ HIGH .*main\.js:11/);
    const suppressed = await scan(`${sound}${unsafe} // eng-disable CONTEXT_ISOLATION_JS_CHECK NODE_INTEGRATION_JS_CHECK -- we really mean it, honestly\n`);
    expect(suppressed.code).toBe(1);
    expect(suppressed.output).toContain('FAIL (high findings cannot be suppressed)');
  }, 60_000);

  it('fails on a MEDIUM finding that is not suppressed, and passes once it is, with a reason', async () => {
    const open = 'function open(url) { return shell.openExternal(url); }';
    const plain = await scan(`${sound}${open}\n`);
    expect(plain.code).toBe(1);
    expect(plain.output).toMatch(/✗ MEDIUM OPEN_EXTERNAL_JS_CHECK at .*main\.js:11 is not suppressed/);

    const reasoned = await scan(`${sound}${open} // eng-disable OPEN_EXTERNAL_JS_CHECK -- callers pass only https links checked upstream\n`);
    expect(reasoned.output).toContain('suppressed: callers pass only https links checked upstream');
    expect(reasoned.code).toBe(0);
  }, 60_000);

  it('fails on a suppression without a written reason', async () => {
    const run = await scan(`${sound}function open(url) { return shell.openExternal(url); } // eng-disable OPEN_EXTERNAL_JS_CHECK\n`);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/MEDIUM OPEN_EXTERNAL_JS_CHECK at .*main\.js:11 is suppressed without a written reason/);
    expect(run.output).toMatch(/eng-disable at .*main\.js:11 has no written reason/);
  }, 60_000);

  it('fails on a suppression that suppresses nothing', async () => {
    const run = await scan(`${sound}const nothing = 1; // eng-disable OPEN_EXTERNAL_JS_CHECK -- left over from code that is gone\n`);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/eng-disable at .*main\.js:11 suppresses nothing/);
  }, 60_000);
});
