import { existsSync, mkdirSync, readFileSync, statSync, realpathSync, rmSync, truncateSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomically } from '../../../shared/node/atomic-file';
import { describeSqliteError, SQLiteStorageError } from './errors';
import { recoverSequence } from './sequence';
import { loadNodeSqlite, type DatabaseSync, type StatementSync } from './sqlite-adapter';

export const LOCK_FILE_NAME = 'trailboard.lock';
export const LOCK_HOLDER_FILE_NAME = 'trailboard.lock.json';

export type LockHolder = { pid: number; hostname: string; startedAt: string; threadId?: number };

/** Statements on `_trailboard_meta`, prepared once per connection: every table reads and writes its entries. */
export type MetaStatements = {
  /** `get(key)`: the row `[value]` (arrays), or undefined. */
  readonly get: StatementSync;
  /** `run(key, value)`: inserts or replaces the entry. */
  readonly put: StatementSync;
};

/** One open database file, shared by every storage instance of this process that uses it. */
export type DatabaseFile = {
  readonly path: string;
  readonly db: DatabaseSync;
  readonly meta: MetaStatements;
  /** The last sequence number handed out in this file; recovered when the file opens (see sequence.ts). */
  seq: number;
  /** `get()`: `[data_version]`, which changes when ANOTHER connection commits to the file, never for this one's. */
  readonly dataVersion: StatementSync;
  /** The data_version last seen, and how many times this connection has seen it change (see catchUpWithOthers). */
  seenDataVersion: number;
  foreignCommits: number;
  refCount: number;
  /** Set when a table was removed: on the last close, a file with no tables left is deleted. */
  hasRemovals: boolean;
};

type DataFolder = {
  readonly path: string;
  /**
   * The connection holding the folder lock; undefined for a folder this realm ADOPTED from another thread of
   * this process (adoptHeldDataFolder): that thread keeps the lock and its holder file, this realm never
   * releases them.
   */
  readonly lockDb: DatabaseSync | undefined;
  readonly files: Map<string, DatabaseFile>;
  refCount: number;
};

const folders = new Map<string, DataFolder>();
/**
 * The path each held folder was opened by, as the caller spelled it, to its key in `folders`: opening another
 * collection of a held folder skips creating and resolving it again.
 */
const folderKeys = new Map<string, string>();

export const META_TABLE = '_trailboard_meta';

/**
 * Opens (or reuses, within this process) the database file `<folder>/<name>.sqlite`, taking the folder's
 * exclusive lock on first use. Every call must be paired with `releaseDatabaseFile`.
 */
export function acquireDatabaseFile(folderPath: string, databaseName: string): DatabaseFile {
  const folder = acquireFolder(folderPath);
  const fileName = `${sanitizeFileName(databaseName)}.sqlite`;
  let file = folder.files.get(fileName);
  if (!file) {
    try {
      file = openDatabaseFile(join(folder.path, fileName));
    } catch (error) {
      releaseFolder(folder);
      throw error;
    }
    folder.files.set(fileName, file);
  }
  file.refCount++;
  return file;
}

export function releaseDatabaseFile(folderPath: string, file: DatabaseFile): void {
  const folder = folders.get(folderKeys.get(folderPath) ?? resolveFolder(folderPath));
  if (!folder) return;
  file.refCount--;
  if (file.refCount <= 0) {
    for (const [name, candidate] of folder.files) {
      if (candidate === file) folder.files.delete(name);
    }
    closeDatabaseFile(file);
  }
  releaseFolder(folder);
}

function resolveFolder(folderPath: string): string {
  try {
    return realpathSync(folderPath);
  } catch {
    return folderPath;
  }
}

function acquireFolder(folderPath: string): DataFolder {
  const knownKey = folderKeys.get(folderPath);
  const held = knownKey === undefined ? undefined : folders.get(knownKey);
  if (held) {
    held.refCount++;
    return held;
  }
  try {
    mkdirSync(folderPath, { recursive: true });
  } catch (error) {
    throw new SQLiteStorageError('unavailable', folderPath, `Cannot create the data folder ${folderPath}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const key = resolveFolder(folderPath);
  let folder = folders.get(key);
  if (!folder) {
    folder = { path: key, lockDb: takeFolderLock(key), files: new Map(), refCount: 0 };
    folders.set(key, folder);
  }
  folderKeys.set(folderPath, key);
  folder.refCount++;
  return folder;
}

function releaseFolder(folder: DataFolder): void {
  folder.refCount--;
  if (folder.refCount > 0) return;
  folders.delete(folder.path);
  for (const [given, key] of folderKeys) {
    if (key === folder.path) folderKeys.delete(given);
  }
  if (!folder.lockDb) return; // adopted: the thread that took the lock releases it
  rmSync(join(folder.path, LOCK_HOLDER_FILE_NAME), { force: true });
  folder.lockDb.close();
}

/**
 * The folder lock is an exclusive SQLite lock on `trailboard.lock`: the operating system drops it when the
 * holding process dies (even by SIGKILL), so a lock left by a dead process is taken over without guessing
 * from PIDs. The holder is described in `trailboard.lock.json` for the error another process shows.
 */
function takeFolderLock(folderPath: string): DatabaseSync {
  const lockPath = join(folderPath, LOCK_FILE_NAME);
  let lockDb: DatabaseSync;
  try {
    lockDb = lockExclusively(lockPath);
  } catch (error) {
    const described = describeSqliteError(error, lockPath, 'locking the data folder');
    if (!(described instanceof SQLiteStorageError)) throw described;
    if (described.code === 'locked') {
      throw new SQLiteStorageError('locked', folderPath, describeHolder(folderPath), { cause: error });
    }
    if (described.code === 'unavailable') {
      throw new SQLiteStorageError(
        'unavailable',
        folderPath,
        `Cannot use the data folder ${folderPath}: it is not writable or the disk is full (${(error as Error).message}).`,
        { cause: error },
      );
    }
    if (described.code !== 'corrupt') throw described;
    // The lock file holds no data, and a damaged one cannot be locked by anyone: empty it (not delete it, so
    // every process keeps locking the same file).
    truncateSync(lockPath, 0);
    rmSync(`${lockPath}-journal`, { force: true });
    try {
      lockDb = lockExclusively(lockPath);
    } catch (retryError) {
      throw describeSqliteError(retryError, lockPath, 'locking the data folder');
    }
  }
  const holder: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    threadId: threadIdOrUndefined(),
  };
  try {
    writeFileAtomically(join(folderPath, LOCK_HOLDER_FILE_NAME), JSON.stringify(holder));
  } catch (error) {
    lockDb.close();
    throw new SQLiteStorageError(
      'unavailable',
      folderPath,
      `Cannot record this process as the user of the data folder ${folderPath} (${(error as Error).message}). ` +
        'Check that the folder is writable and that the disk has space.',
      { cause: error },
    );
  }
  return lockDb;
}

/**
 * Holds an open `BEGIN EXCLUSIVE` transaction on the lock file until release: nothing is ever written to it,
 * so no kill can damage it, and every process locks the same (empty) file. The journal is kept in memory: the
 * transaction never writes, so a journal file would only be created and deleted again on every lock.
 */
function lockExclusively(lockPath: string): DatabaseSync {
  const { DatabaseSync } = loadNodeSqlite();
  const lockDb = new DatabaseSync(lockPath, { timeout: 0 });
  try {
    lockDb.exec('PRAGMA journal_mode = MEMORY; BEGIN EXCLUSIVE');
    return lockDb;
  } catch (error) {
    lockDb.close();
    throw error;
  }
}

/** What the folder's holder file says, or undefined when it is missing or not JSON. */
function readLockHolder(folderPath: string): Partial<LockHolder> | undefined {
  try {
    return JSON.parse(readFileSync(join(folderPath, LOCK_HOLDER_FILE_NAME), 'utf8')) as Partial<LockHolder>;
  } catch {
    return undefined;
  }
}

function describeHolder(folderPath: string): string {
  const holder = readLockHolder(folderPath);
  if (!holder || typeof holder.pid !== 'number') {
    return `The data folder ${folderPath} is in use by another Trailboard process. Close it and try again.`;
  }
  const who = holder.pid === process.pid ? `this process (pid ${holder.pid}), on another thread` : `process ${holder.pid}`;
  return (
    `The data folder ${folderPath} is in use by ${who} on host ${holder.hostname ?? 'unknown'}` +
    (holder.startedAt ? ` since ${holder.startedAt}` : '') +
    '. Close that Trailboard window (or process) and try again.'
  );
}

function threadIdOrUndefined(): number | undefined {
  // worker_threads is loaded lazily: the storage may run on the main thread or in the core's worker thread.
  const workerThreads = process.getBuiltinModule('node:worker_threads') as typeof import('node:worker_threads');
  return workerThreads.isMainThread ? undefined : workerThreads.threadId;
}

function sanitizeFileName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(name) || name.includes('..')) {
    throw new SQLiteStorageError(
      'invalid_document',
      name,
      `The database name "${name}" cannot be used as a file name: use letters, digits, '.', '_' and '-' only.`,
    );
  }
  return name;
}

/** The connection settings of every database file (after journal_mode, which comes first). */
const CONNECTION_PRAGMAS = 'PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16000;';

function openDatabaseFile(path: string): DatabaseFile {
  const { DatabaseSync } = loadNodeSqlite();
  let db: DatabaseSync | undefined;
  try {
    const isNew = (statSync(path, { throwIfNoEntry: false })?.size ?? 0) === 0;
    db = new DatabaseSync(path, { timeout: 2000 });
    if (isNew) {
      // A new file: its first page (the header, which already says WAL) is written with the rollback journal in
      // memory, so no journal file, and synced: from then on the file is a valid, empty WAL database. The new
      // WAL's header, written with the meta table, is not synced (that sync costs as much again). Nothing needs
      // it: a killed process leaves every written byte in the operating system's cache; after a power cut SQLite
      // keeps the complete transactions of an unsynced WAL (its frames carry checksums), which is all
      // synchronous = NORMAL promises for any commit before a checkpoint; and every checkpoint (at the latest on
      // close) syncs the WAL before copying it into the file.
      db.exec(
        'PRAGMA synchronous = FULL; PRAGMA journal_mode = MEMORY; PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; ' +
          `CREATE TABLE IF NOT EXISTS ${META_TABLE} (key TEXT PRIMARY KEY NOT NULL, value) WITHOUT ROWID; ${CONNECTION_PRAGMAS}`,
      );
    } else {
      // The first statement on an existing file reads its header: a file that is not a database fails here,
      // before anything is written.
      db.exec('PRAGMA journal_mode = WAL');
      db.exec(`${CONNECTION_PRAGMAS} CREATE TABLE IF NOT EXISTS ${META_TABLE} (key TEXT PRIMARY KEY NOT NULL, value) WITHOUT ROWID`);
    }
    const meta: MetaStatements = {
      get: db.prepare(`SELECT value FROM ${META_TABLE} WHERE key = ?`),
      put: db.prepare(`INSERT INTO ${META_TABLE} (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`),
    };
    meta.get.setReturnArrays(true);
    const dataVersion = db.prepare('PRAGMA data_version');
    dataVersion.setReturnArrays(true);
    return {
      path,
      db,
      meta,
      seq: isNew ? 0 : recoverSequence(db, META_TABLE),
      dataVersion,
      seenDataVersion: readDataVersion(dataVersion),
      foreignCommits: 0,
      refCount: 0,
      hasRemovals: false,
    };
  } catch (error) {
    try {
      db?.close();
    } catch {
      // the original error is the one worth reporting
    }
    throw describeSqliteError(error, path, 'opening the database');
  }
}

function readDataVersion(statement: StatementSync): number {
  return Number((statement.get() as unknown as [number | bigint])[0]);
}

/**
 * Catches this connection up with commits other connections made to the file since it last looked. A process
 * normally has one connection per file: the router gives each account one thread, and within a thread every
 * instance shares the file's connection. Should another thread of the process open the same file anyway (an
 * account thread started twice, a tool adopting the folder), each connection would keep handing out sequence
 * numbers from its own count, and a consumer paging changes by `{id, seq}` would skip the other's rows. So every
 * write (inside its transaction, where no one else can commit) and every read that uses what this connection keeps
 * in memory asks SQLite first: when another connection has committed, the sequence is recovered again from the
 * file, and `foreignCommits` tells each table to reread what it keeps (its order hazards). One PRAGMA: ~2 us
 * outside a transaction, 0.2 us inside one.
 */
export function catchUpWithOthers(file: DatabaseFile): void {
  const version = readDataVersion(file.dataVersion);
  if (version === file.seenDataVersion) return;
  file.seenDataVersion = version;
  file.foreignCommits++;
  file.seq = Math.max(file.seq, recoverSequence(file.db, META_TABLE));
}

function closeDatabaseFile(file: DatabaseFile): void {
  const { db, path } = file;
  let isEmpty = false;
  if (file.hasRemovals) {
    const tables = db
      .prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name != '${META_TABLE}'`)
      .get() as { n: number };
    isEmpty = Number(tables.n) === 0;
  }
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  db.close();
  // SQLite deletes a WAL database's -wal file when its last connection closes. One that is still there belongs to
  // a connection another thread of this process holds (see catchUpWithOthers), which may yet write: the file stays.
  if (isEmpty && !existsSync(`${path}-wal`)) {
    for (const suffix of ['', '-shm']) rmSync(path + suffix, { force: true });
  }
}

// --- Safety nets (backup and restore of one account's file) -------------------------------------------

/**
 * Copies the database `<folder>/<databaseName>.sqlite` to `destPath` as one consistent snapshot: SQLite's
 * online backup on this process's shared connection, so writes made meanwhile through that connection are
 * carried into the copy and it is the database as of one moment, never torn. Opens the file (and locks the
 * folder) for the copy when it is not open already; the caller checks that the database exists.
 * `pagesPerStep`: pages copied between chances for other work to run (SQLite's default step is 100).
 */
export async function backupDatabaseFile(
  folderPath: string,
  databaseName: string,
  destPath: string,
  pagesPerStep?: number,
): Promise<void> {
  const file = acquireDatabaseFile(folderPath, databaseName);
  try {
    // Node runs each backup step on its thread pool: a step that lands between two statements of one of our
    // (synchronous) write transactions gets SQLITE_BUSY, which Node reports as a failure ("not an error").
    // Such a failure is a lost race, not a fault: start again, a few times.
    for (let attempt = 1; ; attempt++) {
      try {
        await loadNodeSqlite().backup(file.db, destPath, pagesPerStep === undefined ? {} : { rate: pagesPerStep });
        return;
      } catch (error) {
        if (attempt >= BACKUP_ATTEMPTS) throw describeSqliteError(error, destPath, 'backing up the database');
        await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 8 * attempt));
      }
    }
  } finally {
    releaseDatabaseFile(folderPath, file);
  }
}

const BACKUP_ATTEMPTS = 8;

/**
 * Keeps this process's lock on the data folder while none of its database files is open (while one is
 * swapped for a snapshot). Returns the release; calling it more than once releases once.
 */
export function holdDataFolder(folderPath: string): () => void {
  const folder = acquireFolder(folderPath);
  let isReleased = false;
  return () => {
    if (isReleased) return;
    isReleased = true;
    releaseFolder(folder);
  };
}

/**
 * Lets this realm use a data folder whose lock ANOTHER thread of this process already holds, without taking
 * the lock again. Returns the release (idempotent); the realm's database files of the folder work as if it
 * held the lock itself, and releasing never frees the lock or removes its holder file: the thread that took
 * the lock does that.
 *
 * Why: each JS realm (worker thread) has its own `folders` map, and the lock is an SQLite `BEGIN EXCLUSIVE`
 * that also excludes other connections of the same process, so a second thread calling `holdDataFolder`
 * would be refused as "in use by this process, on another thread". The core runs one worker thread per open
 * account (RxDB's open-source build allows 13 open collections per realm; an account has 8), and the core's
 * router thread holds the lock for all of them: each account thread adopts it.
 *
 * Refused (SQLiteStorageError 'locked' or 'unavailable', nothing adopted) unless `trailboard.lock.json` names
 * this process (pid and host) AND the lock is in fact held (a probe for the exclusive lock is refused): a
 * folder nobody holds, or one another process holds, cannot be adopted. Adopting a folder this realm already
 * holds just takes another reference.
 */
export function adoptHeldDataFolder(folderPath: string): () => void {
  const key = folderKeys.get(folderPath) ?? resolveFolder(folderPath);
  let folder = folders.get(key);
  if (!folder) {
    verifyHeldByThisProcess(key);
    folder = { path: key, lockDb: undefined, files: new Map(), refCount: 0 };
    folders.set(key, folder);
  }
  folderKeys.set(folderPath, folder.path);
  folder.refCount++;
  const adopted = folder;
  let isReleased = false;
  return () => {
    if (isReleased) return;
    isReleased = true;
    releaseFolder(adopted);
  };
}

function verifyHeldByThisProcess(folderPath: string): void {
  const holder = readLockHolder(folderPath);
  if (!holder || holder.pid !== process.pid || holder.hostname !== hostname()) {
    const who = holder && typeof holder.pid === 'number' ? `process ${holder.pid} on host ${holder.hostname ?? 'unknown'}` : 'no process';
    throw new SQLiteStorageError(
      holder && typeof holder.pid === 'number' ? 'locked' : 'unavailable',
      folderPath,
      `Cannot adopt the data folder ${folderPath}: its lock is held by ${who}, not by this process (pid ${process.pid}). ` +
        'Only a thread of the process that holds the folder may adopt it.',
    );
  }
  // The holder file names us; the lock itself must be held too (the file may be left from an earlier holder
  // that ended without removing it). While another connection of this process holds it, this probe is refused.
  const lockPath = join(folderPath, LOCK_FILE_NAME);
  let probe: DatabaseSync;
  try {
    probe = lockExclusively(lockPath);
  } catch (error) {
    const described = describeSqliteError(error, lockPath, 'checking the data folder lock');
    if (described instanceof SQLiteStorageError && described.code === 'locked') return; // held, as it must be
    throw described;
  }
  probe.exec('ROLLBACK');
  probe.close();
  throw new SQLiteStorageError(
    'unavailable',
    folderPath,
    `Cannot adopt the data folder ${folderPath}: no thread of this process holds its lock (it was released or never taken).`,
  );
}

/** True while a connection of this process holds `<folder>/<databaseName>.sqlite` open. */
export function isDatabaseFileOpen(folderPath: string, databaseName: string): boolean {
  return folders.get(resolveFolder(folderPath))?.files.has(`${sanitizeFileName(databaseName)}.sqlite`) ?? false;
}
