/**
 * The raw node:sqlite references of the domain benchmarks: prepared statements on tables of exactly the shape
 * the store created (DDL copied from the store file's sqlite_master, rows copied with ATTACH), and the same
 * connection settings as the storage (src-main/store/sqlite-storage/data-folder.ts), so the reference pays for
 * the same durability (WAL, synchronous NORMAL) and has the same cache size.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { getIndexableStringMonad, type RxDocumentData, type RxJsonSchema } from 'rxdb';

const PRAGMAS = ['PRAGMA journal_mode = WAL', 'PRAGMA synchronous = NORMAL', 'PRAGMA temp_store = MEMORY', 'PRAGMA cache_size = -16000'];

/** A code point above every character RxDB puts in an index string: the end of "this prefix, anything after". */
export const MAX_CHAR = String.fromCodePoint(0x10ffff);

export function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function openRaw(file: string): DatabaseSync {
  const db = new DatabaseSync(file);
  for (const pragma of PRAGMAS) db.exec(pragma);
  return db;
}

export type TableShape = { readonly table: string; readonly ddl: readonly string[]; readonly columns: readonly string[] };

/** The table's CREATE TABLE and CREATE INDEX statements and its columns, from another file's sqlite_master. */
export function readTableShape(file: string, table: string): TableShape {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const rows = db
      .prepare("SELECT type, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type = 'table' DESC, name")
      .all(table) as { type: string; sql: string }[];
    if (!rows.some((row) => row.type === 'table')) throw new Error(`no table ${table} in ${file}`);
    const columns = (db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').all(table) as { name: string }[]).map((row) => row.name);
    return { table, ddl: rows.map((row) => row.sql), columns };
  } finally {
    db.close();
  }
}

/**
 * Creates the tables of `shapes` in `db` and copies their rows from `sourceFile`. The indexes are created after
 * the copy (as a bulk load would), so the reference starts from freshly built B-trees like the store's.
 */
export function cloneTables(db: DatabaseSync, sourceFile: string, shapes: readonly TableShape[]): void {
  db.prepare('ATTACH DATABASE ? AS source').run(sourceFile);
  try {
    for (const shape of shapes) {
      const [createTable, ...createIndexes] = shape.ddl;
      db.exec(createTable!);
      const columns = shape.columns.map(quote).join(', ');
      db.exec('BEGIN');
      db.exec(`INSERT INTO main.${quote(shape.table)} (${columns}) SELECT ${columns} FROM source.${quote(shape.table)}`);
      db.exec('COMMIT');
      for (const statement of createIndexes) db.exec(statement);
    }
  } finally {
    db.exec('DETACH DATABASE source');
  }
}

/** The index columns of a table: `i<k>` holds the k-th index of the storage's (RxDB-filled) schema. */
export type IndexColumns = {
  /** The column for the index whose fields are exactly `fields`. */
  columnOf(fields: readonly string[]): string;
  /** RxDB's indexable string of `doc` for that index (all strings here are ASCII: no remapping needed). */
  valueOf(fields: readonly string[], doc: object): string;
  /** The index string of the leading `fields` of an index: every entry with those values starts with it. */
  prefixOf(fields: readonly string[], doc: object): string;
};

export function indexColumns(schema: RxJsonSchema<RxDocumentData<unknown>>, shape: TableShape): IndexColumns {
  const indexes = (schema.indexes ?? []).map((index) => (typeof index === 'string' ? [index] : [...index]));
  const monads = new Map<string, (doc: RxDocumentData<unknown>) => string>();
  const position = (fields: readonly string[]): number => {
    const key = fields.join(',');
    const at = indexes.findIndex((index) => index.join(',') === key);
    if (at < 0 || !shape.columns.includes(`i${at}`)) throw new Error(`${shape.table} has no index [${key}]`);
    return at;
  };
  return {
    columnOf: (fields) => `i${position(fields)}`,
    valueOf: (fields, doc) => {
      const key = fields.join(',');
      let monad = monads.get(key);
      if (!monad) {
        position(fields);
        monad = getIndexableStringMonad(schema, [...fields]) as (doc: RxDocumentData<unknown>) => string;
        monads.set(key, monad);
      }
      return monad(doc as RxDocumentData<unknown>);
    },
    prefixOf: (fields, doc) => {
      const key = `prefix:${fields.join(',')}`;
      let monad = monads.get(key);
      if (!monad) {
        monad = getIndexableStringMonad(schema, [...fields]) as (doc: RxDocumentData<unknown>) => string;
        monads.set(key, monad);
      }
      return monad(doc as RxDocumentData<unknown>);
    },
  };
}

/** Runs `statement` with `params` and parses the `data` column of each row (arrays mode). */
export function readDocuments<T>(statement: StatementSync, ...params: (string | number)[]): T[] {
  const rows = statement.all(...params) as unknown as [string][];
  const docs: T[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) docs[i] = JSON.parse(rows[i]![0]) as T;
  return docs;
}

export function prepareArrays(db: DatabaseSync, sql: string): StatementSync {
  const statement = db.prepare(sql);
  statement.setReturnArrays(true);
  return statement;
}
