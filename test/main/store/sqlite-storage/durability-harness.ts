// Parent-side helpers for the durability tests: building and starting the compiled child processes, reading
// their line protocol, temp folders, and raw node:sqlite checks of a database file.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { ensureBuiltOnce } from '../../../support/build-once';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CHILD_DIST = join(REPO_ROOT, 'dist/test/main/store/sqlite-storage');

export function childScript(name: string): string {
  return join(CHILD_DIST, `${name}.child.mjs`);
}

/**
 * Makes sure the compiled children exist and are newer than every TypeScript source, running
 * `node scripts/build.mjs` if not. Test files run in parallel workers: a lock folder serialises the builds, so
 * a child that another file is running is never rewritten under it by a needless rebuild.
 */
export function ensureChildrenBuilt(names: readonly string[]): void {
  ensureBuiltOnce({ outputs: names.map(childScript), sourceDirs: ['src-main', 'shared', 'test'] });
  for (const name of names) {
    if (!existsSync(childScript(name))) {
      throw new Error(`${childScript(name)} is missing after node scripts/build.mjs: is test/**/${name}.child.ts there?`);
    }
  }
}

export type ChildExit = { code: number | null; signal: NodeJS.Signals | null };

/** A running child process whose stdout is read as lines. */
export type LineChild = {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Complete lines (ending in a newline) received so far. */
  readonly lines: string[];
  /** Text after the last newline: a line the child was cut off in the middle of. */
  readonly partial: () => string;
  readonly stderr: () => string;
  /** Resolves once the process has exited AND its stdout and stderr have been read to the end. */
  readonly closed: Promise<ChildExit>;
  readonly hasClosed: () => boolean;
  waitForLine(predicate: (line: string) => boolean, timeoutMs: number): Promise<string>;
  send(line: string): void;
};

export type StartOptions = {
  env?: NodeJS.ProcessEnv;
  execArgv?: string[];
  uid?: number;
  gid?: number;
  cwd?: string;
};

export function startChild(name: string, args: readonly string[], options: StartOptions = {}): LineChild {
  const script = childScript(name);
  if (!existsSync(script)) throw new Error(`${script} is missing: run node scripts/build.mjs`);
  const child = spawn(process.execPath, [...(options.execArgv ?? []), script, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
    cwd: options.cwd ?? REPO_ROOT,
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  });
  if (child.pid === undefined) throw new Error(`could not start ${script}`);
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  let stderr = '';
  let isClosed = false;
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      lines.push(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
    }
    for (const wake of waiters) wake();
  });
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.on('error', () => {
    // the child may be gone already (killed): writes to its stdin then fail, which is expected
  });
  const closed = new Promise<ChildExit>((resolve) => {
    child.on('close', (code, signal) => {
      isClosed = true;
      for (const wake of waiters) wake();
      resolve({ code, signal });
    });
  });
  const pid = child.pid;
  return {
    process: child,
    pid,
    lines,
    partial: () => buffer,
    stderr: () => stderr,
    closed,
    hasClosed: () => isClosed,
    waitForLine(predicate, timeoutMs) {
      return new Promise((resolve, reject) => {
        let seen = 0;
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${name} (pid ${pid}) printed no expected line within ${timeoutMs} ms; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
        }, timeoutMs);
        const check = (): void => {
          for (; seen < lines.length; seen++) {
            const line = lines[seen]!;
            if (predicate(line)) {
              clearTimeout(timer);
              waiters.delete(check);
              resolve(line);
              return;
            }
          }
          if (isClosed) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`${name} (pid ${pid}) ended before printing the expected line; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
    send(line) {
      child.stdin.write(`${line}\n`);
    },
  };
}

/** Kills with SIGKILL (if still running) and waits until everything the child wrote has been read. */
export async function killChild(child: LineChild): Promise<ChildExit> {
  if (!child.hasClosed()) child.process.kill('SIGKILL');
  return child.closed;
}

export function createTempFolder(label: string): string {
  return mkdtempSync(join(tmpdir(), `trailboard-${label}-`));
}

export function removeTempFolder(folder: string): void {
  rmSync(folder, { recursive: true, force: true, maxRetries: 3 });
}

/**
 * Work to undo after each test of the file (registered here as an afterEach, run last first), and temp
 * folders removed then (`beforeRemove` first, e.g. to make a read-only folder writable again).
 */
export function useCleanups(beforeRemove?: (folder: string) => void): {
  cleanups: (() => Promise<void> | void)[];
  tempFolder: (label: string) => string;
} {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const tempFolder = (label: string): string => {
    const folder = createTempFolder(label);
    cleanups.push(() => {
      beforeRemove?.(folder);
      removeTempFolder(folder);
    });
    return folder;
  };
  return { cleanups, tempFolder };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `PRAGMA integrity_check` through a plain node:sqlite connection: 'ok' or SQLite's list of problems. */
export function integrityCheck(file: string): string {
  const db = new DatabaseSync(file);
  try {
    const rows = db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[];
    return rows.map((row) => row.integrity_check).join('\n');
  } finally {
    db.close();
  }
}

/** The file's stored sequence (`_trailboard_meta`, key 'seq') and the highest `seq` of a table's rows. */
export function readSequences(file: string, table: string): { metaSeq: number; maxRowSeq: number; rows: number } {
  const db = new DatabaseSync(file);
  try {
    const meta = db.prepare(`SELECT value FROM _trailboard_meta WHERE key = 'seq'`).get() as { value: number } | undefined;
    const rows = db.prepare(`SELECT max(seq) AS maxSeq, count(*) AS n FROM "${table}"`).get() as { maxSeq: number | null; n: number };
    return { metaSeq: Number(meta?.value ?? 0), maxRowSeq: Number(rows.maxSeq ?? 0), rows: Number(rows.n) };
  } finally {
    db.close();
  }
}

/** Resolves with `promise`, or rejects if it has not settled within `ms` (a hang becomes a failure, not a stuck run). */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The settled outcome of a promise, so a test can assert on a rejection's fields. */
export async function outcome<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}
