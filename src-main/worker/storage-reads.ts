// Reads straight from a collection's storage with queries planned once per shape: what the verbs, the queries and
// the projector read most. RxDB's wrapper around a storage instance only queues each call behind its idle lock,
// which reads of a synchronous storage do not need; and normalizing and planning a query (RxDB's
// `normalizeMangoQuery` and `prepareQuery`) allocates more than reading a small page. Writes still go through
// RxDB's wrapper, which sets revisions.
import {
  normalizeMangoQuery,
  prepareQuery,
  type MangoQuery,
  type PreparedQuery,
  type RxCollection,
  type RxDocumentData,
  type RxJsonSchema,
  type RxQueryPlan,
  type RxStorageInstance,
} from 'rxdb';
import { withoutRxFields } from '../store/rx-fields';

/** A collection's storage itself, for reads. */
export function readableStorage<T>(collection: RxCollection<T>): RxStorageInstance<T, unknown, unknown> {
  const wrapped = collection.storageInstance as RxStorageInstance<T, unknown, unknown> & {
    originalStorageInstance?: RxStorageInstance<T, unknown, unknown>;
  };
  return wrapped.originalStorageInstance ?? wrapped;
}

/**
 * The live documents matching a query of a fixed shape whose values vary (`values`, put where `shape` asks for
 * them with `standIn(name)`), read like `findDocuments` for a fraction of its cost. RxDB normalizes and plans
 * each shape once, with stand-in values, and each call puts its own values where the stand-ins are: the same
 * query and plan RxDB makes, without planning again (normalizing and planning allocate more than reading a small
 * page). `shape` must name its index.
 */
export async function findLike<T>(
  collection: RxCollection<T>,
  key: string,
  shape: (standIn: (name: string) => string) => MangoQuery<T>,
  values: Readonly<Record<string, string | undefined>>,
  toEntity: (doc: RxDocumentData<T>) => T = withoutRxFields,
): Promise<T[]> {
  const prepared = preparedLike(collection.schema.jsonSchema, key, shape, values);
  const { documents } = await readableStorage(collection).query(prepared);
  const found = new Array<T>(documents.length);
  for (let i = 0; i < documents.length; i++) found[i] = toEntity(documents[i]!);
  return found;
}

/** The prepared query of `findLike`: what RxDB makes of the query with the values in place (tested). */
export function preparedLike<T>(
  schema: RxJsonSchema<RxDocumentData<T>>,
  key: string,
  shape: (standIn: (name: string) => string) => MangoQuery<T>,
  values: Readonly<Record<string, string | undefined>>,
  limit?: number,
): PreparedQuery<T> {
  let templates = preparedTemplates.get(schema);
  if (!templates) preparedTemplates.set(schema, (templates = new Map()));
  let template = templates.get(key) as Template<T> | undefined;
  if (!template) {
    template = planTemplate(schema, key, shape);
    templates.set(key, template as unknown as Template<unknown>);
  }
  const { query, queryPlan } = template.prepared;
  const prepared: PreparedQuery<T> = {
    query: { ...query, selector: template.selector(values) as typeof query.selector },
    queryPlan: {
      ...queryPlan,
      startKeys: withValues(queryPlan.startKeys, template.startSlots, values),
      endKeys: withValues(queryPlan.endKeys, template.endSlots, values),
    } as RxQueryPlan,
  };
  if (limit !== undefined) prepared.query.limit = limit;
  return prepared;
}

/** Stand-in values start with a character no real id, key or hlc holds. */
const STAND_IN_PREFIX = '\u0000';

/**
 * A query shape planned once: RxDB's prepared query with stand-ins, where its selector and its plan's keys hold
 * them, and a builder of the selector with values in place. A call copies only what holds a stand-in and shares
 * the rest (templates are never changed): reading a page allocates less than RxDB's planning of it would.
 */
type Template<T> = {
  readonly prepared: PreparedQuery<T>;
  readonly selector: (values: Readonly<Record<string, string | undefined>>) => unknown;
  /** Positions in `startKeys` / `endKeys` that hold a stand-in, with its name. */
  readonly startSlots: readonly Slot[];
  readonly endSlots: readonly Slot[];
};

type Slot = { readonly at: number; readonly name: string };

const preparedTemplates = new WeakMap<object, Map<string, Template<unknown>>>();

function planTemplate<T>(schema: RxJsonSchema<RxDocumentData<T>>, key: string, shape: (standIn: (name: string) => string) => MangoQuery<T>): Template<T> {
  const query = shape((name) => STAND_IN_PREFIX + name);
  const normalized = normalizeMangoQuery<T>(schema, {
    ...query,
    selector: { ...query.selector, _deleted: { $eq: false } } as MangoQuery<T>['selector'],
  });
  if (!normalized.index) throw new Error(`The query shape ${key} names no index.`);
  normalized.index.unshift('_deleted');
  const prepared = prepareQuery(schema, normalized);
  return {
    prepared,
    selector: selectorBuilder(prepared.query.selector),
    startSlots: slotsOf(prepared.queryPlan.startKeys),
    endSlots: slotsOf(prepared.queryPlan.endKeys),
  };
}

function standInName(part: unknown): string | undefined {
  return typeof part === 'string' && part.startsWith(STAND_IN_PREFIX) ? part.slice(STAND_IN_PREFIX.length) : undefined;
}

function slotsOf(keys: readonly unknown[]): Slot[] {
  const slots: Slot[] = [];
  for (let at = 0; at < keys.length; at++) {
    const name = standInName(keys[at]);
    if (name !== undefined) slots.push({ at, name });
  }
  return slots;
}

function withValues(keys: readonly unknown[], slots: readonly Slot[], values: Readonly<Record<string, string | undefined>>): unknown[] {
  const copy = keys.slice();
  for (const slot of slots) copy[slot.at] = values[slot.name];
  return copy;
}

/**
 * The builder of a copy of `selector` (normalized: plain objects, arrays and values) with each stand-in replaced:
 * parts without stand-ins are shared, not copied.
 */
function selectorBuilder(selector: unknown): (values: Readonly<Record<string, string | undefined>>) => unknown {
  const name = standInName(selector);
  if (name !== undefined) return (values) => values[name];
  if (typeof selector !== 'object' || selector === null || !hasStandIn(selector)) return () => selector;
  if (Array.isArray(selector)) {
    const parts = selector.map(selectorBuilder);
    return (values) => parts.map((part) => part(values));
  }
  const parts = Object.entries(selector).map(([field, part]) => [field, selectorBuilder(part)] as const);
  return (values) => {
    const copy: Record<string, unknown> = {};
    for (const [field, part] of parts) copy[field] = part(values);
    return copy;
  };
}

function hasStandIn(part: unknown): boolean {
  if (standInName(part) !== undefined) return true;
  if (typeof part !== 'object' || part === null) return false;
  return Object.values(part).some(hasStandIn);
}
