// The data-folder lock: one process at a time owns a folder; another process gets a clear 'locked' error naming
// the holder; a lock left by a killed process is taken over; inside one process every database shares it.
import { mkdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createRxDatabase, type RxDatabase } from 'rxdb';
import { beforeAll, describe, expect, it } from 'vitest';
import { getRxStorageSQLite, LOCK_HOLDER_FILE_NAME, SQLiteStorageError } from '../../../../src-main/store/sqlite-storage';
import { ensureChildrenBuilt, killChild, outcome, startChild, type LineChild, useCleanups } from './durability-harness';
import { durableItemSchemaLiteral, openItems, type TryResult } from './durability-schema';

const { cleanups, tempFolder } = useCleanups();

async function startHolder(folder: string, databaseNames: string[]): Promise<{ child: LineChild; pid: number; host: string }> {
  const child = startChild('lock-holder', ['hold', folder, databaseNames.join(',')]);
  cleanups.push(async () => {
    await killChild(child);
  });
  const ready = await child.waitForLine((line) => line.startsWith('READY '), 30_000);
  const { pid, hostname: host } = JSON.parse(ready.slice('READY '.length)) as { pid: number; hostname: string };
  return { child, pid, host };
}

/** Opens, writes, reads and closes `databaseName` in a separate process; returns what happened there. */
async function tryFromAnotherProcess(folder: string, databaseName: string): Promise<TryResult> {
  const child = startChild('lock-holder', ['try', folder, databaseName]);
  const line = await child.waitForLine((l) => l.startsWith('RESULT '), 30_000);
  await child.closed;
  return JSON.parse(line.slice('RESULT '.length)) as TryResult;
}

function expectLockedBy(error: unknown, folder: string, holderPid: number, holderHost: string): void {
  expect(error).toBeInstanceOf(SQLiteStorageError);
  const storageError = error as SQLiteStorageError;
  expect(storageError.code).toBe('locked');
  expect(storageError.path).toBe(realpathSync(folder));
  expect(storageError.message).toContain(String(holderPid));
  expect(storageError.message).toContain(holderHost);
}

async function openDatabase(folder: string, name: string): Promise<RxDatabase> {
  const db = await createRxDatabase({ name, storage: getRxStorageSQLite({ path: folder }), multiInstance: true });
  cleanups.push(async () => {
    if (!db.closed) await db.close();
  });
  await db.addCollections({ items: { schema: durableItemSchemaLiteral() } });
  return db;
}

describe('the data-folder lock', () => {
  beforeAll(() => ensureChildrenBuilt(['lock-holder']));

  it('refuses a second process with a locked error naming the holder pid and host, for any database in the folder', async () => {
    const folder = tempFolder('lock-held');
    const holder = await startHolder(folder, ['main']);

    for (const databaseName of ['main', 'other']) {
      const attempt = await outcome(openItems(folder, databaseName));
      expect(attempt.ok, `opening ${databaseName} while another process holds the folder`).toBe(false);
      if (!attempt.ok) expectLockedBy(attempt.error, folder, holder.pid, holder.host);
    }

    // Through RxDB as the app opens it: the same error reaches the caller.
    const viaRxdb = await outcome(createRxDatabase({ name: 'main', storage: getRxStorageSQLite({ path: folder }), multiInstance: true }));
    expect(viaRxdb.ok).toBe(false);
    if (!viaRxdb.ok) expectLockedBy(viaRxdb.error, folder, holder.pid, holder.host);

    // A third process is refused the same way.
    const third = await tryFromAnotherProcess(folder, 'main');
    expect(third.ok).toBe(false);
    if (!third.ok) {
      expect(third.error).toMatchObject({ name: 'SQLiteStorageError', code: 'locked', path: realpathSync(folder) });
      expect(third.error.message).toContain(String(holder.pid));
      expect(third.error.message).toContain(holder.host);
    }
  });

  it('takes over the lock of a holder killed with SIGKILL, keeping its data', async () => {
    const folder = tempFolder('lock-killed');
    const holder = await startHolder(folder, ['main']);
    expect((await outcome(openItems(folder, 'main'))).ok).toBe(false);

    const exit = await killChild(holder.child);
    expect(exit.signal).toBe('SIGKILL');

    const instance = await openItems(folder, 'main');
    try {
      const holderFile = JSON.parse(readFileSync(join(folder, LOCK_HOLDER_FILE_NAME), 'utf8')) as { pid: number; hostname: string };
      expect(holderFile).toMatchObject({ pid: process.pid, hostname: hostname() });
      const held = await instance.findDocumentsById(['held-main'], false);
      expect(held.map((doc) => doc.id)).toEqual(['held-main']);

      // While this process holds it, the next process is refused and told about this process.
      const other = await tryFromAnotherProcess(folder, 'main');
      expect(other.ok).toBe(false);
      if (!other.ok) expect(other.error.message).toContain(String(process.pid));
    } finally {
      await instance.close();
    }
    // Closed here: another process takes the folder.
    expect(await tryFromAnotherProcess(folder, 'main')).toEqual({ ok: true });
  });

  it('keeps the lock until the holder closes its last instance, then hands it over while the holder still runs', async () => {
    const folder = tempFolder('lock-closed');
    const holder = await startHolder(folder, ['main', 'second']);

    holder.child.send('close 0');
    await holder.child.waitForLine((line) => line === 'CLOSED 0', 10_000);
    const stillHeld = await outcome(openItems(folder, 'main'));
    expect(stillHeld.ok, 'the holder still has one instance open').toBe(false);
    if (!stillHeld.ok) expectLockedBy(stillHeld.error, folder, holder.pid, holder.host);

    holder.child.send('close 1');
    await holder.child.waitForLine((line) => line === 'CLOSED 1', 10_000);
    expect(holder.child.hasClosed()).toBe(false);

    const instance = await openItems(folder, 'main');
    try {
      expect((await instance.findDocumentsById(['held-main'], false)).length).toBe(1);
    } finally {
      await instance.close();
    }
    holder.child.send('exit');
    expect((await holder.child.closed).code).toBe(0);
  });

  it('takes over the lock of a holder that exited without closing its instances', async () => {
    const folder = tempFolder('lock-exited');
    const holder = await startHolder(folder, ['main']);
    holder.child.send('exit');
    expect((await holder.child.closed).code).toBe(0);
    expect(await tryFromAnotherProcess(folder, 'main')).toEqual({ ok: true });
  });

  it('lets one process open several RxDatabases on the same folder and holds the folder until the last one closes', async () => {
    const folder = tempFolder('lock-shared');
    const alpha = await openDatabase(folder, 'alpha');
    const beta = await openDatabase(folder, 'beta');
    await alpha.collections['items']!.insert({ id: 'a1', v: 'a', n: 1, body: '' });
    await beta.collections['items']!.insert({ id: 'b1', v: 'b', n: 2, body: '' });
    expect((await alpha.collections['items']!.findOne('a1').exec())?.get('v')).toBe('a');
    expect((await beta.collections['items']!.findOne('b1').exec())?.get('v')).toBe('b');

    // Raw storage instances of this process share the lock too.
    const raw = await openItems(folder, 'alpha');
    expect((await raw.findDocumentsById(['a1'], false)).map((doc) => doc.id)).toEqual(['a1']);
    await raw.close();

    const whileBothOpen = await tryFromAnotherProcess(folder, 'gamma');
    expect(whileBothOpen.ok).toBe(false);
    if (!whileBothOpen.ok) {
      expect(whileBothOpen.error.code).toBe('locked');
      expect(whileBothOpen.error.message).toContain(String(process.pid));
    }

    await alpha.close();
    const whileBetaOpen = await tryFromAnotherProcess(folder, 'gamma');
    expect(whileBetaOpen.ok, 'beta is still open in this process').toBe(false);

    await beta.close();
    expect(await tryFromAnotherProcess(folder, 'gamma')).toEqual({ ok: true });
  });

  it('holds a folder opened through two spellings of its path (a symlink and the folder) until both are closed', async () => {
    const root = tempFolder('lock-spellings');
    const folder = join(root, 'data');
    mkdirSync(folder);
    const link = join(root, 'link');
    symlinkSync(folder, link);
    for (const [first, second] of [
      [link, folder],
      [folder, `${link}/`],
    ] as const) {
      const a = await openItems(first, 'main');
      const b = await openItems(second, 'main');
      await a.close();
      const whileSecondOpen = await tryFromAnotherProcess(folder, 'main');
      expect(whileSecondOpen.ok, `${second} is still open in this process`).toBe(false);
      if (!whileSecondOpen.ok) expect(whileSecondOpen.error.code).toBe('locked');
      await b.close();
      expect(await tryFromAnotherProcess(link, 'main'), `${first} and ${second} both closed`).toEqual({ ok: true });
    }
  });
});
