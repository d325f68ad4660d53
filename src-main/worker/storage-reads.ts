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
  let template = templates.get(key) as PreparedQuery<T> | undefined;
  if (!template) {
    const query = shape((name) => STAND_IN_PREFIX + name);
    const normalized = normalizeMangoQuery<T>(schema, {
      ...query,
      selector: { ...query.selector, _deleted: { $eq: false } } as MangoQuery<T>['selector'],
    });
    if (!normalized.index) throw new Error(`The query shape ${key} names no index.`);
    normalized.index.unshift('_deleted');
    template = prepareQuery(schema, normalized);
    templates.set(key, template as PreparedQuery<unknown>);
  }
  const put = (part: unknown): unknown =>
    typeof part === 'string' && part.startsWith(STAND_IN_PREFIX) ? values[part.slice(STAND_IN_PREFIX.length)] : part;
  const { query, queryPlan } = template;
  return {
    query: { ...query, selector: substitute(query.selector, put) as typeof query.selector, ...(limit === undefined ? {} : { limit }) },
    queryPlan: { ...queryPlan, startKeys: queryPlan.startKeys.map(put), endKeys: queryPlan.endKeys.map(put) } as RxQueryPlan,
  };
}

/** Stand-in values start with a character no real id, key or hlc holds. */
const STAND_IN_PREFIX = '\u0000';

const preparedTemplates = new WeakMap<object, Map<string, PreparedQuery<unknown>>>();

/** A copy of a (normalized) selector with each stand-in replaced. */
function substitute(selector: unknown, put: (value: unknown) => unknown): unknown {
  if (typeof selector !== 'object' || selector === null || Array.isArray(selector)) return put(selector);
  const copy: Record<string, unknown> = {};
  for (const [key, part] of Object.entries(selector)) copy[key] = substitute(part, put);
  return copy;
}

