import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { ACTIONS, conforms, particularsSchema, type Action } from '../../../shared/events';
import {
  COMMENT_MAX_BYTES,
  DESCRIPTION_MAX_BYTES,
  TITLE_MAX_CHARS,
} from '../../../shared/events/text';
import {
  expectValid,
  validateEnvelope,
  validateEvent,
  validateParticulars,
} from '../../../shared/node/validate';
import { GOOD_PARTICULARS, makeEvent } from '../fixtures';

type Case = { action: Action; why: string; particulars: Record<string, unknown>; error?: string };

function withChange<A extends Action>(action: A, change: Record<string, unknown>): Record<string, unknown> {
  return { ...GOOD_PARTICULARS[action], ...change };
}

/** Runs both validators (ajv in shared/node, the schema walker the fold uses) and insists they agree. */
function check(action: Action, particulars: unknown): ReturnType<typeof validateParticulars> {
  const result = validateParticulars(action, 1, particulars);
  const schema = particularsSchema(action, 1);
  expect(schema).toBeDefined();
  expect(conforms(schema ?? {}, particulars)).toBe(result.ok);
  return result;
}

const euro = '€'; // 3 bytes of UTF-8
const emoji = '😀'; // one character, a surrogate pair, 4 bytes of UTF-8

const BAD: Case[] = [
  { action: 'card_created', why: 'an empty title', particulars: withChange('card_created', { title: '' }), error: 'particulars.title' },
  { action: 'card_created', why: 'a blank title', particulars: withChange('card_created', { title: '   ' }), error: 'particulars.title' },
  { action: 'card_created', why: 'a title of 513 characters', particulars: withChange('card_created', { title: 'x'.repeat(TITLE_MAX_CHARS + 1) }), error: 'more than 512 characters' },
  { action: 'card_created', why: 'a column without a name', particulars: withChange('card_created', { column: { id: 'c1' } }), error: "particulars.column: must have required property 'name'" },
  { action: 'card_renamed', why: 'a new title of 513 emoji', particulars: withChange('card_renamed', { to: emoji.repeat(513) }), error: 'particulars.to' },
  { action: 'card_moved', why: 'a position with a dash', particulars: withChange('card_moved', { toPosition: 'a-0' }), error: 'particulars.toPosition' },
  { action: 'card_moved', why: 'a position of 129 characters', particulars: withChange('card_moved', { toPosition: 'a'.repeat(129) }), error: 'particulars.toPosition' },
  { action: 'card_assigned', why: 'an assignee id with a space', particulars: withChange('card_assigned', { assignee: { id: 'user 1', name: 'X' } }), error: 'particulars.assignee.id' },
  { action: 'card_assigned', why: 'an assignee id of 65 characters', particulars: withChange('card_assigned', { assignee: { id: 'u'.repeat(65), name: 'X' } }), error: 'particulars.assignee.id' },
  { action: 'card_description_changed', why: 'description of 64 KiB + 1 byte', particulars: withChange('card_description_changed', { description: 'x'.repeat(DESCRIPTION_MAX_BYTES + 1) }), error: 'particulars.description' },
  { action: 'card_description_changed', why: 'description of 21,846 euro signs (65,538 bytes, fewer characters than the cap)', particulars: withChange('card_description_changed', { description: euro.repeat(21_846) }), error: 'bytes of UTF-8' },
  { action: 'card_description_changed', why: 'an md5 hash', particulars: withChange('card_description_changed', { previousHash: 'md5:d41d8cd98f00b204e9800998ecf8427e' }), error: 'particulars.previousHash' },
  { action: 'card_description_changed', why: 'the old text instead of its hash', particulars: { ...withChange('card_description_changed', {}), previous: 'old text' }, error: "unexpected property 'previous'" },
  { action: 'card_due_date_changed', why: 'the 30th of February', particulars: withChange('card_due_date_changed', { to: '2026-02-30' }), error: 'particulars.to' },
  { action: 'card_due_date_changed', why: 'the 29th of February 2100', particulars: withChange('card_due_date_changed', { to: '2100-02-29' }), error: 'particulars.to' },
  { action: 'card_due_date_changed', why: 'a date without zero padding', particulars: withChange('card_due_date_changed', { to: '2026-3-1' }), error: 'particulars.to' },
  { action: 'card_due_date_changed', why: 'a date with a time', particulars: withChange('card_due_date_changed', { from: '2026-03-01T00:00:00Z' }), error: 'particulars.from' },
  { action: 'card_tagged', why: 'a tag with a leading space', particulars: withChange('card_tagged', { tag: ' bug' }), error: 'particulars.tag' },
  { action: 'card_tagged', why: 'a tag with a line break', particulars: withChange('card_tagged', { tag: 'a\nb' }), error: 'particulars.tag' },
  { action: 'card_tagged', why: 'a tag of 65 characters', particulars: withChange('card_tagged', { tag: 't'.repeat(65) }), error: 'particulars.tag' },
  { action: 'comment_created', why: 'an empty body', particulars: withChange('comment_created', { body: '' }), error: 'particulars.body' },
  { action: 'comment_created', why: 'a body of 64 KiB + 1 byte', particulars: withChange('comment_created', { body: 'é'.repeat(COMMENT_MAX_BYTES / 2) + 'x' }), error: 'bytes of UTF-8' },
  { action: 'comment_edited', why: 'a card without its title', particulars: withChange('comment_edited', { card: { id: 'card-1' } }), error: 'particulars.card' },
  { action: 'member_joined', why: 'an unknown role', particulars: withChange('member_joined', { role: 'owner' }), error: 'particulars.role: must be one of ["admin","member"]' },
  { action: 'member_role_changed', why: 'an empty member name', particulars: withChange('member_role_changed', { member: { id: 'u1', name: '' } }), error: 'particulars.member.name' },
  { action: 'webhook_created', why: 'the URL itself', particulars: { ...withChange('webhook_created', {}), url: 'https://hooks.example.com/T0/secret' }, error: "unexpected property 'url'" },
  { action: 'webhook_created', why: 'a host with a path', particulars: withChange('webhook_created', { host: 'hooks.example.com/T0' }), error: 'particulars.host' },
  { action: 'webhook_created', why: 'no subscribed actions', particulars: withChange('webhook_created', { actions: [] }), error: 'particulars.actions' },
  { action: 'webhook_created', why: 'an action twice', particulars: withChange('webhook_created', { actions: ['card_moved', 'card_moved'] }), error: 'particulars.actions' },
  { action: 'webhook_created', why: 'an action that is not a name', particulars: withChange('webhook_created', { actions: ['Card Moved'] }), error: 'particulars.actions.0' },
  { action: 'webhook_updated', why: 'a secret in the new configuration', particulars: withChange('webhook_updated', { to: { ...GOOD_PARTICULARS.webhook_updated.to, secret: 'whsec_abc' } }), error: "unexpected property 'secret'" },
  { action: 'webhook_disabled', why: 'an unknown reason', particulars: withChange('webhook_disabled', { reason: 'tired' }), error: 'particulars.reason' },
];

const GOOD: Case[] = [
  { action: 'card_created', why: 'a title of exactly 512 characters', particulars: withChange('card_created', { title: 'x'.repeat(TITLE_MAX_CHARS) }) },
  { action: 'card_created', why: 'a title of 512 emoji (1,024 UTF-16 units)', particulars: withChange('card_created', { title: emoji.repeat(TITLE_MAX_CHARS) }) },
  { action: 'card_description_changed', why: 'a description of exactly 64 KiB', particulars: withChange('card_description_changed', { description: 'x'.repeat(DESCRIPTION_MAX_BYTES) }) },
  { action: 'card_description_changed', why: 'a description of 16,384 emoji (64 KiB)', particulars: withChange('card_description_changed', { description: emoji.repeat(DESCRIPTION_MAX_BYTES / 4) }) },
  { action: 'card_description_changed', why: 'an empty description (cleared)', particulars: withChange('card_description_changed', { description: '' }) },
  { action: 'comment_created', why: 'a body of exactly 64 KiB', particulars: withChange('comment_created', { body: 'é'.repeat(COMMENT_MAX_BYTES / 2) }) },
  { action: 'card_due_date_changed', why: 'the 29th of February of a leap year', particulars: withChange('card_due_date_changed', { to: '2028-02-29' }) },
  { action: 'card_due_date_changed', why: 'a removed due date', particulars: withChange('card_due_date_changed', { from: '2026-03-31', to: null }) },
  { action: 'card_moved', why: 'a reorder within one column', particulars: withChange('card_moved', { to: GOOD_PARTICULARS.card_moved.from }) },
  { action: 'webhook_created', why: 'no board scope and every action', particulars: withChange('webhook_created', { board: null, actions: ['*'] }) },
  { action: 'webhook_created', why: 'an IPv6 host with a port', particulars: withChange('webhook_created', { host: '[::1]:9000' }) },
  { action: 'webhook_created', why: 'an action this version does not know', particulars: withChange('webhook_created', { actions: ['card_archived'] }) },
];

describe('validateParticulars', () => {
  it.each([...ACTIONS])('accepts the example particulars of %s', (action) => {
    const result = check(action, GOOD_PARTICULARS[action]);
    expect(result).toEqual({ ok: true, value: GOOD_PARTICULARS[action] });
  });

  it.each([...ACTIONS])('refuses %s particulars with a property missing, an extra one or one of the wrong type', (action) => {
    const good: Record<string, unknown> = GOOD_PARTICULARS[action];
    for (const key of Object.keys(good)) {
      const { [key]: _removed, ...missing } = good;
      const result = check(action, missing);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain(`must have required property '${key}'`);

      const wrongType = check(action, { ...good, [key]: 42 });
      expect(wrongType.ok).toBe(false);
      if (!wrongType.ok) expect(wrongType.message).toContain(`particulars.${key}`);
    }
    const extra = check(action, { ...good, note: 'x' });
    expect(extra).toMatchObject({ ok: false, errors: ["particulars: unexpected property 'note'"] });
    // Names that exist on every object's prototype are not properties of a schema either.
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(check(action, JSON.parse(JSON.stringify({ ...good }).replace(/^\{/, `{"${name}":"x",`))).ok).toBe(false);
    }
    for (const notAnObject of [null, 'text', 7, [good]]) expect(check(action, notAnObject).ok).toBe(false);
  });

  it.each(BAD)('refuses $action with $why', ({ action, particulars, error }) => {
    const result = check(action, particulars);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(error);
  });

  it.each(GOOD)('accepts $action with $why', ({ action, particulars }) => {
    expect(check(action, particulars).ok).toBe(true);
  });

  it('refuses an action or a version this app does not know, saying which', () => {
    expect(validateParticulars('card_archived', 1, {})).toMatchObject({ ok: false, errors: ["action: unknown action 'card_archived'"] });
    const newer = validateParticulars('card_moved', 2, GOOD_PARTICULARS.card_moved);
    expect(newer.ok).toBe(false);
    if (!newer.ok) expect(newer.message).toContain('unknown version 2 of card_moved');
    expect(validateParticulars('toString', 1, {}).ok).toBe(false);
  });
});

describe('validateEnvelope and validateEvent', () => {
  it('accepts a complete event of every action', () => {
    for (const action of ACTIONS) {
      const event = makeEvent(action);
      expect(validateEnvelope(event)).toEqual({ ok: true, value: event });
      expect(validateEvent(event)).toEqual({ ok: true, value: event });
    }
  });

  it('accepts a rejected event and an unknown action in the envelope, but not as an event this app understands', () => {
    const rejected = { ...makeEvent('card_closed'), rejection: { code: 'forbidden', message: 'Only admins can do this.', at: '2026-01-01T00:00:00.000Z' } };
    expect(validateEnvelope(rejected).ok).toBe(true);
    expect(validateEvent(rejected).ok).toBe(true);
    const unknown = { ...makeEvent('card_closed'), action: 'card_archived', v: 3, particulars: { anything: [1, 2] } };
    expect(validateEnvelope(unknown).ok).toBe(true);
    expect(validateEvent(unknown)).toMatchObject({ ok: false, errors: ["action: unknown action 'card_archived'"] });
  });

  const envelopeBreakers: [string, Record<string, unknown>, string][] = [
    ['an id that is not a UUIDv7', { id: 'e1' }, 'event.id'],
    ['a UUIDv4 id', { id: '1b4e28ba-2fa1-4d2e-883f-0016d3cca427' }, 'event.id'],
    ['version 0', { v: 0 }, 'event.v'],
    ['a fractional version', { v: 1.5 }, 'event.v'],
    ['an hlc without its node', { hlc: '1760000000000-0000' }, 'event.hlc'],
    ['epoch ms as createdAt', { createdAt: 1_760_000_000_000 }, 'event.createdAt'],
    ['a local time as createdAt', { createdAt: '2026-01-01T10:00:00.000+01:00' }, 'event.createdAt'],
    ['null boardId', { boardId: null }, 'event.boardId'],
    ['an empty creator name', { creatorName: '' }, 'event.creatorName'],
    ['particulars as a string', { particulars: 'x' }, 'event.particulars'],
    ['an extra field', { url: 'https://x' }, "unexpected property 'url'"],
    ['a rejection without a reason', { rejection: { code: 'forbidden', at: '2026-01-01T00:00:00.000Z' } }, 'event.rejection'],
  ];

  it.each(envelopeBreakers)('refuses an envelope with %s', (_why, change, error) => {
    const result = validateEnvelope({ ...makeEvent('card_closed'), ...change });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(error);
  });

  it('refuses an envelope missing any required field', () => {
    const event: Record<string, unknown> = makeEvent('card_closed');
    for (const key of Object.keys(event)) {
      const { [key]: _removed, ...missing } = event;
      const result = validateEnvelope(missing);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain(`must have required property '${key}'`);
    }
  });

  const inconsistent: [string, Record<string, unknown>, string][] = [
    ['a card action about a column', { eventableType: 'column' }, "eventableType must be 'card'"],
    ['a card event with no board', { boardId: '' }, 'boardId is required for card events'],
  ];

  it.each(inconsistent)('refuses an event with %s', (_why, change, error) => {
    const result = validateEvent({ ...makeEvent('card_closed'), ...change });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(error);
  });

  it('refuses account events about something else or naming a board, and board events about another board', () => {
    expect(validateEvent(makeEvent('member_joined', { eventableId: 'other-account' })).ok).toBe(false);
    expect(validateEvent(makeEvent('account_created', { boardId: 'b1' })).ok).toBe(false);
    expect(validateEvent(makeEvent('board_renamed', { boardId: 'b2' })).ok).toBe(false);
  });

  it('reports the envelope and the particulars problems together', () => {
    const result = validateEvent({ ...makeEvent('card_renamed', { particulars: { to: '' } }), eventableType: 'board' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.some((line) => line.startsWith('event: eventableType'))).toBe(true);
      expect(result.errors.some((line) => line.startsWith('particulars.to'))).toBe(true);
    }
  });
});

describe('expectValid', () => {
  it('returns the value when valid and throws invalid_input naming the problems otherwise', () => {
    expect(expectValid(validateParticulars('board_created', 1, { name: 'Ops' }), 'board')).toEqual({ name: 'Ops' });
    try {
      expectValid(validateParticulars('board_created', 1, { name: '' }), 'board');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'invalid_input' });
      expect(String((error as AppError).message)).toContain('Invalid board: particulars.name');
    }
  });
});
