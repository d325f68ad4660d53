// The projections most recently written or read, kept in memory per account database: every verb reads the
// entities it checks by id (the card, its columns, the members record) and the projector reads each entity before
// it writes its next fold, usually one it wrote a moment before. Reads of a synchronous SQLite storage cost little,
// but the first read after a write pays for a fresh read transaction: serving these from memory halves what a
// command spends reading.
//
// The cache is exact, not a guess: it follows each projection table's change stream, through which the storage
// reports every write when it commits (the projector's folds, a members record pulled from the server, a test's
// direct write), so a cached document is always the stored one. Only this process can write the account's file
// (the data folder is locked), and a restore or import opens a new database (and so a new cache).
import type { RxCollection, RxDocumentData, RxStorageInstance } from 'rxdb';
import type { ProjectionCollection, ProjectionMeta } from '../../shared/model';
import type { AccountDb } from '../store/account-db';
import { readableStorage } from './storage-reads';

type Entity = ProjectionMeta & Record<string, unknown>;
type Doc = RxDocumentData<Entity>;

/** Most documents kept per collection, and most (approximate) text held: each keeps the most recently used. */
const LIMITS: Record<ProjectionCollection, number> = {
  accounts: 8,
  members: 8,
  boards: 500,
  columns: 2000,
  cards: 2000,
  comments: 500,
};
const TEXT_BUDGET_CHARS = 4_000_000;

type Slot = {
  readonly storage: RxStorageInstance<Entity, unknown, unknown>;
  readonly limit: number;
  /** Stored documents by id (deleted ones too), least recently used first. */
  readonly docs: Map<string, { doc: Doc; chars: number }>;
  chars: number;
  /** Counts the writes seen: a read that started before a write must not be cached after it. */
  generation: number;
  /** The most recently used id (last in `docs`): using it again moves nothing. */
  newestId: string | undefined;
};

export type ProjectionCache = {
  /**
   * The stored document `id` when it is cached (deleted or not), else undefined: no read, no promise. Most reads
   * find what they look for here, and each await they skip is a turn of the event loop saved.
   */
  peek(collection: ProjectionCollection, id: string): Doc | undefined;
  /** The stored documents of `ids` that exist (the deleted ones only `withDeleted`), in no particular order. */
  findDocumentsById(collection: ProjectionCollection, ids: readonly string[], withDeleted: boolean): Promise<Doc[]>;
  /** Forgets every cached document of `collection` (the next reads go to the storage). */
  forget(collection: ProjectionCollection): void;
};

const caches = new WeakMap<AccountDb, ProjectionCache>();

/** The account database's projection cache (one per database, shared by its projectors and verbs). */
export function projectionCacheOf(account: AccountDb): ProjectionCache {
  let cache = caches.get(account);
  if (!cache) caches.set(account, (cache = createProjectionCache(account)));
  return cache;
}

function createProjectionCache(account: AccountDb): ProjectionCache {
  const slots = new Map<ProjectionCollection, Slot>();

  function slotOf(collection: ProjectionCollection): Slot {
    let slot = slots.get(collection);
    if (slot) return slot;
    const storage = readableStorage(account.collections[collection] as unknown as RxCollection<Entity>);
    const created: Slot = { storage, limit: LIMITS[collection], docs: new Map(), chars: 0, generation: 0, newestId: undefined };
    // The stream ends when the database closes, and the subscription with it.
    created.storage.changeStream().subscribe((bulk) => {
      created.generation++;
      for (const change of bulk.events) remember(created, change.documentId, change.documentData as Doc);
    });
    slots.set(collection, (slot = created));
    return slot;
  }

  return {
    peek(collection, id) {
      const slot = slotOf(collection);
      const entry = slot.docs.get(id);
      if (!entry) return undefined;
      touch(slot, id, entry);
      return entry.doc;
    },
    async findDocumentsById(collection, ids, withDeleted) {
      const slot = slotOf(collection);
      const found: Doc[] = [];
      let missing: string[] | undefined;
      for (const id of ids) {
        const entry = slot.docs.get(id);
        if (!entry) {
          (missing ??= []).push(id);
          continue;
        }
        touch(slot, id, entry);
        if (withDeleted || !entry.doc._deleted) found.push(entry.doc);
      }
      if (!missing) return found;
      const generation = slot.generation;
      const read = await slot.storage.findDocumentsById(missing, true);
      // A write since the read began may have replaced what was read: return it, but do not keep it.
      const isCurrent = slot.generation === generation;
      for (const doc of read) {
        if (isCurrent) remember(slot, doc.id, doc);
        if (withDeleted || !doc._deleted) found.push(doc);
      }
      return found;
    },
    forget(collection) {
      const slot = slots.get(collection);
      if (!slot) return;
      slot.generation++;
      slot.docs.clear();
      slot.chars = 0;
      slot.newestId = undefined;
    },
  };
}

/** Marks `id` most recently used: last in `docs`. */
function touch(slot: Slot, id: string, entry: { doc: Doc; chars: number }): void {
  if (slot.newestId === id) return;
  slot.docs.delete(id);
  slot.docs.set(id, entry);
  slot.newestId = id;
}

function remember(slot: Slot, id: string, doc: Doc): void {
  const previous = slot.docs.get(id);
  if (previous) {
    slot.docs.delete(id);
    slot.chars -= previous.chars;
  }
  const chars = textChars(doc);
  slot.docs.set(id, { doc, chars });
  slot.newestId = id;
  slot.chars += chars;
  while (slot.docs.size > slot.limit || (slot.chars > TEXT_BUDGET_CHARS && slot.docs.size > 1)) {
    const [oldestId, oldest] = slot.docs.entries().next().value!;
    slot.docs.delete(oldestId);
    slot.chars -= oldest.chars;
  }
}

/** The long text a projection may hold (a card's description, a comment's body): what its memory is mostly. */
function textChars(doc: Doc): number {
  let chars = 0;
  for (const field of ['description', 'body', 'title', 'name'] as const) {
    const value = doc[field];
    if (typeof value === 'string') chars += value.length;
  }
  return chars;
}
