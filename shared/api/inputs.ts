// One parser per command input: `unknown` in, the typed input out, or `AppError('invalid_input')` with a
// message that names the field and the rule. The core runs them on everything that crosses the boundary
// (src-main/api/handlers.ts); the renderer may reuse them to check a form before sending it (a refused
// field is named in the error's `details.field`).
//
// Hand-written checks with no code generation (the renderer's CSP forbids what ajv does). Caps are the
// ones of the event catalogue (shared/events/text.ts), counted the same way: titles, names and tags in
// characters (code points) after trimming, descriptions and comments in UTF-8 bytes as typed.
//
// An input is a plain object holding only the fields its command knows (an unknown field is refused, so
// a typo never passes silently); the parsed value is a fresh object with only those fields.
import { AppError } from '../errors';
import { ACTION_PATTERN } from '../events/actions';
import {
  COMMENT_MAX_BYTES,
  DESCRIPTION_MAX_BYTES,
  INSTANT_PATTERN,
  NAME_MAX_CHARS,
  TAG_MAX_CHARS,
  TITLE_MAX_CHARS,
  codePointLength,
  isCalendarDate,
  utf8ByteLength,
} from '../events/text';
import { ID_MAX_LENGTH, isId } from '../ids';
import { CARD_STATUSES, PAGE_LIMIT_MAX, type CardStatus } from '../model/views';
import type { CommandName, InputOf } from './contract';

/** Longest search text of the board filters. */
export const SEARCH_MAX_CHARS = 1000;
/** Most actions one activity filter may name. */
export const ACTION_FILTER_MAX = 64;
/** Longest page cursor (cursors are opaque; the ones the core gives out are far shorter). */
export const CURSOR_MAX_LENGTH = 256;

// --- Fields -----------------------------------------------------------------------------------------

/** How one field is read. `label` names it in messages ("the card id"). */
type Field<T, IsOptional extends boolean = false> = {
  readonly isOptional: IsOptional;
  readonly label: string;
  read(value: unknown): T;
};

type AnyField = Field<unknown, boolean>;
type ValueOf<F> = F extends Field<infer T, boolean> ? T : never;
type RequiredKeys<F> = { [K in keyof F]: F[K] extends Field<unknown, false> ? K : never }[keyof F];
type OptionalKeys<F> = Exclude<keyof F, RequiredKeys<F>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type ShapeOf<F> = Simplify<{ [K in RequiredKeys<F>]: ValueOf<F[K]> } & { [K in OptionalKeys<F>]?: ValueOf<F[K]> }>;

function field<T>(label: string, read: (value: unknown, label: string) => T): Field<T> {
  return { isOptional: false, label, read: (value) => read(value, label) };
}

/** The field may be left out (`undefined` counts as left out). */
function optional<T>(inner: Field<T>): Field<T, true> {
  return { isOptional: true, label: inner.label, read: inner.read };
}

function refuse(label: string, problem: string, fieldName?: string): never {
  const message = `${capitalize(label)} ${problem}`;
  throw new AppError('invalid_input', message, fieldName === undefined ? undefined : { field: fieldName });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function id(label: string): Field<string> {
  return field(label, (value, name) => {
    if (typeof value !== 'string') refuse(name, 'must be an id (text).');
    if (!isId(value)) refuse(name, `must be an id: 1 to ${ID_MAX_LENGTH} letters, digits, “_” or “-”.`);
    return value;
  });
}

/** One line a person typed (a title, a name, a tag): trimmed, not empty, at most `maxChars` characters. */
function line(label: string, maxChars: number, options: { isSingleLine?: boolean } = {}): Field<string> {
  return field(label, (value, name) => {
    if (typeof value !== 'string') refuse(name, 'must be text.');
    const trimmed = value.trim();
    if (trimmed.length === 0) refuse(name, 'cannot be empty.');
    if (trimmed.length > maxChars && codePointLength(trimmed) > maxChars) {
      refuse(name, `is too long: at most ${maxChars} characters.`);
    }
    if (options.isSingleLine === true && /[\r\n]/.test(trimmed)) refuse(name, 'must fit on one line.');
    return trimmed;
  });
}

/** Text kept as typed (a description, a comment): at most `maxBytes` bytes of UTF-8. */
function longText(label: string, maxBytes: number, options: { canBeBlank: boolean }): Field<string> {
  return field(label, (value, name) => {
    if (typeof value !== 'string') refuse(name, 'must be text.');
    if (!options.canBeBlank && value.trim().length === 0) refuse(name, 'cannot be empty.');
    if (value.length * 3 > maxBytes && utf8ByteLength(value) > maxBytes) {
      refuse(name, `is too long: at most ${maxBytes / 1024} KiB.`);
    }
    return value;
  });
}

function calendarDateOrNull(label: string): Field<string | null> {
  return field(label, (value, name) => {
    if (value === null) return null;
    if (!isCalendarDate(value)) refuse(name, 'must be a calendar date written YYYY-MM-DD, or null for none.');
    return value;
  });
}

function instant(label: string): Field<string> {
  const pattern = new RegExp(INSTANT_PATTERN);
  return field(label, (value, name) => {
    if (typeof value !== 'string' || !pattern.test(value) || Number.isNaN(Date.parse(value))) {
      refuse(name, 'must be an instant written like 2025-01-31T09:30:00.000Z.');
    }
    return value;
  });
}

function oneOf<const U extends string>(label: string, values: readonly U[]): Field<U> {
  return field(label, (value, name) => {
    if (!isOneOf(values, value)) refuse(name, `must be one of: ${values.join(', ')}.`);
    return value;
  });
}

function isOneOf<U extends string>(values: readonly U[], value: unknown): value is U {
  return values.some((candidate) => candidate === value);
}

function pageLimit(): Field<number> {
  return field('the page size', (value, name) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > PAGE_LIMIT_MAX) {
      refuse(name, `must be a whole number from 1 to ${PAGE_LIMIT_MAX}.`);
    }
    return value;
  });
}

function cursor(): Field<string | null> {
  return field('the page cursor', (value, name) => {
    if (value === null) return null;
    if (typeof value !== 'string' || value.length === 0 || value.length > CURSOR_MAX_LENGTH) {
      refuse(name, 'must be the nextCursor of the previous page, or null for the newest page.');
    }
    return value;
  });
}

function actionList(): Field<string[]> {
  const pattern = new RegExp(ACTION_PATTERN);
  return field('the action filter', (value, name) => {
    if (!Array.isArray(value) || value.length === 0 || value.length > ACTION_FILTER_MAX) {
      refuse(name, `must list 1 to ${ACTION_FILTER_MAX} actions.`);
    }
    const actions: string[] = [];
    for (const action of value as unknown[]) {
      if (typeof action !== 'string' || !pattern.test(action)) refuse(name, 'must list action names such as card_moved.');
      if (!actions.includes(action)) actions.push(action);
    }
    return actions;
  });
}

/** A search: text of at most SEARCH_MAX_CHARS characters; blank means no search. */
function search(): Field<string | undefined> {
  return field('the search', (value, name) => {
    if (typeof value !== 'string') refuse(name, 'must be text.');
    if (value.length > SEARCH_MAX_CHARS && codePointLength(value) > SEARCH_MAX_CHARS) {
      refuse(name, `is too long: at most ${SEARCH_MAX_CHARS} characters.`);
    }
    const trimmed = value.trim();
    return trimmed.length === 0 ? undefined : trimmed;
  });
}

// --- Objects ----------------------------------------------------------------------------------------

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Reads `raw` as an object with exactly the fields of `fields` (optional ones may be missing), each read
 * by its field. `what` names the whole in messages ("the input of card.move", "the board filters").
 */
function readShape<const F extends Record<string, AnyField>>(what: string, fields: F, raw: unknown, path = ''): ShapeOf<F> {
  if (!isPlainObject(raw)) {
    const names = Object.keys(fields);
    refuse(what, names.length === 0 ? 'must be an empty object.' : `must be an object with ${names.join(', ')}.`);
  }
  const unknown = Object.keys(raw).filter((key) => !Object.hasOwn(fields, key));
  if (unknown.length > 0) {
    const known = Object.keys(fields);
    const expected = known.length === 0 ? 'it takes none' : `expected ${known.join(', ')}`;
    refuse(what, `has unknown ${unknown.length === 1 ? 'field' : 'fields'} ${unknown.map((k) => `“${k}”`).join(', ')}: ${expected}.`);
  }
  const parsed: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(fields)) {
    const value = raw[key];
    if (value === undefined) {
      if (!spec.isOptional) refuse(spec.label, 'is missing.', path + key);
      continue;
    }
    try {
      const read = spec.read(value);
      if (read !== undefined) parsed[key] = read;
    } catch (error) {
      if (error instanceof AppError && error.details === undefined) {
        throw new AppError(error.code, error.message, { field: path + key });
      }
      throw error;
    }
  }
  return parsed as ShapeOf<F>;
}

/** A parser for a command's whole input: an object with these fields. */
function shape<const F extends Record<string, AnyField>>(command: CommandName, fields: F): (raw: unknown) => ShapeOf<F> {
  return (raw) => readShape(`the input of ${command}`, fields, raw === undefined && Object.keys(fields).every((k) => fields[k]!.isOptional) ? {} : raw);
}

/** A field holding an object of these fields (the board filters). */
function nested<const F extends Record<string, AnyField>>(label: string, fields: F, path: string): Field<ShapeOf<F>> {
  return field(label, (value, name) => readShape(name, fields, value, `${path}.`));
}

/** Refuses a placement naming both neighbours. */
function onePlacement<T extends object>(parse: (raw: unknown) => T, after: keyof T & string, before: keyof T & string, what: string) {
  return (raw: unknown): T => {
    const parsed = parse(raw);
    if (parsed[after] !== undefined && parsed[before] !== undefined) {
      throw new AppError('invalid_input', `Give either the ${what} to place after or the one to place before, not both.`, {
        field: before,
      });
    }
    return parsed;
  };
}

// --- The parsers ------------------------------------------------------------------------------------

const boardId = id('the board id');
const columnId = id('the column id');
const cardId = id('the card id');
const commentId = id('the comment id');
const cardName = line('the title', TITLE_MAX_CHARS);
const tag = line('the tag', TAG_MAX_CHARS, { isSingleLine: true });
const page = { cursor: optional(cursor()), limit: pageLimit() };
const activityFilters = {
  actions: optional(actionList()),
  creatorId: optional(id('the person filter')),
};
const boardFilters = nested(
  'the board filters',
  {
    assigneeId: optional(id('the assignee filter')),
    tag: optional(line('the tag filter', TAG_MAX_CHARS, { isSingleLine: true })),
    status: optional(oneOf<CardStatus>('the status filter', CARD_STATUSES)),
    text: optional(search()),
  },
  'filters',
);

type Parsers = { readonly [C in CommandName]: (raw: unknown) => InputOf<C> };

export const INPUT_PARSERS = {
  'accounts.list': shape('accounts.list', {}),
  'accounts.create': shape('accounts.create', {
    name: line('the account name', NAME_MAX_CHARS),
    userName: optional(line('your name', NAME_MAX_CHARS)),
  }),
  'accounts.switch': shape('accounts.switch', { accountId: id('the account id') }),
  'account.get': shape('account.get', {}),

  'board.list': shape('board.list', {}),
  'board.get': shape('board.get', { boardId, filters: optional(boardFilters) }),
  'board.create': shape('board.create', { name: line('the board name', NAME_MAX_CHARS) }),
  'board.rename': shape('board.rename', { boardId, name: line('the board name', NAME_MAX_CHARS) }),
  'board.delete': shape('board.delete', { boardId }),

  'column.create': onePlacement(
    shape('column.create', {
      boardId,
      name: line('the column name', NAME_MAX_CHARS),
      afterColumnId: optional(id('the column to place after')),
      beforeColumnId: optional(id('the column to place before')),
    }),
    'afterColumnId',
    'beforeColumnId',
    'column',
  ),
  'column.rename': shape('column.rename', { columnId, name: line('the column name', NAME_MAX_CHARS) }),
  'column.move': onePlacement(
    shape('column.move', {
      columnId,
      afterColumnId: optional(id('the column to place after')),
      beforeColumnId: optional(id('the column to place before')),
    }),
    'afterColumnId',
    'beforeColumnId',
    'column',
  ),
  'column.delete': shape('column.delete', { columnId }),
  'column.restore': shape('column.restore', { columnId }),

  'card.get': shape('card.get', { cardId }),
  'card.timeline': shape('card.timeline', { cardId, ...page }),
  'card.create': onePlacement(
    shape('card.create', {
      boardId,
      columnId,
      title: cardName,
      afterCardId: optional(id('the card to place after')),
      beforeCardId: optional(id('the card to place before')),
    }),
    'afterCardId',
    'beforeCardId',
    'card',
  ),
  'card.move': onePlacement(
    shape('card.move', {
      cardId,
      toColumnId: id('the column to move to'),
      afterCardId: optional(id('the card to place after')),
      beforeCardId: optional(id('the card to place before')),
    }),
    'afterCardId',
    'beforeCardId',
    'card',
  ),
  'card.rename': shape('card.rename', { cardId, title: cardName }),
  'card.describe': shape('card.describe', {
    cardId,
    description: longText('the description', DESCRIPTION_MAX_BYTES, { canBeBlank: true }),
  }),
  'card.close': shape('card.close', { cardId }),
  'card.reopen': shape('card.reopen', { cardId }),
  'card.assign': shape('card.assign', { cardId, userId: id('the person id') }),
  'card.unassign': shape('card.unassign', { cardId, userId: id('the person id') }),
  'card.tag': shape('card.tag', { cardId, tag }),
  'card.untag': shape('card.untag', { cardId, tag }),
  'card.setDueDate': shape('card.setDueDate', { cardId, dueDate: calendarDateOrNull('the due date') }),
  'card.delete': shape('card.delete', { cardId }),
  'card.restore': shape('card.restore', { cardId }),

  'comment.create': shape('comment.create', {
    cardId,
    body: longText('the comment', COMMENT_MAX_BYTES, { canBeBlank: false }),
  }),
  'comment.edit': shape('comment.edit', {
    commentId,
    body: longText('the comment', COMMENT_MAX_BYTES, { canBeBlank: false }),
  }),
  'comment.delete': shape('comment.delete', { commentId }),
  'comment.restore': shape('comment.restore', { commentId }),

  'activity.board': shape('activity.board', { boardId, ...activityFilters, ...page }),
  'activity.account': shape('activity.account', { ...activityFilters, ...page }),

  'event.undo': shape('event.undo', { eventId: id('the event id') }),

  'backup.create': shape('backup.create', {}),
  'backup.list': shape('backup.list', {}),
  'backup.restore': shape('backup.restore', { backupId: line('the backup id', 255, { isSingleLine: true }) }),
  'audit.export': shape('audit.export', { from: optional(instant('the start')), to: optional(instant('the end')) }),
  'diagnostics.export': shape('diagnostics.export', {}),
} satisfies Parsers;

/** The input of `command`, checked; `invalid_input` (with `details.field` when one field is at fault). */
export function parseInput<C extends CommandName>(command: C, raw: unknown): InputOf<C> {
  const parsers: Parsers = INPUT_PARSERS;
  const parse: (raw: unknown) => InputOf<C> = parsers[command];
  return parse(raw);
}
