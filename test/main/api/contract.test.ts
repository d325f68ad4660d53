// The contract holds: every command has a handler and a parser (and nothing else does); every malformed
// input of every command is answered `invalid_input` and changes nothing on a real store (fuzzed with
// fast-check); well-formed inputs parse, and the text they carry fits the event catalogue's caps.
//
// The shapes below are this test's own description of each command's input (written from the contract,
// not from the parsers), so the parsers are checked against an independent statement of the rules.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMMANDS,
  INPUT_PARSERS,
  PUSH_TOPICS,
  parseInput,
  type CommandName,
  type Result,
} from '../../../shared/api';
import { AppError } from '../../../shared/errors';
import {
  commentBodySchema,
  conforms,
  descriptionSchema,
  nameSchema,
  tagSchema,
  titleSchema,
  type JsonSchema,
} from '../../../shared/events';
import { ROUTER_COMMANDS } from '../../../src-main/api/commands';
import { dispatch, handlers, type Core } from '../../../src-main/api/handlers';
import { EXPORTS_FOLDER } from '../../../src-main/api/exports';
import * as backup from '../../../src-main/store/backup';
import { openDomainFixture, type DomainFixture } from '../../support/domain-fixtures';
import { loopCount } from '../../support/long';

// --- This test's description of the inputs ------------------------------------------------------------

type Kind =
  | 'id'
  | 'title'
  | 'name'
  | 'tag'
  | 'description'
  | 'comment'
  | 'dueDate'
  | 'limit'
  | 'cursor'
  | 'actions'
  | 'instant'
  | 'filters'
  | 'backupId';

/** Real ids of the store the fuzzing runs on, so a mutated input differs from a working one in one field. */
type World = {
  accountId: string;
  userId: string;
  boardId: string;
  columnId: string;
  otherColumnId: string;
  cardId: string;
  otherCardId: string;
  commentId: string;
  eventId: string;
  backupId: string;
};

type FieldSpec = { kind: Kind; isOptional?: true; base?: (w: World) => unknown };
type InputSpec = Readonly<Record<string, FieldSpec>>;

const req = (kind: Kind, base: (w: World) => unknown): FieldSpec => ({ kind, base });
const opt = (kind: Kind): FieldSpec => ({ kind, isOptional: true });
const board = req('id', (w) => w.boardId);
const column = req('id', (w) => w.columnId);
const card = req('id', (w) => w.cardId);
const comment = req('id', (w) => w.commentId);
const limit = req('limit', () => 20);

const SPECS: Record<CommandName, InputSpec> = {
  'accounts.list': {},
  'accounts.create': { name: req('name', () => 'Side project'), userName: opt('name') },
  'accounts.switch': { accountId: req('id', (w) => w.accountId) },
  'account.get': {},
  'board.list': {},
  'board.get': { boardId: board, filters: opt('filters') },
  'board.create': { name: req('name', () => 'Another board') },
  'board.rename': { boardId: board, name: req('name', () => 'Renamed') },
  'board.delete': { boardId: board },
  'column.create': { boardId: board, name: req('name', () => 'Review'), afterColumnId: opt('id'), beforeColumnId: opt('id') },
  'column.rename': { columnId: column, name: req('name', () => 'Renamed') },
  'column.move': { columnId: column, afterColumnId: opt('id'), beforeColumnId: opt('id') },
  'column.delete': { columnId: req('id', (w) => w.otherColumnId) },
  'column.restore': { columnId: column },
  'card.get': { cardId: card },
  'card.timeline': { cardId: card, cursor: opt('cursor'), limit },
  'card.create': { boardId: board, columnId: column, title: req('title', () => 'New card'), afterCardId: opt('id'), beforeCardId: opt('id') },
  'card.move': { cardId: card, toColumnId: req('id', (w) => w.otherColumnId), afterCardId: opt('id'), beforeCardId: opt('id') },
  'card.rename': { cardId: card, title: req('title', () => 'Renamed') },
  'card.describe': { cardId: card, description: req('description', () => 'A new description') },
  'card.close': { cardId: card },
  'card.reopen': { cardId: req('id', (w) => w.otherCardId) },
  'card.assign': { cardId: card, userId: req('id', (w) => w.userId) },
  'card.unassign': { cardId: req('id', (w) => w.otherCardId), userId: req('id', (w) => w.userId) },
  'card.tag': { cardId: card, tag: req('tag', () => 'urgent') },
  'card.untag': { cardId: req('id', (w) => w.otherCardId), tag: req('tag', () => 'launch') },
  'card.setDueDate': { cardId: card, dueDate: req('dueDate', () => '2026-12-24') },
  'card.delete': { cardId: card },
  'card.restore': { cardId: card },
  'comment.create': { cardId: card, body: req('comment', () => 'Looks good.') },
  'comment.edit': { commentId: comment, body: req('comment', () => 'Looks great.') },
  'comment.delete': { commentId: comment },
  'comment.restore': { commentId: comment },
  'activity.board': { boardId: board, actions: opt('actions'), creatorId: opt('id'), cursor: opt('cursor'), limit },
  'activity.account': { actions: opt('actions'), creatorId: opt('id'), cursor: opt('cursor'), limit },
  'event.undo': { eventId: req('id', (w) => w.eventId) },
  'backup.create': {},
  'backup.list': {},
  'backup.restore': { backupId: req('backupId', (w) => w.backupId) },
  'audit.export': { from: opt('instant'), to: opt('instant') },
  'diagnostics.export': {},
};

/** Pairs of fields a command refuses together (a placement after one item and before another). */
const EXCLUSIVE: Partial<Record<CommandName, readonly [string, string]>> = {
  'column.create': ['afterColumnId', 'beforeColumnId'],
  'column.move': ['afterColumnId', 'beforeColumnId'],
  'card.create': ['afterCardId', 'beforeCardId'],
  'card.move': ['afterCardId', 'beforeCardId'],
};

function baseInput(command: CommandName, world: World): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [field, spec] of Object.entries(SPECS[command])) if (spec.base) input[field] = spec.base(world);
  return input;
}

// --- Values a field must refuse ---------------------------------------------------------------------------

const ID_REGEX = /^[A-Za-z0-9_-]{1,64}$/;
const ACTION_REGEX = /^[a-z][a-z0-9_]{0,63}$/;
const INSTANT_REGEX = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function isRealDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

const shallowJson = fc.jsonValue({ maxDepth: 1 });
const notObjectOrString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(shallowJson, { maxLength: 3 }));
/** Anything that is not text (null included). */
const notText = fc.oneof(notObjectOrString, fc.dictionary(fc.string({ maxLength: 5 }), shallowJson, { maxKeys: 3 }));
const notTextNorNull = notText.filter((value) => value !== null);
const blank = fc.stringMatching(/^[ \t\n\r]{0,6}$/);
const characters = fc.constantFrom('a', 'é', '中', '😀', 'Z');
/** More than `max` characters (code points) once trimmed. */
const tooManyCharacters = (max: number) =>
  fc.string({ unit: characters, minLength: max + 1, maxLength: max + 40 }).map((text) => ` ${text} `);
/** More than 64 KiB of UTF-8 in few or many UTF-16 units. */
const tooManyBytes = fc
  .tuple(fc.string({ maxLength: 8 }), fc.constantFrom('a'.repeat(65_537), 'é'.repeat(32_769), '中'.repeat(21_846), '😀'.repeat(16_385)))
  .map(([prefix, bulk]) => prefix + bulk);
const badId = fc.oneof(
  notText,
  fc.string({ maxLength: 80 }).filter((text) => !ID_REGEX.test(text)),
  fc.stringMatching(/^[A-Za-z0-9_-]{65,90}$/),
);

const BAD: Record<Kind, fc.Arbitrary<unknown>> = {
  id: badId,
  title: fc.oneof(notText, blank, tooManyCharacters(512)),
  name: fc.oneof(notText, blank, tooManyCharacters(200)),
  tag: fc.oneof(notText, blank, tooManyCharacters(64), fc.constantFrom('two\nlines', 'a\r\nb')),
  description: fc.oneof(notText, tooManyBytes),
  comment: fc.oneof(notText, blank, tooManyBytes),
  dueDate: fc.oneof(
    notTextNorNull,
    fc.string({ maxLength: 12 }).filter((text) => !isRealDate(text)),
    fc.constantFrom('2025-02-29', '2025-02-30', '2025-13-01', '2025-1-01', '2025-01-00', '2025-01-32', '2025-01-01T00:00:00.000Z'),
  ),
  limit: fc.oneof(
    fc.integer({ max: 0 }),
    fc.integer({ min: 501 }),
    fc.double().filter((n) => !Number.isInteger(n)),
    fc.string({ maxLength: 4 }),
    fc.boolean(),
    fc.constant(null),
  ),
  cursor: fc.oneof(notTextNorNull, fc.constant(''), fc.string({ minLength: 257, maxLength: 300 })),
  actions: fc.oneof(
    fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string(), fc.dictionary(fc.string({ maxLength: 5 }), shallowJson, { maxKeys: 3 })),
    fc.constant([]),
    fc.array(fc.constant('card_moved'), { minLength: 65, maxLength: 70 }),
    fc.tuple(
      fc.array(fc.constant('card_moved'), { maxLength: 3 }),
      fc.oneof(notText, fc.string({ maxLength: 70 }).filter((text) => !ACTION_REGEX.test(text))),
    ).map(([good, bad]) => [...good, bad]),
  ),
  instant: fc.oneof(
    notText,
    fc.string({ maxLength: 30 }).filter((text) => !INSTANT_REGEX.test(text)),
    fc.constantFrom('2025-01-31', '2025-01-31T09:30:00Z', '2025-13-31T09:30:00.000Z', '2025-01-31T25:30:00.000Z'),
  ),
  filters: fc.oneof(
    notObjectOrString,
    fc.string(),
    fc.record({ status: fc.oneof(notText, fc.constantFrom('done', 'Open', '', 'ALL')) }),
    fc.record({ text: fc.oneof(notText, tooManyCharacters(1000)) }),
    fc.record({ assigneeId: badId }),
    fc.record({ tag: fc.oneof(notText, blank, tooManyCharacters(64)) }),
    fc.record({ colour: shallowJson }),
  ),
  backupId: fc.oneof(notText, blank, tooManyCharacters(255), fc.constant('a\nb')),
};

/**
 * Cursors of a plausible length that no query gave out: the parser lets them through (cursors are opaque
 * to it) and the query refuses them.
 */
const strangeCursor = fc.string({ minLength: 1, maxLength: 40 });

type Malformed = { input: unknown; isRefusedByParser: boolean };

/** The malformed inputs of one command: wrong whole, unknown field, missing field, bad field, both placements. */
function malformed(command: CommandName, world: World): fc.Arbitrary<Malformed> {
  const byParser = (arbitrary: fc.Arbitrary<unknown>) => arbitrary.map((input): Malformed => ({ input, isRefusedByParser: true }));
  const spec = SPECS[command];
  const fields = Object.keys(spec);
  const base = baseInput(command, world);
  const options: fc.Arbitrary<unknown>[] = [
    fc.jsonValue().filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)),
    fc
      .tuple(fc.string({ maxLength: 12 }).filter((key) => !fields.includes(key) && key !== '__proto__'), shallowJson)
      .map(([key, value]) => ({ ...base, [key]: value })),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 4 }).filter((value) =>
      Object.keys(value).some((key) => !fields.includes(key)),
    ),
  ];
  const required = fields.filter((field) => spec[field]!.isOptional !== true);
  if (required.length > 0) {
    options.push(fc.constantFrom(...required).map((field) => Object.fromEntries(Object.entries(base).filter(([key]) => key !== field))));
  }
  if (fields.length > 0) {
    options.push(
      fc.constantFrom(...fields).chain((field) => BAD[spec[field]!.kind].map((value) => ({ ...base, [field]: value }))),
    );
  }
  const pair = EXCLUSIVE[command];
  if (pair) options.push(fc.constant({ ...base, [pair[0]]: world.otherCardId, [pair[1]]: world.cardId }));
  const all = options.map(byParser);
  if (Object.hasOwn(spec, 'cursor')) {
    all.push(strangeCursor.map((cursor): Malformed => ({ input: { ...base, cursor }, isRefusedByParser: false })));
  }
  return fc.oneof(...all);
}

// --- Values a field must take ---------------------------------------------------------------------------

const space = fc.constantFrom('', ' ', '  ', '\t', ' \n');
/** Text with something to show, at most `max` characters once trimmed, with blanks around it. */
const goodLine = (max: number, { isSingleLine = false } = {}) =>
  fc
    .tuple(space, fc.constantFrom('A', 'é', '😀'), fc.string({ unit: fc.constantFrom('a', 'é', '中', '😀', ' ', ...(isSingleLine ? [] : ['\n'])), maxLength: max - 2 }), fc.constantFrom('z', '中'), space)
    .map(([before, first, middle, last, after]) => `${before}${first}${middle}${last}${after}`);

const GOOD: Record<Kind, fc.Arbitrary<unknown>> = {
  id: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
  title: fc.oneof(goodLine(512), fc.constant('😀'.repeat(512))),
  name: fc.oneof(goodLine(200), fc.constant('中'.repeat(200))),
  tag: fc.oneof(goodLine(64, { isSingleLine: true }), fc.constant('😀'.repeat(64))),
  description: fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('', '😀'.repeat(16_384), 'a'.repeat(65_536))),
  comment: fc.oneof(goodLine(1000), fc.constantFrom('é'.repeat(32_768), '  x  ')),
  dueDate: fc.oneof(fc.constant(null), fc.date({ min: new Date('1900-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))),
  limit: fc.integer({ min: 1, max: 500 }),
  cursor: fc.constant(null),
  actions: fc.array(fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/), { minLength: 1, maxLength: 64 }),
  instant: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  filters: fc.record(
    {
      status: fc.constantFrom('open', 'closed', 'all'),
      text: fc.string({ maxLength: 50 }),
      tag: goodLine(64, { isSingleLine: true }),
      assigneeId: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
    },
    { requiredKeys: [] },
  ),
  backupId: fc.stringMatching(/^[A-Za-z0-9-]{1,40}\.sqlite$/),
};

/** A well-formed input: the required fields and any of the optional ones, never both of an exclusive pair. */
function wellFormed(command: CommandName): fc.Arbitrary<Record<string, unknown>> {
  const spec = SPECS[command];
  const fields = Object.fromEntries(Object.entries(spec).map(([field, s]) => [field, GOOD[s.kind]]));
  const required = Object.keys(spec).filter((field) => spec[field]!.isOptional !== true);
  const pair = EXCLUSIVE[command];
  return fc
    .record(fields, { requiredKeys: required })
    .filter((input) => !pair || input[pair[0]] === undefined || input[pair[1]] === undefined);
}

/** The catalogue schema a text kind must fit once parsed. */
const CATALOGUE_SCHEMA: Partial<Record<Kind, JsonSchema>> = {
  title: titleSchema,
  name: nameSchema,
  tag: tagSchema,
  description: descriptionSchema,
  comment: commentBodySchema,
};

// --- The tests ----------------------------------------------------------------------------------------------

describe('the contract', () => {
  it('has one handler and one parser for every command, and none for anything else', () => {
    const sorted = [...COMMANDS].sort();
    expect(new Set(COMMANDS).size).toBe(COMMANDS.length);
    // The core's router answers the account commands (src-main/core/router.ts); an account's thread the rest.
    expect([...Object.keys(handlers), ...ROUTER_COMMANDS].sort()).toEqual(sorted);
    expect(Object.keys(handlers).filter((command) => (ROUTER_COMMANDS as readonly string[]).includes(command))).toEqual([]);
    expect(Object.keys(INPUT_PARSERS).sort()).toEqual(sorted);
    expect(Object.keys(SPECS).sort()).toEqual(sorted);
  });

  it('names commands <aggregate>.<verb> and pushes <topic>.<pastTense>', () => {
    for (const command of COMMANDS) expect(command).toMatch(/^[a-z]+\.[a-z][A-Za-z]*$/);
    for (const topic of PUSH_TOPICS) expect(topic).toMatch(/^[a-z]+\.[a-z][A-Za-z]*(ed|ne|wn)$/);
  });
});

describe('input parsers', () => {
  it('take every well-formed input, trim one-line text, and give text that fits the event catalogue', () => {
    const runs = loopCount(40, 400);
    for (const command of COMMANDS) {
      const spec = SPECS[command];
      fc.assert(
        fc.property(wellFormed(command), (input) => {
          const parsed = parseInput(command, input) as Record<string, unknown>;
          for (const [field, value] of Object.entries(input)) {
            const kind = spec[field]!.kind;
            const schema = CATALOGUE_SCHEMA[kind];
            if (kind === 'title' || kind === 'name' || kind === 'tag') expect(parsed[field]).toBe((value as string).trim());
            else if (kind !== 'filters' && kind !== 'actions') expect(parsed[field]).toEqual(value);
            if (schema) expect(conforms(schema, parsed[field]), `${command}.${field}`).toBe(true);
          }
        }),
        { numRuns: runs },
      );
    }
    console.log(`input parsers: ${runs} well-formed inputs for each of ${COMMANDS.length} commands`);
  });

  it('take nothing (or an empty object) for the commands without input', () => {
    for (const command of COMMANDS.filter((c) => Object.keys(SPECS[c]).length === 0)) {
      expect(parseInput(command, undefined)).toEqual({});
      expect(parseInput(command, {})).toEqual({});
    }
  });

  it('refuse a malformed field with invalid_input naming it', () => {
    const refusal = (command: CommandName, input: unknown) => {
      try {
        parseInput(command, input);
      } catch (error) {
        return error;
      }
      throw new Error('accepted');
    };
    expect(refusal('card.rename', { cardId: 'c1', title: '😀'.repeat(513) })).toMatchObject({
      code: 'invalid_input',
      message: 'The title is too long: at most 512 characters.',
      details: { field: 'title' },
    });
    expect(refusal('card.describe', { cardId: 'c1', description: 'a'.repeat(65_537) })).toMatchObject({
      message: 'The description is too long: at most 64 KiB.',
      details: { field: 'description' },
    });
    expect(refusal('board.get', { boardId: 'b1', filters: { status: 'done' } })).toMatchObject({
      message: 'The status filter must be one of: open, closed, all.',
      details: { field: 'filters.status' },
    });
    expect(refusal('card.move', { cardId: 'c1' })).toMatchObject({ message: 'The column to move to is missing.', details: { field: 'toColumnId' } });
    expect(refusal('card.move', 'c1')).toBeInstanceOf(AppError);
  });
});

describe('malformed inputs through dispatch', () => {
  let f: DomainFixture;
  let core: Core;
  let world: World;

  beforeAll(async () => {
    f = await openDomainFixture();
    core = { store: f.store, accountId: f.session.account.accountId };
    const call = async (command: CommandName, input: unknown) => {
      const result = (await dispatch(core, command, input)) as Result<{ id: string; lastEventId: string }>;
      if (!result.ok) throw new Error(`${command}: ${result.error.message}`);
      return result.value;
    };
    const b = await call('board.create', { name: 'Launch' });
    const todo = await call('column.create', { boardId: b.id, name: 'To do' });
    const doing = await call('column.create', { boardId: b.id, name: 'Doing' });
    const c = await call('card.create', { boardId: b.id, columnId: todo.id, title: 'Write the post' });
    const other = await call('card.create', { boardId: b.id, columnId: todo.id, title: 'Pick a date' });
    await call('card.tag', { cardId: other.id, tag: 'launch' });
    await call('card.assign', { cardId: other.id, userId: f.session.user.id });
    await call('card.close', { cardId: other.id });
    const note = await call('comment.create', { cardId: c.id, body: 'First!' });
    const snapshot = await call('backup.create', {});
    world = {
      accountId: core.accountId,
      userId: f.session.user.id,
      boardId: b.id,
      columnId: todo.id,
      otherColumnId: doing.id,
      cardId: c.id,
      otherCardId: other.id,
      commentId: note.id,
      eventId: c.lastEventId,
      backupId: snapshot.id,
    };
    // Every base input is well formed: a refusal below comes from the one field the fuzzer spoiled.
    for (const command of COMMANDS) expect(() => parseInput(command, baseInput(command, world))).not.toThrow();
  });

  afterAll(async () => {
    await f.close();
  });

  /** What a refused command must leave as it was: the log, the accounts, the backups, the exports. */
  async function observable() {
    const exportsDir = join(f.dir, EXPORTS_FOLDER);
    const exports = existsSync(exportsDir) ? readdirSync(exportsDir) : [];
    return {
      events: (await f.events()).map((event) => event.id),
      accountIds: f.store.listAccountIds(),
      current: core.accountId,
      backups: backup.list(f.store, world.accountId).map((info) => info.path),
      exports,
    };
  }

  it('answers invalid_input for every malformed input of every command and changes nothing', async () => {
    const runs = loopCount(60, 1000);
    const before = await observable();
    for (const command of COMMANDS) {
      await fc.assert(
        fc.asyncProperty(malformed(command, world), async ({ input, isRefusedByParser }) => {
          if (isRefusedByParser) expect(() => parseInput(command, input), `${command} parsed ${JSON.stringify(input)?.slice(0, 200)}`).toThrow(AppError);
          const result = await dispatch(core, command, input);
          expect(result.ok, `${command} accepted ${JSON.stringify(input)?.slice(0, 200)}`).toBe(false);
          if (!result.ok) expect(result.error.code, `${command}: ${result.error.message}`).toBe('invalid_input');
          expect(await observable()).toEqual(before);
        }),
        { numRuns: runs },
      );
    }
    console.log(`malformed inputs: ${runs} for each of ${COMMANDS.length} commands, all refused, nothing changed`);
  });

  it('answers invalid_input for a command that does not exist, whatever its input', async () => {
    const before = await observable();
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 40 }).filter((name) => !(COMMANDS as readonly string[]).includes(name)),
        fc.jsonValue(),
        async (command, input) => {
          const result = await dispatch(core, command, input);
          expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
        },
      ),
      { numRuns: loopCount(100, 1000) },
    );
    expect(await observable()).toEqual(before);
  });
});
