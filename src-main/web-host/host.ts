// The web host (DESIGN.md, "Running where Electron cannot download"): the built renderer and the core's API
// on loopback, for browsers, end-to-end tests and headless use. One HTTP server on 127.0.0.1 serves
//   GET /              the renderer (static-files.ts), with a strict CSP;
//   GET /api           a WebSocket carrying the API contract's call, result and push messages;
//   GET /exports/NAME  a file the core exported (audit log, diagnostics), as a download.
// The API and the exports need the random token the host was started with (the page gets it in its URL's
// fragment, which browsers never send); a socket must also come from the host's own page (Origin), and
// every request must name the host itself (Host: no DNS-rebinding tricks).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { PushMessage, ResultMessage } from '../../shared/api';
import { EXPORTS_FOLDER } from '../api/exports';
import type { CoreClient } from '../core/client';
import { parseCallMessage } from '../core/protocol';
import { createStaticFiles, securityHeaders } from './static-files';

/** The host always listens on loopback only. */
export const HOST = '127.0.0.1';
/** The largest message a socket may send (a 64 KiB comment is far below it, however it is escaped). */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** Close code sent to sockets when the host stops. */
const GOING_AWAY = 1001;

export type WebHostOptions = {
  core: Pick<CoreClient, 'call' | 'onPush' | 'dataDir'>;
  /** The folder of the built renderer (dist/renderer). */
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
};

export type WebHost = {
  readonly port: number;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** The secret every API connection must present. */
  readonly token: string;
  /** What to open in a browser: the origin with the token in the fragment. */
  readonly url: string;
  /** Closes every socket and stops listening (the core is the caller's to close). */
  close(): Promise<void>;
};

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const server = createServer();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  // Listen first: the port is part of the CSP, the own origin and the host names checked below. No request
  // is handled before the handlers are attached (they arrive from I/O, after this function continues).
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: HOST, port: options.port ?? 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The web host is not listening on a TCP port.');
  const port = address.port;
  const origin = `http://${HOST}:${port}`;
  const headers = securityHeaders(port);
  const files = createStaticFiles(options.rendererDir, headers);
  let isClosing = false;

  const ownHosts = [`${HOST}:${port}`, `localhost:${port}`];
  const ownOrigins = ownHosts.map((host) => `http://${host}`);
  const isOwnHost = (request: IncomingMessage): boolean => ownHosts.includes(request.headers.host ?? '');
  const hasToken = (presented: string | null | undefined): boolean => {
    if (!presented) return false;
    const bytes = Buffer.from(presented);
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };
  const bearerOf = (request: IncomingMessage): string | undefined => /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];

  function sendText(response: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
    response.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
    response.end(text);
  }

  async function onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!isOwnHost(request)) return sendText(response, 403, 'This host answers only to its own address.\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendText(response, 405, 'Method not allowed.\n', { Allow: 'GET, HEAD' });
    const url = new URL(request.url ?? '/', origin);
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return sendText(response, 400, 'Bad path.\n');
    }
    if (pathname === '/api') return sendText(response, 426, 'The API is a WebSocket.\n', { Upgrade: 'websocket' });
    if (pathname.startsWith('/exports/')) {
      if (!hasToken(url.searchParams.get('token') ?? bearerOf(request))) return sendText(response, 401, 'A valid token is required.\n');
      return serveExport(request, response, pathname.slice('/exports/'.length));
    }
    return files.serve(request, response, pathname);
  }

  async function serveExport(request: IncomingMessage, response: ServerResponse, name: string): Promise<void> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._~-]{0,254}$/.test(name)) return sendText(response, 404, 'Not found.\n');
    const path = join(options.core.dataDir, EXPORTS_FOLDER, name);
    const stats = await stat(path).catch(() => undefined);
    if (!stats?.isFile()) return sendText(response, 404, 'Not found.\n');
    response.writeHead(200, {
      ...headers,
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(stats.size),
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
    });
    if (request.method === 'HEAD') return void response.end();
    await pipeline(createReadStream(path), response).catch(() => response.destroy());
  }

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    onRequest(request, response).catch(() => {
      if (!response.headersSent) sendText(response, 500, 'The web host failed to answer.\n');
      else response.destroy();
    });
  });

  /** Answers an upgrade request with a plain HTTP refusal and hangs up: no WebSocket is opened. */
  function refuse(socket: Duplex, status: number, reason: string): void {
    const body = `${reason}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      () => socket.destroy(),
    );
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (isClosing) return refuse(socket, 503, 'The web host is shutting down.');
    if (!isOwnHost(request)) return refuse(socket, 403, 'This host answers only to its own address.');
    const url = new URL(request.url ?? '/', origin);
    if (url.pathname !== '/api') return refuse(socket, 404, 'Not found.');
    if (!hasToken(url.searchParams.get('token') ?? bearerOf(request))) return refuse(socket, 401, 'A valid token is required.');
    if (!ownOrigins.includes(request.headers.origin ?? '')) return refuse(socket, 403, 'Connections are accepted only from the host’s own page.');
    sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws));
  });

  function send(ws: WebSocket, message: ResultMessage | PushMessage): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch {
      if (message.type !== 'result') return;
      const failure: ResultMessage = {
        type: 'result',
        id: message.id,
        result: { ok: false, error: { code: 'internal', message: 'Trailboard could not send this answer.' } },
      };
      text = JSON.stringify(failure);
    }
    ws.send(text);
  }

  function serveSocket(ws: WebSocket): void {
    ws.on('error', () => ws.terminate());
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return ws.close(1003, 'Text messages only.');
      let parsed: unknown;
      try {
        parsed = JSON.parse(textOf(data));
      } catch {
        return ws.close(1007, 'Messages are JSON.');
      }
      const call = parseCallMessage(parsed);
      if (!call) return ws.close(1008, 'Only call messages are accepted.');
      void options.core.call(call.command, call.input).then((result) => send(ws, { type: 'result', id: call.id, result }));
    });
  }

  const stopPushes = options.core.onPush((push) => {
    for (const ws of sockets.clients) send(ws, { type: 'push', push });
  });


  async function close(): Promise<void> {
    if (isClosing) return;
    isClosing = true;
    stopPushes();
    const open = [...sockets.clients];
    const closed = Promise.all(open.map((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve()))));
    for (const ws of open) ws.close(GOING_AWAY, 'The Trailboard web host is shutting down.');
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)))]);
    clearTimeout(timer);
    for (const ws of sockets.clients) ws.terminate();
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await stopped;
    sockets.close();
  }

  return { port, origin, token, url: `${origin}/#token=${token}`, close };
}

function textOf(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
