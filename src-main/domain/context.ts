// What every domain verb receives: the account's database, who acts, this device and its clock, and the
// projector whose application of the new event the verb waits for. Verbs write exactly one event
// (`commit`), never a projection.
import type { RxDocumentData } from 'rxdb';
import { AppError } from '../../shared/errors';
import { createEvent, type Action, type Actor, type KnownEvent, type NewEvent } from '../../shared/events';
import type { Clock } from '../../shared/hlc';
import { isId } from '../../shared/ids';
import type { ProjectionCollection, ProjectionMeta } from '../../shared/model';
import type { ProjectionTypes } from '../../shared/fold';
import { validateEvent } from '../../shared/node/validate';
import type { AccountDb } from '../store/account-db';
import { withoutRxFields } from '../store/rx-fields';
import { projectionCacheOf } from '../worker/projection-cache';
import type { Applied, Projector } from '../worker/projector';

export type DomainContext = {
  readonly account: AccountDb;
  /** Who acts. Their role is always read from the members record, never taken from here. */
  readonly actor: Actor;
  readonly deviceId: string;
  readonly clock: Clock;
  /** Wall clock in epoch ms (injectable for tests). */
  readonly now: () => number;
  readonly projector: Projector;
};

export type EventInput<A extends Action> = Pick<NewEvent<A>, 'action' | 'eventableId' | 'boardId' | 'particulars' | 'id'>;

/**
 * The commit point: builds the event, validates envelope and particulars, inserts it (one SQLite
 * transaction) and returns once the projector has folded it, so the caller sees its change at once.
 * An invalid event is refused with `invalid_input` before anything is written.
 */
export async function commit<A extends Action>(ctx: DomainContext, input: EventInput<A>): Promise<KnownEvent<A>> {
  return (await record(ctx, input)).event;
}

/**
 * `commit`, answering with the entity of `collection` that the event is about as the projector just wrote it
 * (no read back). An event whose fold left no such entity answers as `requireEntity` would.
 */
export async function commitEntity<C extends ProjectionCollection, A extends Action>(
  ctx: DomainContext,
  collection: C,
  input: EventInput<A>,
): Promise<ProjectionTypes[C]> {
  const { event, entity } = await commitWithEntity(ctx, collection, input);
  return entity ?? requireEntity(ctx, collection, event.eventableId);
}

/** `commit`, with the entity of `collection` the event is about after its fold (undefined: the fold left none). */
export async function commitWithEntity<C extends ProjectionCollection, A extends Action>(
  ctx: DomainContext,
  collection: C,
  input: EventInput<A>,
): Promise<{ event: KnownEvent<A>; entity: ProjectionTypes[C] | undefined }> {
  const { event, applied } = await record(ctx, input);
  const entity = applied.projection(collection, event.eventableId);
  if (entity !== undefined && entity.accountId === ctx.account.accountId) return { event, entity };
  // Not in the batch the projector just folded (an event it could not read): as stored.
  return { event, entity: await findEntity(ctx, collection, event.eventableId) };
}

async function record<A extends Action>(ctx: DomainContext, input: EventInput<A>): Promise<{ event: KnownEvent<A>; applied: Applied }> {
  const nowMs = ctx.now();
  const event = createEvent<A>({
    ...input,
    accountId: ctx.account.accountId,
    actor: ctx.actor,
    deviceId: ctx.deviceId,
    hlc: ctx.clock.tick(),
    nowMs,
  } as NewEvent<A>);
  const validation = validateEvent(event);
  if (!validation.ok) throw new AppError('invalid_input', validation.message);
  const applied = ctx.projector.whenApplied(event.id);
  const document = { ...event, _deleted: false, _attachments: {}, _rev: '', _meta: { lwt: 0 } };
  let result;
  try {
    result = await ctx.account.collections.events.storageInstance.bulkWrite([{ document }], 'domain-commit');
  } catch (error) {
    ctx.projector.cancelWait(event.id);
    throw error;
  }
  if (result.error.length > 0) {
    ctx.projector.cancelWait(event.id);
    throw new Error(`The event ${event.id} could not be stored (status ${result.error[0]!.status})`);
  }
  return { event, applied: await applied };
}

/** Refuses anything that is not a well-formed id before it reaches a lookup. */
export function requireId(value: unknown, what: string): string {
  if (!isId(value)) throw new AppError('invalid_input', `${what} must be an id.`);
  return value;
}

/** Projections by id, as stored (through the account's projection cache). */
async function readProjections<C extends ProjectionCollection>(
  ctx: DomainContext,
  collection: C,
  ids: readonly string[],
): Promise<RxDocumentData<ProjectionTypes[C]>[]> {
  const docs = await projectionCacheOf(ctx.account).findDocumentsById(collection, ids, false);
  return docs as unknown as RxDocumentData<ProjectionTypes[C]>[];
}

/** A projection by id, or undefined (also for ids of other accounts, which this database never holds). */
export async function findEntity<C extends ProjectionCollection>(
  ctx: DomainContext,
  collection: C,
  id: string,
): Promise<ProjectionTypes[C] | undefined> {
  const cached = cachedEntity(ctx, collection, id);
  if (cached !== undefined) return cached === null ? undefined : cached;
  const [doc] = await readProjections(ctx, collection, [id]);
  return doc ? entityOf(ctx, doc) : undefined;
}

/**
 * The projection `id` from the account's projection cache without waiting: the entity, null when the cache knows
 * it is deleted (or of another account), undefined when the cache does not hold it (read it with `findEntity`).
 */
function cachedEntity<C extends ProjectionCollection>(ctx: DomainContext, collection: C, id: string): ProjectionTypes[C] | null | undefined {
  const doc = projectionCacheOf(ctx.account).peek(collection, id) as RxDocumentData<ProjectionTypes[C]> | undefined;
  if (!doc) return undefined;
  return isLiveHere(ctx, doc) ? withoutRxFields<ProjectionTypes[C]>(doc) : null;
}

function entityOf<C extends ProjectionCollection>(ctx: DomainContext, doc: RxDocumentData<ProjectionTypes[C]>): ProjectionTypes[C] | undefined {
  const typed = withoutRxFields<ProjectionTypes[C]>(doc);
  return typed.accountId === ctx.account.accountId ? typed : undefined;
}

/** Several projections by id in one read: those found, by id (as `findEntity` finds them). */
export async function findEntities<C extends ProjectionCollection>(
  ctx: DomainContext,
  collection: C,
  ids: readonly string[],
): Promise<Map<string, ProjectionTypes[C]>> {
  const found = new Map<string, ProjectionTypes[C]>();
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const cached = cachedEntity(ctx, collection, id);
    if (cached === undefined) missing.push(id);
    else if (cached !== null) found.set(id, cached);
  }
  if (missing.length === 0) return found;
  for (const doc of await readProjections(ctx, collection, missing)) {
    const entity = entityOf(ctx, doc);
    if (entity) found.set(entity.id, entity);
  }
  return found;
}

const ENTITY_NAMES: Record<ProjectionCollection, string> = {
  accounts: 'account',
  members: 'members record',
  boards: 'board',
  columns: 'column',
  cards: 'card',
  comments: 'comment',
};

/** Like `findEntity`, but a missing entity is `not_found`. */
export async function requireEntity<C extends ProjectionCollection>(
  ctx: DomainContext,
  collection: C,
  id: unknown,
): Promise<ProjectionTypes[C]> {
  const entityId = requireEntityId(collection, id);
  const entity = await findEntity(ctx, collection, entityId);
  if (!entity) throw notFound(collection, entityId);
  return entity;
}

/**
 * Whether the account holds the projection `id` (as `findEntity` would find it), without copying it: from the
 * projection cache when it holds the document, else one read.
 */
export async function hasEntity(ctx: DomainContext, collection: ProjectionCollection, id: string): Promise<boolean> {
  const cache = projectionCacheOf(ctx.account);
  const cached = cache.peek(collection, id);
  if (cached !== undefined) return isLiveHere(ctx, cached);
  const [stored] = await cache.findDocumentsById(collection, [id], false);
  return stored !== undefined && isLiveHere(ctx, stored);
}

/** A stored projection that is not deleted and belongs to this account (what `findEntity` answers). */
export function isLiveHere(ctx: DomainContext, doc: RxDocumentData<ProjectionMeta>): boolean {
  return !doc._deleted && doc.accountId === ctx.account.accountId;
}

/** `id` when it is a well-formed id; `invalid_input` naming what it should be the id of otherwise. */
export function requireEntityId(collection: ProjectionCollection, id: unknown): string {
  return requireId(id, `The ${ENTITY_NAMES[collection]} id`);
}

/** The `not_found` answer for an entity of `collection` that this account does not hold. */
export function notFound(collection: ProjectionCollection, id: string): AppError {
  return new AppError('not_found', `No ${ENTITY_NAMES[collection]} with id ${id} in this account.`);
}
