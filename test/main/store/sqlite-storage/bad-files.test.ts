// Files the storage cannot use: garbage or damaged database files, a file another program holds a write
// transaction on, a read-only data folder. Each gives a clear SQLiteStorageError naming the path, within a
// bounded time, and never costs data: a file the storage cannot read is left exactly as it was.
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createRxDatabase, normalizeMangoQuery, prepareQuery, type RxDocumentData } from 'rxdb';
import { beforeAll, describe, expect, it } from 'vitest';
import { getRxStorageSQLite, SQLiteStorageError } from '../../../../src-main/store/sqlite-storage';
import {
  childScript,
  ensureChildrenBuilt,
  integrityCheck,
  killChild,
  outcome,
  startChild,
  useCleanups,
  within,
  type StartOptions,
} from './durability-harness';
import {
  durableItemSchema,
  newItem,
  openItems,
  seededRandom,
  type DurableItem,
  type ItemsInstance,
  type TryResult,
} from './durability-schema';

/** How long an answer may take when another program holds the file (the storage's busy timeout plus slack). */
const ANSWER_WITHIN_MS = 15_000;
const isRoot = process.getuid?.() === 0;
/** As root, permissions do not bind: the read-only checks run in a child process as `nobody`. */
const OTHER_USER: StartOptions = isRoot ? { uid: 65534, gid: 65534 } : {};

/**
 * Whether the compiled child can run as OTHER_USER: a checkout only its owner may read cannot be run as `nobody`,
 * and then the read-only checks are skipped (with the reason) rather than failing for an unrelated cause.
 */
function otherUserCannotRunChildren(): string | undefined {
  if (!isRoot) return undefined;
  const probe = spawnSync(process.execPath, [childScript('lock-holder')], { ...OTHER_USER, encoding: 'utf8', cwd: '/' });
  if (probe.stderr.includes('usage: lock-holder')) return undefined;
  const lines = probe.stderr.split('\n');
  return `the child cannot run as uid 65534: ${lines.find((line) => /Error/.test(line)) ?? lines[0] ?? probe.error?.message}`;
}

const { cleanups, tempFolder: newTempFolder } = useCleanups(makeWritable);

function tempFolder(label: string): string {
  return realpathSync(newTempFolder(label));
}

function makeWritable(folder: string): void {
  try {
    chmodSync(folder, 0o755);
  } catch {
    // already gone
  }
}

function garbage(seed: number, length: number): Buffer {
  const random = seededRandom(seed);
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

async function fillDatabase(folder: string, databaseName: string, count: number): Promise<void> {
  const instance = await openItems(folder, databaseName, 'filler');
  const rows = Array.from({ length: count }, (_, i) => ({ document: newItem('filler', `doc-${i}`, `v${i}`, i, 'y'.repeat(400 + (i % 7) * 50)) }));
  const response = await instance.bulkWrite(rows, 'bad-files-fill');
  expect(response.error).toEqual([]);
  await instance.close();
}

function allIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `doc-${i}`);
}

function expectStorageError(error: unknown, code: SQLiteStorageError['code'], path: string): void {
  expect(error).toBeInstanceOf(SQLiteStorageError);
  const storageError = error as SQLiteStorageError;
  expect({ code: storageError.code, path: storageError.path }).toEqual({ code, path });
  expect(storageError.message).toContain(path);
}

/** Opens `databaseName` in another process (as another user when asked) and reports what happened. */
async function tryFromAnotherProcess(folder: string, databaseName: string, options: StartOptions = {}): Promise<TryResult> {
  const child = startChild('lock-holder', ['try', folder, databaseName], options);
  const line = await child.waitForLine((l) => l.startsWith('RESULT '), 30_000);
  await child.closed;
  return JSON.parse(line.slice('RESULT '.length)) as TryResult;
}

/**
 * Opens `databaseName` and reads every document; returns the first failure, or the documents read. A damaged file
 * may open fine and fail on the first page it cannot read: either way the failure must be a clear one.
 */
async function openAndReadAll(folder: string, databaseName: string, count: number) {
  let instance: ItemsInstance | undefined;
  try {
    instance = await openItems(folder, databaseName);
    const byId = await instance.findDocumentsById(allIds(count), true);
    const schema = durableItemSchema();
    const byIndex = await instance.query(
      prepareQuery(schema, normalizeMangoQuery<RxDocumentData<DurableItem>>(schema, { selector: {}, sort: [{ n: 'asc' }] })),
    );
    return { ok: true as const, byId, byIndex: byIndex.documents };
  } catch (error) {
    return { ok: false as const, error };
  } finally {
    await instance?.close();
  }
}

describe('database files the storage cannot use', () => {
  beforeAll(() => ensureChildrenBuilt(['lock-holder', 'sqlite-exclusive']));

  it('refuses a garbage file with a corrupt error naming it, and leaves its bytes untouched', async () => {
    const folder = tempFolder('bad-garbage');
    const file = join(folder, 'garbage.sqlite');
    const bytes = Buffer.concat([Buffer.from('these are not the pages you are looking for\n'), garbage(1, 64 * 1024)]);
    writeFileSync(file, bytes);

    for (let attempt = 0; attempt < 2; attempt++) {
      const opened = await outcome(openItems(folder, 'garbage'));
      expect(opened.ok).toBe(false);
      if (!opened.ok) expectStorageError(opened.error, 'corrupt', file);
    }
    const viaRxdb = await outcome(createRxDatabase({ name: 'garbage', storage: getRxStorageSQLite({ path: folder }), multiInstance: true }));
    expect(viaRxdb.ok).toBe(false);
    if (!viaRxdb.ok) expectStorageError(viaRxdb.error, 'corrupt', file);

    expect(readFileSync(file).equals(bytes), 'the garbage file was changed').toBe(true);
    // The failed opens left the folder usable: by this process, and (lock released) by another.
    const fresh = await openItems(folder, 'fresh');
    await fresh.close();
    expect(await tryFromAnotherProcess(folder, 'fresh')).toEqual({ ok: true });
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses a file with a SQLite header and garbage after it', async () => {
    const folder = tempFolder('bad-header');
    const file = join(folder, 'header.sqlite');
    const bytes = Buffer.concat([Buffer.from('SQLite format 3\u0000', 'latin1'), garbage(2, 32 * 1024)]);
    writeFileSync(file, bytes);
    const opened = await outcome(openItems(folder, 'header'));
    expect(opened.ok).toBe(false);
    if (!opened.ok) expectStorageError(opened.error, 'corrupt', file);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('reports a database whose pages were overwritten as corrupt instead of returning fewer documents', async () => {
    const folder = tempFolder('bad-pages');
    const file = join(folder, 'pages.sqlite');
    await fillDatabase(folder, 'pages', 300);
    const original = readFileSync(file);
    const pageSize = original.readUInt16BE(16) === 1 ? 65536 : original.readUInt16BE(16);
    // Keep page 1 (the schema) and overwrite every page after it.
    const damaged = Buffer.concat([original.subarray(0, pageSize), garbage(3, original.length - pageSize)]);
    writeFileSync(file, damaged);

    const result = await openAndReadAll(folder, 'pages', 300);
    expect(result.ok, 'the damaged file read without an error').toBe(false);
    if (!result.ok) expectStorageError(result.error, 'corrupt', file);
    expect(readFileSync(file).equals(damaged), 'the damaged file was changed').toBe(true);
  });

  it('reports a truncated database as corrupt instead of returning fewer documents', async () => {
    const folder = tempFolder('bad-truncated');
    const file = join(folder, 'truncated.sqlite');
    await fillDatabase(folder, 'truncated', 300);
    const size = readFileSync(file).length;
    truncateSync(file, Math.floor(size / 2 / 4096) * 4096);
    const truncated = readFileSync(file);

    const result = await openAndReadAll(folder, 'truncated', 300);
    if (result.ok) {
      // Only acceptable if nothing was lost, which a file cut in half cannot give.
      expect(result.byId.length, 'findDocumentsById silently returned fewer documents').toBe(300);
      expect(result.byIndex.length, 'query silently returned fewer documents').toBe(300);
    } else {
      expectStorageError(result.error, 'corrupt', file);
    }
    expect(readFileSync(file).equals(truncated), 'the truncated file was changed').toBe(true);
  });

  it('answers a write to a WAL file another program holds a write transaction on with a clear locked error, then recovers', async () => {
    const folder = tempFolder('bad-busy-wal');
    const file = join(folder, 'busy.sqlite');
    await fillDatabase(folder, 'busy', 20);
    const other = startChild('sqlite-exclusive', [file, 'wal']);
    cleanups.push(async () => {
      await killChild(other);
    });
    await other.waitForLine((line) => line === 'READY', 10_000);

    const started = performance.now();
    const instance = await within(ANSWER_WITHIN_MS, 'opening a WAL file held by another program', openItems(folder, 'busy', 'busy-writer'));
    cleanups.push(() => instance.close());
    // Readers are not blocked by a WAL writer.
    expect((await instance.findDocumentsById(allIds(20), false)).length).toBe(20);
    const doc = newItem('busy-writer', 'while-held', 'x', 1);
    const write = await within(ANSWER_WITHIN_MS, 'a write while another program holds the file', outcome(instance.bulkWrite([{ document: doc }], 'busy')));
    const elapsed = Math.round(performance.now() - started);
    console.log(`bad files: a write to a WAL file held by another program failed after ${elapsed} ms`);
    expect(write.ok, 'the write claimed success while another program held the write lock').toBe(false);
    if (!write.ok) expectStorageError(write.error, 'locked', file);

    await killChild(other);
    const retry = await instance.bulkWrite([{ document: doc }], 'busy');
    expect(retry.error).toEqual([]);
    expect((await instance.findDocumentsById([...allIds(20), 'while-held'], false)).length).toBe(21);
  });

  it('answers opening a file another program holds an exclusive rollback-journal lock on with a clear locked error', async () => {
    const folder = tempFolder('bad-busy-rollback');
    const file = join(folder, 'held.sqlite');
    await fillDatabase(folder, 'held', 20);
    const other = startChild('sqlite-exclusive', [file, 'rollback']);
    cleanups.push(async () => {
      await killChild(other);
    });
    await other.waitForLine((line) => line === 'READY', 10_000);

    const started = performance.now();
    const result = await within(ANSWER_WITHIN_MS, 'opening a file locked by another program', openAndReadAll(folder, 'held', 20));
    const elapsed = Math.round(performance.now() - started);
    console.log(`bad files: opening a file exclusively locked by another program failed after ${elapsed} ms`);
    expect(result.ok, 'the storage read a file another program holds an exclusive lock on').toBe(false);
    if (!result.ok) expectStorageError(result.error, 'locked', file);
    // The failed open released the folder: another process can use other databases in it meanwhile.
    expect(await tryFromAnotherProcess(folder, 'elsewhere')).toEqual({ ok: true });

    // Once the other program is gone, everything is there (its unfinished transaction rolled back).
    await killChild(other);
    const after = await openAndReadAll(folder, 'held', 20);
    expect(after.ok && after.byId.length).toBe(20);
    expect(integrityCheck(file)).toBe('ok');
  });

  it('answers creating a collection in a WAL file another program holds a write transaction on with a clear locked error', async () => {
    const folder = tempFolder('bad-busy-new-table');
    const file = join(folder, 'busy.sqlite');
    await fillDatabase(folder, 'busy', 3);
    const other = startChild('sqlite-exclusive', [file, 'wal']);
    cleanups.push(async () => {
      await killChild(other);
    });
    await other.waitForLine((line) => line === 'READY', 10_000);

    // A collection the file has no table for yet: its first write must create the table, which needs the write lock.
    const instance = await getRxStorageSQLite({ path: folder }).createStorageInstance<DurableItem>({
      databaseInstanceToken: 'new-table',
      databaseName: 'busy',
      collectionName: 'fresh',
      schema: durableItemSchema(),
      options: {},
      multiInstance: false,
      devMode: false,
    });
    cleanups.push(() => instance.close());
    expect(await instance.findDocumentsById(['first'], true), 'a collection never written reads as empty').toEqual([]);
    const writing = instance.bulkWrite([{ document: newItem('new-table', 'first', 'x', 1) }], 'bad-files');
    const written = await within(ANSWER_WITHIN_MS, 'creating a table in a file held by another program', outcome(writing));
    expect(written.ok, 'created a table while another program held the write lock').toBe(false);
    if (!written.ok) expectStorageError(written.error, 'locked', file);
  });

  describe("the folder's lock files", () => {
    it('does not lock people out of their data when trailboard.lock is damaged (it holds no data)', async () => {
      const folder = tempFolder('bad-lock-file');
      await fillDatabase(folder, 'main', 5);
      // What a kill in the middle of writing the lock file, or any other damage, could leave behind.
      writeFileSync(join(folder, 'trailboard.lock'), garbage(4, 8192));
      const result = await openAndReadAll(folder, 'main', 5);
      if (!result.ok) console.log(`bad files: damaged trailboard.lock: ${(result.error as Error).message}`);
      expect(result.ok && result.byId.length).toBe(5);
      // …and the lock still works after that.
      const holder = await openItems(folder, 'main');
      cleanups.push(() => holder.close());
      const other = await tryFromAnotherProcess(folder, 'main');
      expect(other.ok).toBe(false);
      if (!other.ok) expect(other.error.code).toBe('locked');
    });

    it('gives a clear error when the lock holder file cannot be written, and does not keep the folder locked afterwards', async () => {
      const folder = tempFolder('bad-lock-json');
      const holderFile = join(folder, 'trailboard.lock.json');
      mkdirSync(holderFile); // stands in for any write failure (disk full, permissions)
      const first = await outcome(openItems(folder, 'main'));
      expect(first.ok).toBe(false);
      if (!first.ok) {
        expect(first.error).toBeInstanceOf(SQLiteStorageError);
        expect((first.error as SQLiteStorageError).code).toBe('unavailable');
        expect((first.error as Error).message).toContain(folder);
      }
      rmSync(holderFile, { recursive: true });
      // The failure must not leave this process holding (or believing another process holds) the folder.
      const second = await outcome(openItems(folder, 'main'));
      if (!second.ok) console.log(`bad files: after a failed lock-holder write: ${(second.error as Error).message}`);
      expect(second.ok).toBe(true);
      if (second.ok) await second.value.close();
      expect(await tryFromAnotherProcess(folder, 'main')).toEqual({ ok: true });
    });
  });

  describe('a data folder the process may not write', () => {
    let skipReason: string | undefined;
    beforeAll(() => {
      skipReason = otherUserCannotRunChildren();
      if (skipReason) console.log(`bad files: read-only folder checks skipped: ${skipReason}`);
    });

    function readOnlyFixture(label: string): { root: string; folder: string } {
      const root = tempFolder(label);
      chmodSync(root, 0o755); // the other user must reach the folder
      const folder = join(root, 'data');
      mkdirSync(folder);
      cleanups.push(() => makeWritable(folder));
      return { root, folder };
    }

    it('refuses an empty read-only folder with an unavailable error naming it', async (context) => {
      if (skipReason) context.skip();
      const { folder } = readOnlyFixture('bad-ro-empty');
      chmodSync(folder, 0o555);
      const result = await tryFromAnotherProcess(folder, 'main', OTHER_USER);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error).toMatchObject({ name: 'SQLiteStorageError', code: 'unavailable' });
        expect(result.error.message).toContain(folder);
      }
      expect(existsSync(join(folder, 'main.sqlite'))).toBe(false);
    });

    it('refuses a data folder it cannot create with an unavailable error naming it', async (context) => {
      if (skipReason) context.skip();
      const { folder } = readOnlyFixture('bad-ro-parent');
      chmodSync(folder, 0o555);
      const missing = join(folder, 'account');
      const result = await tryFromAnotherProcess(missing, 'main', OTHER_USER);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error).toMatchObject({ name: 'SQLiteStorageError', code: 'unavailable' });
        expect(result.error.message).toContain(missing);
      }
    });

    it('refuses a read-only folder holding data with an unavailable error and leaves the data as it was', async (context) => {
      if (skipReason) context.skip();
      const { folder } = readOnlyFixture('bad-ro-data');
      await fillDatabase(folder, 'main', 5);
      const file = join(folder, 'main.sqlite');
      const before = readFileSync(file);
      chmodSync(folder, 0o555);
      const result = await tryFromAnotherProcess(folder, 'main', OTHER_USER);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error).toMatchObject({ name: 'SQLiteStorageError', code: 'unavailable' });
        expect(result.error.message).toContain(folder);
      }
      expect(readFileSync(file).equals(before)).toBe(true);
    });

    it('refuses a data folder path that is a file with an unavailable error naming it', async () => {
      const folder = tempFolder('bad-file-path');
      const notAFolder = join(folder, 'plain-file');
      writeFileSync(notAFolder, 'not a folder');
      const opened = await outcome(openItems(notAFolder, 'main'));
      expect(opened.ok).toBe(false);
      if (!opened.ok) {
        expect(opened.error).toBeInstanceOf(SQLiteStorageError);
        expect((opened.error as SQLiteStorageError).code).toBe('unavailable');
        expect((opened.error as SQLiteStorageError).message).toContain(notAFolder);
      }
      expect(readFileSync(notAFolder, 'utf8')).toBe('not a folder');
    });
  });
});
