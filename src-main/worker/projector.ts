// The projector: the single writer of projections (DESIGN.md, "The event log is the commit point").
// It consumes the events change feed from a stored checkpoint, folds each event into the projections of
// its eventable with the reducers in shared/fold, and re-applies idempotently after a crash. An event
// that arrives out of (hlc, id) order refolds its entity from the log; a new FOLD_VERSION rebuilds every
// projection by replay.
import {
  normalizeMangoQuery,
  prepareQuery,
  type EventBulk,
  type MangoQuery,
  type MangoQuerySelector,
  type RxCollection,
  type RxDocumentData,
  type RxStorageChangeEvent,
  type RxStorageInstance,
} from 'rxdb';
import type { Subscription } from 'rxjs';
import { AppError } from '../../shared/errors';
import { ENVELOPE_SCHEMA, isStoredEvent, type StoredEvent } from '../../shared/events';
import {
  arrivalOf,
  createProjectionFolder,
  foldEntity,
  FOLD_VERSION,
  projectionTargets,
  REDUCERS,
  type ProjectionTarget,
} from '../../shared/fold';
import { PROJECTION_COLLECTIONS, type ProjectionCollection, type ProjectionMeta } from '../../shared/model';
import type { ProjectionTypes } from '../../shared/fold';
import type { AccountDb } from '../store/account-db';
import { RX_DOCUMENT_FIELDS, withoutRxFields } from '../store/rx-fields';
import { projectionCacheOf } from './projection-cache';
import { findLike, readableStorage } from './storage-reads';

export const PROJECTOR_CHECKPOINT_ID = 'projector';

type FeedCheckpoint = { id: string; seq: number };
type StoredCheckpoint = { feed: FeedCheckpoint | null; foldVersion: number };
type Entity = ProjectionMeta & Record<string, unknown>;
type Doc = RxDocumentData<Entity>;
type FeedBulk = EventBulk<RxStorageChangeEvent<StoredEvent>, unknown>;

/**
 * What a command waiting for its event gets once the event is folded: the projections the fold left (of the
 * batch the event was folded in), so the command can return its entity without reading it back. Undefined for an
 * entity the batch did not touch.
 */
export type Applied = {
  projection<C extends ProjectionCollection>(collection: C, id: string): ProjectionTypes[C] | undefined;
};

const NOTHING_APPLIED: Applied = { projection: () => undefined };

const FEED_BATCH = 500;
const REBUILD_PAGE = 5000;
const CHECKPOINT_SAVE_DELAY_MS = 200;
const CHECKPOINT_SAVE_EVERY = 1000;

export type ProjectorOptions = {
  /** Told about a failed attempt; the projector retries after `retryDelayMs`. Never throws. */
  onError?: (error: unknown) => void;
  retryDelayMs?: number;
  /**
   * Told about every event read from the feed, before it is folded (the store merges other devices' hlc
   * into its clock here, so what this device does next sorts after what it has seen). Must not throw.
   */
  onEvent?: (event: StoredEvent) => void;
};

export type ProjectorStats = { applied: number; refolded: number; skipped: number; rebuilt: number };

export class Projector {
  private feed: FeedCheckpoint | null = null;
  private subscription: Subscription | undefined;
  private running: Promise<void> | undefined;
  private isDrainRequested = false;
  private isStopped = false;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private isCheckpointDirty = false;
  private eventsSinceSave = 0;
  private readonly waiters = new Map<string, { resolve: (applied: Applied) => void; reject: (error: unknown) => void }[]>();
  /**
   * Change bulks of the events table not folded yet, in write order. Once a read of the feed has reached its end
   * (`isFollowing`), these continue it exactly: every write after that read is one of them, so the projector folds
   * their documents without reading the log again. Any failure falls back to reading from the checkpoint.
   */
  private pendingBulks: FeedBulk[] = [];
  private isFollowing = false;
  private lastError: unknown;
  readonly stats: ProjectorStats = { applied: 0, refolded: 0, skipped: 0, rebuilt: 0 };

  constructor(
    private readonly account: AccountDb,
    private readonly options: ProjectorOptions = {},
  ) {}

  /** Loads the checkpoint (rebuilding on a new fold version), catches up with the log, then follows it. */
  async start(): Promise<void> {
    const stored = await this.loadCheckpoint();
    if (!stored || stored.foldVersion !== FOLD_VERSION) {
      await this.rebuild();
    } else {
      this.feed = stored.feed;
    }
    this.subscription = this.eventsInstance()
      .changeStream()
      .subscribe((bulk) => {
        this.pendingBulks.push(bulk);
        this.requestDrain();
      });
    this.requestDrain();
    await this.idle();
  }

  /** Resolves once the event `eventId` is folded (register BEFORE inserting the event). */
  whenApplied(eventId: string): Promise<Applied> {
    return new Promise((resolve, reject) => {
      const list = this.waiters.get(eventId);
      if (list) list.push({ resolve, reject });
      else this.waiters.set(eventId, [{ resolve, reject }]);
    });
  }

  /** Forget a waiter whose event was never inserted (the command failed before its commit). */
  cancelWait(eventId: string): void {
    this.waiters.delete(eventId);
  }

  /** Resolves when everything written so far is folded. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    this.subscription?.unsubscribe();
    await this.idle();
    // A command still waiting for its event would otherwise wait forever: its event is in the log and is
    // folded when the account opens again.
    const stopped = new AppError('unavailable', 'The account was closed before this change appeared; it is saved and shows when the account opens again.');
    for (const [, list] of this.waiters) for (const waiter of list) waiter.reject(stopped);
    this.waiters.clear();
    if (this.saveTimer) clearTimeout(this.saveTimer);
    if (this.isCheckpointDirty) await this.saveCheckpoint();
  }

  get error(): unknown {
    return this.lastError;
  }

  private requestDrain(): void {
    if (this.isStopped) return;
    this.isDrainRequested = true;
    if (this.running) return;
    this.running = this.drainLoop().finally(() => {
      this.running = undefined;
      // A request that came after the loop's last check but before this callback would otherwise be lost
      // (an event inserted then would wait for the projector forever).
      if (this.isDrainRequested) this.requestDrain();
    });
  }

  private async drainLoop(): Promise<void> {
    while (this.isDrainRequested && !this.isStopped) {
      this.isDrainRequested = false;
      try {
        await this.drain();
        this.lastError = undefined;
      } catch (error) {
        this.lastError = error;
        // Start again from the checkpoint: the bulks still pending may continue a batch that was not folded.
        this.isFollowing = false;
        this.pendingBulks = [];
        this.options.onError?.(error);
        for (const [, list] of this.waiters) for (const waiter of list) waiter.reject(error);
        this.waiters.clear();
        await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 1000));
        this.isDrainRequested = true;
      }
    }
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.isFollowing) {
        if (!(await this.foldPendingBulks())) return;
        continue;
      }
      const page = await this.eventsInstance().getChangedDocumentsSince!(FEED_BATCH, this.feed ?? undefined);
      if (page.documents.length > 0) await this.fold(page.documents, page.checkpoint as FeedCheckpoint);
      // A short page is the end of the feed: what is written from now on arrives as change bulks.
      if (page.documents.length < FEED_BATCH) this.isFollowing = true;
    }
  }

  /**
   * Folds the pending change bulks of the events table (up to about a feed page) in one batch; false when there
   * were none. A bulk is one write, so the feed read up to `this.feed` holds all of its documents or none: a bulk at
   * or before the checkpoint was read already. A storage whose checkpoints carry no sequence cannot tell: the
   * projector then reads the feed instead.
   */
  private async foldPendingBulks(): Promise<boolean> {
    if (this.pendingBulks.length === 0) return false;
    const documents: RxDocumentData<StoredEvent>[] = [];
    let checkpoint: FeedCheckpoint | undefined;
    let taken = 0;
    for (const bulk of this.pendingBulks) {
      if (documents.length >= FEED_BATCH) break;
      taken++;
      const bulkCheckpoint = bulk.checkpoint as Partial<FeedCheckpoint> | undefined;
      if (typeof bulkCheckpoint?.seq !== 'number' || typeof bulkCheckpoint.id !== 'string') {
        this.isFollowing = false;
        this.pendingBulks = [];
        return true;
      }
      const after = checkpoint ?? this.feed;
      if (after && bulkCheckpoint.seq <= after.seq) continue;
      // A storage's change events carry the documents as stored (RxDB's types leave out its own fields).
      for (const change of bulk.events) documents.push(change.documentData as RxDocumentData<StoredEvent>);
      checkpoint = { id: bulkCheckpoint.id, seq: bulkCheckpoint.seq };
    }
    this.pendingBulks.splice(0, taken);
    if (checkpoint) await this.fold(documents, checkpoint);
    return true;
  }

  /** Folds events read from the feed (a page, or a change bulk), moves the checkpoint past them, tells the waiters. */
  private async fold(documents: readonly RxDocumentData<StoredEvent>[], checkpoint: FeedCheckpoint): Promise<void> {
    const read: StoredEvent[] = [];
    for (const document of documents) {
      const event = eventOf(document);
      if (isStoredEvent(event)) read.push(event);
    }
    if (this.options.onEvent) for (const event of read) this.options.onEvent(event);
    const applied = await this.applyEvents(read);
    this.feed = checkpoint;
    this.eventsSinceSave += documents.length;
    // Back-to-back commands may never give the save timer a turn: save by count as well as by time.
    if (this.eventsSinceSave >= CHECKPOINT_SAVE_EVERY) await this.saveCheckpoint();
    else this.scheduleCheckpointSave();
    if (this.waiters.size === 0) return;
    for (const document of documents) {
      const list = this.waiters.get(document.id);
      if (!list) continue;
      this.waiters.delete(document.id);
      for (const waiter of list) waiter.resolve(applied);
    }
  }

  /** Folds a batch of events into their projections: one read and one write per collection. */
  private async applyEvents(events: readonly StoredEvent[]): Promise<Applied> {
    if (events.length === 0) return NOTHING_APPLIED;
    const targetsByEvent = events.map((event) => projectionTargets(event));
    const idsByCollection = new Map<ProjectionCollection, Set<string>>();
    for (const targets of targetsByEvent) {
      for (const target of targets) {
        let ids = idsByCollection.get(target.collection);
        if (!ids) idsByCollection.set(target.collection, (ids = new Set()));
        ids.add(target.id);
      }
    }
    const stored = new Map<ProjectionCollection, Map<string, Doc>>();
    const working = new Map<ProjectionCollection, Map<string, Entity | undefined>>();
    for (const [collection, ids] of idsByCollection) {
      const docs = await projectionCacheOf(this.account).findDocumentsById(collection, [...ids], true);
      const byId = new Map<string, Doc>();
      const current = new Map<string, Entity | undefined>();
      for (const doc of docs) {
        byId.set(doc.id, doc);
        current.set(doc.id, doc._deleted ? undefined : stripRxFields(doc));
      }
      stored.set(collection, byId);
      working.set(collection, current);
    }

    const touched = new Map<ProjectionCollection, Set<string>>();
    // A refold reads the entity's whole log, later events of this batch included: they are in it already.
    const refolded = new Set<string>();
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      for (const target of targetsByEvent[i]!) {
        if (target.collection === 'members' && this.isServerOwnedMembers(working.get('members')!.get(target.id))) continue;
        const targetKey = `${target.collection}/${target.id}`;
        if (refolded.has(targetKey)) {
          this.stats.skipped++;
          continue;
        }
        const entities = working.get(target.collection)!;
        const entity = entities.get(target.id);
        const arrival = arrivalOf(entity, event);
        if (arrival === 'skip') {
          this.stats.skipped++;
          continue;
        }
        const next =
          arrival === 'apply'
            ? (REDUCERS[target.collection] as (e: Entity | undefined, ev: unknown) => Entity | undefined)(entity, event)
            : await this.refold(target);
        if (arrival === 'apply') this.stats.applied++;
        else {
          this.stats.refolded++;
          refolded.add(targetKey);
        }
        entities.set(target.id, next);
        let ids = touched.get(target.collection);
        if (!ids) touched.set(target.collection, (ids = new Set()));
        ids.add(target.id);
      }
    }

    for (const [collection, ids] of touched) {
      const entities = working.get(collection)!;
      const previousById = stored.get(collection)!;
      const rows = [];
      for (const id of ids) {
        const entity = entities.get(id);
        const previous = previousById.get(id);
        if (!entity && (!previous || previous._deleted)) continue;
        rows.push({ document: toDocument(entity ?? stripRxFields(previous!), !entity), previous });
      }
      if (rows.length > 0) await this.writeProjections(collection, rows);
    }
    return {
      projection: <C extends ProjectionCollection>(collection: C, id: string) =>
        working.get(collection)?.get(id) as ProjectionTypes[C] | undefined,
    };
  }

  private isServerOwnedMembers(record: Entity | undefined): boolean {
    return record !== undefined && record['source'] === 'server';
  }

  /** The entity folded from all its events in the log (out-of-order arrival, rejection, new fold version). */
  private async refold(target: ProjectionTarget): Promise<Entity | undefined> {
    const events = await findLike(this.account.collections.events, 'entity-log', entityLogQuery, { id: target.id }, eventOf);
    const reducer = REDUCERS[target.collection] as (e: Entity | undefined, ev: unknown) => Entity | undefined;
    return foldEntity(reducer, events);
  }

  private async writeProjections(collection: ProjectionCollection, rows: { document: Doc; previous: Doc | undefined }[]): Promise<void> {
    const result = await this.projection(collection).storageInstance.bulkWrite(rows as never, 'projector');
    if (result.error.length > 0) {
      // The projector is the only writer: a conflict means a second projector on the same file. Whatever the
      // cause, the retry (from the checkpoint) reads these projections from the storage again.
      projectionCacheOf(this.account).forget(collection);
      const first = result.error[0]!;
      throw new Error(`Projector could not write ${collection}/${first.documentId} (status ${first.status})`);
    }
  }

  /**
   * Every projection from scratch: the log read in (hlc, id) order through the accountId index, folded in
   * memory (createProjectionFolder), written in bulk; projections the fold no longer produces are deleted.
   * Runs before the projector follows the feed, so no event can slip between the fold and the checkpoint.
   */
  async rebuild(): Promise<void> {
    const events = this.account.collections.events;
    const feedEnd = this.latestFeedCheckpoint();
    const folder = createProjectionFolder();
    const schema = events.schema.jsonSchema;
    // The cursor is (hlc, id): events may share an hlc (an import, a merge), and one on a page boundary must not
    // be skipped. Each page starts AT the last hlc and drops what was already folded.
    let after: { hlc: string; id: string } | undefined;
    for (;;) {
      const query = normalizeMangoQuery<RxDocumentData<StoredEvent>>(schema, {
        // `_deleted` pins the index's first field, as RxDB's own queries do: without it the planner can use no
        // [accountId, hlc, id] range and every page would read and sort the whole log.
        selector: { _deleted: { $eq: false }, accountId: this.account.accountId, hlc: { $gte: after?.hlc ?? '' } },
        sort: [{ hlc: 'asc' }, { id: 'asc' }],
        limit: REBUILD_PAGE,
      });
      const page = await events.storageInstance.query(prepareQuery(schema, query));
      let folded = 0;
      for (const event of page.documents) {
        if (after && event.hlc === after.hlc && event.id <= after.id) continue;
        folder.add(eventOf(event));
        folded++;
      }
      this.stats.rebuilt += folded;
      const last = page.documents.at(-1);
      if (!last || page.documents.length < REBUILD_PAGE) break;
      if (folded === 0) throw new Error(`More than ${REBUILD_PAGE} events share the hlc ${last.hlc}; the log cannot be paged.`);
      after = { hlc: last.hlc, id: last.id };
      // Let timers and RxDB's cache housekeeping run between pages of a long replay.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    for (const collection of PROJECTION_COLLECTIONS) {
      const folded = folder.projections[collection] as Map<string, Entity>;
      const rxCollection = this.projection(collection);
      const instance = rxCollection.storageInstance;
      // Every live projection as stored, read from the storage (no RxDB document per projection).
      const schema = rxCollection.schema.jsonSchema;
      const every = normalizeMangoQuery<Entity>(schema, { selector: { _deleted: { $eq: false } } as MangoQuerySelector<Entity> });
      const { documents: all } = await readableStorage(rxCollection).query(prepareQuery(schema, every));
      const existing = new Map((all as Doc[]).map((doc) => [doc.id, doc]));
      const rows: { document: Doc; previous: Doc | undefined }[] = [];
      for (const [id, entity] of folded) {
        const previous = existing.get(id);
        if (collection === 'members' && previous && this.isServerOwnedMembers(stripRxFields(previous))) continue;
        rows.push({ document: toDocument(entity, false), previous });
      }
      for (const [id, previous] of existing) {
        if (!folded.has(id) && !(collection === 'members' && this.isServerOwnedMembers(stripRxFields(previous)))) {
          rows.push({ document: toDocument(stripRxFields(previous), true), previous });
        }
      }
      for (let i = 0; i < rows.length; i += 2000) {
        const chunk = rows.slice(i, i + 2000);
        const result = await instance.bulkWrite(chunk as never, 'projector-rebuild');
        if (result.error.length > 0) throw new Error(`Rebuild could not write ${collection}/${result.error[0]!.documentId}`);
      }
    }
    this.feed = await feedEnd;
    await this.saveCheckpoint();
  }

  private async latestFeedCheckpoint(): Promise<FeedCheckpoint | null> {
    const original = (this.eventsInstance() as { originalStorageInstance?: { getLatestCheckpoint?: () => FeedCheckpoint } })
      .originalStorageInstance;
    if (original?.getLatestCheckpoint) return original.getLatestCheckpoint();
    let feed: FeedCheckpoint | undefined;
    for (;;) {
      const page = await this.eventsInstance().getChangedDocumentsSince!(REBUILD_PAGE, feed);
      if (page.documents.length === 0) return feed ?? null;
      feed = page.checkpoint as FeedCheckpoint;
    }
  }

  private scheduleCheckpointSave(): void {
    this.isCheckpointDirty = true;
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.saveCheckpoint().catch((error: unknown) => this.options.onError?.(error));
    }, CHECKPOINT_SAVE_DELAY_MS);
  }

  private async saveCheckpoint(): Promise<void> {
    this.isCheckpointDirty = false;
    this.eventsSinceSave = 0;
    const checkpoint: StoredCheckpoint = { feed: this.feed, foldVersion: FOLD_VERSION };
    await this.account.collections.checkpoints.upsert({
      id: PROJECTOR_CHECKPOINT_ID,
      checkpoint: checkpoint as unknown as Record<string, unknown>,
      updatedAt: new Date().toISOString(),
    });
  }

  private async loadCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const doc = await this.account.collections.checkpoints.findOne(PROJECTOR_CHECKPOINT_ID).exec();
    const value = doc?.checkpoint as StoredCheckpoint | null | undefined;
    if (!value || typeof value.foldVersion !== 'number') return undefined;
    return value;
  }

  private eventsInstance(): RxStorageInstance<StoredEvent, unknown, unknown> {
    return this.account.collections.events.storageInstance;
  }

  private projection(collection: ProjectionCollection): RxCollection<Entity> {
    return this.account.collections[collection] as unknown as RxCollection<Entity>;
  }
}

function stripRxFields(doc: Doc): Entity {
  return withoutRxFields<Entity>(doc);
}

/** Every event of one eventable, oldest first (what a refold reads), with a stand-in for the eventable. */
export function entityLogQuery(standIn: (name: string) => string): MangoQuery<StoredEvent> {
  return { selector: { eventableId: standIn('id') }, sort: [{ hlc: 'asc' }, { id: 'asc' }], index: ['eventableId', 'hlc', 'id'] };
}

/** What a stored event document holds: the envelope's fields and RxDB's four (and a rejection, when refused). */
const STORED_EVENT_FIELDS = [...ENVELOPE_SCHEMA.required, ...RX_DOCUMENT_FIELDS];

/**
 * The event as stored in the log, without RxDB's document fields (the envelope allows no others). A document with
 * exactly a stored event's fields is copied field by field (in `createEvent`'s order), an order of magnitude faster
 * than an object rest; anything else (other fields, no RxDB fields) goes through `withoutRxFields`, which keeps them.
 * "Exactly": as many keys as a stored event has, and each of its fields there (not undefined: a JSON document
 * holds no undefined, and a key holding undefined takes the other path, which keeps it). Checked with named reads
 * and a counting loop, no key array: a page of events is read after every pause, when each allocation costs.
 */
export function eventOf(doc: RxDocumentData<StoredEvent> | StoredEvent): StoredEvent {
  const { rejection } = doc;
  let keys = 0;
  for (const _key in doc) keys++;
  if (keys !== STORED_EVENT_FIELDS.length + (rejection === undefined ? 0 : 1) || !hasRxFields(doc)) return withoutRxFields<StoredEvent>(doc);
  const event: StoredEvent = {
    id: doc.id,
    v: doc.v,
    accountId: doc.accountId,
    action: doc.action,
    eventableType: doc.eventableType,
    eventableId: doc.eventableId,
    boardId: doc.boardId,
    creatorId: doc.creatorId,
    creatorName: doc.creatorName,
    deviceId: doc.deviceId,
    hlc: doc.hlc,
    createdAt: doc.createdAt,
    particulars: doc.particulars,
  };
  for (const key in event) if (event[key as keyof StoredEvent] === undefined) return withoutRxFields<StoredEvent>(doc);
  if (rejection !== undefined) event.rejection = rejection;
  return event;
}

function hasRxFields(doc: RxDocumentData<StoredEvent> | StoredEvent): boolean {
  const rx = doc as Partial<RxDocumentData<StoredEvent>>;
  return rx._deleted !== undefined && rx._attachments !== undefined && rx._rev !== undefined && rx._meta !== undefined;
}

function toDocument(entity: Entity, isDeleted: boolean): Doc {
  return { ...entity, _deleted: isDeleted, _attachments: {}, _rev: '', _meta: { lwt: 0 } } as Doc;
}
