import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  CATALOGUE,
  createEvent,
  currentVersion,
  EVENTABLE_TYPES,
  eventableTypeOf,
  isKnownAction,
  readEvent,
  readParticulars,
  type CatalogueLike,
} from '../../../shared/events';
import { literal, object, string } from '../../../shared/events/schema';
import { ACCOUNT_ID, ANN, BOARD_ID, CARD_ID, DOING, GOOD_PARTICULARS, hlcAt, makeEvent } from '../fixtures';

describe('the action catalogue', () => {
  it('has exactly the actions of DESIGN.md, each with a current version, a schema for it and an eventable type', () => {
    expect(ACTIONS).toHaveLength(36);
    expect(Object.keys(CATALOGUE).sort()).toEqual([...ACTIONS].sort());
    for (const action of ACTIONS) {
      const entry = CATALOGUE[action];
      expect(currentVersion(action)).toBe(1);
      expect(entry.versions[entry.current]).toBeDefined();
      expect(EVENTABLE_TYPES).toContain(eventableTypeOf(action));
    }
    expect(ACTIONS.filter((a) => a.startsWith('member_')).every((a) => eventableTypeOf(a) === 'account')).toBe(true);
  });

  it('knows its actions and nothing else', () => {
    expect(isKnownAction('card_moved')).toBe(true);
    for (const unknown of ['card_archived', 'toString', '__proto__', '', 7, null]) expect(isKnownAction(unknown)).toBe(false);
  });
});

/**
 * A synthetic action with a history: v1 { name }, v2 { title }, v3 { title, isPinned }. The upcasting
 * mechanism is the same one every real action uses once it gets a second version.
 */
const SYNTHETIC: CatalogueLike = {
  thing_named: {
    eventableType: 'card',
    current: 3,
    versions: {
      1: object({ name: string({ minLength: 1 }) }),
      2: object({ title: string({ minLength: 1 }) }),
      3: object({ title: string({ minLength: 1 }), pin: literal('pinned', 'unpinned') }),
    },
    upcasters: {
      1: (p) => ({ title: (p as { name: string }).name }),
      2: (p) => ({ ...(p as object), pin: 'unpinned' }),
    },
  },
  broken_chain: {
    eventableType: 'card',
    current: 2,
    versions: { 1: object({ a: string() }), 2: object({ b: string() }) },
    upcasters: {},
  },
  throwing: {
    eventableType: 'card',
    current: 2,
    versions: { 1: object({ a: string() }), 2: object({ b: string() }) },
    upcasters: {
      1: () => {
        throw new Error('bug in an upcaster');
      },
    },
  },
};

describe('readParticulars (upcasting)', () => {
  it('reads every older version at the current one, step by step', () => {
    expect(readParticulars('thing_named', 1, { name: 'Fix login' }, SYNTHETIC)).toEqual({ title: 'Fix login', pin: 'unpinned' });
    expect(readParticulars('thing_named', 2, { title: 'Fix login' }, SYNTHETIC)).toEqual({ title: 'Fix login', pin: 'unpinned' });
    expect(readParticulars('thing_named', 3, { title: 'Fix login', pin: 'pinned' }, SYNTHETIC)).toEqual({ title: 'Fix login', pin: 'pinned' });
  });

  it('reads nothing it cannot vouch for: newer versions, bad input, a missing or failing upcaster', () => {
    expect(readParticulars('thing_named', 4, { title: 'x' }, SYNTHETIC)).toBeUndefined();
    expect(readParticulars('thing_named', 0, { name: 'x' }, SYNTHETIC)).toBeUndefined();
    expect(readParticulars('thing_named', 1.5, { name: 'x' }, SYNTHETIC)).toBeUndefined();
    expect(readParticulars('thing_named', 1, { title: 'v2 shape labelled v1' }, SYNTHETIC)).toBeUndefined();
    expect(readParticulars('thing_named', 1, { name: '' }, SYNTHETIC)).toBeUndefined();
    expect(readParticulars('broken_chain', 1, { a: 'x' }, SYNTHETIC)).toBeUndefined();
    expect(readParticulars('throwing', 1, { a: 'x' }, SYNTHETIC)).toBeUndefined();
    expect(readParticulars('no_such_action', 1, {}, SYNTHETIC)).toBeUndefined();
    expect(readParticulars('constructor', 1, {}, SYNTHETIC)).toBeUndefined();
  });

  it('reads the real catalogue at version 1', () => {
    for (const action of ACTIONS) expect(readParticulars(action, 1, GOOD_PARTICULARS[action])).toEqual(GOOD_PARTICULARS[action]);
    expect(readParticulars('card_moved', 2, GOOD_PARTICULARS.card_moved)).toBeUndefined();
  });
});

describe('readEvent', () => {
  it('returns a known, accepted, consistent event', () => {
    const event = makeEvent('card_moved');
    expect(readEvent(event)).toEqual(event);
  });

  it('returns nothing for events the fold must skip', () => {
    const event = makeEvent('card_moved');
    const skipped: unknown[] = [
      { ...event, rejection: { code: 'forbidden', message: 'No.', at: '2026-01-01T00:00:00.000Z' } },
      { ...event, action: 'card_archived' },
      { ...event, v: 2 },
      { ...event, particulars: { ...event.particulars, toPosition: '' } },
      { ...event, eventableType: 'column' },
      { ...event, boardId: '' },
      { ...event, hlc: 'yesterday' },
      { ...event, id: undefined },
      null,
      'card_moved',
      [event],
    ];
    for (const value of skipped) expect(readEvent(value)).toBeUndefined();
  });
});

describe('createEvent', () => {
  it('builds the envelope at the current version with the action’s eventable type', () => {
    const event = createEvent({
      action: 'card_created',
      accountId: ACCOUNT_ID,
      eventableId: CARD_ID,
      boardId: BOARD_ID,
      actor: ANN,
      deviceId: 'device-1',
      hlc: hlcAt(1_760_000_000_000),
      nowMs: 1_760_000_000_000,
      particulars: { title: 'Fix login', column: DOING, position: 'a0' },
    });
    expect(event).toMatchObject({
      v: 1,
      action: 'card_created',
      eventableType: 'card',
      boardId: BOARD_ID,
      creatorId: ANN.id,
      creatorName: ANN.name,
      createdAt: '2025-10-09T08:53:20.000Z',
    });
    expect(readEvent(event)).toEqual(event);
    const accountLevel = createEvent({
      action: 'member_joined',
      accountId: ACCOUNT_ID,
      eventableId: ACCOUNT_ID,
      actor: ANN,
      deviceId: 'device-1',
      hlc: hlcAt(1_760_000_000_001),
      nowMs: 1_760_000_000_001,
      particulars: GOOD_PARTICULARS.member_joined,
    });
    expect(accountLevel.boardId).toBe('');
    expect(readEvent(accountLevel)).toEqual(accountLevel);
  });
});
