// Runs the built web host (dist/main/web-host.mjs) as a real process for tests, on a temp data folder and a
// tiny renderer fixture (the real renderer is built by Vite; these tests need only a page and an asset).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { WEB_HOST_FILE } from '../core/built';

export const FIXTURE_PAGE = '<!doctype html><html lang="en"><title>Trailboard fixture</title><script type="module" src="/assets/app-1234.js"></script></html>\n';
export const FIXTURE_SCRIPT = 'document.title = "fixture";\n';

/**
 * `<base>/renderer/` with index.html and one hashed asset, a `<base>/secret.txt` beside it that must never be
 * served, and a symlink to it inside the renderer folder (`assets/link.txt`).
 */
export function createRendererFixture(): { base: string; rendererDir: string } {
  const base = mkdtempSync(join(tmpdir(), 'tb-renderer-'));
  const rendererDir = join(base, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), FIXTURE_PAGE);
  writeFileSync(join(rendererDir, 'assets', 'app-1234.js'), FIXTURE_SCRIPT);
  writeFileSync(join(base, 'secret.txt'), 'secret\n');
  symlinkSync(join(base, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'));
  return { base, rendererDir };
}

export type HostExit = { code: number | null; signal: NodeJS.Signals | null };

export type HostProcess = {
  readonly child: ChildProcess;
  /** The printed address, `http://127.0.0.1:PORT/#token=…` (empty if the host never printed one). */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  /** `ws://127.0.0.1:PORT/api` */
  readonly apiUrl: string;
  stderr(): string;
  readonly exited: Promise<HostExit>;
  /** Sends SIGTERM and waits for the process to end. */
  stop(): Promise<HostExit>;
};

/**
 * Starts the host and resolves once it printed its address, or once it exited without printing one (a host
 * that could not start: see `stderr()` and `exited`).
 */
export function startHostProcess(options: { dataDir: string; rendererDir: string; port?: number }): Promise<HostProcess> {
  const child = spawn(
    process.execPath,
    [WEB_HOST_FILE, '--data-dir', options.dataDir, '--renderer-dir', options.rendererDir, '--port', String(options.port ?? 0)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<HostExit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve) => {
    const finish = (url: string): void => {
      const match = /^(http:\/\/127\.0\.0\.1:(\d+))\/#token=([A-Za-z0-9_-]+)$/.exec(url);
      const origin = match?.[1] ?? '';
      resolve({
        child,
        url,
        origin,
        port: Number(match?.[2] ?? 0),
        token: match?.[3] ?? '',
        apiUrl: origin.replace(/^http/, 'ws') + '/api',
        stderr: () => stderr,
        exited,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline >= 0) finish(stdout.slice(0, newline));
    });
    void exited.then(() => finish(''));
  });
}

export type Attempt = { status: number } | { socket: WebSocket };

/** Tries to open the API socket; resolves with the HTTP status of a refusal, or the open socket. */
export function tryConnect(url: string, origin: string | undefined): Promise<Attempt> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, origin === undefined ? {} : { origin });
    socket.once('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode ?? 0 });
      response.resume();
      socket.terminate();
    });
    socket.once('open', () => resolve({ socket }));
    socket.once('error', reject);
  });
}

/** The open socket's messages, parsed, as they arrive. */
export function messagesOf(socket: WebSocket): { all: unknown[]; next(match: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> } {
  const all: unknown[] = [];
  const waiters: { match: (message: Record<string, unknown>) => boolean; resolve: (message: Record<string, unknown>) => void }[] = [];
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as Record<string, unknown>;
    all.push(message);
    for (const waiter of [...waiters]) {
      if (!waiter.match(message)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(message);
    }
  });
  return {
    all,
    next(match) {
      const seen = all.find((message): message is Record<string, unknown> => match(message as Record<string, unknown>));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching message within 10 s')), 10_000);
        waiters.push({ match, resolve: (message) => (clearTimeout(timer), resolve(message)) });
      });
    },
  };
}
