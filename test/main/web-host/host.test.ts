// The web host as a real process (dist/main/web-host.mjs) on a temp data folder: the page with its CSP, the
// API socket that only its own page with the token may open, calls and pushes over it, exported files as
// downloads, and a clean stop on SIGTERM that frees the data folder for the next host.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureMainBuilt } from '../core/built';
import {
  FIXTURE_PAGE,
  FIXTURE_SCRIPT,
  createRendererFixture,
  messagesOf,
  startHostProcess,
  tryConnect,
  type HostProcess,
} from './host-process';

const folders: string[] = [];
const hosts: HostProcess[] = [];
let rendererDir = '';

function tempFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tb-web-host-'));
  folders.push(dir);
  return dir;
}

async function startHost(dataDir = tempFolder()): Promise<HostProcess> {
  const host = await startHostProcess({ dataDir, rendererDir });
  hosts.push(host);
  return host;
}

/** A raw GET (no URL normalisation, any Host header), for what a browser would never send. */
function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, method: 'GET' }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(() => {
  ensureMainBuilt();
  const fixture = createRendererFixture();
  rendererDir = fixture.rendererDir;
  folders.push(fixture.base);
});

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop()));
});

afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe('the web host', () => {
  it('prints its loopback address with a fresh 32-byte token', async () => {
    const first = await startHost();
    const second = await startHost();
    for (const host of [first, second]) {
      expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(host.token, 'base64url')).toHaveLength(32);
    }
    expect(first.token).not.toBe(second.token);
  });

  it('serves the renderer with its content types and a strict CSP, and nothing outside it', async () => {
    const host = await startHost();
    const page = await fetch(`${host.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toBe(FIXTURE_PAGE);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("style-src 'self';"); // inline style attributes only (style-src-attr), never <style>
    expect(csp.split('; ').filter((directive) => directive.includes('unsafe-inline'))).toEqual(["style-src-attr 'unsafe-inline'"]);
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.port}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');

    const script = await fetch(`${host.origin}/assets/app-1234.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect(await script.text()).toBe(FIXTURE_SCRIPT);

    expect((await fetch(`${host.origin}/assets/missing.js`)).status).toBe(404);
    // A place in the app (no extension) is answered by the page.
    expect(await (await fetch(`${host.origin}/boards/some-board`)).text()).toBe(FIXTURE_PAGE);
    // Paths out of the renderer folder never reach a file there.
    const escapes = ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/..%5c..%5csecret.txt', '/assets/link.txt', '/.hidden.js'];
    for (const path of escapes) {
      const answer = await rawGet(host.port, path);
      expect(answer.status, path).toBe(404);
    }
    // A page asked for under another host name (DNS rebinding) is refused.
    expect((await rawGet(host.port, '/', { Host: `evil.example:${host.port}` })).status).toBe(403);
    expect((await fetch(`${host.origin}/`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses an API socket without the token, with a wrong token, or from a foreign origin (no upgrade)', async () => {
    const host = await startHost();
    const wrongToken = `${host.token.slice(0, -1)}${host.token.endsWith('A') ? 'B' : 'A'}`;
    const refusals: [string, string | undefined, number][] = [
      [host.apiUrl, host.origin, 401],
      [`${host.apiUrl}?token=`, host.origin, 401],
      [`${host.apiUrl}?token=${wrongToken}`, host.origin, 401],
      [`${host.apiUrl}?token=${host.token}x`, host.origin, 401],
      [`${host.apiUrl}?token=${host.token}`, 'http://evil.example', 403],
      [`${host.apiUrl}?token=${host.token}`, `http://127.0.0.1:${host.port + 1}`, 403],
      [`${host.apiUrl}?token=${host.token}`, undefined, 403],
      [`${host.apiUrl.replace('/api', '/other')}?token=${host.token}`, host.origin, 404],
    ];
    for (const [url, origin, status] of refusals) {
      expect(await tryConnect(url, origin), `${url} from ${origin ?? 'no origin'}`).toEqual({ status });
    }
  });

  it('accepts its own page with the token: calls round-trip and pushes arrive', async () => {
    const host = await startHost();
    const attempt = await tryConnect(`${host.apiUrl}?token=${host.token}`, host.origin);
    if (!('socket' in attempt)) throw new Error(`refused with ${attempt.status}`);
    const socket = attempt.socket;
    const messages = messagesOf(socket);

    socket.send(JSON.stringify({ type: 'call', id: 1, command: 'board.create', input: { name: 'Over the socket' } }));
    const created = await messages.next((m) => m['type'] === 'result' && m['id'] === 1);
    expect(created).toMatchObject({ result: { ok: true, value: { name: 'Over the socket' } } });
    const boardId = (created as { result: { value: { id: string } } }).result.value.id;
    const push = await messages.next((m) => m['type'] === 'push');
    expect(push).toMatchObject({ push: { topic: expect.stringMatching(/^(board|account)\.changed$/) } });
    await messages.next((m) => m['type'] === 'push' && (m['push'] as { topic: string }).topic === 'board.changed');

    socket.send(JSON.stringify({ type: 'call', id: 2, command: 'board.get', input: { boardId } }));
    expect(await messages.next((m) => m['id'] === 2)).toMatchObject({ result: { ok: true, value: { board: { id: boardId } } } });
    socket.send(JSON.stringify({ type: 'call', id: 3, command: 'board.create', input: { name: 42 } }));
    expect(await messages.next((m) => m['id'] === 3)).toMatchObject({ result: { ok: false, error: { code: 'invalid_input' } } });

    // A message that is not a call closes the socket (a policy violation).
    const closed = new Promise<number>((resolve) => socket.once('close', (code: number) => resolve(code)));
    socket.send('not json');
    expect(await closed).toBe(1007);
  });

  it('serves an exported file as a download to the token holder only', async () => {
    const host = await startHost();
    const attempt = await tryConnect(`${host.apiUrl}?token=${host.token}`, host.origin);
    if (!('socket' in attempt)) throw new Error(`refused with ${attempt.status}`);
    const messages = messagesOf(attempt.socket);
    attempt.socket.send(JSON.stringify({ type: 'call', id: 1, command: 'diagnostics.export', input: {} }));
    const exported = (await messages.next((m) => m['id'] === 1)) as { result: { ok: true; value: { fileName: string; path: string } } };
    const { fileName, path } = exported.result.value;
    attempt.socket.close();

    expect((await fetch(`${host.origin}/exports/${fileName}`)).status).toBe(401);
    expect((await fetch(`${host.origin}/exports/${fileName}?token=wrong`)).status).toBe(401);
    const download = await fetch(`${host.origin}/exports/${fileName}?token=${host.token}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${fileName}"`);
    expect(await download.text()).toBe(readFileSync(path, 'utf8'));
    expect((await fetch(`${host.origin}/exports/..%2fdevice.json?token=${host.token}`)).status).toBe(404);
    expect((await fetch(`${host.origin}/exports/device.json`, { headers: { Authorization: `Bearer ${host.token}` } })).status).toBe(404);
  });

  it('stops on SIGTERM releasing the data folder, and a new host on it finds the data', async () => {
    const dataDir = tempFolder();
    const first = await startHost(dataDir);
    const attempt = await tryConnect(`${first.apiUrl}?token=${first.token}`, first.origin);
    if (!('socket' in attempt)) throw new Error(`refused with ${attempt.status}`);
    const messages = messagesOf(attempt.socket);
    attempt.socket.send(JSON.stringify({ type: 'call', id: 1, command: 'board.create', input: { name: 'Survives a restart' } }));
    await messages.next((m) => m['id'] === 1);

    // While the first host runs, a second one cannot open the folder and says who holds it.
    const refused = await startHost(dataDir);
    expect(refused.url).toBe('');
    expect(await refused.exited).toEqual({ code: 1, signal: null });
    expect(refused.stderr()).toContain(`is in use by process ${first.child.pid}`);

    const socketClosed = new Promise<number>((resolve) => attempt.socket.once('close', (code: number) => resolve(code)));
    expect(await first.stop()).toEqual({ code: 0, signal: null });
    expect(await socketClosed).toBe(1001);
    expect(first.stderr()).toContain('the data folder is released');

    const second = await startHost(dataDir);
    expect(second.url).not.toBe('');
    expect(second.token).not.toBe(first.token);
    const again = await tryConnect(`${second.apiUrl}?token=${second.token}`, second.origin);
    if (!('socket' in again)) throw new Error(`refused with ${again.status}`);
    const secondMessages = messagesOf(again.socket);
    again.socket.send(JSON.stringify({ type: 'call', id: 7, command: 'board.list', input: {} }));
    expect(await secondMessages.next((m) => m['id'] === 7)).toMatchObject({ result: { ok: true, value: [{ name: 'Survives a restart' }] } });
    again.socket.close();
    // The old token means nothing to the new host.
    expect(await tryConnect(`${second.apiUrl}?token=${first.token}`, second.origin)).toEqual({ status: 401 });
  });
});
