// The machinery every reducer shares, so each entity file only says what its actions do.
//
// A reducer is `(entity | undefined, event) => entity | undefined`: pure and total. It reads the event
// through `readEvent` (rejected events, unknown actions and versions, malformed particulars: no change,
// not even to lastEvent*), ignores events about another eventable, creates the entity from its creation
// action, and otherwise hands the event to the action's handler. A handler returns the entity unchanged
// for an event that no longer makes sense (closing a closed card); it never throws.
import type { Action, EventableType } from '../events/actions';
import type { EventableTypeOf } from '../events/catalogue';
import { readEvent, type KnownEvent } from '../events/envelope';
import type { PersonRef, ProjectionMeta } from '../model/entities';
import { FOLD_VERSION } from './version';

/** Pure and total: any input, never throws. */
export type Reducer<E> = (entity: E | undefined, event: unknown) => E | undefined;

/** The actions whose events are about an eventable of type `T`. */
export type ActionsOf<T extends EventableType> = {
  [A in Action]: EventableTypeOf<A> extends T ? A : never;
}[Action];

/** Method syntax keeps parameters bivariant: a handler of one action fits the lookup table's type. */
type AnyHandler<E> = { handle(entity: E, event: KnownEvent): E }['handle'];

type Fields<E> = Omit<E, keyof ProjectionMeta>;

export type ReducerSpec<T extends EventableType, C extends ActionsOf<T>, E extends ProjectionMeta> = {
  eventableType: T;
  /** The action that brings the entity into existence. */
  creation: C;
  create: (event: KnownEvent<C>) => Fields<E>;
  /** One handler per other action about `T`: what it does to an existing entity. */
  handlers: { [A in Exclude<ActionsOf<T>, C>]: (entity: E, event: KnownEvent<A>) => E };
};

export function createReducer<T extends EventableType, C extends ActionsOf<T>, E extends ProjectionMeta>(
  spec: ReducerSpec<T, C, E>,
): Reducer<E> {
  // Each handler is keyed by the action it handles, so it only ever receives events of that action.
  const handlers: Readonly<Partial<Record<string, AnyHandler<E>>>> = spec.handlers;
  return (entity, raw) => {
    const event = readEvent(raw);
    if (event === undefined || event.eventableType !== spec.eventableType) return entity;
    if (entity === undefined) {
      if (!isAction(event, spec.creation)) return undefined;
      // `create` returns every field but the meta ones, which follow.
      const created = {
        ...spec.create(event),
        id: event.eventableId,
        accountId: event.accountId,
        foldVersion: FOLD_VERSION,
        lastEventHlc: event.hlc,
        lastEventId: event.id,
        updatedAt: event.createdAt,
      } as E;
      return created;
    }
    if (entity.id !== event.eventableId || entity.accountId !== event.accountId) return entity;
    if (entity.lastEventId === event.id) return entity;
    const handler = handlers[event.action];
    const next = handler === undefined ? entity : handler(entity, event);
    return { ...next, foldVersion: FOLD_VERSION, lastEventHlc: event.hlc, lastEventId: event.id, updatedAt: event.createdAt };
  };
}

function isAction<C extends Action>(event: KnownEvent, action: C): event is KnownEvent<C> {
  return event.action === action;
}

/** The author of an event as a person reference. */
export function authorOf(event: KnownEvent): PersonRef {
  return { id: event.creatorId, name: event.creatorName };
}
