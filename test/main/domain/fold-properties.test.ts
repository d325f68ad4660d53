// Property tests (fast-check) of the log and its projections through the real store and projector:
// - events from several devices, inserted in any order (as sync would), fold to the same projections;
// - folding the log from scratch equals the live projections after random command sequences;
// - unknown actions, newer versions, malformed and rejected events change nothing;
// - merges that orphan a card (moved into a column deleted on another device) leave it visible, recovered.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CATALOGUE, hashText, type Action, type ParticularsOf, type StoredEvent } from '../../../shared/events';
import { formatHlc, nodeIdFromDeviceId } from '../../../shared/hlc';
import { newId } from '../../../shared/ids';
import type { Card } from '../../../shared/model';
import * as card from '../../../src-main/domain/card';
import * as column from '../../../src-main/domain/column';
import * as queries from '../../../src-main/domain/queries';
import type { DomainContext } from '../../../src-main/domain/context';
import { addMember, createTestClock, seedBoard, type TestClock } from '../../support/domain-fixtures';
import { propertyRuns } from '../../shared/runs';
import { seededRandom } from '../store/sqlite-storage/durability-schema';
import {
  createDevice,
  foldedProjections,
  insertAsSynced,
  loadWorld,
  projectionDifferences,
  randomStep,
  readEvents,
  readProjections,
  removeDevice,
  shuffled,
  syncDevice,
  withDevice,
  type Device,
  type ProjectionSnapshot,
  type Random,
} from './scenario';

const BOB = { id: 'user-bob', name: 'Bob' };
const CEM = { id: 'user-cem', name: 'Cem' };

const created: Device[] = [];
afterEach(() => {
  for (const device of created.splice(0)) removeDevice(device);
});

function device(name: string, clock: TestClock, join?: { accountId: string; user: { id: string; name: string } }): Device {
  const made = createDevice({ name, now: clock.now, ...(join ? { join } : {}) });
  created.push(made);
  return made;
}

/** A device on its own: the first device of a new account, with Bob as a second member. */
async function withSoloDevice<T>(clock: TestClock, work: (ctx: DomainContext, open: Parameters<Parameters<typeof withDevice>[1]>[0]) => Promise<T>): Promise<T> {
  return withDevice(device('solo', clock), async (open) => {
    await addMember(open.ctx, BOB);
    return work(open.ctx, open);
  });
}

/** Runs `count` random commands on a device (its world loaded from its projections first). */
async function randomSteps(ctx: DomainContext, random: Random, count: number, tick: () => void): Promise<number> {
  const world = await loadWorld(ctx);
  let done = 0;
  for (let i = 0; i < count; i++) {
    tick();
    if ((await randomStep(ctx, world, random)).status === 'done') done++;
  }
  return done;
}

/**
 * Every live card of every live board shows exactly once in the board query; a card whose column is
 * deleted or unknown shows in the first live column, flagged recovered. Returns how many were recovered.
 */
async function expectBoardsShowEveryCard(ctx: DomainContext): Promise<number> {
  const boards = (await ctx.account.collections.boards.find({ selector: { isDeleted: false } }).exec()).map((doc) => doc.toJSON());
  let recovered = 0;
  for (const board of boards) {
    const view = await queries.board(ctx, board.id);
    const liveColumnIds = new Set(view.columns.map((c) => c.id));
    const expected = (await ctx.account.collections.cards.find({ selector: { boardId: board.id, isDeleted: false } }).exec())
      .map((doc) => doc.toJSON() as Card);
    const shown = [...view.columns.flatMap((c) => c.cards), ...view.unplacedCards];
    expect(shown.map((c) => c.id).sort(), `board ${board.id}: every live card shown once`).toEqual(expected.map((c) => c.id).sort());
    for (const shownCard of shown) {
      const isOrphan = !liveColumnIds.has(shownCard.columnId);
      expect(shownCard.isRecovered, `card ${shownCard.id} in column ${shownCard.columnId}`).toBe(isOrphan);
      if (isOrphan) {
        recovered++;
        if (view.columns[0]) expect(view.columns[0].cards.some((c) => c.id === shownCard.id)).toBe(true);
      }
    }
  }
  return recovered;
}

describe('events from several devices, merged in any order', () => {
  const runs = propertyRuns('multi-device merge', 8, 120);
  let mergesWithRecoveredCards = 0;
  let eventsMerged = 0;

  it(`converge: every device and every fresh copy folds the union of the logs to the same projections (${runs} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
          // Clock skew of each device; beyond 5 minutes the others refuse to adopt its time.
          skews: fc.tuple(fc.integer({ min: -600_000, max: 600_000 }), fc.integer({ min: -600_000, max: 600_000 }), fc.integer({ min: -600_000, max: 600_000 })),
          steps: fc.tuple(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 12 })),
          rounds: fc.integer({ min: 1, max: 3 }),
        }),
        async ({ seed, skews, steps, rounds }) => {
          const random = seededRandom(seed);
          const base = Date.UTC(2026, 10, 26, 9, 0, 0);
          const clocks = skews.map((skew) => createTestClock(base + skew));
          const tick = (): void => {
            const ms = 1 + Math.floor(random() * 3000);
            for (const clock of clocks) clock.advance(ms);
          };
          const ann = device('ann', clocks[0]!);
          let union = await withDevice(ann, async (open) => {
            await addMember(open.ctx, BOB);
            await addMember(open.ctx, CEM);
            await seedBoard(open.ctx, { name: 'Launch', columns: ['To do', 'Doing', 'Done'] });
            return readEvents(open.session.account);
          });
          const accountId = union[0]!.accountId;
          const devices = [ann, device('bob', clocks[1]!, { accountId, user: BOB }), device('cem', clocks[2]!, { accountId, user: CEM })];

          for (let round = 0; round < rounds; round++) {
            // Each device gets what was synced before the round, then acts offline on what it knows.
            const before = union;
            const after = new Map(before.map((event) => [event.id, event]));
            for (let i = 0; i < devices.length; i++) {
              const own = await withDevice(devices[i]!, async (open) => {
                eventsMerged += await syncDevice(open, before, random);
                await randomSteps(open.ctx, random, steps[i]!, tick);
                return readEvents(open.session.account);
              });
              for (const event of own) after.set(event.id, event);
            }
            union = [...after.values()];
          }

          // Everyone receives everything; two fresh copies get the whole log in other orders (creations
          // may then arrive after the changes to what they create).
          const copies = [device('copy1', createTestClock(base), { accountId, user: BOB }), device('copy2', createTestClock(base), { accountId, user: CEM })];
          const expected = foldedProjections(union);
          const unionIds = union.map((e) => e.id).sort();
          let recovered = 0;
          for (const each of [...devices, ...copies]) {
            const snapshot: ProjectionSnapshot = await withDevice(each, async (open) => {
              eventsMerged += await syncDevice(open, union, random);
              expect((await readEvents(open.session.account)).map((e) => e.id).sort(), `${each.name} holds the union`).toEqual(unionIds);
              recovered = Math.max(recovered, await expectBoardsShowEveryCard(open.ctx));
              return readProjections(open.session.account);
            });
            const differences = projectionDifferences(snapshot, expected);
            expect(differences.slice(0, 5), `${each.name}: ${differences.length} projections differ from the fold`).toEqual([]);
          }
          if (recovered > 0) mergesWithRecoveredCards++;
          for (const each of [...devices, ...copies]) removeDevice(each);
          created.splice(0);
        },
      ),
      { numRuns: runs, endOnFailure: true },
    );
    console.log(`multi-device merge: ${runs} runs, ${eventsMerged} events merged, ${mergesWithRecoveredCards} merges left recovered cards`);
  }, 600_000);
});

describe('the live projections after random command sequences', () => {
  const runs = propertyRuns('fold from scratch vs live projections', 20, 300);

  it(`equal the fold of the log from scratch, and a rebuild changes nothing (${runs} runs)`, async () => {
    let commands = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 60 }), async (seed, count) => {
        const random = seededRandom(seed);
        const clock = createTestClock();
        await withSoloDevice(clock, async (ctx, open) => {
          const world = await loadWorld(ctx);
          for (let i = 0; i < count; i++) {
            clock.advance(Math.floor(random() * 2000));
            // Sometimes two commands at once: the projector then folds them in one batch.
            if (random() < 0.2) await Promise.all([randomStep(ctx, world, random), randomStep(ctx, world, random)]);
            else await randomStep(ctx, world, random);
          }
          commands += count;
          const events = await readEvents(open.session.account);
          const live = await readProjections(open.session.account);
          expect(projectionDifferences(live, foldedProjections(events))).toEqual([]);
          await open.session.projector.rebuild();
          expect(projectionDifferences(await readProjections(open.session.account), live)).toEqual([]);
        });
      }),
      { numRuns: runs, endOnFailure: true },
    );
    console.log(`fold from scratch vs live projections: ${runs} runs, ${commands} commands`);
  }, 600_000);
});

// --- Inert events: unknown actions, newer versions, malformed particulars, rejections -----------------------

const OTHER_DEVICE = '0190c000-0000-7000-8000-00000000dev2';

type Inert = { kind: string; event: StoredEvent };

/** An event from another device at `hlc`, about `eventableId`, without validation (it may be inert on purpose). */
function foreignEvent(accountId: string, fields: { action: string; v?: number; eventableType: string; eventableId: string; boardId: string; particulars: Record<string, unknown>; hlc: string }): StoredEvent {
  const wall = Number(fields.hlc.slice(0, 13));
  return {
    id: newId(wall),
    v: fields.v ?? 1,
    accountId,
    action: fields.action,
    eventableType: fields.eventableType,
    eventableId: fields.eventableId,
    boardId: fields.boardId,
    creatorId: BOB.id,
    creatorName: BOB.name,
    deviceId: OTHER_DEVICE,
    hlc: fields.hlc,
    createdAt: new Date(wall).toISOString(),
    particulars: fields.particulars,
  };
}

function knownParticulars<A extends Action>(_action: A, particulars: ParticularsOf<A>): Record<string, unknown> {
  return particulars as Record<string, unknown>;
}

/** A mix of events the fold must ignore, about entities the device holds, at hlcs among its own events. */
function inertEvents(random: Random, accountId: string, cards: readonly Card[], hlcs: readonly string[]): Inert[] {
  const node = nodeIdFromDeviceId(OTHER_DEVICE);
  const at = (): string => {
    // Before, between or after the device's own events: out-of-order arrivals included.
    const anchor = hlcs[Math.floor(random() * hlcs.length)] ?? formatHlc({ wallMs: Date.UTC(2026, 10, 26, 9), counter: 0, nodeId: node });
    const wall = Number(anchor.slice(0, 13)) + Math.floor(random() * 5) - 2;
    return formatHlc({ wallMs: wall, counter: Math.floor(random() * 3), nodeId: node });
  };
  const rejection = { code: 'forbidden', message: 'Refused by the server in a test.', at: '2026-11-26T10:00:00.000Z' };
  const list: Inert[] = [];
  for (const target of cards) {
    const base = { eventableType: 'card', eventableId: target.id, boardId: target.boardId };
    const column = { id: target.columnId, name: 'Somewhere' };
    const choices: (() => Inert)[] = [
      () => ({ kind: 'unknown action', event: foreignEvent(accountId, { ...base, action: 'card_archived', particulars: { title: target.title }, hlc: at() }) }),
      () => ({ kind: 'newer version', event: foreignEvent(accountId, { ...base, action: 'card_closed', v: CATALOGUE.card_closed.current + 7, particulars: { title: target.title, column, why: 'v8' }, hlc: at() }) }),
      () => ({ kind: 'unknown eventable', event: foreignEvent(accountId, { action: 'sticker_added', eventableType: 'sticker', eventableId: newId(), boardId: target.boardId, particulars: { on: target.id }, hlc: at() }) }),
      () => ({ kind: 'malformed', event: foreignEvent(accountId, { ...base, action: 'card_renamed', particulars: { from: target.title, to: 42 }, hlc: at() }) }),
      () => ({
        kind: 'rejected',
        event: {
          ...foreignEvent(accountId, { ...base, action: 'card_deleted', particulars: knownParticulars('card_deleted', { title: target.title, column }), hlc: at() }),
          rejection,
        },
      }),
      () => ({
        kind: 'rejected',
        event: {
          ...foreignEvent(accountId, { ...base, action: 'card_renamed', particulars: knownParticulars('card_renamed', { from: target.title, to: 'Never happened' }), hlc: at() }),
          rejection,
        },
      }),
      () => ({
        kind: 'rejected',
        event: {
          ...foreignEvent(accountId, { ...base, action: 'card_description_changed', particulars: knownParticulars('card_description_changed', { title: target.title, description: 'Rejected text', previousHash: hashText(target.description) }), hlc: at() }),
          rejection,
        },
      }),
    ];
    const count = 1 + Math.floor(random() * 3);
    for (let i = 0; i < count; i++) list.push(choices[Math.floor(random() * choices.length)]!());
  }
  return list;
}

describe('events the fold does not know or must not fold', () => {
  const runs = propertyRuns('inert events change nothing', 12, 200);

  it(`change no projection when they arrive, in any order and at any hlc (${runs} runs)`, async () => {
    const kinds = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 3, max: 30 }), async (seed, count) => {
        const random = seededRandom(seed);
        const clock = createTestClock();
        await withSoloDevice(clock, async (ctx, open) => {
          await seedBoard(ctx, { columns: ['To do', 'Done'] });
          await randomSteps(ctx, random, count, () => clock.advance(Math.floor(random() * 2000)));
          const before = await readProjections(open.session.account);
          const cards = [...before.cards.values()] as Card[];
          const hlcs = (await readEvents(open.session.account)).map((e) => e.hlc);
          const inert = inertEvents(random, open.session.account.accountId, cards, hlcs);
          for (const { kind } of inert) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
          const events = shuffled(random, inert.map((i) => i.event));
          for (let start = 0; start < events.length; ) {
            const size = 1 + Math.floor(random() * 5);
            await insertAsSynced(open.session.account, open.session.projector, events.slice(start, start + size));
            start += size;
          }
          expect(projectionDifferences(await readProjections(open.session.account), before)).toEqual([]);
          // And the fold of the log (which now holds them) agrees.
          expect(projectionDifferences(foldedProjections(await readEvents(open.session.account)), before)).toEqual([]);
        });
      }),
      { numRuns: runs, endOnFailure: true },
    );
    console.log(`inert events change nothing: ${runs} runs, ${JSON.stringify(Object.fromEntries(kinds))}`);
  }, 600_000);

  it('undo the effect of an event once the server rejects it (the same event arrives again with a rejection)', async () => {
    const clock = createTestClock();
    await withSoloDevice(clock, async (ctx, open) => {
      const { account, projector } = open.session;
      const { board, columns } = await seedBoard(ctx, { columns: ['To do', 'Done'] });
      const created = await card.create(ctx, { boardId: board.id, columnId: columns[0]!.id, title: 'Ship it' });
      await card.tag(ctx, created.id, 'p1');
      const before = await readProjections(account);

      clock.advance(1000);
      const rename = foreignEvent(account.accountId, {
        action: 'card_renamed',
        eventableType: 'card',
        eventableId: created.id,
        boardId: board.id,
        particulars: knownParticulars('card_renamed', { from: 'Ship it', to: 'Ship it today' }),
        hlc: formatHlc({ wallMs: clock.now(), counter: 0, nodeId: nodeIdFromDeviceId(OTHER_DEVICE) }),
      });
      await insertAsSynced(account, projector, [rename]);
      expect((await readProjections(account)).cards.get(created.id)?.['title']).toBe('Ship it today');

      // The server refuses it: replication writes the same event again, now carrying `rejection`.
      const events = account.collections.events.storageInstance;
      const [stored] = await events.findDocumentsById([rename.id], false);
      const applied = projector.whenApplied(rename.id);
      const rejected = { ...stored!, rejection: { code: 'forbidden', message: 'Not allowed.', at: new Date(clock.now()).toISOString() } };
      const result = await events.bulkWrite([{ previous: stored!, document: rejected }], 'test-sync');
      expect(result.error).toEqual([]);
      await applied;
      expect(projectionDifferences(await readProjections(account), before)).toEqual([]);
      expect((await readProjections(account)).cards.get(created.id)?.['title']).toBe('Ship it');
    });
  });
});

describe('a merge that orphans a card', () => {
  it('keeps the card moved on one device into a column deleted on another, shown recovered in the first column', async () => {
    const clockA = createTestClock();
    const clockB = createTestClock(clockA.now() + 1500);
    const random = seededRandom(7);
    const ann = device('ann', clockA);
    const setup = await withDevice(ann, async (open) => {
      await addMember(open.ctx, BOB);
      const seeded = await seedBoard(open.ctx, { columns: ['To do', 'Doing', 'Done'] });
      const created = await card.create(open.ctx, { boardId: seeded.board.id, columnId: seeded.columns[0]!.id, title: 'Write the press release' });
      return { ...seeded, cardId: created.id, log: await readEvents(open.session.account) };
    });
    const { board, columns, cardId } = setup;
    const [todo, doing, done] = [columns[0]!, columns[1]!, columns[2]!];
    const bob = device('bob', clockB, { accountId: board.accountId, user: BOB });
    await withDevice(bob, (open) => syncDevice(open, setup.log, random));

    // Offline: Ann moves the card into Doing; Bob, who sees Doing empty, deletes it.
    clockA.advance(60_000);
    clockB.advance(60_000);
    const annLog = await withDevice(ann, async (open) => {
      await card.move(open.ctx, cardId, { toColumnId: doing.id });
      return readEvents(open.session.account);
    });
    const bobLog = await withDevice(bob, async (open) => {
      expect((await column.remove(open.ctx, doing.id)).isDeleted).toBe(true);
      return readEvents(open.session.account);
    });
    const union = [...new Map([...annLog, ...bobLog].map((event) => [event.id, event])).values()];

    for (const each of [ann, bob]) {
      await withDevice(each, async (open) => {
        await syncDevice(open, union, random);
        const projections = await readProjections(open.session.account);
        expect(projections.cards.get(cardId), `${each.name}: the card is not lost`).toMatchObject({ columnId: doing.id, isDeleted: false });
        expect(projections.columns.get(doing.id)).toMatchObject({ isDeleted: true });
        expect(projectionDifferences(projections, foldedProjections(union))).toEqual([]);
        const view = await queries.board(open.ctx, board.id);
        expect(view.columns.map((c) => c.id)).toEqual([todo.id, done.id]);
        expect(view.columns[0]!.cards.find((c) => c.id === cardId), `${each.name}: shown in the first column`).toMatchObject({
          isRecovered: true,
          columnId: doing.id,
        });
        expect(await expectBoardsShowEveryCard(open.ctx)).toBe(1);
      });
    }
  });
});
