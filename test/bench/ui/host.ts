/**
 * The subject's server: the real web host (`node dist/main/web-host.mjs --data-dir DIR --port 0`) as a child process,
 * timed from the spawn to the address it prints on stdout (its one stdout line, printed once the core thread has
 * opened the data folder and its account and the server listens). Also a small Node client for its WebSocket API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import type { CommandName, InputOf, OutputOf, Result } from '../../../shared/api';

export type RunningHost = {
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly pid: number;
  /** performance.timeOrigin + performance.now() of this process when the child was spawned and when its URL was read. */
  readonly spawnedAt: number;
  readonly urlAt: number;
  /** SIGTERM, then waits for the exit (the host closes its sockets and the core, releasing the data folder). */
  stop(): Promise<void>;
};

/** Epoch milliseconds with sub-millisecond precision (comparable with a page's timeOrigin + performance.now()). */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** A file built into dist/main/ (the repository's, whether this runs bundled from dist/bench/ or from source). */
export function builtMainFile(name: string): string {
  const here = fileURLToPath(import.meta.url);
  const marker = `${sep}dist${sep}bench${sep}`;
  const at = here.lastIndexOf(marker);
  const root = at >= 0 ? here.slice(0, at) : fileURLToPath(new URL('../../..', import.meta.url));
  const entry = join(root, 'dist', 'main', name);
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build`);
  return entry;
}

export function webHostEntry(): string {
  return builtMainFile('web-host.mjs');
}

/** Runs `node ...args` to its end and answers how long it took, ms (it must exit 0). */
export function timeNode(args: readonly string[]): Promise<number> {
  const start = performance.now();
  const child = spawn(process.execPath, [...args], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(performance.now() - start);
      else reject(new Error(`node ${args.join(' ')} exited with ${code}`));
    });
  });
}

export function startHost(dataDir: string, log: (message: string) => void): Promise<RunningHost> {
  const spawnedAt = epochNow();
  const child: ChildProcess = spawn(process.execPath, [webHostEntry(), '--data-dir', dataDir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    const onExit = (code: number | null): void => reject(new Error(`the web host exited (${code}) before printing its address:\n${stderr}`));
    child.once('exit', onExit);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      const urlAt = epochNow();
      child.off('exit', onExit);
      const url = stdout.slice(0, newline).trim();
      const parsed = new URL(url);
      const token = new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '';
      resolve({
        url,
        origin: parsed.origin,
        token,
        pid: child.pid ?? -1,
        spawnedAt,
        urlAt,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const timer = setTimeout(() => {
            log(`web host ${child.pid} did not stop within 20 s; killing it`);
            child.kill('SIGKILL');
          }, 20_000);
          await exited;
          clearTimeout(timer);
        },
      });
    });
  });
}

export type ApiClient = {
  call<C extends CommandName>(command: C, input: InputOf<C>): Promise<Result<OutputOf<C>>>;
  close(): void;
};

/** A WebSocket client of the host's API, as the page would connect (token and the host's own Origin). */
export async function connectApi(host: RunningHost): Promise<ApiClient> {
  const ws = new WebSocket(`${host.origin.replace(/^http/, 'ws')}/api?token=${encodeURIComponent(host.token)}`, {
    headers: { Origin: host.origin },
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const pending = new Map<number, (result: Result<unknown>) => void>();
  let nextId = 1;
  ws.on('message', (data) => {
    const message: unknown = JSON.parse(String(data));
    if (typeof message !== 'object' || message === null || !('type' in message) || message.type !== 'result') return;
    if (!('id' in message) || typeof message.id !== 'number' || !('result' in message)) return;
    const answer = pending.get(message.id);
    pending.delete(message.id);
    // The host sends the core's Result for the call.
    answer?.(message.result as Result<unknown>);
  });
  return {
    call<C extends CommandName>(command: C, input: InputOf<C>): Promise<Result<OutputOf<C>>> {
      const id = nextId++;
      return new Promise((resolve) => {
        // The answer is the command's output (the contract).
        pending.set(id, (result) => resolve(result as Result<OutputOf<C>>));
        ws.send(JSON.stringify({ type: 'call', id, command, input }));
      });
    },
    close: () => ws.close(),
  };
}
