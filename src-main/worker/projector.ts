// The projector: the single writer of projections (DESIGN.md, "The event log is the commit point").
// It consumes the events change feed from a stored checkpoint, folds each event into the projections of
// its eventable with the reducers in shared/fold, and re-applies idempotently after a crash. An event
// that arrives out of (hlc, id) order refolds its entity from the log; a new FOLD_VERSION rebuilds every
// projection by replay.
import { normalizeMangoQuery, prepareQuery, type RxCollection, type RxDocumentData, type RxStorageInstance } from 'rxdb';
import type { Subscription } from 'rxjs';
import { AppError } from '../../shared/errors';
import { isStoredEvent, type StoredEvent } from '../../shared/events';
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
import type { AccountDb } from '../store/account-db';
import { withoutRxFields } from '../store/rx-fields';

export const PROJECTOR_CHECKPOINT_ID = 'projector';

type FeedCheckpoint = { id: string; seq: number };
type StoredCheckpoint = { feed: FeedCheckpoint | null; foldVersion: number };
type Entity = ProjectionMeta & Record<string, unknown>;
type Doc = RxDocumentData<Entity>;

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
  private readonly waiters = new Map<string, { resolve: () => void; reject: (error: unknown) => void }[]>();
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
    this.subscription = this.eventsInstance().changeStream().subscribe(() => this.requestDrain());
    this.requestDrain();
    await this.idle();
  }

  /** Resolves once the event `eventId` is folded (register BEFORE inserting the event). */
  whenApplied(eventId: string): Promise<void> {
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
        this.options.onError?.(error);
        for (const [, list] of this.waiters) for (const waiter of list) waiter.reject(error);
        this.waiters.clear();
        await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 1000));
        this.isDrainRequested = true;
      }
    }
  }

  private async drain(): Promise<void> {
    const events = this.eventsInstance();
    for (;;) {
      const page = await events.getChangedDocumentsSince!(FEED_BATCH, this.feed ?? undefined);
      if (page.documents.length === 0) return;
      const read = page.documents.map(eventOf).filter(isStoredEvent);
      if (this.options.onEvent) for (const event of read) this.options.onEvent(event);
      await this.applyEvents(read);
      this.feed = page.checkpoint as FeedCheckpoint;
      this.eventsSinceSave += page.documents.length;
      // Back-to-back commands may never give the save timer a turn: save by count as well as by time.
      if (this.eventsSinceSave >= CHECKPOINT_SAVE_EVERY) await this.saveCheckpoint();
      else this.scheduleCheckpointSave();
      for (const event of page.documents) {
        const list = this.waiters.get(event.id);
        if (!list) continue;
        this.waiters.delete(event.id);
        for (const waiter of list) waiter.resolve();
      }
      // A short page is the end of the feed: a write after the read requests another drain (changeStream), so
      // asking again now would only read nothing (one query saved per command).
      if (page.documents.length < FEED_BATCH) return;
    }
  }

  /** Folds a batch of events into their projections: one read and one write per collection. */
  private async applyEvents(events: readonly StoredEvent[]): Promise<void> {
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
      const docs = (await this.projection(collection).storageInstance.findDocumentsById([...ids], true)) as Doc[];
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
  }

  private isServerOwnedMembers(record: Entity | undefined): boolean {
    return record !== undefined && record['source'] === 'server';
  }

  /** The entity folded from all its events in the log (out-of-order arrival, rejection, new fold version). */
  private async refold(target: ProjectionTarget): Promise<Entity | undefined> {
    const events = await this.account.collections.events
      .find({ selector: { eventableId: target.id }, sort: [{ hlc: 'asc' }, { id: 'asc' }] })
      .exec();
    const reducer = REDUCERS[target.collection] as (e: Entity | undefined, ev: unknown) => Entity | undefined;
    return foldEntity(reducer, events.map((doc) => eventOf(doc.toMutableJSON(true))));
  }

  private async writeProjections(collection: ProjectionCollection, rows: { document: Doc; previous: Doc | undefined }[]): Promise<void> {
    const result = await this.projection(collection).storageInstance.bulkWrite(rows as never, 'projector');
    if (result.error.length > 0) {
      // The projector is the only writer: a conflict means a second projector on the same file.
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
      const instance = this.projection(collection).storageInstance;
      const all = (await this.projection(collection).find().exec()).map((doc) => doc.toMutableJSON(true) as Doc);
      const existing = new Map(all.map((doc) => [doc.id, doc]));
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

/** The event as stored in the log, without RxDB's document fields (the envelope allows no others). */
export function eventOf(doc: RxDocumentData<StoredEvent> | StoredEvent): StoredEvent {
  return withoutRxFields<StoredEvent>(doc);
}

function toDocument(entity: Entity, isDeleted: boolean): Doc {
  return { ...entity, _deleted: isDeleted, _attachments: {}, _rev: '', _meta: { lwt: 0 } } as Doc;
}
