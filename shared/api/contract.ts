// The API between the renderer and the core: the commands the renderer may call, each with its input
// and output, and the pushes the core sends. The same contract runs over Electron's IPC bridge (through
// the core's MessagePort) and over the web host's WebSocket, so every type here is plain, serializable
// data. The core implements it: the accounts commands in its router (src-main/core/router.ts), every
// other one inside the current account's thread (src-main/api/handlers.ts); contract.test.ts checks that
// the two cover every command once. The renderer only ever sees these types (STYLE.md: the contract lives
// in shared and main implements it).
//
// Commands are keyed `<aggregate>.<verb>`, pushes `<topic>.<pastTense>`. Nothing throws across the
// boundary: every call answers a `Result`, a failure carries one of the closed set of error codes and a
// message fit to show a person. Inputs are checked in the core by the parsers of ./inputs.
import type { ErrorCode } from '../errors';
import type { Account, Board, Card, Column, Comment, Member, PersonRef } from '../model/entities';
import type { BoardFilters, BoardView, CardView, EventItem, Page } from '../model/views';

// --- Results ----------------------------------------------------------------------------------------

export type Failure = { code: ErrorCode; message: string };
export type Result<T> = { ok: true; value: T } | { ok: false; error: Failure };

export function succeeded<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function failed(code: ErrorCode, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

// --- Inputs -----------------------------------------------------------------------------------------
// What each command takes, as the parsers of ./inputs return it (ids checked, one-line texts trimmed).

/** A command that takes nothing: call it with `{}` (or nothing). */
export type NoInput = Record<string, never>;

/** Where a card goes in its column: after one card, before one, or (neither) at the end. */
export type CardPlacement = { afterCardId?: string; beforeCardId?: string };
/** Where a column goes among its board's columns: after one, before one, or (neither) at the end. */
export type ColumnPlacement = { afterColumnId?: string; beforeColumnId?: string };

/** A newest-first page: `cursor` from the previous page's `nextCursor` (absent or null for the first). */
export type PageInput = { cursor?: string | null; limit: number };

export type AccountCreateInput = { name: string; userName?: string };
export type AccountSwitchInput = { accountId: string };

export type BoardGetInput = { boardId: string; filters?: BoardFilters };
export type BoardCreateInput = { name: string };
export type BoardRenameInput = { boardId: string; name: string };
export type BoardIdInput = { boardId: string };

export type ColumnCreateInput = { boardId: string; name: string } & ColumnPlacement;
export type ColumnRenameInput = { columnId: string; name: string };
export type ColumnMoveInput = { columnId: string } & ColumnPlacement;
export type ColumnIdInput = { columnId: string };

export type CardIdInput = { cardId: string };
export type CardCreateInput = { boardId: string; columnId: string; title: string } & CardPlacement;
export type CardMoveInput = { cardId: string; toColumnId: string } & CardPlacement;
export type CardRenameInput = { cardId: string; title: string };
export type CardDescribeInput = { cardId: string; description: string };
export type CardPersonInput = { cardId: string; userId: string };
export type CardTagInput = { cardId: string; tag: string };
/** `dueDate`: a calendar date `YYYY-MM-DD`, or null to remove it. */
export type CardDueDateInput = { cardId: string; dueDate: string | null };
export type CardTimelineInput = { cardId: string } & PageInput;

export type CommentCreateInput = { cardId: string; body: string };
export type CommentEditInput = { commentId: string; body: string };
export type CommentIdInput = { commentId: string };

/** Filters of an activity feed: only these actions, only this person's events. */
export type ActivityFilters = { actions?: string[]; creatorId?: string };
export type BoardActivityInput = { boardId: string } & ActivityFilters & PageInput;
export type AccountActivityInput = ActivityFilters & PageInput;

export type EventUndoInput = { eventId: string };

export type BackupRestoreInput = { backupId: string };
/** Events created in `[from, to)` (ISO instants); either bound may be left out. */
export type AuditExportInput = { from?: string; to?: string };

// --- Outputs ----------------------------------------------------------------------------------------

/** An account on this device, as the account switcher lists it. */
export type AccountSummary = {
  id: string;
  /** Null for an account that is not open while the store keeps no names. */
  name: string | null;
  /** The person using it on this device. */
  user: PersonRef;
  isCurrent: boolean;
  /** Open in the core: an account stays open (in its own thread) after switching away from it. */
  isOpen: boolean;
};

/** The current account: who I am in it and who else belongs to it (for assignee pickers and filters). */
export type AccountView = {
  account: Account;
  me: Member;
  members: Member[];
};

/** What undo recorded: the compensating event (with its sentence) and the entity after it. */
export type UndoOutcome = {
  /** The event undone (it stays in the log). */
  undone: EventItem;
  /** The compensating event just recorded. */
  compensation: EventItem;
  entity: Board | Column | Card | Comment;
};

/** A snapshot of the current account's file. */
export type BackupInfo = {
  /** Its name among the account's backups: pass it to `backup.restore`. */
  id: string;
  /** Taken on demand or by the daily schedule. */
  kind: 'manual' | 'daily';
  /** When it was taken (ISO instant). */
  takenAt: string;
  bytes: number;
};

/**
 * A file the core wrote into the data folder's `exports/` for the person to keep. Large (an audit log can
 * hold millions of events), so it does not travel through the API: the shell offers it (Electron: save or
 * show in its folder; the web host: a download).
 */
export type ExportedFile = {
  fileName: string;
  /** Where the core wrote it. */
  path: string;
  bytes: number;
};

export type AuditExport = ExportedFile & { eventCount: number };

// --- The commands -----------------------------------------------------------------------------------

type Command<I, O> = { input: I; output: O };

export type Contract = {
  'accounts.list': Command<NoInput, AccountSummary[]>;
  'accounts.create': Command<AccountCreateInput, AccountSummary>;
  'accounts.switch': Command<AccountSwitchInput, AccountSummary>;
  'account.get': Command<NoInput, AccountView>;

  'board.list': Command<NoInput, Board[]>;
  'board.get': Command<BoardGetInput, BoardView>;
  'board.create': Command<BoardCreateInput, Board>;
  'board.rename': Command<BoardRenameInput, Board>;
  'board.delete': Command<BoardIdInput, Board>;

  'column.create': Command<ColumnCreateInput, Column>;
  'column.rename': Command<ColumnRenameInput, Column>;
  'column.move': Command<ColumnMoveInput, Column>;
  'column.delete': Command<ColumnIdInput, Column>;
  'column.restore': Command<ColumnIdInput, Column>;

  'card.get': Command<CardIdInput, CardView>;
  'card.timeline': Command<CardTimelineInput, Page<EventItem>>;
  'card.create': Command<CardCreateInput, Card>;
  'card.move': Command<CardMoveInput, Card>;
  'card.rename': Command<CardRenameInput, Card>;
  'card.describe': Command<CardDescribeInput, Card>;
  'card.close': Command<CardIdInput, Card>;
  'card.reopen': Command<CardIdInput, Card>;
  'card.assign': Command<CardPersonInput, Card>;
  'card.unassign': Command<CardPersonInput, Card>;
  'card.tag': Command<CardTagInput, Card>;
  'card.untag': Command<CardTagInput, Card>;
  'card.setDueDate': Command<CardDueDateInput, Card>;
  'card.delete': Command<CardIdInput, Card>;
  'card.restore': Command<CardIdInput, Card>;

  'comment.create': Command<CommentCreateInput, Comment>;
  'comment.edit': Command<CommentEditInput, Comment>;
  'comment.delete': Command<CommentIdInput, Comment>;
  'comment.restore': Command<CommentIdInput, Comment>;

  'activity.board': Command<BoardActivityInput, Page<EventItem>>;
  'activity.account': Command<AccountActivityInput, Page<EventItem>>;

  'event.undo': Command<EventUndoInput, UndoOutcome>;

  'backup.create': Command<NoInput, BackupInfo>;
  'backup.list': Command<NoInput, BackupInfo[]>;
  'backup.restore': Command<BackupRestoreInput, BackupInfo>;
  'audit.export': Command<AuditExportInput, AuditExport>;
  'diagnostics.export': Command<NoInput, ExportedFile>;
};

export type CommandName = keyof Contract;
export type InputOf<C extends CommandName> = Contract[C]['input'];
export type OutputOf<C extends CommandName> = Contract[C]['output'];

/** Every command name, in the order of the contract. */
export const COMMANDS = [
  'accounts.list',
  'accounts.create',
  'accounts.switch',
  'account.get',
  'board.list',
  'board.get',
  'board.create',
  'board.rename',
  'board.delete',
  'column.create',
  'column.rename',
  'column.move',
  'column.delete',
  'column.restore',
  'card.get',
  'card.timeline',
  'card.create',
  'card.move',
  'card.rename',
  'card.describe',
  'card.close',
  'card.reopen',
  'card.assign',
  'card.unassign',
  'card.tag',
  'card.untag',
  'card.setDueDate',
  'card.delete',
  'card.restore',
  'comment.create',
  'comment.edit',
  'comment.delete',
  'comment.restore',
  'activity.board',
  'activity.account',
  'event.undo',
  'backup.create',
  'backup.list',
  'backup.restore',
  'audit.export',
  'diagnostics.export',
] as const satisfies readonly CommandName[];

// Every command of the contract is listed above (a missing one fails to compile here).
type Unlisted = Exclude<CommandName, (typeof COMMANDS)[number]>;
const _everyCommandListed: [Unlisted] extends [never] ? true : Unlisted = true;

const COMMAND_SET: ReadonlySet<string> = new Set(COMMANDS);

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && COMMAND_SET.has(value);
}

/** How the renderer calls the core: never throws for a refused command, answers a `Result`. */
export type Call = <C extends CommandName>(command: C, input: InputOf<C>) => Promise<Result<OutputOf<C>>>;

// --- Pushes -----------------------------------------------------------------------------------------
// What the core tells the renderer unasked. Payloads name what changed; the renderer asks again for what
// it shows (pushes never carry domain results the renderer would have to merge).

export type Pushes = {
  /** Events about this board (its own, its columns', cards' or comments') were applied. */
  'board.changed': { accountId: string; boardId: string };
  /** The account itself, its members or its list of boards changed. */
  'account.changed': { accountId: string };
  /** An account was added, removed or restored on this device, or another one became current. */
  'accounts.changed': { currentAccountId: string };
};

export type PushTopic = keyof Pushes;
export type PayloadOf<T extends PushTopic> = Pushes[T];
export type Push = { [T in PushTopic]: { topic: T; payload: Pushes[T] } }[PushTopic];

export const PUSH_TOPICS = ['board.changed', 'account.changed', 'accounts.changed'] as const satisfies readonly PushTopic[];

type UnlistedTopic = Exclude<PushTopic, (typeof PUSH_TOPICS)[number]>;
const _everyTopicListed: [UnlistedTopic] extends [never] ? true : UnlistedTopic = true;

/** How the renderer subscribes to a push; returns the unsubscribe. */
export type On = <T extends PushTopic>(topic: T, listener: (payload: Pushes[T]) => void) => () => void;

// --- Pushes of the desktop shell --------------------------------------------------------------------
// What the Electron shell (not the core) tells the page, on the same push channel as the core's pushes:
// a menu command the page carries out. The web host has no shell and sends none of these.

export type ShellPushes = {
  /** Edit ▸ Undo (or its shortcut) was used while focus was not in a text field: undo the last action. */
  'menu.undo': Record<string, never>;
};

export type ShellPushTopic = keyof ShellPushes;
export type ShellPush = { [T in ShellPushTopic]: { topic: T; payload: ShellPushes[T] } }[ShellPushTopic];

export const SHELL_PUSH_TOPICS = ['menu.undo'] as const satisfies readonly ShellPushTopic[];

type UnlistedShellTopic = Exclude<ShellPushTopic, (typeof SHELL_PUSH_TOPICS)[number]>;
const _everyShellTopicListed: [UnlistedShellTopic] extends [never] ? true : UnlistedShellTopic = true;
type SharedTopic = Extract<ShellPushTopic, PushTopic>;
const _noTopicOfBoth: [SharedTopic] extends [never] ? true : SharedTopic = true;

/** Everything the page can hear: the core's pushes and the shell's (topics never overlap). */
export type PagePushes = Pushes & ShellPushes;
export type PagePushTopic = keyof PagePushes;
export type PagePush = Push | ShellPush;

/** How the page subscribes to a push of the core or of the shell; returns the unsubscribe. */
export type PageOn = <T extends PagePushTopic>(topic: T, listener: (payload: PagePushes[T]) => void) => () => void;

// --- On the wire ------------------------------------------------------------------------------------
// The messages every transport carries (the core's MessagePort, the IPC channel pair, the WebSocket).
// The receiving side parses them: a message from outside is `unknown` until checked.

export type CallMessage = { type: 'call'; id: number; command: string; input: unknown };
export type ResultMessage = { type: 'result'; id: number; result: Result<unknown> };
export type PushMessage = { type: 'push'; push: Push };
