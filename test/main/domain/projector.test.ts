// The projector (DESIGN.md, "The event log is the commit point" and "The post-write worker"): the single
// writer of projections. It resumes from its checkpoint after a restart, re-applies idempotently (a crash
// between a projection write and the checkpoint save), refolds an entity when an event arrives out of hlc
// order, and rebuilds every projection by replay when the fold version changes — each time with the same
// result as the live projections and as the fold of the log.
import { describe, expect, it } from 'vitest';
import { FOLD_VERSION } from '../../../shared/fold';
import { newId } from '../../../shared/ids';
import type { Card, Column } from '../../../shared/model';
import * as card from '../../../src-main/domain/card';
import * as comment from '../../../src-main/domain/comment';
import type { DomainContext } from '../../../src-main/domain/context';
import { withoutRxFields } from '../../../src-main/store/rx-fields';
import { eventOf, Projector, PROJECTOR_CHECKPOINT_ID } from '../../../src-main/worker/projector';
import type { StoredEvent } from '../../../shared/events';
import { addMember, createTestClock, reopenableFixtures, seedBoard, type DomainFixture } from '../../support/domain-fixtures';
import {
  eventFromAnotherDevice,
  foldedProjections,
  insertAsSynced,
  projectionDifferences,
  readEvents,
  readProjections,
  writeEvents,
  type ProjectionSnapshot,
} from './scenario';

const BOB = { id: 'user-bob', name: 'Bob' };

const { open, closeKeepingFolder } = reopenableFixtures();

type Seeded = { ctx: DomainContext; columns: Column[]; cards: Card[] };

/** A board with cards that have been moved, tagged, assigned, commented on, closed, deleted and restored. */
async function seedHistory(fixture: DomainFixture): Promise<Seeded> {
  const ctx = fixture.session.context();
  await addMember(ctx, BOB);
  const { board, columns } = await seedBoard(ctx);
  const cards: Card[] = [];
  for (const title of ['Plan', 'Build', 'Ship']) {
    fixture.clock.advance(1000);
    cards.push(await card.create(ctx, { boardId: board.id, columnId: columns[0]!.id, title }));
  }
  const [plan, build, ship] = [cards[0]!, cards[1]!, cards[2]!];
  await card.move(ctx, plan.id, { toColumnId: columns[1]!.id });
  await card.tag(ctx, plan.id, 'p1');
  await card.tag(ctx, plan.id, 'ux');
  await card.assign(ctx, plan.id, BOB.id);
  await card.assign(ctx, build.id, fixture.session.user.id);
  await card.close(ctx, build.id);
  await card.remove(ctx, ship.id);
  await card.restore(ctx, ship.id);
  const note = await comment.create(ctx, { cardId: plan.id, body: 'First draft is up.' });
  await comment.edit(ctx, note.id, 'Second draft is up.');
  return { ctx, columns, cards };
}

/** The stored projections equal the fold of the log; returns them. */
async function expectProjectionsFromFold(fixture: DomainFixture): Promise<ProjectionSnapshot> {
  const projections = await readProjections(fixture.session.account);
  expect(projectionDifferences(projections, foldedProjections(await readEvents(fixture.session.account)))).toEqual([]);
  return projections;
}

type StoredCheckpoint = { feed: { id: string; seq: number } | null; foldVersion: number };

async function readCheckpoint(fixture: DomainFixture): Promise<StoredCheckpoint> {
  const doc = await fixture.session.account.collections.checkpoints.findOne(PROJECTOR_CHECKPOINT_ID).exec();
  return doc!.toJSON().checkpoint as unknown as StoredCheckpoint;
}

/** Replaces the projector's stored checkpoint (its projector must be stopped, so it cannot save over it). */
async function writeCheckpoint(fixture: DomainFixture, checkpoint: StoredCheckpoint): Promise<void> {
  await fixture.session.account.collections.checkpoints.upsert({
    id: PROJECTOR_CHECKPOINT_ID,
    checkpoint: checkpoint as unknown as Record<string, unknown>,
    updatedAt: new Date(fixture.clock.now()).toISOString(),
  });
}

describe('after a restart', () => {
  it('resumes from its checkpoint: folds only what arrived while it was stopped, rebuilds nothing', async () => {
    const clock = createTestClock();
    const fixture = await open({ clock });
    const { columns, cards } = await seedHistory(fixture);
    const eventsBefore = (await readEvents(fixture.session.account)).length;
    // While the app is closed, events synced from another device land in the log (no projector runs).
    await fixture.session.projector.stop();
    const accountId = fixture.session.account.accountId;
    const arrived = [
      eventFromAnotherDevice(accountId, 'card_renamed', {
        eventableId: cards[2]!.id,
        boardId: cards[2]!.boardId,
        particulars: { from: 'Ship', to: 'Ship it' },
        wallMs: clock.now() + 1000,
        creator: BOB,
      }),
      eventFromAnotherDevice(accountId, 'card_created', {
        eventableId: newId(clock.now() + 2000),
        boardId: cards[0]!.boardId,
        particulars: { title: 'Written offline', column: { id: columns[2]!.id, name: columns[2]!.name }, position: 'a9' },
        wallMs: clock.now() + 2000,
        creator: BOB,
      }),
    ];
    await writeEvents(fixture.session.account, arrived);
    const checkpoint = await readCheckpoint(fixture);
    const dir = await closeKeepingFolder(fixture);

    const reopened = await open({ dir, clock });
    const { stats } = reopened.session.projector;
    // The rename applies on top; the new card is folded from its one event.
    expect(stats.applied + stats.refolded).toBe(2);
    expect(stats).toMatchObject({ skipped: 0, rebuilt: 0 });
    expect(checkpoint.foldVersion).toBe(FOLD_VERSION);
    const projections = await expectProjectionsFromFold(reopened);
    expect(projections.cards.get(cards[2]!.id)).toMatchObject({ title: 'Ship it' });
    expect(projections.cards.get(arrived[1]!.eventableId)).toMatchObject({ title: 'Written offline', columnId: columns[2]!.id });
    expect((await readEvents(reopened.session.account)).length).toBe(eventsBefore + 2);
    // And nothing to do on the next restart.
    const again = await open({ dir: await closeKeepingFolder(reopened), clock });
    expect(again.session.projector.stats).toEqual({ applied: 0, refolded: 0, skipped: 0, rebuilt: 0 });
  });

  it('re-applies idempotently from an older checkpoint (a crash between projection writes and the checkpoint save)', async () => {
    const clock = createTestClock();
    const seeded = await open({ clock });
    const { cards } = await seedHistory(seeded);
    // Closing saves the checkpoint; the one we will fall back to.
    const fixture = await open({ dir: await closeKeepingFolder(seeded), clock });
    const early = await readCheckpoint(fixture);
    const ctx = fixture.session.context();
    // More history after the checkpoint we will fall back to: tags, assignees, comments (list-valued fields
    // that a second application must not duplicate).
    await card.tag(ctx, cards[1]!.id, 'backend');
    await card.assign(ctx, cards[1]!.id, BOB.id);
    await card.reopen(ctx, cards[1]!.id);
    await comment.create(ctx, { cardId: cards[1]!.id, body: 'Reopened: one more fix.' });
    await card.untag(ctx, cards[0]!.id, 'p1');
    const live = await expectProjectionsFromFold(fixture);
    const events = await readEvents(fixture.session.account);
    await fixture.session.projector.stop();

    // The projections are written but the checkpoint is the early one: the restart reads the tail again.
    await writeCheckpoint(fixture, early);
    const reopened = await open({ dir: await closeKeepingFolder(fixture), clock });
    const { stats } = reopened.session.projector;
    expect(stats.applied + stats.refolded + stats.skipped, 'events read again').toBeGreaterThanOrEqual(5);
    expect(stats.rebuilt).toBe(0);
    expect(projectionDifferences(await readProjections(reopened.session.account), live)).toEqual([]);
    expect((await readEvents(reopened.session.account)).map((e) => e.id)).toEqual(events.map((e) => e.id));
    const reopenedCard = (await readProjections(reopened.session.account)).cards.get(cards[1]!.id);
    expect(reopenedCard).toMatchObject({ tags: ['backend'], isClosed: false });
    expect((reopenedCard!['assignees'] as { id: string }[]).map((a) => a.id)).toEqual([fixture.session.user.id, BOB.id]);

    // From no checkpoint at all (the whole log again, fold version unchanged): the same.
    await reopened.session.projector.stop();
    await writeCheckpoint(reopened, { feed: null, foldVersion: FOLD_VERSION });
    const fromScratch = await open({ dir: await closeKeepingFolder(reopened), clock });
    const replayed = fromScratch.session.projector.stats;
    expect(replayed.applied + replayed.refolded + replayed.skipped).toBeGreaterThanOrEqual(events.length);
    expect(replayed.rebuilt).toBe(0);
    expect(projectionDifferences(await readProjections(fromScratch.session.account), live)).toEqual([]);
  });
});

describe('an event that arrives out of hlc order', () => {
  it('refolds its entity: an older rename from another device does not overwrite a newer local one', async () => {
    const clock = createTestClock();
    const fixture = await open({ clock });
    const { ctx, cards } = await seedHistory(fixture);
    const target = cards[0]!;
    const beforeRename = clock.now();
    clock.advance(60_000);
    await card.rename(ctx, target.id, 'Plan (final)');
    const { refolded } = fixture.session.projector.stats;

    // Bob renamed it offline, earlier than the local rename; his event arrives now.
    const older = eventFromAnotherDevice(fixture.session.account.accountId, 'card_renamed', {
      eventableId: target.id,
      boardId: target.boardId,
      particulars: { from: 'Plan', to: 'Plan (Bob)' },
      wallMs: beforeRename + 10,
      creator: BOB,
    });
    await insertAsSynced(fixture.session.account, fixture.session.projector, [older]);
    expect(fixture.session.projector.stats.refolded).toBe(refolded + 1);
    const projections = await expectProjectionsFromFold(fixture);
    expect(projections.cards.get(target.id)).toMatchObject({ title: 'Plan (final)' });
  });

  it('folds changes that arrive before the creation of their entity once the creation arrives', async () => {
    const clock = createTestClock();
    const fixture = await open({ clock });
    const { columns } = await seedHistory(fixture);
    const accountId = fixture.session.account.accountId;
    const cardId = newId(clock.now());
    const at = clock.now() + 1000;
    const created = eventFromAnotherDevice(accountId, 'card_created', {
      eventableId: cardId,
      boardId: columns[0]!.boardId,
      particulars: { title: 'Late', column: { id: columns[0]!.id, name: columns[0]!.name }, position: 'a7' },
      wallMs: at,
      creator: BOB,
    });
    const tagged = eventFromAnotherDevice(accountId, 'card_tagged', {
      eventableId: cardId,
      boardId: columns[0]!.boardId,
      particulars: { title: 'Late', tag: 'sync' },
      wallMs: at + 1,
      creator: BOB,
    });
    const closed = eventFromAnotherDevice(accountId, 'card_closed', {
      eventableId: cardId,
      boardId: columns[0]!.boardId,
      particulars: { title: 'Late', column: { id: columns[0]!.id, name: columns[0]!.name } },
      wallMs: at + 2,
      creator: BOB,
    });
    await insertAsSynced(fixture.session.account, fixture.session.projector, [closed]);
    await insertAsSynced(fixture.session.account, fixture.session.projector, [tagged]);
    expect((await readProjections(fixture.session.account)).cards.has(cardId)).toBe(false);
    await insertAsSynced(fixture.session.account, fixture.session.projector, [created]);
    const projections = await expectProjectionsFromFold(fixture);
    expect(projections.cards.get(cardId)).toMatchObject({ title: 'Late', tags: ['sync'], isClosed: true, lastEventId: closed.id });
  });
});

describe('a new fold version', () => {
  it('rebuilds every projection by replay, with the same result as the live projections', async () => {
    const clock = createTestClock();
    const fixture = await open({ clock });
    const { cards, columns } = await seedHistory(fixture);
    const live = await expectProjectionsFromFold(fixture);
    const events = await readEvents(fixture.session.account);
    await fixture.session.projector.stop();

    // Projections written by "another app version": stale, missing, extra ones; and its checkpoint.
    const { collections } = fixture.session.account;
    const stale = (await collections.cards.findOne(cards[0]!.id).exec())!;
    await stale.incrementalPatch({ title: 'Folded by an older app', foldVersion: FOLD_VERSION - 1 });
    await (await collections.columns.findOne(columns[2]!.id).exec())!.remove();
    await collections.cards.insert({ ...(stale.toJSON() as Card), id: newId(clock.now()), title: 'No event made me' });
    await writeCheckpoint(fixture, { feed: (await readCheckpoint(fixture)).feed, foldVersion: FOLD_VERSION + 1 });

    const reopened = await open({ dir: await closeKeepingFolder(fixture), clock });
    expect(reopened.session.projector.stats.rebuilt).toBe(events.length);
    expect(projectionDifferences(await readProjections(reopened.session.account), live)).toEqual([]);
    expect(await readCheckpoint(reopened)).toMatchObject({ foldVersion: FOLD_VERSION });
    // It then follows the log as usual.
    await card.rename(reopened.session.context(), cards[0]!.id, 'Plan, after the rebuild');
    const after = await expectProjectionsFromFold(reopened);
    expect(after.cards.get(cards[0]!.id)).toMatchObject({ title: 'Plan, after the rebuild' });
  });

  it('refolds a single projection of another fold version when its next event arrives', async () => {
    const clock = createTestClock();
    const fixture = await open({ clock });
    const { ctx, cards } = await seedHistory(fixture);
    const stale = (await fixture.session.account.collections.cards.findOne(cards[0]!.id).exec())!;
    await stale.incrementalPatch({ tags: ['only-in-an-old-fold'], foldVersion: FOLD_VERSION - 1 });
    const { refolded } = fixture.session.projector.stats;

    await card.rename(ctx, cards[0]!.id, 'Plan, refolded');
    expect(fixture.session.projector.stats.refolded).toBe(refolded + 1);
    const projections = await expectProjectionsFromFold(fixture);
    expect(projections.cards.get(cards[0]!.id)).toMatchObject({ title: 'Plan, refolded', tags: ['p1', 'ux'], foldVersion: FOLD_VERSION });
  });
});

describe('following the log', () => {
  /** `count` cards created on another device, one event each, `wallMs` onwards. */
  function cardsFromAnotherDevice(accountId: string, column: Column, count: number, wallMs: number): StoredEvent[] {
    return Array.from({ length: count }, (_, i) =>
      eventFromAnotherDevice(accountId, 'card_created', {
        eventableId: newId(wallMs + i),
        boardId: column.boardId,
        particulars: { title: `Synced ${i}`, column: { id: column.id, name: column.name }, position: `a${i}` },
        wallMs: wallMs + i,
        creator: BOB,
      }),
    );
  }

  it('folds every event once, also those written while it catches up (a page read and a change both tell of them)', async () => {
    const clock = createTestClock();
    const fixture = await open({ clock });
    const { columns } = await seedHistory(fixture);
    const { account } = fixture.session;
    await fixture.session.projector.stop();
    // A backlog of more than one feed page, then more events written while the new projector reads it: from the
    // moment it subscribes, each of those arrives both in a later page and as a change of the events table.
    await writeEvents(account, cardsFromAnotherDevice(account.accountId, columns[0]!, 1200, clock.now() + 1000));
    const during = cardsFromAnotherDevice(account.accountId, columns[1]!, 30, clock.now() + 10_000);
    let written = 0;
    const projector = new Projector(account, {
      onEvent: () => {
        // Straight to the storage from inside the fold of a page: the write lands before the next page is read.
        if (written < during.length && projector.stats.refolded > 0) {
          void writeEvents(account, [during[written++]!]);
        }
      },
    });
    await projector.start();
    await projector.idle();
    expect(written).toBe(during.length);
    // After the backlog, it follows new writes as they come.
    const after = cardsFromAnotherDevice(account.accountId, columns[2]!, 5, clock.now() + 20_000);
    await insertAsSynced(account, projector, after);
    await projector.stop();
    // A new card is folded from its log (a refold of one event); none was folded twice.
    expect(projector.stats).toMatchObject({ applied: 0, skipped: 0, rebuilt: 0 });
    expect(projector.stats.refolded).toBe(1200 + during.length + after.length);
    await expectProjectionsFromFold(fixture);
  });

  it('hands a waiting command the entity its event produced, as stored', async () => {
    const clock = createTestClock();
    const fixture = await open({ clock });
    const { ctx, cards, columns } = await seedHistory(fixture);
    const moved = await card.move(ctx, cards[0]!.id, { toColumnId: columns[2]!.id });
    const renamed = await card.rename(ctx, cards[0]!.id, 'Plan, renamed');
    const stored = (await readProjections(fixture.session.account)).cards.get(cards[0]!.id);
    expect(renamed).toEqual(stored);
    expect(moved).toMatchObject({ columnId: columns[2]!.id, title: 'Plan' });
  });
});

describe('eventOf', () => {
  it('gives each stored event without RxDB fields, exactly as an object rest does, whatever fields it has', async () => {
    const clock = createTestClock();
    const fixture = await open({ clock });
    await seedHistory(fixture);
    const stored = await fixture.session.account.collections.events.storageInstance.findDocumentsById(
      (await readEvents(fixture.session.account)).map((event) => event.id),
      false,
    );
    const rx = { _deleted: false, _attachments: {}, _rev: '1-abc', _meta: { lwt: 1 } };
    const rejection = { code: 'forbidden', message: 'Not allowed.', at: '2026-11-26T09:00:00.000Z' };
    const variants = stored.flatMap((doc) => [
      doc,
      { ...doc, rejection },
      { ...doc, extra: 'kept' },
      withoutRxFields(doc),
      { ...withoutRxFields(doc), ...rx, boardId: undefined },
      { ...withoutRxFields({ ...doc, boardId: undefined }), ...rx, extra: 'instead of boardId' },
      { ...withoutRxFields(doc), _meta: rx._meta, a: 1, b: 2, c: 3 },
    ]);
    for (const doc of variants) {
      const event = eventOf(doc as never);
      expect(event).toStrictEqual(withoutRxFields(doc));
      expect(Object.keys(event).sort()).toEqual(Object.keys(withoutRxFields(doc)).sort());
    }
    expect(variants.length).toBeGreaterThan(40);
  });
});
