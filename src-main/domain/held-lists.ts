// Small ordered lists read from a projection table once and then kept in memory, exact: the cards of a column
// in board order, the comments of a card. Each list is read through an index the first time it is asked for,
// then follows the table's change stream, through which the storage reports every write when it commits (the
// projector's folds, a test's direct write): a document written into, out of or within a held list moves with
// the write, so a held list is always what a read would return. Only this process can write the account's file
// (the data folder is locked), and a restore or import opens a new database (and so new lists).
import type { RxDocumentData, RxStorageInstance } from 'rxdb';

export type HeldEntry = { readonly id: string };

export type HeldListsOptions<D, E extends HeldEntry> = {
  /** The table whose changes the lists follow. */
  readonly storage: Pick<RxStorageInstance<D, unknown, unknown>, 'changeStream'>;
  /** The list a stored (not deleted) document belongs to. */
  readonly keyOf: (doc: RxDocumentData<D>) => string;
  readonly entryOf: (doc: RxDocumentData<D>) => E;
  /** The lists' order; entries must be distinct under it (ties broken by id). */
  readonly compare: (a: E, b: E) => number;
  /** Most lists, and most entries in all of them, held; the least recently used lists go first. */
  readonly maxLists: number;
  readonly maxEntries: number;
};

export type HeldLists<E extends HeldEntry> = {
  /** The list `key` when it is held, else undefined: no read, no promise. */
  peek(key: string): readonly E[] | undefined;
  /**
   * The list `key`, held or read with `read` (which must return every entry of the list as stored, in any order).
   * The caller must finish with it before its next `await`: a held list follows later writes.
   */
  list(key: string, read: () => Promise<E[]>): Promise<readonly E[]>;
  /** Where the entry `id` is in `list` (a list this gave out), or -1. */
  indexOf(list: readonly E[], id: string): number;
};

export function createHeldLists<D, E extends HeldEntry>(options: HeldListsOptions<D, E>): HeldLists<E> {
  const { compare } = options;
  const lists = new Map<string, E[]>();
  const placed = new Map<string, { key: string; entry: E }>();
  // Counts the writes seen: a list read that began before a write is not kept after it.
  let generation = 0;

  // The stream ends when the database closes, and the subscription with it.
  options.storage.changeStream().subscribe((bulk) => {
    generation++;
    for (const change of bulk.events) follow(change.documentId, change.documentData);
  });

  function follow(id: string, doc: RxDocumentData<D>): void {
    const was = placed.get(id);
    if (was) {
      const list = lists.get(was.key);
      if (list) remove(list, was.entry);
      placed.delete(id);
    }
    if (doc._deleted) return;
    const key = options.keyOf(doc);
    const list = lists.get(key);
    if (!list) return;
    const entry = options.entryOf(doc);
    list.splice(lowerBound(list, entry), 0, entry);
    placed.set(id, { key, entry });
  }

  function hold(key: string, list: E[]): void {
    lists.set(key, list);
    for (const entry of list) placed.set(entry.id, { key, entry });
    while (lists.size > 1 && (lists.size > options.maxLists || placed.size > options.maxEntries)) {
      const [oldestKey, oldest] = lists.entries().next().value!;
      lists.delete(oldestKey);
      for (const entry of oldest) placed.delete(entry.id);
    }
  }

  function remove(list: E[], entry: E): void {
    const at = lowerBound(list, entry);
    const found = list[at] === entry ? at : list.indexOf(entry);
    if (found >= 0) list.splice(found, 1);
  }

  /** The first index whose entry does not sort before `target`. */
  function lowerBound(list: readonly E[], target: E): number {
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compare(list[middle]!, target) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  function peek(key: string): E[] | undefined {
    const held = lists.get(key);
    if (held) {
      // Most recently used last.
      lists.delete(key);
      lists.set(key, held);
    }
    return held;
  }

  return {
    peek,
    async list(key, read) {
      const held = peek(key);
      if (held) return held;
      const before = generation;
      const list = (await read()).sort(compare);
      // A write since the read began may be missing from it: answer with it, but do not keep it.
      if (generation === before && !lists.has(key)) hold(key, list);
      return list;
    },
    indexOf(list, id) {
      const entry = placed.get(id)?.entry;
      if (entry) {
        const at = lowerBound(list, entry);
        if (list[at]?.id === id) return at;
      }
      return list.findIndex((candidate) => candidate.id === id);
    },
  };
}
