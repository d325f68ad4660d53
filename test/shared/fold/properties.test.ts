// Property tests of the fold (fast-check): events from several devices, in any order, with refused
// events and actions from a newer version mixed in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIONS, CATALOGUE, type Action, type ParticularsOf, type StoredEvent } from '../../../shared/events';
import { hashText } from '../../../shared/events/hash';
import {
  arrivalOf,
  compareEvents,
  createProjectionFolder,
  foldAll,
  foldEntity,
  projectionTargets,
  REDUCERS,
  type Projections,
} from '../../../shared/fold';
import { formatHlc } from '../../../shared/hlc';
import type { ProjectionCollection } from '../../../shared/model';
import { propertyRuns } from '../runs';

const ACCOUNT = '0190b000-0000-7000-8000-00000000000a';
const BOARDS = ['0190b000-0000-7000-8000-0000000000b1', '0190b000-0000-7000-8000-0000000000b2'];
const COLUMNS = ['0190b000-0000-7000-8000-0000000000c1', '0190b000-0000-7000-8000-0000000000c2', '0190b000-0000-7000-8000-0000000000c3'];
const CARDS = ['0190b000-0000-7000-8000-0000000000d1', '0190b000-0000-7000-8000-0000000000d2'];
const COMMENTS = ['0190b000-0000-7000-8000-0000000000e1', '0190b000-0000-7000-8000-0000000000e2'];
const WEBHOOKS = ['0190b000-0000-7000-8000-0000000000f1'];
const PEOPLE = [
  { id: 'user-ann', name: 'Ann' },
  { id: 'user-bob', name: 'Bob' },
  { id: 'user-cem', name: 'Cem' },
];
const NODES = ['1111111111111111', '2222222222222222', '3333333333333333'];
const NAMES = ['To do', 'Doing', 'Done'];
const POSITIONS = ['a0', 'a1', 'a0V', 'Zz'];
const TAGS = ['bug', 'ux'];
const DATES = [null, '2026-03-31', '2026-04-01'];
const T0 = 1_760_000_000_000;

/** Small choices an event is built from. */
type Seed = {
  action: Action;
  target: number;
  person: number;
  other: number;
  name: number;
  position: number;
  wall: number;
  counter: number;
  node: number;
  idBits: number;
};

const seedArb: fc.Arbitrary<Seed> = fc.record({
  action: fc.constantFrom(...ACTIONS),
  target: fc.nat(9),
  person: fc.nat(2),
  other: fc.nat(2),
  name: fc.nat(2),
  position: fc.nat(3),
  wall: fc.nat(30), // a small window: equal wall times (and counters) across devices happen
  counter: fc.nat(2),
  node: fc.nat(2),
  idBits: fc.nat(0xfff),
});

function pick<T>(values: readonly T[], index: number): T {
  const value = values[index % values.length];
  if (value === undefined) throw new Error('empty pool');
  return value;
}

function particularsFor(action: Action, s: Seed): ParticularsOf<Action> {
  const person = pick(PEOPLE, s.other);
  const name = pick(NAMES, s.name);
  const otherName = pick(NAMES, s.name + 1);
  const column = { id: pick(COLUMNS, s.name), name };
  const toColumn = { id: pick(COLUMNS, s.other), name: otherName };
  const position = pick(POSITIONS, s.position);
  const title = `Card ${s.name}`;
  const card = { id: pick(CARDS, s.other), title };
  const host = 'hooks.example.com';
  const urlHash = hashText(`https://${host}/${s.name}`);
  const all: { [A in Action]: ParticularsOf<A> } = {
    account_created: { account: { id: ACCOUNT, name: 'Acme' }, admin: pick(PEOPLE, s.person) },
    board_created: { name },
    board_renamed: { from: name, to: otherName },
    board_deleted: { name },
    column_created: { name, position, board: { id: pick(BOARDS, s.other), name: 'Board' } },
    column_renamed: { from: name, to: otherName },
    column_moved: { name, fromPosition: position, toPosition: pick(POSITIONS, s.position + 1) },
    column_deleted: { name },
    column_restored: { name },
    card_created: { title, column, position },
    card_moved: { title, from: column, to: toColumn, fromPosition: position, toPosition: pick(POSITIONS, s.position + 2) },
    card_renamed: { from: title, to: `${title}!` },
    card_description_changed: { title, description: `About ${name}`, previousHash: hashText('') },
    card_closed: { title, column },
    card_reopened: { title, column },
    card_assigned: { title, assignee: person },
    card_unassigned: { title, assignee: person },
    card_tagged: { title, tag: pick(TAGS, s.name) },
    card_untagged: { title, tag: pick(TAGS, s.name) },
    card_due_date_changed: { title, from: pick(DATES, s.name), to: pick(DATES, s.other) },
    card_deleted: { title, column },
    card_restored: { title, column },
    comment_created: { card, body: `Note ${s.name}` },
    comment_edited: { card, body: `Edited ${s.name}`, previousHash: hashText('x') },
    comment_deleted: { card },
    comment_restored: { card },
    webhook_created: { host, urlHash, actions: ['*'], board: null, isEnabled: true },
    webhook_updated: {
      from: { host, urlHash, actions: ['*'], board: null },
      to: { host, urlHash, actions: ['card_moved'], board: null },
    },
    webhook_enabled: { host },
    webhook_disabled: { host, reason: 'admin' },
    webhook_secret_rotated: { host },
    webhook_deleted: { host },
    member_joined: { member: person, role: s.name === 0 ? 'admin' : 'member' },
    member_renamed: { memberId: person.id, from: person.name, to: `${person.name}2` },
    member_role_changed: { member: person, from: 'member', to: 'admin' },
    member_removed: { member: person, role: 'member' },
  };
  return all[action];
}

function targetFor(action: Action, s: Seed): { eventableId: string; boardId: string } {
  const board = pick(BOARDS, s.target);
  switch (CATALOGUE[action].eventableType) {
    case 'account':
      return { eventableId: ACCOUNT, boardId: '' };
    case 'board':
      return { eventableId: board, boardId: board };
    case 'column':
      return { eventableId: pick(COLUMNS, s.target), boardId: board };
    case 'card':
      return { eventableId: pick(CARDS, s.target), boardId: board };
    case 'comment':
      return { eventableId: pick(COMMENTS, s.target), boardId: board };
    case 'webhook':
      return { eventableId: pick(WEBHOOKS, s.target), boardId: '' };
  }
}

function eventFrom(s: Seed, index: number): StoredEvent {
  const person = pick(PEOPLE, s.person);
  const wallMs = T0 + s.wall;
  return {
    // Unique per event; the random bits make the id order (the tie-break) unrelated to the index.
    id: `0190c000-0000-7${s.idBits.toString(16).padStart(3, '0')}-8000-${index.toString(16).padStart(12, '0')}`,
    v: 1,
    accountId: ACCOUNT,
    action: s.action,
    eventableType: CATALOGUE[s.action].eventableType,
    ...targetFor(s.action, s),
    creatorId: person.id,
    creatorName: person.name,
    deviceId: `device-${s.node}`,
    hlc: formatHlc({ wallMs, counter: s.counter, nodeId: pick(NODES, s.node) }),
    createdAt: new Date(wallMs).toISOString(),
    particulars: particularsFor(s.action, s),
  };
}

/**
 * A log from several devices. Creations, card and column actions are over-represented so that
 * entities exist and their events interleave; every other action still turns up.
 */
const creations: Action[] = ['account_created', 'board_created', 'column_created', 'card_created', 'comment_created'];
const busy: Action[] = ['card_moved', 'card_closed', 'card_reopened', 'card_assigned', 'card_unassigned', 'card_deleted', 'card_restored', 'column_deleted', 'column_restored', 'column_moved', 'comment_edited', 'member_joined', 'member_removed'];
const actionArb = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...creations) },
  { weight: 3, arbitrary: fc.constantFrom(...busy) },
  { weight: 2, arbitrary: fc.constantFrom(...ACTIONS) },
);
const logArb = fc
  .array(fc.tuple(seedArb, actionArb).map(([s, action]) => ({ ...s, action })), { minLength: 5, maxLength: 40, size: 'max' })
  .map((seeds) => seeds.map(eventFrom));

const REJECTION = { code: 'forbidden', message: 'Only admins can do this.', at: '2026-01-01T00:00:00.000Z' };

/** Projections as plain sorted data, for comparisons that ignore Map insertion order. */
function snapshot(projections: Projections): Record<string, [string, unknown][]> {
  const out: Record<string, [string, unknown][]> = {};
  for (const [collection, map] of Object.entries(projections)) {
    out[collection] = [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
  return out;
}

const RUNS = propertyRuns('fold properties (each)', 200, 5000);

describe('fold properties', () => {
  it('folds any permutation of the same events to the same projections', () => {
    fc.assert(
      fc.property(
        logArb.chain((log) => fc.tuple(fc.constant(log), fc.shuffledSubarray(log, { minLength: log.length, maxLength: log.length }))),
        ([log, shuffled]) => {
          expect(snapshot(foldAll(shuffled))).toEqual(snapshot(foldAll(log)));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('gives a projector that applies, skips or refolds by arrivalOf the projections of folding the whole log', () => {
    // Each event arrives once, in any order; some are refused by the server later (the same event
    // arrives again with a rejection), some were refused from the start.
    const arrivalsArb = logArb.chain((log) =>
      fc.tuple(
        fc.constant(log),
        fc.array(fc.record({ at: fc.nat(1000), fate: fc.constantFrom('kept', 'kept', 'kept', 'refused later', 'refused') , delay: fc.nat(1000) }), {
          minLength: log.length,
          maxLength: log.length,
        }),
      ),
    );
    fc.assert(
      fc.property(arrivalsArb, ([log, plans]) => {
        const arrivals: { at: number; event: StoredEvent }[] = [];
        const finalLog: StoredEvent[] = [];
        log.forEach((event, i) => {
          const plan = plans[i] ?? { at: 0, fate: 'kept', delay: 0 };
          const refused = { ...event, rejection: REJECTION };
          if (plan.fate === 'refused') {
            arrivals.push({ at: plan.at, event: refused });
            finalLog.push(refused);
          } else if (plan.fate === 'refused later') {
            arrivals.push({ at: plan.at, event }, { at: plan.at + 1 + plan.delay, event: refused });
            finalLog.push(refused);
          } else {
            arrivals.push({ at: plan.at, event });
            finalLog.push(event);
          }
        });
        arrivals.sort((a, b) => a.at - b.at); // stable: a refusal stays after its original

        const stored = new Map<string, StoredEvent>();
        const projections: Projections = createProjectionFolder().projections;
        const counts = { apply: 0, skip: 0, refold: 0 };
        for (const { event } of arrivals) {
          stored.set(event.id, event);
          for (const { collection, id } of projectionTargets(event)) {
            project(collection, id, event);
          }
        }
        function project<C extends ProjectionCollection>(collection: C, id: string, event: StoredEvent): void {
          const map: Projections[C] = projections[collection];
          const reducer = REDUCERS[collection];
          const current = map.get(id);
          const arrival = arrivalOf(current, event);
          counts[arrival] += 1;
          const next =
            arrival === 'apply'
              ? reducer(current, event)
              : arrival === 'refold'
                ? foldEntity(reducer, [...stored.values()].filter((e) => e.eventableId === id))
                : current;
          if (next === undefined) map.delete(id);
          else map.set(id, next);
        }
        expect(snapshot(projections)).toEqual(snapshot(foldAll(finalLog)));
      }),
      { numRuns: RUNS },
    );
  });

  it('changes nothing for refused events and actions from a newer version', () => {
    const noiseArb = fc.array(
      fc.record({ seed: seedArb, kind: fc.constantFrom('refused', 'newer action', 'newer version', 'malformed') }),
      { maxLength: 20 },
    );
    fc.assert(
      fc.property(logArb, noiseArb, (log, noise) => {
        const extra = noise.map(({ seed, kind }, i): StoredEvent => {
          const event = eventFrom(seed, 10_000 + i);
          switch (kind) {
            case 'refused':
              return { ...event, rejection: REJECTION };
            case 'newer action':
              return { ...event, action: `${event.action}_v9`, particulars: { whatever: true } };
            case 'newer version':
              return { ...event, v: 2 };
            case 'malformed':
              return { ...event, particulars: { ...event.particulars, unexpected: 1 } };
            default:
              return event;
          }
        });
        expect(snapshot(foldAll([...log, ...extra]))).toEqual(snapshot(foldAll(log)));
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps every created card, in the column its last move set, whatever happened to columns', () => {
    fc.assert(
      fc.property(logArb, (log) => {
        const { cards } = foldAll(log);
        const sorted = [...log].sort(compareEvents);
        for (const cardId of CARDS) {
          const own = sorted.filter((e) => e.eventableType === 'card' && e.eventableId === cardId);
          const creation = own.find((e) => e.action === 'card_created');
          if (creation === undefined) {
            expect(cards.has(cardId)).toBe(false);
            continue;
          }
          const after = own.slice(own.indexOf(creation));
          const lastMove = after.filter((e) => e.action === 'card_moved').at(-1);
          const expectedColumn = lastMove
            ? (lastMove.particulars as ParticularsOf<'card_moved'>).to.id
            : (creation.particulars as ParticularsOf<'card_created'>).column.id;
          expect(cards.get(cardId)?.columnId).toBe(expectedColumn);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('folds each entity from its own events only', () => {
    fc.assert(
      fc.property(logArb, (log) => {
        const projections = foldAll(log);
        for (const collection of Object.keys(REDUCERS) as ProjectionCollection[]) {
          for (const [id, entity] of projections[collection]) {
            const own = log.filter((e) => projectionTargets(e).some((t) => t.collection === collection && t.id === id));
            expect(foldEntity(REDUCERS[collection] as (e: unknown, ev: unknown) => unknown, own)).toEqual(entity);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('folds a log read in (hlc, id) order with a streaming folder to the same projections', () => {
    fc.assert(
      fc.property(logArb, (log) => {
        const folder = createProjectionFolder();
        for (const event of [...log].sort(compareEvents)) folder.add(event);
        expect(snapshot(folder.projections)).toEqual(snapshot(foldAll(log)));
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.anything(), logArb.map((l) => l[0]))), (values) => {
        expect(() => foldAll(values)).not.toThrow();
      }),
      { numRuns: RUNS },
    );
  });
});

describe('a merge that orphans a card', () => {
  it('keeps the card moved offline into a column deleted elsewhere, in both arrival orders', () => {
    const base = [
      eventFrom({ ...zeroSeed(), action: 'column_created', target: 0, name: 0 }, 1),
      eventFrom({ ...zeroSeed(), action: 'column_created', target: 1, name: 1 }, 2),
      eventFrom({ ...zeroSeed(), action: 'card_created', target: 0, name: 0, wall: 1 }, 3),
    ];
    // Device 1 (offline) moves the card into column 2; device 2 deletes column 2 a little earlier or later.
    const move = eventFrom({ ...zeroSeed(), action: 'card_moved', target: 0, name: 0, other: 1, wall: 10, node: 0 }, 4);
    const deleteColumn = eventFrom({ ...zeroSeed(), action: 'column_deleted', target: 1, name: 1, wall: 9, node: 1 }, 5);
    for (const log of [[...base, move, deleteColumn], [...base, deleteColumn, move]]) {
      const { cards, columns } = foldAll(log);
      expect(columns.get(COLUMNS[1]!)?.isDeleted).toBe(true);
      expect(cards.get(CARDS[0]!)).toMatchObject({ columnId: COLUMNS[1], isDeleted: false });
    }
  });
});

function zeroSeed(): Seed {
  return { action: 'card_created', target: 0, person: 0, other: 0, name: 0, position: 0, wall: 0, counter: 0, node: 0, idBits: 0 };
}
