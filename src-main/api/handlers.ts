// The core's side of the API (shared/api/contract.ts) for ONE account: one handler per command, each a line
// calling the domain verb or query with the parsed input, and `dispatch`, the entry the account's thread
// serves (src-main/core/account-thread.ts). The few commands about the device's accounts as a whole
// (`ROUTER_COMMANDS`: list, create, switch) are answered by the core's router thread (src-main/core/router.ts),
// which forwards every other command to the current account's thread. Nothing throws out of `dispatch`: an
// expected failure (AppError) keeps its code and message; anything else is a bug, logged with its stack and
// answered `internal` with a generic message (STYLE.md, "Errors").
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import {
  isCommandName,
  parseInput,
  succeeded,
  type BackupInfo,
  type CommandName,
  type InputOf,
  type OutputOf,
  type Push,
  type Result,
} from '../../shared/api';
import { AppError } from '../../shared/errors';
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
import type { AccountSession, Store } from '../store/store';
import * as diagnostics from './diagnostics';
import {
  failureOf,
  isRouterCommand,
  shownCommand,
  type AccountCommandName,
  type AccountContract,
  type Handlers,
} from './commands';
import { exportPath } from './exports';

/**
 * What the handlers work on: the store and the one account they serve. The session is opened per call
 * (`store.openAccount` answers the open one at once), never kept: a restore replaces it.
 */
export type Core = {
  readonly store: Store;
  /** The account this core serves (an account thread serves one for its whole life). */
  readonly accountId: string;
  /** Where unexpected failures are logged with their stack. */
  readonly logger?: Logger | undefined;
  /** Tells the renderer what changed outside the event log (this account). */
  readonly push?: ((push: Push) => void) | undefined;
};

/** This account's handlers: every command but the router's. */
export type AccountHandlers = Handlers<AccountContract, Core>;

export const handlers = {
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
} satisfies AccountHandlers;

/**
 * Runs `command` with `rawInput` (anything that crossed the boundary) and answers a Result: the input
 * parsed first (`invalid_input`, nothing run), then the handler. Never throws.
 */
export async function dispatch(core: Core, command: string, rawInput: unknown): Promise<Result<unknown>> {
  try {
    if (!isCommandName(command)) throw new AppError('invalid_input', `There is no command “${shownCommand(command)}”.`);
    if (isRouterCommand(command)) {
      parseInput(command, rawInput); // a malformed input is refused as such
      throw new AppError('invalid_input', `“${command}” is answered by the core's router, not inside one account.`);
    }
    return succeeded(await run(core, command, rawInput));
  } catch (error) {
    return { ok: false, error: failureOf(error, command, core.logger) };
  }
}

function run<C extends AccountCommandName>(core: Core, command: C, rawInput: unknown): Promise<OutputOf<C>> {
  const input: InputOf<C> = parseInput(command, rawInput);
  const table: AccountHandlers = handlers;
  const handler: AccountHandlers[C] = table[command];
  return gated(core, EXCLUSIVE_COMMANDS.has(command), () => handler(core, input));
}

/**
 * Commands that close the account's database (restoring its file) run alone: they wait for the commands
 * already running, and commands arriving meanwhile wait for them, so no command ever finds its database
 * closed under it. (Switching accounts closes nothing: each open account keeps its own thread.)
 */
const EXCLUSIVE_COMMANDS: ReadonlySet<CommandName> = new Set(['backup.restore']);

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

// --- The few handlers longer than a line ----------------------------------------------------------------

async function session(core: Core): Promise<AccountSession> {
  return core.store.openAccount(core.accountId);
}

async function context(core: Core): Promise<DomainContext> {
  return (await session(core)).context();
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
