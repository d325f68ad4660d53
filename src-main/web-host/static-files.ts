// The built renderer (dist/renderer), served read-only with the right content types and the page's
// security headers. Only files under the root are served: no `..`, no dot files, no symlinks out of it.
import { createReadStream, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The page's Content Security Policy: scripts and style sheets only from the host itself (no inline script,
 * no eval, so no ajv in the renderer), the API socket on this very origin, no framing, no forms, no plugins.
 * Inline style attributes are allowed as the page's own policy allows them (src-renderer/index.html):
 * both policies apply, and the web host must not be stricter than the Electron window on the same page.
 */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "manifest-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Headers every answer of the host carries. */
export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  };
}

export type StaticFiles = {
  /** Answers a GET or HEAD for a file of the renderer. */
  serve(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void>;
};

export function createStaticFiles(root: string, headers: Record<string, string>): StaticFiles {
  const rootPath = resolve(root);
  let realRoot: Promise<string> | undefined;

  function send(response: ServerResponse, status: number, text: string): void {
    response.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end(text);
  }

  async function find(pathname: string): Promise<{ path: string; stats: Stats } | undefined> {
    const relative = pathname === '/' ? 'index.html' : pathname.slice(1);
    const segments = relative.split('/');
    if (segments.some((segment) => segment === '' || segment.startsWith('.') || segment.includes('\\') || segment.includes('\0'))) {
      return undefined;
    }
    const path = join(rootPath, ...segments);
    try {
      const [real, base] = await Promise.all([realpath(path), (realRoot ??= realpath(rootPath))]);
      if (!real.startsWith(base + sep)) return undefined;
      const stats = await stat(real);
      return stats.isFile() ? { path: real, stats } : undefined;
    } catch {
      return undefined;
    }
  }

  async function serve(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void> {
    let found = await find(pathname);
    // A path with no extension is a place in the app (a reload of a deep link): the page answers it.
    if (!found && extname(pathname) === '') found = await find('/');
    if (!found) {
      const index = await find('/');
      if (!index && pathname === '/') send(response, 503, 'The Trailboard renderer is not built: run `npm run build` and start the host again.\n');
      else send(response, 404, 'Not found.\n');
      return;
    }
    const isHashedAsset = pathname.startsWith('/assets/');
    response.writeHead(200, {
      ...headers,
      'Content-Type': contentTypeOf(found.path),
      'Content-Length': String(found.stats.size),
      'Cache-Control': isHashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    try {
      await pipeline(createReadStream(found.path), response);
    } catch {
      response.destroy(); // the file went away, or the browser hung up
    }
  }

  return { serve };
}
