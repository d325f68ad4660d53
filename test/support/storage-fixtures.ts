// Shared helpers for the RxStorage tests: temp data folders, the storages under test (RxDB's memory storage as
// the reference and our SQLite storage), test schemas and document factories.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fillWithDefaultSettings,
  normalizeMangoQuery,
  now,
  prepareQuery,
  randomToken,
  type BulkWriteRow,
  type MangoQuery,
  type PreparedQuery,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorage,
  type RxStorageBulkWriteResponse,
  type RxStorageInstance,
} from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { getRxStorageSQLite } from '../../src-main/store/sqlite-storage';

// ---------------------------------------------------------------------------------------------------------------
// Temp data folders

/** A fresh, empty folder under the OS temp dir; remove it with `removeTempDataFolder`. */
export function createTempDataFolder(label: string): string {
  return mkdtempSync(join(tmpdir(), `trailboard-${label}-`));
}

export function removeTempDataFolder(folder: string): void {
  rmSync(folder, { recursive: true, force: true, maxRetries: 3 });
}

// ---------------------------------------------------------------------------------------------------------------
// The storages under test

export type StorageKind = 'memory' | 'sqlite';

// The storages' own internals and options types differ; the tests only use the common RxStorage surface.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStorage = RxStorage<any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyInstance<T> = RxStorageInstance<T, any, any, any>;

export type StorageVariant = {
  readonly kind: StorageKind;
  /**
   * A storage whose data lives in `folder` (the SQLite data folder). The memory storage ignores the folder:
   * its state is process-wide and keyed by database name, so tests use random database names.
   */
  readonly open: (folder: string) => AnyStorage;
};

export const MEMORY_VARIANT: StorageVariant = {
  kind: 'memory',
  open: () => getRxStorageMemory(),
};

export const SQLITE_VARIANT: StorageVariant = {
  kind: 'sqlite',
  open: (folder) => getRxStorageSQLite({ path: folder }),
};

/** Every semantic test runs against both: memory is the reference, SQLite must behave the same. */
export const STORAGE_VARIANTS: readonly StorageVariant[] = [MEMORY_VARIANT, SQLITE_VARIANT];

/** Path of the SQLite file that holds database `databaseName` in `folder` (see the storage contract). */
export function sqliteFilePath(folder: string, databaseName: string): string {
  return join(folder, `${databaseName}.sqlite`);
}

/**
 * One test's storage world: a temp folder, a storage on it, and every instance opened through it, so `dispose`
 * can close them all and delete the folder.
 */
export class StorageHarness {
  readonly folder: string;
  readonly storage: AnyStorage;
  readonly variant: StorageVariant;
  private readonly opened: AnyInstance<unknown>[] = [];

  constructor(variant: StorageVariant, label = 'storage') {
    this.variant = variant;
    this.folder = createTempDataFolder(`${variant.kind}-${label}`);
    this.storage = variant.open(this.folder);
  }

  /** A new storage object on the same folder, as a restarted process would create. */
  reopenStorage(): AnyStorage {
    return this.variant.open(this.folder);
  }

  async createInstance<T>(options: {
    schema: RxJsonSchema<RxDocumentData<T>>;
    databaseName?: string;
    collectionName?: string;
    multiInstance?: boolean;
    storage?: AnyStorage;
  }): Promise<AnyInstance<T>> {
    const storage = options.storage ?? this.storage;
    const instance = await storage.createStorageInstance<T>({
      databaseInstanceToken: randomToken(10),
      databaseName: options.databaseName ?? randomDatabaseName(),
      collectionName: options.collectionName ?? 'items',
      schema: options.schema,
      options: {},
      multiInstance: options.multiInstance ?? false,
      devMode: true,
    });
    this.opened.push(instance as AnyInstance<unknown>);
    return instance;
  }

  async dispose(): Promise<void> {
    for (const instance of this.opened) {
      try {
        await instance.close();
      } catch {
        // already closed or removed by the test
      }
    }
    removeTempDataFolder(this.folder);
  }
}

/** Database names must be unique per test (the memory storage keeps state per name for the whole process). */
export function randomDatabaseName(): string {
  return `db${randomToken(10).toLowerCase()}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Documents and writes

export const TEST_CONTEXT = 'trailboard-storage-test';

/** An RxDB revision string of the given height (`<height>-<hash>`). */
export function revision(height: number, hash = 'trailboard'): string {
  return `${height}-${hash}`;
}

/** `data` as the storage sees it: with `_deleted`, `_attachments`, `_meta.lwt` and `_rev` filled in. */
export function withMeta<T extends object>(
  data: T,
  overrides: { deleted?: boolean; rev?: string; lwt?: number } = {},
): RxDocumentData<T> {
  return {
    ...data,
    _deleted: overrides.deleted ?? false,
    _attachments: {},
    _rev: overrides.rev ?? revision(1),
    _meta: { lwt: overrides.lwt ?? now() },
  };
}

/** The next version of `previous`: `changes` applied, revision height + 1, a fresh `_meta.lwt`. */
export function nextVersion<T extends object>(
  previous: RxDocumentData<T>,
  changes: Partial<T> & { _deleted?: boolean } = {},
): RxDocumentData<T> {
  const height = Number.parseInt(previous._rev.split('-')[0] ?? '0', 10);
  return {
    ...previous,
    ...changes,
    _rev: revision(height + 1),
    _meta: { ...previous._meta, lwt: now() },
  };
}

/** Inserts (rows without `previous`) and returns the response after checking that nothing failed. */
export async function insertAll<T>(
  instance: AnyInstance<T>,
  documents: RxDocumentData<T>[],
): Promise<RxStorageBulkWriteResponse<T>> {
  const response = await instance.bulkWrite(
    documents.map((document) => ({ document })),
    TEST_CONTEXT,
  );
  if (response.error.length > 0) {
    throw new Error(`insertAll: ${response.error.length} rows failed: ${JSON.stringify(response.error[0])}`);
  }
  return response;
}

/** Writes rows and throws if any failed. */
export async function writeAll<T>(instance: AnyInstance<T>, rows: BulkWriteRow<T>[]): Promise<void> {
  const response = await instance.bulkWrite(rows, TEST_CONTEXT);
  if (response.error.length > 0) {
    throw new Error(`writeAll: ${response.error.length} rows failed: ${JSON.stringify(response.error[0])}`);
  }
}

/** Prepares a mango query the way RxDB does before handing it to a storage. */
export function prepare<T>(
  schema: RxJsonSchema<RxDocumentData<T>>,
  query: MangoQuery<RxDocumentData<T>>,
): PreparedQuery<T> {
  // RxDB types selectors on the plain document type; storage-level queries also select on _deleted.
  return prepareQuery<T>(schema, normalizeMangoQuery<T>(schema, query as MangoQuery<T>));
}

/** Primary keys of the documents a query returns, in order. */
export async function queryIds<T>(
  instance: AnyInstance<T>,
  query: MangoQuery<RxDocumentData<T>>,
  primaryPath: keyof T & string,
): Promise<string[]> {
  const result = await instance.query(prepare(instance.schema, query));
  return result.documents.map((doc) => String(doc[primaryPath]));
}

// ---------------------------------------------------------------------------------------------------------------
// Schemas

export type KeyValueDoc = { key: string; value: string };

/** The smallest useful schema: primary `key`, one indexed string `value`. */
export function keyValueSchema(version = 0): RxJsonSchema<RxDocumentData<KeyValueDoc>> {
  return fillWithDefaultSettings<KeyValueDoc>({
    version,
    type: 'object',
    primaryKey: 'key',
    properties: {
      key: { type: 'string', maxLength: 100 },
      value: { type: 'string', maxLength: 100 },
    },
    required: ['key', 'value'],
    indexes: ['value'],
  });
}

export type ItemDoc = {
  id: string;
  hlc: string;
  board: string;
  kind: string;
  n: number;
  score: number;
  isDone: boolean;
  title: string;
  tags: string[];
  note?: string;
  nested: { level: number; label: string };
};

export const ITEM_KINDS = ['card', 'column', 'comment', 'board'] as const;

/**
 * A schema shaped like Trailboard's documents, with every index type: strings (single and compound), integers
 * with negative ranges, decimals, a boolean, a nested field, and an optional field.
 */
export function itemSchemaLiteral(version = 0): RxJsonSchema<ItemDoc> {
  return {
    version,
    type: 'object',
    primaryKey: 'id',
    properties: {
      id: { type: 'string', maxLength: 40 },
      hlc: { type: 'string', maxLength: 30 },
      board: { type: 'string', maxLength: 12 },
      kind: { type: 'string', maxLength: 10 },
      n: { type: 'integer', minimum: -1000, maximum: 1000, multipleOf: 1 },
      score: { type: 'number', minimum: -100, maximum: 100, multipleOf: 0.25 },
      isDone: { type: 'boolean' },
      title: { type: 'string', maxLength: 40 },
      tags: { type: 'array', items: { type: 'string' } },
      note: { type: 'string' },
      nested: {
        type: 'object',
        properties: {
          level: { type: 'integer', minimum: 0, maximum: 100, multipleOf: 1 },
          label: { type: 'string', maxLength: 20 },
        },
        required: ['level', 'label'],
      },
    },
    required: ['id', 'hlc', 'board', 'kind', 'n', 'score', 'isDone', 'title', 'tags', 'nested'],
    indexes: [
      'hlc',
      ['board', 'hlc'],
      ['isDone', 'n'],
      'n',
      'score',
      'title',
      ['kind', 'board', 'score'],
      'nested.level',
    ],
  };
}

export function itemSchema(version = 0): RxJsonSchema<RxDocumentData<ItemDoc>> {
  return fillWithDefaultSettings(itemSchemaLiteral(version));
}

/** Awkward strings for indexed fields: order-sensitive characters RxDB and SQLite compare differently. */
export const AWKWARD_STRINGS: readonly string[] = [
  '',
  ' ',
  'a',
  'a ',
  'a\t',
  'a\u0001',
  'a\u001f',
  'A',
  'Z',
  'z',
  'ä',
  'é',
  'ß',
  '~',
  '\u00ff',
  '\u07ff',
  '\u0800',
  '\ud7ff',
  '\ue000',
  '\uf8ff',
  '\uff01',
  '\ufffd',
  '😀',
  '😀a',
  '🍌',
  '𝄞',
  'a😀',
  'zz',
  "quote'",
  '"dq"',
  '%_like',
  '[]{}',
];

/** A deterministic pseudo-random source (mulberry32), so a failing seed can be replayed. */
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

export function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** A random item document; `index` keeps ids unique. Values repeat often so that sorts have ties. */
export function randomItem(random: () => number, index: number): ItemDoc {
  const titleChars = ['a', 'b', 'B', ' ', '\t', 'ä', '😀', '\uff01', 'z', '_', '%'];
  let title = '';
  const titleLength = Math.floor(random() * 5);
  for (let i = 0; i < titleLength; i++) title += pick(random, titleChars);
  const item: ItemDoc = {
    id: `item-${String(index).padStart(5, '0')}-${Math.floor(random() * 1e6).toString(36)}`,
    hlc: `${String(1700000000000 + Math.floor(random() * 50)).padStart(15, '0')}-${Math.floor(random() * 3)}`,
    board: pick(random, ['b1', 'b2', 'b3', 'b4']),
    kind: pick(random, ITEM_KINDS),
    n: pick(random, [-1000, -999, -1, 0, 1, 2, 7, 42, 999, 1000, Math.floor(random() * 2001) - 1000]),
    score: pick(random, [-100, -99.75, -0.25, 0, 0.25, 0.5, 1.25, 99.75, 100, Math.round(random() * 800 - 400) / 4]),
    isDone: random() < 0.5,
    title,
    tags: random() < 0.3 ? [] : [pick(random, ['red', 'green', 'blue']), pick(random, ['x', 'y'])],
    nested: { level: Math.floor(random() * 5), label: pick(random, ['lo', 'mid', 'hi']) },
  };
  if (random() < 0.5) item.note = pick(random, ['n1', 'n2', '']);
  return item;
}
