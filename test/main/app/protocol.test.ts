// The app's scheme handler on real files in a temporary folder: it answers the renderer's files with the
// CSP, and nothing outside that folder, on another host, or by another method.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_SCHEME, CONTENT_SECURITY_POLICY } from '../../../src-main/app/own-page';
import { registerAppScheme, respond, serveRenderer } from '../../../src-main/app/protocol';
import { asSession, protocol, StandInSession } from './electron-stand-in';

vi.mock('electron', () => import('./electron-stand-in'));

let dir: string;
let rendererDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailboard-protocol-'));
  rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Trailboard</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(rendererDir, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(dir, 'secret.html'), 'outside the renderer');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => respond(new Request(url, { method }), rendererDir);

describe('the app scheme', () => {
  it('is registered as a standard, secure scheme', () => {
    registerAppScheme();
    expect(protocol.privileged).toContainEqual({ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } });
  });

  it('serves index.html for / and /index.html, with the CSP and nosniff', async () => {
    for (const url of ['app://trailboard/', 'app://trailboard/index.html', 'app://trailboard/index.html?x#y']) {
      const response = await get(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.text()).toContain('<title>Trailboard</title>');
    }
  });

  it('serves the assets with their types', async () => {
    const script = await get('app://trailboard/assets/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
    expect((await get('app://trailboard/assets/app.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('never answers a file outside the renderer folder', async () => {
    for (const url of ['app://trailboard/..%2Fsecret.html', 'app://trailboard/assets/..%2F..%2Fsecret.html', 'app://trailboard/%2e%2e/secret.html']) {
      const response = await get(url);
      expect(response.status).not.toBe(200);
      expect(await response.text()).not.toContain('outside the renderer');
    }
  });

  it('answers 404 for missing files, unknown types and other hosts; 405 for other methods', async () => {
    expect((await get('app://trailboard/missing.js')).status).toBe(404);
    expect((await get('app://trailboard/assets')).status).toBe(404);
    expect((await get('app://other/index.html')).status).toBe(404);
    expect((await get('app://trailboard/index.html', 'POST')).status).toBe(405);
    expect((await get('app://trailboard/index.html', 'HEAD')).status).toBe(200);
  });

  it('is served on a session through its protocol handler', async () => {
    const session = new StandInSession();
    serveRenderer(asSession(session), rendererDir);
    const handler = session.protocolHandlers.get(APP_SCHEME);
    if (!handler) throw new Error('no handler');
    expect((await handler(new Request('app://trailboard/index.html'))).status).toBe(200);
  });
});
