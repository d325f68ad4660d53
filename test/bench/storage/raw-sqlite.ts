/**
 * The raw node:sqlite references: what the same work costs with prepared statements and nothing else, on a table
 * of exactly the shape the storage under test created (its DDL is copied from that file's sqlite_master).
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';

/**
 * The connection settings of the storage under test (src-main/store/sqlite-storage/data-folder.ts), so the raw
 * reference pays for the same durability (WAL, synchronous NORMAL: survives kill -9) and has the same cache.
 */
const RAW_PRAGMAS = [
  'PRAGMA journal_mode = WAL',
  'PRAGMA synchronous = NORMAL',
  'PRAGMA temp_store = MEMORY',
  'PRAGMA cache_size = -16000',
];

export function openRaw(file: string): DatabaseSync {
  const db = new DatabaseSync(file);
  for (const pragma of RAW_PRAGMAS) db.exec(pragma);
  return db;
}

export type TableShape = {
  readonly table: string;
  /** CREATE TABLE first, then CREATE INDEX statements, as stored in sqlite_master. */
  readonly ddl: readonly string[];
  readonly columns: readonly string[];
};

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The table's DDL and columns, read from another file's sqlite_master (read-only; works beside a writer in WAL). */
export function readTableShape(file: string, table: string): TableShape {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const rows = db
      .prepare(
        "SELECT type, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type = 'table' DESC, name",
      )
      .all(table) as { type: string; sql: string }[];
    if (!rows.some((row) => row.type === 'table')) throw new Error(`no table ${table} in ${file}`);
    const columns = (db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).all(table) as { name: string }[]).map(
      (row) => row.name,
    );
    return { table, ddl: rows.map((row) => row.sql), columns };
  } finally {
    db.close();
  }
}

export function createTable(db: DatabaseSync, shape: TableShape): void {
  for (const statement of shape.ddl) db.exec(statement);
}

/** Copies every row of `shape.table` from `sourceFile` into the same table of `db`. */
export function copyRows(db: DatabaseSync, sourceFile: string, shape: TableShape): void {
  db.prepare('ATTACH DATABASE ? AS source').run(sourceFile);
  try {
    const columns = shape.columns.map(quote).join(', ');
    db.exec(`INSERT INTO main.${quote(shape.table)} (${columns}) SELECT ${columns} FROM source.${quote(shape.table)}`);
  } finally {
    db.exec('DETACH DATABASE source');
  }
}

export function prepareInsert(db: DatabaseSync, shape: TableShape): StatementSync {
  const columns = shape.columns.map(quote).join(', ');
  const placeholders = shape.columns.map(() => '?').join(', ');
  return db.prepare(`INSERT INTO ${quote(shape.table)} (${columns}) VALUES (${placeholders})`);
}

/** Reads documents by id and parses them: one statement over a JSON array of ids. */
export function readByIds(db: DatabaseSync, table: string, ids: readonly string[]): unknown[] {
  // The ids drive the join, so rows come back in the order asked: for ids in write order the table is read
  // forwards (an `id IN (...)` subquery visits them in id order, which for random ids is all over the file).
  const statement = db.prepare(
    `SELECT t.data FROM json_each(?) AS j CROSS JOIN ${quote(table)} AS t ON t.id = j.value`,
  );
  statement.setReturnArrays(true);
  const rows = statement.all(JSON.stringify(ids)) as unknown as [string][];
  const documents: unknown[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) documents[i] = JSON.parse(rows[i]![0]);
  return documents;
}

/** Reads documents by id and parses them: one prepared point lookup per id. */
export function readByIdsOneByOne(db: DatabaseSync, table: string, ids: readonly string[]): unknown[] {
  const statement = db.prepare(`SELECT data FROM ${quote(table)} WHERE id = ?`);
  statement.setReturnArrays(true);
  const documents: unknown[] = [];
  for (const id of ids) {
    const row = statement.get(id) as unknown as [string] | undefined;
    if (row) documents.push(JSON.parse(row[0]));
  }
  return documents;
}

export { quote as quoteIdentifier };
