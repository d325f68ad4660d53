// Serves the built renderer (dist/renderer) on the app's own scheme, `app://trailboard/`.
//
// Why not file://: a file:// page shares its origin with every other file on the disk, and Chromium runs
// no webRequest header hooks for it, so a CSP header could not be set. A privileged standard scheme gives
// the page a real origin of its own (`'self'` in the CSP means exactly the app's files), and the handler
// below attaches the CSP to every document it answers. (webRequest does not see custom schemes either, so
// the header is set here rather than in security.ts's onHeadersReceived.)
import { protocol, type Session } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { APP_SCHEME, CONTENT_SECURITY_POLICY, isOwnOrigin } from './own-page';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Must run before the app is ready: makes `app:` a standard, secure scheme with its own origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Answers `app://trailboard/...` requests of `session` with the files under `rendererDir`. */
export function serveRenderer(session: Session, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, (request) => respond(request, rendererDir));
}

/**
 * The response to one request: the file under `rendererDir` its path names (`/` is index.html), with
 * its content type, the CSP and `nosniff`. Anything outside that folder, another host, a method other
 * than GET or HEAD, or a missing file gets an error status, never a file.
 */
export async function respond(request: Request, rendererDir: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return status(405, 'Method not allowed');
  if (!isOwnOrigin(request.url)) return status(404, 'Not found');
  let path: string;
  try {
    path = decodeURIComponent(new URL(request.url).pathname);
  } catch {
    return status(400, 'Bad request');
  }
  if (path.includes('\0')) return status(400, 'Bad request');
  const root = resolve(rendererDir);
  const file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
  if (!file.startsWith(root + sep)) return status(403, 'Forbidden');
  const type = CONTENT_TYPES[extname(file).toLowerCase()];
  if (type === undefined) return status(404, 'Not found');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return status(404, 'Not found');
  }
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: { ...securityHeaders(), 'Content-Type': type },
  });
}

function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

function status(code: number, text: string): Response {
  return new Response(text, { status: code, headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });
}
