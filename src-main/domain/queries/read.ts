// What the queries share: reads straight from the storage (no RxDocument per row, no query cache), pages of
// events newest first by an (hlc, id) cursor, and an event with its sentence.
//
// Newest-first pages sort by [{hlc:'desc'},{id:'desc'}] with the leading index field pinned to one value
// (eventableId, boardId, accountId or creatorId), so the storage reads the [field, hlc, id] index
// backwards and stops after `limit` rows: a page costs the same on the first day and after a million
// events. (RxDB appends the primary key ascending to a sort that lacks it, which would defeat the
// backwards scan; the sort therefore always names `id` itself.)
import {
  normalizeMangoQuery,
  prepareQuery,
  type MangoQuery,
  type MangoQuerySelector,
  type MangoQuerySortPart,
  type PreparedQuery,
  type RxCollection,
  type RxDocumentData,
  type RxJsonSchema,
} from 'rxdb';
import { AppError } from '../../../shared/errors';
import type { StoredEvent } from '../../../shared/events';
import { isHlc } from '../../../shared/hlc';
import { isId } from '../../../shared/ids';
import { describeLoggedEvent } from '../../../shared/sentences';
import { PAGE_LIMIT_MAX, type EventItem, type Page } from '../../../shared/model/views';
import { withoutRxFields } from '../../store/rx-fields';
import { eventOf } from '../../worker/projector';
import { preparedLike, readableStorage } from '../../worker/storage-reads';
import type { DomainContext } from '../context';

export { withoutRxFields };


/**
 * The live documents matching `query`, straight from the storage: RxDB's planner picks the index (or
 * `query.index`, without `_deleted`: it is added here as RxDB's own queries do). `toEntity` turns a stored
 * document into what the caller gets (by default: without RxDB's fields).
 */
export async function findDocuments<T>(
  collection: RxCollection<T>,
  query: MangoQuery<T>,
  toEntity: (doc: RxDocumentData<T>) => T = withoutRxFields,
): Promise<T[]> {
  const schema = collection.schema.jsonSchema;
  const normalized = normalizeMangoQuery<T>(schema, {
    ...query,
    selector: { ...query.selector, _deleted: { $eq: false } } as MangoQuery<T>['selector'],
  });
  if (normalized.index) normalized.index.unshift('_deleted');
  const { documents } = await readableStorage(collection).query(prepareQuery(schema, normalized));
  const found = new Array<T>(documents.length);
  for (let i = 0; i < documents.length; i++) found[i] = toEntity(documents[i]!);
  return found;
}

/** Where an event sits in (hlc, id) order: what a cursor names. */
export type EventKey = { hlc: string; id: string };

/** The cursor after `event`: the next page starts with the event just older than it. */
export function cursorOf(event: EventKey): string {
  return `${event.hlc}~${event.id}`;
}

/** The position a cursor names, or undefined for none; `invalid_input` for a string this app never gave out. */
export function readCursor(cursor: unknown): EventKey | undefined {
  if (cursor === undefined || cursor === null) return undefined;
  if (typeof cursor === 'string') {
    const at = cursor.indexOf('~');
    const hlc = cursor.slice(0, at);
    const id = cursor.slice(at + 1);
    if (at > 0 && isHlc(hlc) && isId(id)) return { hlc, id };
  }
  throw new AppError('invalid_input', 'That page cursor is not one Trailboard gave out; start from the newest page.');
}

export function readLimit(limit: unknown): number {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > PAGE_LIMIT_MAX) {
    throw new AppError('invalid_input', `The page size must be a whole number from 1 to ${PAGE_LIMIT_MAX}.`);
  }
  return limit;
}

/** True when `a` sorts before `b` in (hlc, id) order. */
export function isOlder(a: EventKey, b: EventKey): boolean {
  return a.hlc < b.hlc || (a.hlc === b.hlc && a.id < b.id);
}

/** Newest first: (hlc, id) descending. */
export function compareNewestFirst(a: EventKey, b: EventKey): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export type EventIndexField = 'eventableId' | 'boardId' | 'accountId' | 'creatorId';

export type EventRange = {
  /** Only events strictly older than this one (the page cursor). */
  before?: EventKey;
  /** Only events at or after this hlc (a bound the caller already knows the page cannot pass). */
  notBeforeHlc?: string;
  limit: number;
  /** More conditions, checked while reading (the action filter, a person on a board's feed). */
  where?: Record<string, unknown>;
};

/**
 * Up to `limit` events whose `field` is `value` (and that match `range.where`), newest first, strictly
 * older than `range.before`: a backwards read of the [field, hlc, id] index from the cursor that stops
 * early. The index is named, so RxDB's planner looks at that one alone (planning every index costs more
 * than reading a page).
 */
export async function eventsNewestFirst(
  ctx: DomainContext,
  field: EventIndexField,
  value: string,
  range: EventRange,
): Promise<StoredEvent[]> {
  const events = ctx.account.collections.events;
  const { before, where } = range;
  const hasWhere = where !== undefined && hasKeys(where);
  // `$lte` also returns events at the cursor's hlc that are not older than it (the cursor's own event at
  // least): ask for that many more and drop them. Two events share an hlc only if imported so, so the
  // loop runs again only then.
  let extra = before ? 1 : 0;
  for (;;) {
    const limit = range.limit + extra;
    const found = hasWhere
      ? await findDocuments(events, { selector: whereSelector(field, value, range), sort: NEWEST_FIRST, index: [field, 'hlc', 'id'], limit }, eventOf)
      : eventsOf((await readableStorage(events).query(pagePlan(events.schema.jsonSchema, field, value, range, limit))).documents);
    if (!before) return found;
    const older = found.filter((event) => isOlder(event, before));
    if (found.length < limit || older.length >= range.limit) return older.slice(0, range.limit);
    extra = found.length - older.length;
  }
}

const NEWEST_FIRST: MangoQuerySortPart<StoredEvent>[] = [{ hlc: 'desc' }, { id: 'desc' }];

function hasKeys(object: object): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return true;
  return false;
}

/** The selector of a page read with further conditions (`range.where`). */
function whereSelector(field: EventIndexField, value: string, range: EventRange): MangoQuerySelector<StoredEvent> {
  const selector: Record<string, unknown> = { ...range.where, [field]: value };
  const hlc = hlcBounds(range, (name) => (name === 'before' ? range.before!.hlc : range.notBeforeHlc!));
  if (hlc) selector['hlc'] = hlc;
  return selector as MangoQuerySelector<StoredEvent>;
}

/** The `hlc` condition of a page read (values from `valueOf`), or undefined for none. */
function hlcBounds(range: Pick<EventRange, 'before' | 'notBeforeHlc'>, valueOf: (name: 'before' | 'notBefore') => string): Record<string, string> | undefined {
  if (range.before === undefined && range.notBeforeHlc === undefined) return undefined;
  const hlc: Record<string, string> = {};
  if (range.before !== undefined) hlc['$lte'] = valueOf('before');
  if (range.notBeforeHlc !== undefined) hlc['$gte'] = valueOf('notBefore');
  return hlc;
}

function eventsOf(documents: readonly RxDocumentData<StoredEvent>[]): StoredEvent[] {
  const found = new Array<StoredEvent>(documents.length);
  for (let i = 0; i < documents.length; i++) found[i] = eventOf(documents[i]!);
  return found;
}

/** A page query shape: its key among `preparedLike`'s plans and the query with stand-ins. */
type PageShape = { readonly key: string; readonly query: (standIn: (name: string) => string) => MangoQuery<StoredEvent> };

/** The page shapes by index field and bounds (0: none, 1: before, 2: not before, 3: both), made once each. */
const pageShapes = new Map<EventIndexField, PageShape[]>();

function pageShape(field: EventIndexField, range: Pick<EventRange, 'before' | 'notBeforeHlc'>): PageShape {
  let shapes = pageShapes.get(field);
  if (!shapes) pageShapes.set(field, (shapes = []));
  const bounds = (range.before === undefined ? 0 : 1) + (range.notBeforeHlc === undefined ? 0 : 2);
  let shape = shapes[bounds];
  if (!shape) {
    const pattern = { before: (bounds & 1) === 1 ? STAND_IN_HLC : undefined, notBeforeHlc: (bounds & 2) === 2 ? '' : undefined };
    shapes[bounds] = shape = {
      key: `page|${field}|${bounds & 1}${bounds >> 1}`,
      query: (standIn) => {
        const selector: Record<string, unknown> = { [field]: standIn('value') };
        const hlc = hlcBounds(pattern, standIn);
        if (hlc) selector['hlc'] = hlc;
        return { selector: selector as MangoQuerySelector<StoredEvent>, sort: NEWEST_FIRST, index: [field, 'hlc', 'id'] };
      },
    };
  }
  return shape;
}

/** Marks a bound as present in a page shape (its value is a stand-in). */
const STAND_IN_HLC: EventKey = { hlc: '', id: '' };

/**
 * What RxDB's `normalizeMangoQuery` and `prepareQuery` make of a page query without further conditions, through
 * `preparedLike` (planned once per shape): the same query and plan RxDB would make (tested).
 */
export function pagePlan(
  schema: RxJsonSchema<RxDocumentData<StoredEvent>>,
  field: EventIndexField,
  value: string,
  range: Pick<EventRange, 'before' | 'notBeforeHlc'>,
  limit: number,
): PreparedQuery<StoredEvent> {
  const shape = pageShape(field, range);
  return preparedLike(schema, shape.key, shape.query, { value, before: range.before?.hlc, notBefore: range.notBeforeHlc }, limit);
}

/** An event with its sentence and flags, for timelines and feeds. */
export function eventItem(event: StoredEvent): EventItem {
  // Events come from this account's own log, validated when they were written or pulled.
  const sentence = describeLoggedEvent(event);
  // The sentence already tells what the event is: a refused one wraps what it would have done.
  const said = sentence.id === 'event_refused' ? sentence.inner : sentence;
  return { event, sentence, isRejected: event.rejection !== undefined, isUnknown: said.id === 'unknown_change' };
}

/** A page of `limit` items from `newest` (newest first, holding up to limit + 1 to tell whether more follow). */
export function pageOf(newest: readonly StoredEvent[], limit: number): Page<EventItem> {
  const count = Math.min(limit, newest.length);
  const items = new Array<EventItem>(count);
  for (let i = 0; i < count; i++) items[i] = eventItem(newest[i]!);
  return { items, nextCursor: newest.length > limit && count > 0 ? cursorOf(newest[count - 1]!) : null };
}
