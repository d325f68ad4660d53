// Backups of one account's file (DESIGN.md, "Safety nets"): a consistent snapshot on demand and daily
// (keeping the last 7 daily ones), and restore from a snapshot.
//
// - A snapshot is SQLite's online backup of the account's file on the storage's shared connection: writes
//   that land while it runs are carried into the copy, so it is the database as of one moment, never torn.
//   It is written as `<name>.partial`, switched to a single-file journal, checked with
//   `PRAGMA integrity_check`, then renamed into place: a file named like a snapshot is always a whole one.
// - Snapshots live in `<dataDir>/backups/<accountId>/<time>-<kind>.sqlite`, `<time>` the ISO instant with
//   ':' and '.' as '-' (file names valid everywhere), `<kind>` `manual` or `daily`; `~2`, `~3`… tell
//   apart snapshots taken in the same millisecond. Only daily snapshots are rotated; manual ones stay until
//   the person deletes them.
// - Restore closes the account's session, keeps a consistent copy of the replaced file as
//   `<file>.before-restore-<time>` (so a wrong restore loses nothing), puts the snapshot in place (without
//   the old -wal/-shm), and reopens: the projector resumes from the checkpoint stored in the snapshot,
//   which is consistent with it (same file, same moment), and catches up on anything it had not folded.
//   A snapshot that is not a database, is damaged, or is not of this account is refused with the account
//   left as it was.
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import { accountDatabaseName } from './account-files';
import { backupDatabaseFile, loadNodeSqlite } from './sqlite-storage';
import type { DatabaseSync } from './sqlite-storage/sqlite-adapter';
import type { AccountSession, Store } from './store';

export type BackupKind = 'manual' | 'daily';

export type BackupInfo = {
  readonly path: string;
  /** When it was taken (the store's clock), epoch ms. */
  readonly takenAt: number;
  readonly kind: BackupKind;
};

export const BACKUPS_FOLDER = 'backups';
/** Daily snapshots kept per account. */
export const DAILY_BACKUPS_KEPT = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

const SNAPSHOT_NAME = /^(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)-(manual|daily)(?:~(\d{1,6}))?\.sqlite$/;

/** `<dataDir>/backups/<accountId>`. */
export function backupFolder(dataDir: string, accountId: string): string {
  return join(dataDir, BACKUPS_FOLDER, accountId);
}

/** The account's file in the data folder. */
export function accountFilePath(dataDir: string, accountId: string): string {
  return join(dataDir, `${accountDatabaseName(accountId)}.sqlite`);
}

/** A time as it appears in file names: `2026-11-26T09-00-00-000Z`. */
export function fileStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[:.]/g, '-');
}

function parseStamp(stamp: string): number {
  const iso = `${stamp.slice(0, 13)}:${stamp.slice(14, 16)}:${stamp.slice(17, 19)}.${stamp.slice(20)}`;
  return Date.parse(iso);
}

/**
 * Runs backup, restore and import work for one account one at a time (per store), so a daily snapshot
 * never copies a file that a restore is swapping.
 */
const queues = new WeakMap<Store, Map<string, Promise<unknown>>>();

export function exclusively<T>(store: Store, accountId: string, work: () => Promise<T>): Promise<T> {
  let byAccount = queues.get(store);
  if (!byAccount) queues.set(store, (byAccount = new Map()));
  const previous = byAccount.get(accountId) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.then(
    () => undefined,
    () => undefined,
  );
  byAccount.set(accountId, settled);
  void settled.then(() => {
    if (byAccount.get(accountId) === settled) byAccount.delete(accountId);
  });
  return next;
}

function requireAccount(store: Store, accountId: string): void {
  if (!store.listAccountIds().includes(accountId)) {
    throw new AppError('not_found', `No account ${accountId} on this device.`);
  }
}

/** The account's snapshots, newest first. */
export function list(store: Store, accountId: string): BackupInfo[] {
  const folder = backupFolder(store.dataDir, accountId);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const found: (BackupInfo & { order: number })[] = [];
  for (const name of names) {
    const match = SNAPSHOT_NAME.exec(name);
    if (!match) continue;
    const takenAt = parseStamp(match[1]!);
    if (Number.isNaN(takenAt)) continue;
    found.push({ path: join(folder, name), takenAt, kind: match[2] as BackupKind, order: Number(match[3] ?? 1) });
  }
  found.sort((a, b) => b.takenAt - a.takenAt || b.order - a.order);
  return found.map(({ path, takenAt, kind }) => ({ path, takenAt, kind }));
}

export type CreateOptions = {
  kind?: BackupKind;
  /**
   * Pages copied per step of SQLite's online backup (default 100). Between steps the account's writers
   * run; what they write meanwhile is carried into the snapshot.
   */
  pagesPerStep?: number;
};

/** A consistent snapshot of the account's file, taken now (also while the account is being written). */
export async function create(store: Store, accountId: string, options: CreateOptions = {}): Promise<BackupInfo> {
  requireAccount(store, accountId);
  return exclusively(store, accountId, () => takeSnapshot(store, accountId, options, store.now()));
}

async function takeSnapshot(store: Store, accountId: string, options: CreateOptions, takenAt: number): Promise<BackupInfo> {
  const kind = options.kind ?? 'manual';
  const folder = backupFolder(store.dataDir, accountId);
  mkdirSync(folder, { recursive: true });
  removeStalePartials(folder);
  const path = freeSnapshotPath(folder, takenAt, kind);
  const partial = `${path}.partial`;
  try {
    await backupDatabaseFile(store.dataDir, accountDatabaseName(accountId), partial, options.pagesPerStep);
    sealSnapshot(partial);
    renameSync(partial, path);
  } catch (error) {
    removeDatabaseFiles(partial);
    throw error;
  }
  return { path, takenAt, kind };
}

function freeSnapshotPath(folder: string, takenAt: number, kind: BackupKind): string {
  const base = `${fileStamp(takenAt)}-${kind}`;
  for (let n = 1; ; n++) {
    const path = join(folder, n === 1 ? `${base}.sqlite` : `${base}~${n}.sqlite`);
    if (!existsSync(path)) return path;
  }
}

/** Partial snapshots left by a crash (this process holds the data folder, so none is being written). */
function removeStalePartials(folder: string): void {
  for (const name of readdirSync(folder)) {
    if (/\.partial(?:-wal|-shm|-journal)?$/.test(name)) rmSync(join(folder, name), { force: true });
  }
}

/**
 * Makes a fresh copy a self-contained file (rollback journal instead of WAL, so no -wal/-shm ever belongs
 * to it) and checks it page by page; a damaged copy is an error, never a snapshot.
 */
function sealSnapshot(path: string): void {
  const { DatabaseSync } = loadNodeSqlite();
  const db = new DatabaseSync(path);
  try {
    db.exec('PRAGMA journal_mode = DELETE');
    const problems = checkIntegrity(db);
    if (problems.length > 0) throw new AppError('internal', `The snapshot ${path} failed its integrity check: ${problems.join('; ')}`);
  } finally {
    db.close();
  }
}

function checkIntegrity(db: DatabaseSync): string[] {
  const rows = db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[];
  return rows.map((row) => row.integrity_check).filter((line) => line !== 'ok');
}

/** The database file and its -wal, -shm and -journal companions. */
function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
}

export type RestoreResult = {
  /** The reopened account, as in the snapshot (plus nothing: writes after the snapshot are in `replacedPath`). */
  readonly session: AccountSession;
  /** The copy of the file the snapshot replaced. */
  readonly replacedPath: string;
};

/**
 * Replaces the account's file with the snapshot at `snapshotPath` and reopens the account. Sessions opened
 * before are closed (take a new one from the result or `store.openAccount`). Refused (`invalid_input`,
 * account unchanged) when the snapshot is not a sound database of this account; `not_found` when there is
 * no such snapshot or account.
 */
export async function restore(store: Store, accountId: string, snapshotPath: string): Promise<RestoreResult> {
  requireAccount(store, accountId);
  return exclusively(store, accountId, () => restoreSnapshot(store, accountId, snapshotPath));
}

async function restoreSnapshot(store: Store, accountId: string, snapshotPath: string): Promise<RestoreResult> {
  const file = accountFilePath(store.dataDir, accountId);
  const incoming = `${file}.restoring`;
  removeDatabaseFiles(incoming);
  try {
    copyFileSync(snapshotPath, incoming);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('not_found', `No snapshot at ${snapshotPath}.`);
    throw error;
  }
  try {
    checkSnapshotFile(incoming, snapshotPath);
  } catch (error) {
    removeDatabaseFiles(incoming);
    throw error;
  }

  const replacedPath = freeReplacedPath(file, store.now());
  await store.withAccountClosed(accountId, async () => {
    try {
      await backupDatabaseFile(store.dataDir, accountDatabaseName(accountId), `${replacedPath}.partial`);
      sealSnapshot(`${replacedPath}.partial`);
      renameSync(`${replacedPath}.partial`, replacedPath);
    } catch (error) {
      removeDatabaseFiles(`${replacedPath}.partial`);
      removeDatabaseFiles(incoming);
      throw error;
    }
    removeDatabaseFiles(file);
    try {
      renameSync(incoming, file);
    } catch (error) {
      copyFileSync(replacedPath, file);
      removeDatabaseFiles(incoming);
      throw error;
    }
  });

  let session: AccountSession | undefined;
  let failure: unknown;
  try {
    session = await store.openAccount(accountId);
    const account = await session.account.collections.accounts.findOne(accountId).exec();
    if (!account) failure = new AppError('invalid_input', `The snapshot ${snapshotPath} is not a backup of this account.`);
  } catch (error) {
    failure = error;
  }
  if (failure === undefined && session) return { session, replacedPath };

  // Put the replaced file back: the account is as it was before the restore.
  await store.withAccountClosed(accountId, () => {
    removeDatabaseFiles(file);
    copyFileSync(replacedPath, file);
    return Promise.resolve();
  });
  await store.openAccount(accountId);
  if (failure instanceof AppError) {
    throw new AppError(failure.code, `${failure.message} The account is unchanged.`, failure.details);
  }
  throw new AppError('invalid_input', `The snapshot ${snapshotPath} could not be opened as this account; the account is unchanged.`, {
    cause: failure instanceof Error ? failure.message : String(failure),
  });
}

/** A snapshot must be an SQLite database that passes its integrity check. */
function checkSnapshotFile(path: string, shownAs: string): void {
  const { DatabaseSync } = loadNodeSqlite();
  let problems: string[];
  try {
    const db = new DatabaseSync(path);
    try {
      problems = checkIntegrity(db);
    } finally {
      db.close();
    }
  } catch (error) {
    throw new AppError('invalid_input', `${shownAs} is not a Trailboard snapshot (${(error as Error).message}).`);
  }
  if (problems.length > 0) {
    throw new AppError('invalid_input', `The snapshot ${shownAs} is damaged: ${problems.slice(0, 5).join('; ')}`);
  }
}

function freeReplacedPath(file: string, nowMs: number): string {
  const base = `${file}.before-restore-${fileStamp(nowMs)}`;
  for (let n = 1; ; n++) {
    const path = n === 1 ? base : `${base}~${n}`;
    if (!existsSync(path)) return path;
  }
}

export type DailyBackupsOptions = {
  /** The clock deciding when a snapshot is due and naming it (default: the store's). */
  now?: () => number;
  /** How often to look for due snapshots (default: every hour). */
  checkEveryMs?: number;
  /** Daily snapshots kept per account (default 7). */
  keep?: number;
  /** Told about a failed snapshot; the scheduler goes on with the other accounts and tries again later. */
  onError?: (accountId: string, error: unknown) => void;
};

export type DailyBackups = {
  /** Checks at once, then every `checkEveryMs`, until `stop`. */
  start(): void;
  /** Stops checking; resolves once a check in progress is done. */
  stop(): Promise<void>;
  /** One check now: a snapshot of every account that has none from the last day; old ones rotated. */
  runDue(): Promise<BackupInfo[]>;
};

/**
 * Daily snapshots of every account in the store. An account is due when it has no daily snapshot taken
 * within a day of now (either side: after the clock is set back, the newer-dated snapshots do not stop
 * new ones, and rotation removes them oldest first while never removing the one just taken).
 */
export function scheduleDaily(store: Store, options: DailyBackupsOptions = {}): DailyBackups {
  const now = options.now ?? store.now;
  const keep = Math.max(1, options.keep ?? DAILY_BACKUPS_KEPT);
  const checkEveryMs = options.checkEveryMs ?? 60 * 60 * 1000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let isRunning = false;
  let current: Promise<BackupInfo[]> | undefined;

  async function backUp(accountId: string): Promise<BackupInfo | undefined> {
    return exclusively(store, accountId, async () => {
      const nowMs = now();
      const daily = list(store, accountId).filter((info) => info.kind === 'daily');
      if (daily.some((info) => Math.abs(nowMs - info.takenAt) < DAY_MS)) return undefined;
      const taken = await takeSnapshot(store, accountId, { kind: 'daily' }, nowMs);
      const older = daily.sort((a, b) => b.takenAt - a.takenAt).slice(keep - 1);
      for (const info of older) removeDatabaseFiles(info.path);
      return taken;
    });
  }

  async function runDue(): Promise<BackupInfo[]> {
    const taken: BackupInfo[] = [];
    for (const accountId of store.listAccountIds()) {
      try {
        const info = await backUp(accountId);
        if (info) taken.push(info);
      } catch (error) {
        options.onError?.(accountId, error);
      }
    }
    return taken;
  }

  function schedule(delayMs: number): void {
    timer = setTimeout(() => {
      timer = undefined;
      current = runDue().finally(() => {
        current = undefined;
        if (isRunning) schedule(checkEveryMs);
      });
    }, delayMs);
    timer.unref();
  }

  return {
    start() {
      if (isRunning) return;
      isRunning = true;
      schedule(0);
    },
    async stop() {
      isRunning = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await current?.catch(() => undefined);
    },
    runDue,
  };
}
