// What the durability tests (crash, lock, clock, bad files) and their child processes share: one small
// collection schema, document factories and a seeded random source. Children bundle this file, so it must not
// import vitest.
import { createRevision, fillWithDefaultSettings, now, randomToken, type RxDocumentData, type RxJsonSchema } from 'rxdb';
import { getRxStorageSQLite, type RxStorageSQLite } from '../../../../src-main/store/sqlite-storage';

export const ITEMS_COLLECTION = 'items';

/** The table the contract puts the `items` collection (schema version 0) in. */
export const ITEMS_TABLE = 'items-0';

export type DurableItem = { id: string; v: string; n: number; body: string };

/** The collection schema as an app passes it to RxDB's addCollections. */
export function durableItemSchemaLiteral(): RxJsonSchema<DurableItem> {
  return {
    version: 0,
    type: 'object',
    primaryKey: 'id',
    properties: {
      id: { type: 'string', maxLength: 40 },
      v: { type: 'string', maxLength: 40 },
      n: { type: 'integer', minimum: 0, maximum: 1_000_000_000, multipleOf: 1 },
      body: { type: 'string' },
    },
    required: ['id', 'v', 'n', 'body'],
    indexes: ['n', ['v', 'n']],
  };
}

/** The same schema as RxDB hands it to a storage. */
export function durableItemSchema(): RxJsonSchema<RxDocumentData<DurableItem>> {
  return fillWithDefaultSettings<DurableItem>(durableItemSchemaLiteral());
}

export type ItemsInstance = Awaited<ReturnType<typeof openItems>>;

/** Opens the `items` collection of `databaseName` in the data folder `folder` (or on `storage`). */
export async function openItems(folderOrStorage: string | RxStorageSQLite, databaseName: string, token = randomToken(10)) {
  const storage = typeof folderOrStorage === 'string' ? getRxStorageSQLite({ path: folderOrStorage }) : folderOrStorage;
  return storage.createStorageInstance<DurableItem>({
    databaseInstanceToken: token,
    databaseName,
    collectionName: ITEMS_COLLECTION,
    schema: durableItemSchema(),
    options: {},
    multiInstance: false,
    devMode: false,
  });
}

/** A first version of document `id`, as RxDB would insert it. */
export function newItem(token: string, id: string, v: string, n: number, body = ''): RxDocumentData<DurableItem> {
  return { id, v, n, body, _deleted: false, _rev: createRevision(token), _meta: { lwt: now() }, _attachments: {} };
}

/** The next version of `previous` (revision height + 1), optionally deleted or brought back. */
export function nextItem(
  token: string,
  previous: RxDocumentData<DurableItem>,
  v: string,
  options: { isDeleted?: boolean; body?: string } = {},
): RxDocumentData<DurableItem> {
  return {
    ...previous,
    v,
    n: previous.n + 1,
    body: options.body ?? previous.body,
    _deleted: options.isDeleted ?? false,
    _rev: createRevision(token, previous),
    _meta: { lwt: now() },
  };
}

export function revisionHeight(rev: string): number {
  const height = Number.parseInt(rev.split('-')[0] ?? '', 10);
  if (!Number.isInteger(height)) throw new Error(`not an RxDB revision: ${rev}`);
  return height;
}

/** A deterministic pseudo-random source (mulberry32): a failing seed can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** What a child reports about a storage error, so the parent can assert on it. */
export type ReportedError = { name: string; code?: unknown; path?: unknown; message: string };

/** What a child says of an attempt: it worked, or the storage error it got. */
export type TryResult = { ok: true } | { ok: false; error: ReportedError };

export function reportError(error: unknown): ReportedError {
  if (!(error instanceof Error)) return { name: typeof error, message: String(error) };
  const fields = error as Error & { code?: unknown; path?: unknown };
  return { name: error.name, code: fields.code, path: fields.path, message: error.message };
}
