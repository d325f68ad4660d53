// Adopting the data folder this process already holds (adoptHeldDataFolder): what each account thread of the
// core does instead of taking the lock. Refused, taking nothing, unless the holder file names this process
// AND the lock is held; adopting never frees the lock; another process stays refused meanwhile. (A worker
// thread adopting the folder this thread holds, and serving an account on it, is in
// test/main/core/account-thread.test.ts.)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adoptHeldDataFolder,
  holdDataFolder,
  LOCK_HOLDER_FILE_NAME,
  SQLiteStorageError,
} from '../../../../src-main/store/sqlite-storage';
import { ensureChildrenBuilt, killChild, startChild, type LineChild, useCleanups } from './durability-harness';
import { openItems, type TryResult } from './durability-schema';

const { cleanups, tempFolder } = useCleanups();

async function tryFromAnotherProcess(folder: string): Promise<TryResult> {
  const child = startChild('lock-holder', ['try', folder, 'main']);
  const line = await child.waitForLine((l) => l.startsWith('RESULT '), 30_000);
  await child.closed;
  return JSON.parse(line.slice('RESULT '.length)) as TryResult;
}

function refusal(act: () => unknown): SQLiteStorageError {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(SQLiteStorageError);
    return error as SQLiteStorageError;
  }
  throw new Error('expected adoptHeldDataFolder to refuse');
}

describe('adopting the held data folder', () => {
  beforeAll(() => ensureChildrenBuilt(['lock-holder']));

  it('refuses a folder nobody holds, and takes no lock', async () => {
    const folder = tempFolder('adopt-free');
    const error = refusal(() => adoptHeldDataFolder(folder));
    expect(error.code).toBe('unavailable');
    expect(error.message).toMatch(/Cannot adopt the data folder .* held by no process, not by this process/);
    expect(existsSync(join(folder, LOCK_HOLDER_FILE_NAME))).toBe(false);
    expect(await tryFromAnotherProcess(folder)).toEqual({ ok: true });
  });

  it('refuses a folder whose holder file names this process while no thread holds the lock', () => {
    const folder = tempFolder('adopt-stale');
    // As an earlier holder of this process might have left it.
    writeFileSync(join(folder, LOCK_HOLDER_FILE_NAME), JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() }));
    const error = refusal(() => adoptHeldDataFolder(folder));
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('no thread of this process holds its lock');
    // The probe left the folder free: this realm takes it as usual.
    const release = holdDataFolder(folder);
    release();
  });

  it('refuses a folder another process holds, naming it', async () => {
    const folder = tempFolder('adopt-other');
    const holder: LineChild = startChild('lock-holder', ['hold', folder, 'main']);
    cleanups.push(async () => {
      await killChild(holder);
    });
    const ready = await holder.waitForLine((line) => line.startsWith('READY '), 30_000);
    const { pid } = JSON.parse(ready.slice('READY '.length)) as { pid: number };
    const error = refusal(() => adoptHeldDataFolder(folder));
    expect(error.code).toBe('locked');
    expect(error.message).toContain(`process ${pid}`);
    expect(error.message).toContain(`not by this process (pid ${process.pid})`);
  });

  it('shares a folder this process holds, never frees its lock, and another process stays refused', async () => {
    const folder = tempFolder('adopt-held');
    const release = holdDataFolder(folder);
    const holderFile = readFileSync(join(folder, LOCK_HOLDER_FILE_NAME), 'utf8');
    const releaseAdopted = adoptHeldDataFolder(folder);
    const items = await openItems(folder, 'main');
    await items.close();
    releaseAdopted();
    releaseAdopted(); // releasing twice releases once
    expect(readFileSync(join(folder, LOCK_HOLDER_FILE_NAME), 'utf8')).toBe(holderFile);
    const whileHeld = await tryFromAnotherProcess(folder);
    expect(whileHeld.ok).toBe(false);
    if (!whileHeld.ok) {
      expect(whileHeld.error.code).toBe('locked');
      expect(whileHeld.error.message).toContain(String(process.pid));
    }
    release();
    expect(existsSync(join(folder, LOCK_HOLDER_FILE_NAME))).toBe(false);
    expect(await tryFromAnotherProcess(folder)).toEqual({ ok: true });
  });
});
