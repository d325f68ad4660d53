// What every domain verb receives: the account's database, who acts, this device and its clock, and the
// projector whose application of the new event the verb waits for. Verbs write exactly one event
// (`commit`), never a projection.
import type { RxCollection } from 'rxdb';
import { AppError } from '../../shared/errors';
import { createEvent, type Action, type Actor, type KnownEvent, type NewEvent } from '../../shared/events';
import type { Clock } from '../../shared/hlc';
import { isId } from '../../shared/ids';
import type { ProjectionCollection } from '../../shared/model';
import type { ProjectionTypes } from '../../shared/fold';
import { validateEvent } from '../../shared/node/validate';
import type { AccountDb } from '../store/account-db';
import { withoutRxFields } from '../store/rx-fields';
import type { Projector } from '../worker/projector';

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
  await applied;
  return event;
}

/** Refuses anything that is not a well-formed id before it reaches a lookup. */
export function requireId(value: unknown, what: string): string {
  if (!isId(value)) throw new AppError('invalid_input', `${what} must be an id.`);
  return value;
}

/** A projection by id, or undefined (also for ids of other accounts, which this database never holds). */
export async function findEntity<C extends ProjectionCollection>(
  ctx: DomainContext,
  collection: C,
  id: string,
): Promise<ProjectionTypes[C] | undefined> {
  const rxCollection = ctx.account.collections[collection] as unknown as RxCollection<ProjectionTypes[C]>;
  const [doc] = await rxCollection.storageInstance.findDocumentsById([id], false);
  if (!doc) return undefined;
  const typed = withoutRxFields<ProjectionTypes[C]>(doc);
  return typed.accountId === ctx.account.accountId ? typed : undefined;
}

const NAMES: Record<ProjectionCollection, string> = {
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
  const entityId = requireId(id, `The ${NAMES[collection]} id`);
  const entity = await findEntity(ctx, collection, entityId);
  if (!entity) throw new AppError('not_found', `No ${NAMES[collection]} with id ${entityId} in this account.`);
  return entity;
}
