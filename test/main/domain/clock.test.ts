// The device's clock under sync and restarts (DESIGN.md, "Ordering"): a remote event far in the future is
// stored and folded but never drags the local clock (more than 5 minutes ahead: not adopted, also after a
// restart); a remote event a little ahead is adopted, so what this device does next sorts after it; and a
// wall clock set back between runs loses and skips nothing.
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../shared/events';
import { compareHlc, hlcWallMs, MAX_CLOCK_AHEAD_MS } from '../../../shared/hlc';
import { newId } from '../../../shared/ids';
import * as board from '../../../src-main/domain/board';
import * as card from '../../../src-main/domain/card';
import type { SQLiteCheckpoint } from '../../../src-main/store/sqlite-storage';
import { addMember, createTestClock, reopenableFixtures, seedBoard, type DomainFixture } from '../../support/domain-fixtures';
import { eventFromAnotherDevice, foldedProjections, insertAsSynced, projectionDifferences, readEvents, readProjections } from './scenario';

const BOB = { id: 'user-bob', name: 'Bob' };
/** How far a local event's wall time may lie past the local wall clock (a counter overflow at most). */
const FEW_MS = 5;

const { open, closeKeepingFolder } = reopenableFixtures();

/** The event a verb just committed: the newest of this device's events. */
async function newestLocal(fixture: DomainFixture): Promise<StoredEvent> {
  const own = (await readEvents(fixture.session.account)).filter((e) => e.deviceId === fixture.store.deviceId);
  return own.at(-1)!;
}

/** Bob, on another device, creates a card whose event carries his clock's time. */
async function cardFromAnotherDevice(fixture: DomainFixture, at: { boardId: string; column: { id: string; name: string } }, wallMs: number): Promise<StoredEvent> {
  return eventFromAnotherDevice(fixture.session.account.accountId, 'card_created', {
    eventableId: newId(wallMs),
    boardId: at.boardId,
    particulars: { title: 'From the future', column: at.column, position: 'a5' },
    wallMs,
    creator: BOB,
  });
}

describe('a remote event from a clock 10 minutes ahead', () => {
  it('is stored and folded, but the next local event keeps the local wall time', async () => {
    const fixture = await open();
    const ctx = fixture.session.context();
    await addMember(ctx, BOB);
    const { board: launch, columns } = await seedBoard(ctx);
    const future = await cardFromAnotherDevice(fixture, { boardId: launch.id, column: { id: columns[0]!.id, name: columns[0]!.name } }, fixture.clock.now() + 10 * 60_000);
    await insertAsSynced(fixture.session.account, fixture.session.projector, [future]);
    expect((await readProjections(fixture.session.account)).cards.get(future.eventableId)).toMatchObject({ title: 'From the future' });

    fixture.clock.advance(1000);
    await board.create(ctx, { name: 'Made after the sync' });
    const local = await newestLocal(fixture);
    expect(hlcWallMs(local.hlc)).toBeGreaterThanOrEqual(fixture.clock.now());
    expect(hlcWallMs(local.hlc)).toBeLessThanOrEqual(fixture.clock.now() + FEW_MS);
    expect(compareHlc(local.hlc, future.hlc)).toBe(-1);
  });

  it('does not drag the clock after a restart either (the clock continues after this device’s own events only)', async () => {
    const clock = createTestClock();
    const fixture = await open({ clock });
    const ctx = fixture.session.context();
    await addMember(ctx, BOB);
    const { board: launch, columns } = await seedBoard(ctx);
    const ownBefore = await newestLocal(fixture);
    const future = await cardFromAnotherDevice(fixture, { boardId: launch.id, column: { id: columns[0]!.id, name: columns[0]!.name } }, clock.now() + 10 * 60_000);
    await insertAsSynced(fixture.session.account, fixture.session.projector, [future]);
    const dir = await closeKeepingFolder(fixture);

    clock.advance(1000);
    const reopened = await open({ dir, clock });
    const card0 = await card.create(reopened.session.context(), { boardId: launch.id, columnId: columns[1]!.id, title: 'After the restart' });
    const local = await newestLocal(reopened);
    expect(local.eventableId).toBe(card0.id);
    expect(hlcWallMs(local.hlc)).toBeLessThanOrEqual(clock.now() + FEW_MS);
    expect(compareHlc(local.hlc, ownBefore.hlc)).toBe(1);
  });
});

describe('a remote event from a clock 2 minutes ahead', () => {
  it('is adopted: what this device does next sorts after it', async () => {
    const fixture = await open();
    const ctx = fixture.session.context();
    await addMember(ctx, BOB);
    const { board: launch, columns } = await seedBoard(ctx);
    const ahead = await cardFromAnotherDevice(fixture, { boardId: launch.id, column: { id: columns[0]!.id, name: columns[0]!.name } }, fixture.clock.now() + 2 * 60_000);
    expect(2 * 60_000).toBeLessThan(MAX_CLOCK_AHEAD_MS);
    await insertAsSynced(fixture.session.account, fixture.session.projector, [ahead]);

    // Seen Bob's card, this device's person closes it: the close must fold after the creation.
    fixture.clock.advance(1000);
    const closed = await card.close(ctx, ahead.eventableId);
    expect(closed.isClosed).toBe(true);
    const local = await newestLocal(fixture);
    expect(local.action).toBe('card_closed');
    expect(compareHlc(local.hlc, ahead.hlc)).toBe(1);
    expect(projectionDifferences(await readProjections(fixture.session.account), foldedProjections(await readEvents(fixture.session.account)))).toEqual([]);
  });
});

describe('the wall clock set back between runs', () => {
  it('loses and skips nothing: new events sort after old ones, are folded, and the events feed returns all', async () => {
    const clock = createTestClock(Date.UTC(2026, 10, 26, 15, 0, 0));
    const fixture = await open({ clock });
    const ctx = fixture.session.context();
    const { board: launch, columns } = await seedBoard(ctx);
    const first = await card.create(ctx, { boardId: launch.id, columnId: columns[0]!.id, title: 'Before the change' });
    clock.advance(5000);
    await card.close(ctx, first.id);
    const before = await readEvents(fixture.session.account);
    const newestBefore = before.map((e) => e.hlc).sort().at(-1)!;
    const events = fixture.session.account.collections.events.storageInstance;
    const feedBefore = (await events.getChangedDocumentsSince!(10_000, undefined)).checkpoint as SQLiteCheckpoint;
    const dir = await closeKeepingFolder(fixture);

    // The next run: the wall clock is an hour behind.
    clock.set(Date.UTC(2026, 10, 26, 14, 0, 0));
    const reopened = await open({ dir, clock });
    const rctx = reopened.session.context();
    const reopenedCard = await card.reopen(rctx, first.id);
    expect(reopenedCard.isClosed).toBe(false);
    const renamed = await card.rename(rctx, first.id, 'After the change');
    expect(renamed.title).toBe('After the change');
    const second = await card.create(rctx, { boardId: launch.id, columnId: columns[1]!.id, title: 'New after the change' });

    const after = await readEvents(reopened.session.account);
    const added = after.filter((e) => !before.some((b) => b.id === e.id));
    expect(added.map((e) => e.action)).toEqual(['card_reopened', 'card_renamed', 'card_created']);
    for (const event of added) expect(compareHlc(event.hlc, newestBefore), `${event.action} sorts after the old events`).toBe(1);
    // Folded: the projections show the new state and equal the fold of the whole log.
    const projections = await readProjections(reopened.session.account);
    expect(projections.cards.get(first.id)).toMatchObject({ title: 'After the change', isClosed: false });
    expect(projections.cards.get(second.id)).toMatchObject({ title: 'New after the change' });
    expect(projectionDifferences(projections, foldedProjections(after))).toEqual([]);
    // The events feed: everything from the start, and exactly the new events after the old checkpoint.
    const reopenedEvents = reopened.session.account.collections.events.storageInstance;
    const all = await reopenedEvents.getChangedDocumentsSince!(10_000, undefined);
    expect(all.documents.map((doc) => doc.id).sort()).toEqual(after.map((e) => e.id).sort());
    const since = await reopenedEvents.getChangedDocumentsSince!(10_000, feedBefore);
    expect(since.documents.map((doc) => doc.id)).toEqual(added.map((e) => e.id));
    // Newest first (the activity feed's order) starts with the newest event.
    const newest = await reopened.session.account.collections.events.find({ sort: [{ hlc: 'desc' }, { id: 'desc' }], limit: 1 }).exec();
    expect(newest[0]?.id).toBe(added.at(-1)!.id);
  });
});
