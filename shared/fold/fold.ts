// Folding many events: one entity (`foldEntity`), or a whole log into every projection (`foldAll`,
// `createProjectionFolder` for a streamed rebuild). And the projector's question for each arriving
// event: apply it on top, skip it, or refold the entity from its events (`arrivalOf`).
import { isStoredEvent, readEvent } from '../events/envelope';
import type { Account, Board, Card, Column, Comment, MembersRecord, ProjectionMeta } from '../model/entities';
import type { ProjectionCollection } from '../model/schemas';
import { reduceAccount, reduceMembers } from './account';
import { reduceBoard } from './board';
import { reduceCard } from './card';
import { reduceColumn } from './column';
import { reduceComment } from './comment';
import { compareEvents, sortEvents } from './order';
import type { Reducer } from './reducer';
import { FOLD_VERSION } from './version';

export type ProjectionTypes = {
  accounts: Account;
  members: MembersRecord;
  boards: Board;
  columns: Column;
  cards: Card;
  comments: Comment;
};

export const REDUCERS: { [C in ProjectionCollection]: Reducer<ProjectionTypes[C]> } = {
  accounts: reduceAccount,
  members: reduceMembers,
  boards: reduceBoard,
  columns: reduceColumn,
  cards: reduceCard,
  comments: reduceComment,
};

/** Which projection collections an eventable type feeds (webhook endpoints: none yet). */
const COLLECTIONS_BY_EVENTABLE: Readonly<Record<string, readonly ProjectionCollection[]>> = {
  account: ['accounts', 'members'],
  board: ['boards'],
  column: ['columns'],
  card: ['cards'],
  comment: ['comments'],
};

export type ProjectionTarget = { collection: ProjectionCollection; id: string };

/**
 * The projection documents an event may change: its eventable's, nothing else. Empty for events
 * about something with no projection (webhook endpoints, unknown eventable types) or not events at all.
 */
export function projectionTargets(event: unknown): ProjectionTarget[] {
  if (typeof event !== 'object' || event === null) return [];
  if (!('eventableType' in event) || typeof event.eventableType !== 'string') return [];
  if (!('eventableId' in event) || typeof event.eventableId !== 'string') return [];
  const { eventableType, eventableId } = event;
  const collections = Object.hasOwn(COLLECTIONS_BY_EVENTABLE, eventableType)
    ? (COLLECTIONS_BY_EVENTABLE[eventableType] ?? [])
    : [];
  return collections.map((collection) => ({ collection, id: eventableId }));
}

/**
 * One entity from its events, in any order: sorted by (hlc, id), repeats of an event id dropped, then
 * reduced from nothing. Events that are not about the entity are no-ops (pass the eventable's events).
 */
export function foldEntity<E>(reducer: Reducer<E>, events: readonly unknown[]): E | undefined {
  let entity: E | undefined;
  for (const event of sortEvents(events.filter(isStoredEvent))) entity = reducer(entity, event);
  return entity;
}

export type Projections = { [C in ProjectionCollection]: Map<string, ProjectionTypes[C]> };

export type ProjectionFolder = {
  /** Fold one more event. Events must come in (hlc, id) order (as an index scan of the log gives them). */
  add(event: unknown): void;
  /** The projections so far (live maps; do not change them). */
  readonly projections: Projections;
};

/** Accumulates every projection of a log read in (hlc, id) order: a full rebuild without holding the log. */
export function createProjectionFolder(): ProjectionFolder {
  const projections: Projections = {
    accounts: new Map(),
    members: new Map(),
    boards: new Map(),
    columns: new Map(),
    cards: new Map(),
    comments: new Map(),
  };
  function apply<C extends ProjectionCollection>(collection: C, id: string, event: unknown): void {
    const map: Map<string, ProjectionTypes[C]> = projections[collection];
    const reducer: Reducer<ProjectionTypes[C]> = REDUCERS[collection];
    const next = reducer(map.get(id), event);
    if (next === undefined) map.delete(id);
    else map.set(id, next);
  }
  return {
    projections,
    add(event) {
      for (const target of projectionTargets(event)) apply(target.collection, target.id, event);
    },
  };
}

/** Every projection of a log given in any order (sorted by (hlc, id) first, repeats dropped). */
export function foldAll(events: readonly unknown[]): Projections {
  const folder = createProjectionFolder();
  for (const event of sortEvents(events.filter(isStoredEvent))) folder.add(event);
  return folder.projections;
}

/**
 * What the projector does with an event that arrives for a stored projection (undefined: none yet):
 * - `apply`: fold it on top (`reducer(entity, event)`): it comes after everything folded so far;
 * - `skip`: nothing to do: already folded, never folded (unknown action or version, malformed), or
 *   rejected and never folded;
 * - `refold`: fold the entity again from all its events (`foldEntity`): the event sorts before what
 *   was folded (it arrived out of order), it was folded and is now rejected, the projection is from
 *   another fold version, or there is no projection yet (earlier events of this eventable may have
 *   arrived before its creation; for a brand-new entity the refold reads just this one event).
 */
export type Arrival = 'apply' | 'skip' | 'refold';

export function arrivalOf(entity: ProjectionMeta | undefined, event: unknown): Arrival {
  if (!isStoredEvent(event)) return 'skip';
  const isBeforeOrAtLast =
    entity !== undefined && compareEvents(event, { hlc: entity.lastEventHlc, id: entity.lastEventId }) <= 0;
  if (event.rejection !== undefined) return isBeforeOrAtLast ? 'refold' : 'skip';
  if (readEvent(event) === undefined) return 'skip';
  if (entity === undefined || entity.foldVersion !== FOLD_VERSION) return 'refold';
  if (entity.lastEventId === event.id) return 'skip';
  return isBeforeOrAtLast ? 'refold' : 'apply';
}
