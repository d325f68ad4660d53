// Mixed domain scenarios for the robustness tests (crash kills, multi-device merges, fold properties): a
// seeded random walk over the real verbs of src-main/domain. `loadWorld` reads what the account holds;
// `randomStep` picks a verb that fits it (create boards, columns, cards, comments; move, rename, close,
// assign, tag, delete and restore them…), runs it and records the result in the world. A verb may still be
// refused (`conflict`, `invalid_input`) when the world is stale (after a merge, or a concurrent step):
// the step then reports the refusal, which is an outcome, not a failure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { RxCollection } from 'rxdb';
import { isAppError, type ErrorCode } from '../../../shared/errors';
import { createEvent, type Action, type Actor, type NewEvent, type ParticularsOf, type StoredEvent } from '../../../shared/events';
import { formatHlc, nodeIdFromDeviceId } from '../../../shared/hlc';
import { newId } from '../../../shared/ids';
import { foldAll } from '../../../shared/fold';
import { validateEvent } from '../../../shared/node/validate';
import { PROJECTION_COLLECTIONS, type Board, type Card, type Column, type Comment, type Member, type ProjectionCollection } from '../../../shared/model';
import * as board from '../../../src-main/domain/board';
import * as card from '../../../src-main/domain/card';
import * as column from '../../../src-main/domain/column';
import * as comment from '../../../src-main/domain/comment';
import { findEntity, type DomainContext } from '../../../src-main/domain/context';
import { comparePositioned } from '../../../src-main/domain/position';
import { openAccountDb, type AccountDb } from '../../../src-main/store/account-db';
import { writeDevice } from '../../../src-main/store/device';
import { openStore, type AccountSession, type Store } from '../../../src-main/store/store';
import { eventOf, type Projector } from '../../../src-main/worker/projector';

export type Random = () => number;

/** What a device believes the account holds (its projections when loaded, then its own changes). */
export type World = {
  boards: Map<string, Board>;
  columns: Map<string, Column>;
  cards: Map<string, Card>;
  comments: Map<string, Comment>;
  members: Member[];
};

type Touched =
  | { collection: 'boards'; entity: Board }
  | { collection: 'columns'; entity: Column }
  | { collection: 'cards'; entity: Card }
  | { collection: 'comments'; entity: Comment };

export type StepOutcome =
  | { verb: string; status: 'done'; touched: Touched }
  | { verb: string; status: 'refused'; code: ErrorCode; message: string };

/** Refusals a stale world can cause; anything else a step meets is a failure of the test. */
export const EXPECTED_REFUSALS: ReadonlySet<ErrorCode> = new Set(['conflict', 'invalid_input']);

/** Limits that keep a long walk's data (and so each step's reads) small. */
const MAX_LIVE_BOARDS = 3;
const MAX_BOARDS = 5;
const MAX_LIVE_COLUMNS = 5;
const MAX_COLUMNS = 8;
const MAX_LIVE_CARDS = 24;
const MAX_CARDS = 40;
const MAX_COMMENTS_PER_CARD = 4;

const WORDS = ['login', 'export', 'sync', 'bug', 'Ünïcødé', 'onboarding', 'invoice', 'draft', '🚀 launch', 'search', 'café'];
const COLUMN_NAMES = ['To do', 'Doing', 'Review', 'Done', 'Later', 'Blocked'];
const TAGS = ['bug', 'ux', 'p1', 'backend', 'waiting on customer'];

export async function loadWorld(ctx: DomainContext): Promise<World> {
  const { collections } = ctx.account;
  const boards = (await collections.boards.find().exec()).map((doc) => doc.toJSON() as Board);
  const columns = (await collections.columns.find().exec()).map((doc) => doc.toJSON() as Column);
  const cards = (await collections.cards.find().exec()).map((doc) => doc.toJSON() as Card);
  const comments = (await collections.comments.find().exec()).map((doc) => doc.toJSON() as Comment);
  const members = (await findEntity(ctx, 'members', ctx.account.accountId))?.members ?? [];
  return {
    boards: new Map(boards.map((e) => [e.id, e])),
    columns: new Map(columns.map((e) => [e.id, e])),
    cards: new Map(cards.map((e) => [e.id, e])),
    comments: new Map(comments.map((e) => [e.id, e])),
    members: [...members],
  };
}

export function recordTouched(world: World, touched: Touched): void {
  switch (touched.collection) {
    case 'boards':
      world.boards.set(touched.entity.id, touched.entity);
      break;
    case 'columns':
      world.columns.set(touched.entity.id, touched.entity);
      break;
    case 'cards':
      world.cards.set(touched.entity.id, touched.entity);
      break;
    case 'comments':
      world.comments.set(touched.entity.id, touched.entity);
      break;
  }
}

/** Reads the touched entity again (after concurrent steps the returned copy may be older than the stored one). */
export async function refreshTouched(ctx: DomainContext, world: World, touched: Touched): Promise<void> {
  const fresh = await findEntity(ctx, touched.collection, touched.entity.id);
  if (fresh) recordTouched(world, { collection: touched.collection, entity: fresh } as Touched);
}

export function pick<T>(random: Random, values: readonly T[]): T | undefined {
  return values.length === 0 ? undefined : values[Math.floor(random() * values.length)];
}

function text(random: Random, words: number): string {
  const parts: string[] = [];
  for (let i = 0; i < words; i++) parts.push(pick(random, WORDS)!);
  return `${parts.join(' ')} ${Math.floor(random() * 1000)}`;
}

function dueDate(random: Random): string | null {
  if (random() < 0.2) return null;
  const month = 1 + Math.floor(random() * 12);
  const day = 1 + Math.floor(random() * 28);
  return `2027-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

type Choice = { verb: string; weight: number; run: () => Promise<Touched> };

function sortedColumns(world: World, boardId: string): Column[] {
  return [...world.columns.values()].filter((c) => c.boardId === boardId).sort(comparePositioned);
}

function cardsIn(world: World, columnId: string): Card[] {
  return [...world.cards.values()].filter((c) => c.columnId === columnId).sort(comparePositioned);
}

/** The verbs that fit the world now, with weights (a board is picked first; most steps act on it). */
function choices(ctx: DomainContext, world: World, random: Random): Choice[] {
  const list: Choice[] = [];
  const add = (verb: string, weight: number, run: () => Promise<Touched>): void => {
    if (weight > 0) list.push({ verb, weight, run });
  };
  const boards = [...world.boards.values()];
  const liveBoards = boards.filter((b) => !b.isDeleted);
  const canCreateBoard = liveBoards.length < MAX_LIVE_BOARDS && boards.length < MAX_BOARDS;
  add('board.create', liveBoards.length === 0 ? 50 : canCreateBoard ? 0.6 : 0, async () => ({
    collection: 'boards',
    entity: await board.create(ctx, { name: text(random, 2) }),
  }));
  const target = pick(random, liveBoards);
  if (!target) return list;
  add('board.rename', 0.6, async () => ({ collection: 'boards', entity: await board.rename(ctx, target.id, text(random, 2)) }));
  add('board.delete', liveBoards.length >= MAX_LIVE_BOARDS ? 0.3 : 0, async () => ({ collection: 'boards', entity: await board.remove(ctx, target.id) }));

  const columns = sortedColumns(world, target.id);
  const liveColumns = columns.filter((c) => !c.isDeleted);
  const canCreateColumn = liveColumns.length < MAX_LIVE_COLUMNS && columns.length < MAX_COLUMNS;
  add('column.create', liveColumns.length === 0 ? 30 : canCreateColumn ? 1.2 : 0, async () => {
    const after = random() < 0.5 ? pick(random, liveColumns) : undefined;
    return {
      collection: 'columns',
      entity: await column.create(ctx, { boardId: target.id, name: pick(random, COLUMN_NAMES)!, ...(after ? { afterColumnId: after.id } : {}) }),
    };
  });
  const someColumn = pick(random, liveColumns);
  if (someColumn) {
    add('column.rename', 0.6, async () => ({ collection: 'columns', entity: await column.rename(ctx, someColumn.id, `${pick(random, COLUMN_NAMES)!} ${Math.floor(random() * 100)}`) }));
    const other = pick(random, liveColumns.filter((c) => c.id !== someColumn.id));
    if (other) {
      add('column.move', 0.8, async () => ({
        collection: 'columns',
        entity: await column.move(ctx, someColumn.id, random() < 0.5 ? { afterColumnId: other.id } : { beforeColumnId: other.id }),
      }));
    }
  }
  const emptyColumn = pick(random, liveColumns.filter((c) => cardsIn(world, c.id).every((k) => k.isDeleted)));
  if (emptyColumn && liveColumns.length > 1) {
    add('column.delete', 1.2, async () => ({ collection: 'columns', entity: await column.remove(ctx, emptyColumn.id) }));
  }
  const deletedColumn = pick(random, columns.filter((c) => c.isDeleted));
  if (deletedColumn) add('column.restore', 0.8, async () => ({ collection: 'columns', entity: await column.restore(ctx, deletedColumn.id) }));
  if (liveColumns.length === 0) return list;

  const boardCards = [...world.cards.values()].filter((c) => c.boardId === target.id);
  const liveCards = boardCards.filter((c) => !c.isDeleted);
  const into = pick(random, liveColumns)!;
  const canCreateCard = liveCards.length < MAX_LIVE_CARDS && boardCards.length < MAX_CARDS;
  add('card.create', canCreateCard ? (liveCards.length < 3 ? 12 : 4) : 0, async () => {
    const siblings = cardsIn(world, into.id).filter((c) => !c.isDeleted);
    const roll = random();
    const place = roll < 0.25 && siblings[0] ? { beforeCardId: siblings[0].id } : roll < 0.5 && siblings.length > 0 ? { afterCardId: pick(random, siblings)!.id } : {};
    return { collection: 'cards', entity: await card.create(ctx, { boardId: target.id, columnId: into.id, title: text(random, 3), ...place }) };
  });
  const one = pick(random, liveCards);
  if (one) {
    add('card.move', 5, async () => {
      const to = pick(random, liveColumns)!;
      const siblings = cardsIn(world, to.id).filter((c) => c.id !== one.id && !c.isDeleted);
      const anchor = pick(random, siblings);
      const place = anchor ? (random() < 0.5 ? { afterCardId: anchor.id } : { beforeCardId: anchor.id }) : {};
      return { collection: 'cards', entity: await card.move(ctx, one.id, { toColumnId: to.id, ...place }) };
    });
    add('card.rename', 1.5, async () => ({ collection: 'cards', entity: await card.rename(ctx, one.id, text(random, 3)) }));
    add('card.describe', 1, async () => ({
      collection: 'cards',
      entity: await card.describe(ctx, one.id, random() < 0.1 ? '' : `${text(random, 8)}\n\n- ${text(random, 4)}`),
    }));
    if (one.isClosed) add('card.reopen', 1.2, async () => ({ collection: 'cards', entity: await card.reopen(ctx, one.id) }));
    else add('card.close', 2, async () => ({ collection: 'cards', entity: await card.close(ctx, one.id) }));
    const assignee = pick(random, world.members.filter((m) => !one.assignees.some((a) => a.id === m.id)));
    if (assignee) add('card.assign', 1.2, async () => ({ collection: 'cards', entity: await card.assign(ctx, one.id, assignee.id) }));
    const assigned = pick(random, one.assignees);
    if (assigned) add('card.unassign', 0.8, async () => ({ collection: 'cards', entity: await card.unassign(ctx, one.id, assigned.id) }));
    const newTag = pick(random, TAGS.filter((t) => !one.tags.includes(t)));
    if (newTag) add('card.tag', 1, async () => ({ collection: 'cards', entity: await card.tag(ctx, one.id, newTag) }));
    const oldTag = pick(random, one.tags);
    if (oldTag) add('card.untag', 0.6, async () => ({ collection: 'cards', entity: await card.untag(ctx, one.id, oldTag) }));
    add('card.setDueDate', 0.8, async () => ({ collection: 'cards', entity: await card.setDueDate(ctx, one.id, dueDate(random)) }));
    add('card.delete', 1, async () => ({ collection: 'cards', entity: await card.remove(ctx, one.id) }));
    const comments = [...world.comments.values()].filter((c) => c.cardId === one.id);
    if (comments.length < MAX_COMMENTS_PER_CARD) {
      add('comment.create', 2, async () => ({ collection: 'comments', entity: await comment.create(ctx, { cardId: one.id, body: text(random, 6) }) }));
    }
    const mine = pick(random, comments.filter((c) => !c.isDeleted && c.createdBy.id === ctx.actor.id));
    if (mine) add('comment.edit', 1, async () => ({ collection: 'comments', entity: await comment.edit(ctx, mine.id, text(random, 5)) }));
    const live = pick(random, comments.filter((c) => !c.isDeleted && c.createdBy.id === ctx.actor.id));
    if (live) add('comment.delete', 0.6, async () => ({ collection: 'comments', entity: await comment.remove(ctx, live.id) }));
    const gone = pick(random, comments.filter((c) => c.isDeleted && c.createdBy.id === ctx.actor.id));
    if (gone) add('comment.restore', 0.5, async () => ({ collection: 'comments', entity: await comment.restore(ctx, gone.id) }));
  }
  const deletedCard = pick(random, boardCards.filter((c) => c.isDeleted));
  if (deletedCard) add('card.restore', 1, async () => ({ collection: 'cards', entity: await card.restore(ctx, deletedCard.id) }));
  return list;
}

/** Picks a verb that fits the world, runs it, records its result. Unexpected errors are thrown. */
export async function randomStep(ctx: DomainContext, world: World, random: Random): Promise<StepOutcome> {
  const list = choices(ctx, world, random);
  const total = list.reduce((sum, choice) => sum + choice.weight, 0);
  let roll = random() * total;
  let chosen = list[list.length - 1]!;
  for (const choice of list) {
    roll -= choice.weight;
    if (roll <= 0) {
      chosen = choice;
      break;
    }
  }
  try {
    const touched = await chosen.run();
    recordTouched(world, touched);
    return { verb: chosen.verb, status: 'done', touched };
  } catch (error) {
    if (isAppError(error) && EXPECTED_REFUSALS.has(error.code)) {
      return { verb: chosen.verb, status: 'refused', code: error.code, message: error.message };
    }
    throw error;
  }
}

// --- Checks shared by the robustness tests -------------------------------------------------------------

const RX_FIELDS: ReadonlySet<string> = new Set(['_rev', '_meta', '_deleted', '_attachments']);

export type ProjectionSnapshot = { [C in ProjectionCollection]: Map<string, Record<string, unknown>> };

function withoutRxFields(doc: Record<string, unknown>): Record<string, unknown> {
  const entity: Record<string, unknown> = {};
  for (const key of Object.keys(doc)) if (!RX_FIELDS.has(key)) entity[key] = doc[key];
  return entity;
}

/** Every stored projection (not deleted), without RxDB's document fields. */
export async function readProjections(account: AccountDb): Promise<ProjectionSnapshot> {
  const snapshot = {} as ProjectionSnapshot;
  for (const collection of PROJECTION_COLLECTIONS) {
    const docs = await (account.collections[collection] as RxCollection).find().exec();
    snapshot[collection] = new Map(
      docs.map((doc) => [doc.primary, withoutRxFields(doc.toMutableJSON(true) as Record<string, unknown>)]),
    );
  }
  return snapshot;
}

/** Every event of the account as stored (RxDB fields stripped), in (hlc, id) order. */
export async function readEvents(account: AccountDb): Promise<StoredEvent[]> {
  const docs = await account.collections.events.find({ sort: [{ hlc: 'asc' }, { id: 'asc' }] }).exec();
  return docs.map((doc) => eventOf(doc.toMutableJSON(true)));
}

/** The projections folded from `events` by the pure reducers (`foldAll`), in the same shape. */
export function foldedProjections(events: readonly StoredEvent[]): ProjectionSnapshot {
  const folded = foldAll(events);
  const snapshot = {} as ProjectionSnapshot;
  for (const collection of PROJECTION_COLLECTIONS) {
    snapshot[collection] = new Map(
      [...(folded[collection] as Map<string, object>)].map(([id, entity]) => [id, { ...entity } as Record<string, unknown>]),
    );
  }
  return snapshot;
}

/**
 * Where two snapshots differ: one line per entity that is missing, extra or different (a torn projection
 * when `actual` is what the projector wrote and `expected` the fold of the log). Empty when equal.
 */
export function projectionDifferences(actual: ProjectionSnapshot, expected: ProjectionSnapshot): string[] {
  const problems: string[] = [];
  for (const collection of PROJECTION_COLLECTIONS) {
    const have = actual[collection];
    const want = expected[collection];
    for (const [id, entity] of want) {
      const stored = have.get(id);
      if (!stored) problems.push(`${collection}/${id}: missing (fold: ${JSON.stringify(entity)})`);
      else if (!isDeepStrictEqual(stored, entity)) {
        problems.push(`${collection}/${id}: stored ${JSON.stringify(stored)} but the fold gives ${JSON.stringify(entity)}`);
      }
    }
    for (const [id, stored] of have) {
      if (!want.has(id)) problems.push(`${collection}/${id}: stored but the fold has no such entity (${JSON.stringify(stored)})`);
    }
  }
  return problems;
}

/** How many entities a snapshot holds, per collection. */
export function projectionCounts(snapshot: ProjectionSnapshot): Record<ProjectionCollection, number> {
  const counts = {} as Record<ProjectionCollection, number>;
  for (const collection of PROJECTION_COLLECTIONS) counts[collection] = snapshot[collection].size;
  return counts;
}

/**
 * Inserts events into an account's log the way replication does (one bulk write of the stored documents;
 * an event already there is left alone) and waits until the projector has read every new one.
 */
export async function insertAsSynced(account: AccountDb, projector: Projector, events: readonly StoredEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const waits = new Map(events.map((event) => [event.id, projector.whenApplied(event.id)]));
  const rows = events.map((event) => ({ document: { ...event, _deleted: false, _attachments: {}, _rev: '', _meta: { lwt: 0 } } }));
  const result = await account.collections.events.storageInstance.bulkWrite(rows as never, 'test-sync');
  for (const error of result.error) {
    if (error.status !== 409) throw new Error(`sync insert of ${error.documentId} failed with status ${error.status}`);
    projector.cancelWait(error.documentId);
    waits.delete(error.documentId);
  }
  await Promise.all(waits.values());
  return waits.size;
}

// --- Devices sharing one account, synced by inserting each other's events ---------------------------------
//
// RxDB's open-source build allows 13 open collections per process and an account database has 8, so only
// one device is open at a time: each one opens, syncs, acts and closes in turn (as if the app restarted).
// Devices work offline between syncs anyway, so taking turns changes nothing about what they can do.

/** A device at rest: its own data folder (device id, local user), clock, and the account it holds. */
export type Device = {
  readonly name: string;
  readonly dir: string;
  readonly now: () => number;
  /** Set for a device that joins an account created elsewhere. */
  readonly join: { accountId: string; user: Actor } | undefined;
};

/** A device while open: its store and the account session. */
export type OpenDevice = {
  readonly device: Device;
  readonly store: Store;
  readonly session: AccountSession;
  readonly ctx: DomainContext;
};

/**
 * A new device. Without `join` it is the first device: its first opening creates the account. With `join`
 * it is another device of a member: its folder knows the account and the local user, and its log starts
 * empty (sync it with `syncDevice`).
 */
export function createDevice(input: { name: string; now: () => number; join?: { accountId: string; user: Actor } }): Device {
  const dir = mkdtempSync(join(tmpdir(), `tb-device-${input.name}-`));
  if (input.join) {
    const nowMs = input.now();
    writeDevice(dir, { deviceId: newId(nowMs), createdAt: new Date(nowMs).toISOString(), users: { [input.join.accountId]: input.join.user } });
  }
  return { name: input.name, dir, now: input.now, join: input.join };
}

/** Opens the device, runs `work`, closes it again (also when `work` fails). */
export async function withDevice<T>(device: Device, work: (open: OpenDevice) => Promise<T>): Promise<T> {
  const store = await openStore({ dataDir: device.dir, now: device.now });
  try {
    let session: AccountSession;
    if (device.join) {
      if (!store.listAccountIds().includes(device.join.accountId)) {
        // The account's (empty) database file, as the first pull from the server would create it.
        const created = await openAccountDb(store.storage, device.join.accountId);
        await created.db.close();
      }
      session = await store.openAccount(device.join.accountId);
    } else {
      session = await store.ensureLocalAccount();
    }
    return await work({ device, store, session, ctx: session.context() });
  } finally {
    await store.close();
  }
}

export function removeDevice(device: Device): void {
  rmSync(device.dir, { recursive: true, force: true });
}

export function shuffled<T>(random: Random, values: readonly T[]): T[] {
  const copy = [...values];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/**
 * Gives `device` every event of `log` it lacks, in a random order and in batches of random sizes, some
 * events sent twice (replication may repeat a page). Returns how many were new to it.
 */
export async function syncDevice(device: OpenDevice, log: readonly StoredEvent[], random: Random): Promise<number> {
  const held = new Set((await readEvents(device.session.account)).map((event) => event.id));
  const missing = shuffled(random, log.filter((event) => !held.has(event.id)));
  const already = log.filter((event) => held.has(event.id));
  let inserted = 0;
  for (let start = 0; start < missing.length; ) {
    const size = 1 + Math.floor(random() * Math.min(20, missing.length - start));
    const batch = missing.slice(start, start + size);
    start += size;
    const repeat = random() < 0.3 ? pick(random, already) : undefined;
    inserted += await insertAsSynced(device.session.account, device.session.projector, repeat ? [...batch, repeat] : batch);
  }
  return inserted;
}

/** The device id of "another device" in tests that hand-make its events. */
export const OTHER_DEVICE_ID = '0190c000-0000-7000-8000-0000000d0e02';

/**
 * A valid event of `action` as another device (OTHER_DEVICE_ID, its own HLC node) would have made it at
 * `wallMs`, by `creator`. Checked with `validateEvent`, so a test cannot hand in a malformed one by mistake.
 */
export function eventFromAnotherDevice<A extends Action>(
  accountId: string,
  action: A,
  fields: { eventableId: string; boardId: string; particulars: ParticularsOf<A>; wallMs: number; counter?: number; creator: Actor },
): StoredEvent {
  const event = createEvent<A>({
    action,
    accountId,
    eventableId: fields.eventableId,
    boardId: fields.boardId,
    actor: fields.creator,
    deviceId: OTHER_DEVICE_ID,
    hlc: formatHlc({ wallMs: fields.wallMs, counter: fields.counter ?? 0, nodeId: nodeIdFromDeviceId(OTHER_DEVICE_ID) }),
    nowMs: fields.wallMs,
    particulars: fields.particulars,
  } as NewEvent<A>);
  const validation = validateEvent(event);
  if (!validation.ok) throw new Error(`test event ${action} is invalid: ${validation.message}`);
  return event;
}

/** Writes events straight into the log (as replication would), without waiting for any projector. */
export async function writeEvents(account: AccountDb, events: readonly StoredEvent[]): Promise<void> {
  const rows = events.map((event) => ({ document: { ...event, _deleted: false, _attachments: {}, _rev: '', _meta: { lwt: 0 } } }));
  const result = await account.collections.events.storageInstance.bulkWrite(rows as never, 'test-sync');
  if (result.error.length > 0) throw new Error(`writing ${result.error[0]!.documentId} failed with status ${result.error[0]!.status}`);
}
