/**
 * A Chromium driven over a bare DevTools protocol connection that never enables the Network domain, for the
 * ui benchmark whose target is checked there (the board opening). Playwright enables that domain on every
 * page it drives; DevTools then sends each WebSocket frame's payload as an event, serialised on the page's
 * main thread at the end of the task that received it: after the 3.6 MB answer of a 5,000-card board (as it
 * was before the board carried only what its tiles show) the page could run nothing for 20 to 30 ms
 * (measured: next task 1 ms after such a message without the domain, 44 to 89 ms with it). The reference
 * (no WebSocket) never pays that, and neither does a person using the app.
 *
 * Here: the same Chromium binary and flags, its own profile folder, one page, commands answered in order
 * of their ids. The reference page is served by a local HTTP server instead of `page.route`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize, sep } from 'node:path';
import { WebSocket } from 'ws';
import { contentTypeOf } from './fixture';

export type RawPage = {
  /** Evaluates an expression in the page (awaiting a promise) and answers its value (JSON-safe). */
  evaluate<T>(expression: string): Promise<T>;
  /** Polls `expression` until it is truthy (every 50 ms, at most `timeoutMs`). */
  waitFor(expression: string, timeoutMs?: number): Promise<void>;
  /** Loads `url` in a new document (about:blank first, so a URL differing only by its fragment reloads too). */
  goto(url: string): Promise<void>;
  /** Runs `source` in every new document before its own scripts; replaces the previous one. */
  setInitScript(source: string): Promise<void>;
};

export type RawChromium = {
  readonly page: RawPage;
  close(): Promise<void>;
};

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export async function launchRawChromium(options: { executablePath: string; args: readonly string[]; viewport: { width: number; height: number } }): Promise<RawChromium> {
  const profile = mkdtempSync(join(tmpdir(), 'tb-bench-chromium-'));
  const child: ChildProcess = spawn(
    options.executablePath,
    [...options.args, '--remote-debugging-port=0', `--user-data-dir=${profile}`, `--window-size=${options.viewport.width},${options.viewport.height}`, 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const browserUrl = await new Promise<string>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error('Chromium printed no DevTools address within 30 s')), 30_000);
      child.once('exit', (code) => reject(new Error(`Chromium exited (${code}) before printing its DevTools address`)));
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        text = (text + chunk).slice(-8000);
        const match = /DevTools listening on (ws:\/\/\S+)/.exec(text);
        if (!match?.[1]) return;
        clearTimeout(timer);
        resolve(match[1]);
      });
    });
    const { port } = new URL(browserUrl);
    const targets = await pageTargets(port);
    const target = targets[0];
    if (!target) throw new Error('Chromium opened no page');
    const socket = new WebSocket(target.webSocketDebuggerUrl, { maxPayload: 256 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const pending = new Map<number, Pending>();
    let nextId = 1;
    socket.on('message', (data) => {
      const message: unknown = JSON.parse(String(data));
      if (typeof message !== 'object' || message === null || !('id' in message) || typeof message.id !== 'number') return;
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (!waiting) return;
      if ('error' in message) waiting.reject(new Error(`DevTools: ${JSON.stringify(message.error)}`));
      else waiting.resolve('result' in message ? message.result : undefined);
    });
    const send = (method: string, params: Record<string, unknown> = {}): Promise<unknown> =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, method, params }));
      });

    await send('Page.enable');
    await send('Emulation.setDeviceMetricsOverride', { ...options.viewport, deviceScaleFactor: 1, mobile: false });
    let initScript: string | null = null;

    const page: RawPage = {
      async evaluate<T>(expression: string): Promise<T> {
        const answer = await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
        if (!isRecord(answer)) throw new Error('Runtime.evaluate answered nothing');
        if (isRecord(answer['exceptionDetails'])) throw new Error(`in the page: ${JSON.stringify(answer['exceptionDetails']).slice(0, 600)}`);
        const result = answer['result'];
        // The expression's value, as the page computed it (returnByValue).
        return (isRecord(result) ? result['value'] : undefined) as T;
      },
      async waitFor(expression, timeoutMs = 60_000) {
        const until = performance.now() + timeoutMs;
        // While a document loads, its context may be gone between two polls: that is "not yet".
        const isTrue = () => page.evaluate<boolean>(`Boolean(${expression})`).catch(() => false);
        while (!(await isTrue())) {
          if (performance.now() > until) throw new Error(`timed out waiting for ${expression}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      },
      async goto(url) {
        await send('Page.navigate', { url: 'about:blank' });
        await page.waitFor(`location.href === 'about:blank' && document.readyState === 'complete'`);
        await send('Page.navigate', { url });
        await page.waitFor(`location.origin !== 'null' && document.readyState !== 'loading'`);
      },
      async setInitScript(source) {
        if (initScript !== null) await send('Page.removeScriptToEvaluateOnNewDocument', { identifier: initScript });
        const added = await send('Page.addScriptToEvaluateOnNewDocument', { source });
        initScript = isRecord(added) && typeof added['identifier'] === 'string' ? added['identifier'] : null;
      },
    };
    return {
      page,
      async close() {
        socket.close();
        for (const waiting of pending.values()) waiting.reject(new Error('closed'));
        pending.clear();
        child.kill('SIGTERM');
        await exited;
        rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    throw error;
  }
}

async function pageTargets(port: string): Promise<{ webSocketDebuggerUrl: string }[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const listed: unknown = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
      if (Array.isArray(listed)) {
        const pages = listed.flatMap((target: unknown) =>
          isRecord(target) && target['type'] === 'page' && typeof target['webSocketDebuggerUrl'] === 'string' ? [{ webSocketDebuggerUrl: target['webSocketDebuggerUrl'] }] : [],
        );
        if (pages.length > 0) return pages;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('Chromium listed no page target');
}

/** Serves `dir` on 127.0.0.1 (a free port); answers the server and its origin. */
export async function serveFolder(dir: string): Promise<{ origin: string; close(): Promise<void> }> {
  const root = dir.endsWith(sep) ? dir : `${dir}${sep}`;
  const server: Server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(root, pathname));
    if (!file.startsWith(root) || !existsSync(file)) {
      response.statusCode = 404;
      response.end('not found');
      return;
    }
    response.setHeader('content-type', contentTypeOf(file));
    response.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the fixture server has no port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
