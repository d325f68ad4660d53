// What both sides of the core's API share and nothing heavy: which commands the router answers itself and
// which run inside one account (src-main/core/router.ts, src-main/api/handlers.ts), the handler-table type,
// and how a failure becomes a Result. Kept apart from handlers.ts so the router thread, which opens no
// account, does not load RxDB and the domain (it starts before any account thread can).
import type { CommandName, Contract } from '../../shared/api';
import { isAppError, type AppError } from '../../shared/errors';
import type { Logger } from '../../shared/node/logger';

/** The commands the core's router answers itself; every other command runs inside one account. */
export const ROUTER_COMMANDS = ['accounts.list', 'accounts.create', 'accounts.switch'] as const satisfies readonly CommandName[];
export type RouterCommandName = (typeof ROUTER_COMMANDS)[number];
export type AccountCommandName = Exclude<CommandName, RouterCommandName>;
export type AccountContract = Omit<Contract, RouterCommandName>;

const ROUTER_COMMAND_SET: ReadonlySet<string> = new Set(ROUTER_COMMANDS);

export function isRouterCommand(command: string): command is RouterCommandName {
  return ROUTER_COMMAND_SET.has(command);
}

type ContractShape = Record<string, { input: unknown; output: unknown }>;
/** One handler per command of `K`, each given `Context` and the parsed input. */
export type Handlers<K extends ContractShape, Context> = {
  [C in keyof K]: (core: Context, input: K[C]['input']) => Promise<K[C]['output']>;
};

const GENERIC_MESSAGE = 'Something went wrong inside Trailboard. The details are in its log.';

/** The Result failure for `error`: an AppError as it is; anything else logged with its stack, answered `internal`. */
export function failureOf(error: unknown, command: unknown, logger: Logger | undefined): { code: AppError['code']; message: string } {
  if (isAppError(error)) return { code: error.code, message: error.message };
  logger?.error('command failed', {
    command: typeof command === 'string' ? shownCommand(command) : typeof command,
    error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
  });
  return { code: 'internal', message: GENERIC_MESSAGE };
}

/** A command name as it may appear in a message or a log line (never more than 80 characters). */
export function shownCommand(command: unknown): string {
  const text = typeof command === 'string' ? command : String(command);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
