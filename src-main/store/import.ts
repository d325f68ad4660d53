// Import of a complete JSON Lines export (audit-export.ts with no range: the log from `account_created`
// on) as that same account, on a device that lacks it (DESIGN.md, "Safety nets").
//
// - Every line is checked before anything is written: JSON, then `validateEvent` (envelope, known action
//   and version, particulars). Two kinds of event are checked as envelopes only, because the log stores
//   them as they are and the fold skips them: events of an action or version this app does not know (from
//   a newer app) and events the server refused (`rejection`: their particulars may be what it refused).
//   The first line must be `account_created`; every line must be of that account. A bad line is refused
//   with `invalid_input` naming its line number, and nothing is written.
// - An account already on this device is refused with `conflict` (remove it first, or restore a backup).
// - The events are written in bulk (storage bulkWrite, in batches) into a database built in a folder of
//   its own under `<dataDir>/imports/`, which is moved into the data folder only once complete: a crash or
//   a refusal mid-way leaves no account behind. A repeated event id is refused (the line named) likewise.
// - When the account opens, the projector finds no checkpoint and rebuilds every projection from the log:
//   the projections are the fold of the same events, so they equal the source device's.
//
// Who is the local user on the new device: the member the caller names (`memberId`, who must be in the
// account's members record folded from the export); by default the account's first admin in that record
// (for an account never published, its creator unless removed). The common case — a person moving their
// own account to a new computer — needs no choice; someone else of the account passes their member id.
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AppError } from '../../shared/errors';
import { CATALOGUE, isKnownAction, type Actor, type StoredEvent } from '../../shared/events';
import { foldEntity, reduceMembers } from '../../shared/fold';
import { newId } from '../../shared/ids';
import type { Member } from '../../shared/model';
import { validateEnvelope, validateEvent } from '../../shared/node/validate';
import { openAccountDb } from './account-db';
import { accountFilePath, exclusively } from './backup';
import { getRxStorageSQLite } from './sqlite-storage';
import type { AccountSession, Store } from './store';

export type ImportOptions = {
  /** The member of the account who uses it on this device (default: its first admin). */
  memberId?: string;
  /** Events written per storage bulkWrite (default 1000). */
  batchSize?: number;
};

export type ImportResult = {
  readonly accountId: string;
  readonly session: AccountSession;
  /** The local user recorded for the account on this device. */
  readonly user: Actor;
  /** Events imported. */
  readonly count: number;
};

export const IMPORTS_FOLDER = 'imports';
const DEFAULT_BATCH = 1000;

/** Import folders of this process still in use (others under `imports/` are left over from a crash). */
const activeImports = new Set<string>();

/** Imports the export at `path` as its account; see the header for the rules. */
export async function importAccount(store: Store, path: string, options: ImportOptions = {}): Promise<ImportResult> {
  if (!existsSync(path) || !statSync(path).isFile()) throw new AppError('not_found', `No export file at ${path}.`);
  const checked = await checkExport(store, path);
  const user = chooseUser(checked.members, options.memberId);
  const { accountId } = checked;

  const count = await exclusively(store, accountId, () =>
    store.withAccountClosed(accountId, async () => {
      refuseIfPresent(store, accountId, checked.accountName);
      return writeAccount(store, path, accountId, user, options.batchSize ?? DEFAULT_BATCH);
    }),
  );
  const session = await store.openAccount(accountId);
  return { accountId, session, user, count };
}

type CheckedExport = { accountId: string; accountName: string; members: readonly Member[]; count: number };

/** The first pass: every line valid, one account, not on this device; the members record it folds to. */
async function checkExport(store: Store, path: string): Promise<CheckedExport> {
  let accountId: string | undefined;
  let accountName = '';
  const accountEvents: StoredEvent[] = [];
  let count = 0;
  for await (const { event, lineNumber } of readExport(path)) {
    if (accountId === undefined) {
      accountId = event.accountId;
      const account = event.particulars['account'] as { name?: unknown } | undefined;
      accountName = typeof account?.name === 'string' ? account.name : accountId;
      if (event.action !== 'account_created' || event.rejection !== undefined) {
        throw lineError(lineNumber, `an export begins with the account's account_created event, not ${event.action}`);
      }
      refuseIfPresent(store, accountId, accountName);
    } else if (event.accountId !== accountId) {
      throw lineError(lineNumber, `the event belongs to the account ${event.accountId}, not ${accountId}`);
    }
    if (event.eventableType === 'account') accountEvents.push(event);
    count++;
  }
  if (accountId === undefined) throw new AppError('invalid_input', 'The export is empty: it has no account_created event.');
  const record = foldEntity(reduceMembers, accountEvents);
  return { accountId, accountName, members: record?.members ?? [], count };
}

function chooseUser(members: readonly Member[], memberId: string | undefined): Actor {
  if (memberId !== undefined) {
    const member = members.find((candidate) => candidate.id === memberId);
    if (!member) throw new AppError('invalid_input', `${memberId} is not a member of the exported account.`);
    return { id: member.id, name: member.name };
  }
  const member = members.find((candidate) => candidate.role === 'admin') ?? members[0];
  if (!member) throw new AppError('invalid_input', 'The exported account has no members to use it on this device.');
  return { id: member.id, name: member.name };
}

function refuseIfPresent(store: Store, accountId: string, accountName: string): void {
  if (store.listAccountIds().includes(accountId)) {
    throw new AppError(
      'conflict',
      `The account “${accountName}” (${accountId}) is already on this device. Import it on a device that lacks it, ` +
        'or restore one of its backups here instead.',
      { accountId },
    );
  }
}

/**
 * The second pass: the events written in batches into a database built under `imports/`, then the local
 * user recorded and the finished file moved into the data folder. Nothing is left behind on failure.
 */
async function writeAccount(store: Store, path: string, accountId: string, user: Actor, batchSize: number): Promise<number> {
  const importsRoot = join(store.dataDir, IMPORTS_FOLDER);
  mkdirSync(importsRoot, { recursive: true });
  for (const name of readdirSync(importsRoot)) {
    if (!activeImports.has(name)) rmSync(join(importsRoot, name), { recursive: true, force: true });
  }
  const name = newId(store.now());
  const folder = join(importsRoot, name);
  activeImports.add(name);
  try {
    const db = await openAccountDb(getRxStorageSQLite({ path: folder }), accountId);
    let count = 0;
    try {
      let batch: { event: StoredEvent; lineNumber: number }[] = [];
      const flush = async (): Promise<void> => {
        if (batch.length === 0) return;
        await writeBatch(db.collections.events.storageInstance, batch);
        count += batch.length;
        batch = [];
      };
      for await (const line of readExport(path)) {
        if (line.event.accountId !== accountId) throw lineError(line.lineNumber, 'the file changed while it was imported');
        batch.push(line);
        if (batch.length >= batchSize) await flush();
      }
      await flush();
    } finally {
      await db.db.close();
    }
    store.setLocalUser(accountId, user);
    const built = accountFilePath(folder, accountId);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(built + suffix)) renameSync(built + suffix, accountFilePath(store.dataDir, accountId) + suffix);
    }
    renameSync(built, accountFilePath(store.dataDir, accountId));
    return count;
  } finally {
    activeImports.delete(name);
    rmSync(folder, { recursive: true, force: true });
  }
}

type EventsInstance = Awaited<ReturnType<typeof openAccountDb>>['collections']['events']['storageInstance'];

async function writeBatch(instance: EventsInstance, batch: readonly { event: StoredEvent; lineNumber: number }[]): Promise<void> {
  const lineOf = new Map<string, number>();
  for (const { event, lineNumber } of batch) {
    if (lineOf.has(event.id)) throw lineError(lineNumber, `the event ${event.id} is already on line ${lineOf.get(event.id)}`);
    lineOf.set(event.id, lineNumber);
  }
  const rows = batch.map(({ event }) => ({
    document: { ...event, _deleted: false, _attachments: {}, _rev: '', _meta: { lwt: 0 } },
  }));
  const result = await instance.bulkWrite(rows, 'import');
  const first = result.error[0];
  if (first) {
    const lineNumber = lineOf.get(first.documentId) ?? 0;
    if (first.status === 409) throw lineError(lineNumber, `the event ${first.documentId} is already on an earlier line`);
    throw new Error(`The event ${first.documentId} could not be stored (status ${first.status}).`);
  }
}

/** Each line of the export parsed and checked, with its 1-based number. */
async function* readExport(path: string): AsyncGenerator<{ event: StoredEvent; lineNumber: number }> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const text of lines) {
      lineNumber++;
      yield { event: parseLine(text, lineNumber), lineNumber };
    }
  } finally {
    lines.close();
  }
}

function parseLine(text: string, lineNumber: number): StoredEvent {
  if (text.trim() === '') throw lineError(lineNumber, 'the line is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw lineError(lineNumber, 'the line is not JSON');
  }
  const result = isFoldable(value) ? validateEvent(value) : validateEnvelope(value);
  if (!result.ok) throw lineError(lineNumber, result.message, result.errors);
  return result.value;
}

/** Known action and version, not refused by the server: must be a whole, valid event. */
function isFoldable(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  const { action, v } = value as { action?: unknown; v?: unknown };
  if ('rejection' in value) return false;
  if (typeof action !== 'string' || !isKnownAction(action)) return false;
  return typeof v !== 'number' || v <= CATALOGUE[action].current;
}

function lineError(lineNumber: number, problem: string, errors?: readonly string[]): AppError {
  return new AppError('invalid_input', `Line ${lineNumber} of the export is refused: ${problem}. Nothing was imported.`, {
    line: lineNumber,
    ...(errors ? { errors } : {}),
  });
}
