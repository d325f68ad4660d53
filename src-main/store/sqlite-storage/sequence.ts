import type { DatabaseSync } from './sqlite-adapter';

/**
 * The per-file sequence (see DESIGN.md, "Storage"): every row written takes the next number, and a consumer's
 * checkpoint `{id, seq}` asks for rows with a higher one, so the numbers handed out must increase strictly for
 * the life of the file, across restarts and crashes.
 *
 * A write transaction stores only its rows, each with its number. The highest number ever handed out is
 * recovered when the file opens as the larger of
 *   - the highest `seq` of each table (its `seq` index answers in one descent), and
 *   - the value kept under the meta key `seq`, which every operation that deletes rows (`remove()` dropping a
 *     table, `cleanup()` purging deleted documents) updates in the same transaction as the deletion.
 * Row numbers only ever grow (an update takes a new, higher number) and rows disappear only through those two
 * operations, so the recovered value is never below a number any consumer has seen. A transaction that never
 * committed (rolled back, or cut by a crash) left no rows, and its numbers were never shown to a consumer
 * (change events are emitted after COMMIT), so reusing them is safe.
 *
 * Files written before this scheme kept the meta value current in every write transaction: the maximum of the
 * two is right for them too.
 */
export const SEQ_META_KEY = 'seq';

/** Meta keys `indexes:<table>` name the tables this storage created (set in the CREATE's transaction). */
const TABLE_KEY_PREFIX = 'indexes:';

/** The meta key that records the table `tableName` and its indexes (table.ts writes it, remove() deletes it). */
export function tableMetaKey(tableName: string): string {
  return TABLE_KEY_PREFIX + tableName;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The highest sequence number ever handed out in the file `db` (0 for a new file): when the file opens, and inside
 * a write transaction after another connection committed (data-folder.ts, catchUpWithOthers).
 */
export function recoverSequence(db: DatabaseSync, metaTable: string): number {
  const tables = db
    .prepare(
      `SELECT m.name FROM sqlite_master AS m JOIN ${metaTable} AS k ON k.key = ? || m.name ` +
        `WHERE m.type = 'table' AND k.key >= ? AND k.key < ?`,
    )
    .all(TABLE_KEY_PREFIX, TABLE_KEY_PREFIX, `${TABLE_KEY_PREFIX.slice(0, -1)};`) as { name: string }[];
  // One statement: a scalar subquery per table, each answered by SQLite's min/max optimisation on the seq index.
  const parts = tables.map(({ name }) => `coalesce((SELECT max(seq) FROM ${quoteIdentifier(name)}), 0)`);
  parts.push(`coalesce((SELECT value FROM ${metaTable} WHERE key = '${SEQ_META_KEY}'), 0)`);
  const sql = parts.length === 1 ? `SELECT ${parts[0]}` : `SELECT max(${parts.join(', ')})`;
  const statement = db.prepare(sql);
  statement.setReturnArrays(true);
  const row = statement.get() as unknown as [number | bigint];
  return Number(row[0]);
}
