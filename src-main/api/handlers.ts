// The core's side of the API (shared/api/contract.ts): one handler per command, each a line calling the
// domain verb or query with the parsed input, and `dispatch`, the one entry every transport uses (the
// core's MessagePort, the web host's WebSocket). Nothing throws out of `dispatch`: an expected failure
// (AppError) keeps its code and message; anything else is a bug, logged with its stack and answered
// `internal` with a generic message (STYLE.md, "Errors").
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import {
  isCommandName,
  parseInput,
  succeeded,
  type AccountSummary,
  type BackupInfo,
  type CommandName,
  type Contract,
  type InputOf,
  type OutputOf,
  type Push,
  type Result,
} from '../../shared/api';
import { AppError, isAppError } from '../../shared/errors';
import type { Board } from '../../shared/model';
import type { Logger } from '../../shared/node/logger';
import { authorize } from '../domain/access';
import * as board from '../domain/board';
import * as card from '../domain/card';
import * as column from '../domain/column';
import * as comment from '../domain/comment';
import { findEntity, requireEntity, type DomainContext } from '../domain/context';
import * as event from '../domain/event';
import * as queries from '../domain/queries';
import { eventItem, findDocuments } from '../domain/queries/read';
import * as auditExport from '../store/audit-export';
import * as backup from '../store/backup';
import { readOrCreateDevice } from '../store/device';
import type { AccountSession, Store } from '../store/store';
import * as diagnostics from './diagnostics';
import { exportPath } from './exports';

/**
 * What the handlers work on: the store and which of its accounts the person is in. The session is opened
 * per call (`store.openAccount` answers the open one at once), never kept: a restore replaces it.
 */
export type Core = {
  readonly store: Store;
  /** The current account; `accounts.switch` and `accounts.create` change it. */
  accountId: string;
  /** Where unexpected failures are logged with their stack. */
  readonly logger?: Logger | undefined;
  /** Tells the renderer what changed outside the event log (the current account). */
  readonly push?: ((push: Push) => void) | undefined;
};

type ContractShape = Record<string, { input: unknown; output: unknown }>;
export type Handlers<K extends ContractShape> = { [C in keyof K]: (core: Core, input: K[C]['input']) => Promise<K[C]['output']> };

export const handlers = {
  'accounts.list': (core) => listAccounts(core),
  'accounts.create': (core, input) => createAccount(core, input),
  'accounts.switch': (core, { accountId }) => switchAccount(core, accountId),
  'account.get': (core) => accountView(core),

  'board.list': async (core) => listBoards(await context(core)),
  'board.get': async (core, { boardId, filters }) => queries.board(await context(core), boardId, filters),
  'board.create': async (core, input) => board.create(await context(core), input),
  'board.rename': async (core, { boardId, name }) => board.rename(await context(core), boardId, name),
  'board.delete': async (core, { boardId }) => board.remove(await context(core), boardId),

  'column.create': async (core, input) => column.create(await context(core), input),
  'column.rename': async (core, { columnId, name }) => column.rename(await context(core), columnId, name),
  'column.move': async (core, { columnId, ...place }) => column.move(await context(core), columnId, place),
  'column.delete': async (core, { columnId }) => column.remove(await context(core), columnId),
  'column.restore': async (core, { columnId }) => column.restore(await context(core), columnId),

  'card.get': async (core, { cardId }) => queries.card(await context(core), cardId),
  'card.timeline': async (core, { cardId, ...page }) => queries.timeline(await context(core), cardId, page),
  'card.create': async (core, input) => card.create(await context(core), input),
  'card.move': async (core, { cardId, ...to }) => card.move(await context(core), cardId, to),
  'card.rename': async (core, { cardId, title }) => card.rename(await context(core), cardId, title),
  'card.describe': async (core, { cardId, description }) => card.describe(await context(core), cardId, description),
  'card.close': async (core, { cardId }) => card.close(await context(core), cardId),
  'card.reopen': async (core, { cardId }) => card.reopen(await context(core), cardId),
  'card.assign': async (core, { cardId, userId }) => card.assign(await context(core), cardId, userId),
  'card.unassign': async (core, { cardId, userId }) => card.unassign(await context(core), cardId, userId),
  'card.tag': async (core, { cardId, tag }) => card.tag(await context(core), cardId, tag),
  'card.untag': async (core, { cardId, tag }) => card.untag(await context(core), cardId, tag),
  'card.setDueDate': async (core, { cardId, dueDate }) => card.setDueDate(await context(core), cardId, dueDate),
  'card.delete': async (core, { cardId }) => card.remove(await context(core), cardId),
  'card.restore': async (core, { cardId }) => card.restore(await context(core), cardId),

  'comment.create': async (core, input) => comment.create(await context(core), input),
  'comment.edit': async (core, { commentId, body }) => comment.edit(await context(core), commentId, body),
  'comment.delete': async (core, { commentId }) => comment.remove(await context(core), commentId),
  'comment.restore': async (core, { commentId }) => comment.restore(await context(core), commentId),

  'activity.board': async (core, { boardId, ...request }) => queries.boardActivity(await context(core), boardId, request),
  'activity.account': async (core, request) => queries.accountActivity(await context(core), request),

  'event.undo': async (core, { eventId }) => undo(await context(core), eventId),

  'backup.create': async (core) => backupInfo(await backup.create(core.store, core.accountId)),
  'backup.list': (core) => Promise.resolve(backup.list(core.store, core.accountId).map(backupInfo)),
  'backup.restore': (core, { backupId }) => restoreBackup(core, backupId),
  'audit.export': (core, range) => exportAudit(core, range),
  'diagnostics.export': (core) => Promise.resolve(diagnostics.exportDiagnostics(core.store, core.logger)),
} satisfies Handlers<Contract>;

/**
 * Runs `command` with `rawInput` (anything that crossed the boundary) and answers a Result: the input
 * parsed first (`invalid_input`, nothing run), then the handler. Never throws.
 */
export async function dispatch(core: Core, command: string, rawInput: unknown): Promise<Result<unknown>> {
  try {
    if (!isCommandName(command)) throw new AppError('invalid_input', `There is no command “${shown(command)}”.`);
    return succeeded(await run(core, command, rawInput));
  } catch (error) {
    return { ok: false, error: failureOf(error, command, core.logger) };
  }
}

function run<C extends CommandName>(core: Core, command: C, rawInput: unknown): Promise<OutputOf<C>> {
  const input: InputOf<C> = parseInput(command, rawInput);
  const table: Handlers<Contract> = handlers;
  const handler: Handlers<Contract>[C] = table[command];
  return gated(core, EXCLUSIVE_COMMANDS.has(command), () => handler(core, input));
}

/**
 * Commands that close the current account's database (switching accounts, restoring its file) run alone:
 * they wait for the commands already running, and commands arriving meanwhile wait for them, so no
 * command ever finds its database closed under it.
 */
const EXCLUSIVE_COMMANDS: ReadonlySet<CommandName> = new Set(['accounts.create', 'accounts.switch', 'backup.restore']);

type Gate = { running: Set<Promise<unknown>>; exclusive: Promise<unknown> | undefined };
const gates = new WeakMap<Core, Gate>();

async function gated<T>(core: Core, isExclusive: boolean, work: () => Promise<T>): Promise<T> {
  let gate = gates.get(core);
  if (!gate) gates.set(core, (gate = { running: new Set(), exclusive: undefined }));
  for (let ahead = gate.exclusive; ahead; ahead = gate.exclusive) await ahead.catch(() => undefined);
  if (isExclusive) {
    const running = [...gate.running];
    const done = (async () => {
      await Promise.allSettled(running);
      return work();
    })();
    gate.exclusive = done;
    try {
      return await done;
    } finally {
      if (gate.exclusive === done) gate.exclusive = undefined;
    }
  }
  const done = work();
  gate.running.add(done);
  try {
    return await done;
  } finally {
    gate.running.delete(done);
  }
}

const GENERIC_MESSAGE = 'Something went wrong inside Trailboard. The details are in its log.';

function failureOf(error: unknown, command: unknown, logger: Logger | undefined): { code: AppError['code']; message: string } {
  if (isAppError(error)) return { code: error.code, message: error.message };
  logger?.error('command failed', {
    command: typeof command === 'string' ? shown(command) : typeof command,
    error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
  });
  return { code: 'internal', message: GENERIC_MESSAGE };
}

/** A command name as it may appear in a message or a log line (never more than 80 characters). */
function shown(command: unknown): string {
  const text = typeof command === 'string' ? command : String(command);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

// --- The few handlers longer than a line ----------------------------------------------------------------

async function session(core: Core): Promise<AccountSession> {
  return core.store.openAccount(core.accountId);
}

async function context(core: Core): Promise<DomainContext> {
  return (await session(core)).context();
}

/**
 * The accounts on this device. Only the current one is open (the open-source RxDB allows 13 open
 * collections per process and an account has 8), so the others' names are not known here: `name` is null
 * for them until the store records names beside the local users (see the report of issue 4).
 */
async function listAccounts(core: Core): Promise<AccountSummary[]> {
  const device = readOrCreateDevice(core.store.dataDir, core.store.now());
  const summaries: AccountSummary[] = [];
  for (const accountId of core.store.listAccountIds()) {
    const user = device.users[accountId];
    if (accountId === core.accountId) summaries.push(await currentSummary(core));
    // A file of an account this device has no user for (left by a failed import, say) is not listed.
    else if (user) summaries.push({ id: accountId, name: null, user: { id: user.id, name: user.name }, isCurrent: false });
  }
  return summaries;
}

async function currentSummary(core: Core): Promise<AccountSummary> {
  const opened = await session(core);
  const account = await findEntity(opened.context(), 'accounts', core.accountId);
  return { id: core.accountId, name: account?.name ?? null, user: { id: opened.user.id, name: opened.user.name }, isCurrent: true };
}

async function createAccount(core: Core, input: InputOf<'accounts.create'>): Promise<AccountSummary> {
  const userName = input.userName ?? (await session(core)).user.name;
  const previous = core.accountId;
  await core.store.closeAccount(previous);
  const created = await core.store.createAccount({ name: input.name, userName });
  return becomeCurrent(core, created.account.id, previous);
}

async function switchAccount(core: Core, accountId: string): Promise<AccountSummary> {
  if (!core.store.listAccountIds().includes(accountId)) throw new AppError('not_found', 'There is no such account on this device.');
  const previous = core.accountId;
  if (accountId !== previous) await core.store.closeAccount(previous);
  return becomeCurrent(core, accountId, previous);
}

/** Makes `accountId` current (one account open at a time); if it cannot be opened, `previous` stays current. */
async function becomeCurrent(core: Core, accountId: string, previous: string): Promise<AccountSummary> {
  core.accountId = accountId;
  try {
    const summary = await currentSummary(core);
    core.push?.({ topic: 'accounts.changed', payload: { currentAccountId: accountId } });
    return summary;
  } catch (error) {
    core.accountId = previous;
    throw error;
  }
}

async function accountView(core: Core): Promise<OutputOf<'account.get'>> {
  const ctx = await context(core);
  const me = await authorize(ctx, 'account.view');
  const [account, record] = await Promise.all([
    requireEntity(ctx, 'accounts', ctx.account.accountId),
    findEntity(ctx, 'members', ctx.account.accountId),
  ]);
  return {
    account,
    me: { id: me.id, name: me.name, role: me.role },
    members: (record?.members ?? []).map((member) => ({ id: member.id, name: member.name, role: member.role })),
  };
}

/** The account's boards that are not deleted, by name. */
async function listBoards(ctx: DomainContext): Promise<Board[]> {
  await authorize(ctx, 'board.view');
  const boards = await findDocuments(ctx.account.collections.boards, { selector: { isDeleted: false } });
  return boards.sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

async function undo(ctx: DomainContext, eventId: string): Promise<OutputOf<'event.undo'>> {
  const result = await event.undo(ctx, eventId);
  return { undone: eventItem(result.undone), compensation: eventItem(result.event), entity: result.entity };
}

function backupInfo(info: backup.BackupInfo): BackupInfo {
  return { id: basename(info.path), kind: info.kind, takenAt: new Date(info.takenAt).toISOString(), bytes: statSync(info.path).size };
}

async function restoreBackup(core: Core, backupId: string): Promise<BackupInfo> {
  const found = backup.list(core.store, core.accountId).find((info) => basename(info.path) === backupId);
  if (!found) throw new AppError('not_found', 'There is no backup of this account by that name; choose one from the list.');
  const restored = backupInfo(found);
  await backup.restore(core.store, core.accountId, found.path);
  core.push?.({ topic: 'accounts.changed', payload: { currentAccountId: core.accountId } });
  return restored;
}

async function exportAudit(core: Core, range: InputOf<'audit.export'>): Promise<OutputOf<'audit.export'>> {
  const path = exportPath(core.store, `audit-${core.accountId}`, 'jsonl');
  const written = await auditExport.exportEvents(core.store, core.accountId, path, {
    fromMs: range.from === undefined ? undefined : Date.parse(range.from),
    toMs: range.to === undefined ? undefined : Date.parse(range.to),
  });
  return { fileName: basename(written.path), path: written.path, bytes: statSync(written.path).size, eventCount: written.count };
}
