import {
  getIndexableStringMonad,
  getPrimaryFieldOfPrimaryKey,
  getProperty,
  getSchemaByObjectPath,
  type RxDocumentData,
  type RxJsonSchema,
} from 'rxdb';
import { SQLiteStorageError } from './errors';
import { catchUpWithOthers, type DatabaseFile } from './data-folder';
import { tableMetaKey } from './sequence';
import type { StatementSync } from './sqlite-adapter';
import { toSortableText } from './sortable-text';

/** One RxDB index as stored: a TEXT column holding RxDB's indexable string (made SQLite-sortable), indexed. */
export type IndexColumn = {
  readonly fields: readonly string[];
  readonly key: string;
  readonly column: string;
  readonly toIndexString: (doc: RxDocumentData<unknown>) => string;
};

export type LengthLimit = { readonly path: string; readonly maxLength: number; readonly isPrimary: boolean };

/**
 * An indexed field whose index-string order may differ from RxDB's sort comparator for some value: a string
 * holding a character at or below the space that RxDB pads with ('a\t' sorts before 'a' once padded), or a number
 * outside its schema range or finer than its `multipleOf` (clamped or rounded in the index). Reverse scans are only
 * used while none of the sort fields has ever stored such a value, so they return exactly what re-sorting would.
 */
type OrderCheck =
  | { readonly path: string; readonly kind: 'string' }
  | { readonly path: string; readonly kind: 'number'; readonly minimum: number; readonly maximum: number; readonly multiplier: number };

// eslint-disable-next-line no-control-regex -- finding characters at or below the space is the point
const PADDING_HAZARD = /[\u0000-\u0020]/;

/** Prepared statements on a table that exists. */
export type TableStatements = {
  readonly insert: StatementSync;
  readonly update: StatementSync;
  /** `get(id)`: the row `[data]` of one document, deleted or not. */
  readonly selectByIdWithDeleted: StatementSync;
  readonly selectByIdsWithDeleted: StatementSync;
  readonly selectByIdsWithoutDeleted: StatementSync;
  readonly selectChangedSince: StatementSync;
  readonly selectLatest: StatementSync;
  /** Range statements by `${column}|${flags}`, prepared on first use. */
  readonly rangeStatements: Map<string, StatementSync>;
  /** Page statements with literal LIMIT and OFFSET by `${range key}|${limit}|${skip}`, prepared on first use. */
  readonly pageStatements: Map<string, StatementSync>;
};

/**
 * The SQLite side of one collection + schema version: its table, index columns and prepared statements. The
 * table itself is created by the first write (RxDB opens collections that are never written, and each table with
 * its indexes costs a schema change): until then `statements` is undefined and reads answer as for an empty table.
 */
export type Table = {
  readonly name: string;
  readonly quoted: string;
  readonly primaryPath: string;
  readonly indexes: readonly IndexColumn[];
  readonly indexByKey: ReadonlyMap<string, IndexColumn>;
  readonly indexSignature: string;
  readonly lengthLimits: readonly LengthLimit[];
  readonly orderChecks: readonly OrderCheck[];
  /** Fields that have held a value whose index order may differ from the sort comparator (persisted). */
  readonly orderHazards: Set<string>;
  /** The file's `foreignCommits` when this table last read its persisted state (see catchUpTable). */
  seenForeignCommits: number;
  statements: TableStatements | undefined;
};

export function tableName(collectionName: string, schemaVersion: number): string {
  return `${collectionName}-${schemaVersion}`;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function indexKey(fields: readonly string[]): string {
  return fields.join(',');
}

function storedSignatureOf(file: DatabaseFile, name: string): string | undefined {
  const row = file.meta.get.get(tableMetaKey(name)) as [string] | undefined;
  return row?.[0];
}

function checkSignature(file: DatabaseFile, table: Table, stored: string): void {
  if (stored === table.indexSignature) return;
  throw new SQLiteStorageError(
    'invalid_document',
    file.path,
    `The table ${table.name} in ${file.path} was created with the indexes ${stored}, but the schema ` +
      `now declares ${table.indexSignature}. Change the schema version (with a migration) to change indexes.`,
  );
}

export function openTable(file: DatabaseFile, name: string, schema: RxJsonSchema<RxDocumentData<unknown>>): Table {
  const primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as string;
  const indexes: IndexColumn[] = (schema.indexes ?? []).map((index, position) => {
    const fields = typeof index === 'string' ? [index] : [...index];
    return {
      fields,
      key: indexKey(fields),
      column: `i${position}`,
      toIndexString: getIndexableStringMonad(schema, fields) as (doc: RxDocumentData<unknown>) => string,
    };
  });
  const table: Table = {
    name,
    quoted: quoteIdentifier(name),
    primaryPath,
    indexes,
    indexByKey: new Map(indexes.map((index) => [index.key, index])),
    indexSignature: JSON.stringify(indexes.map((index) => index.fields)),
    lengthLimits: collectLengthLimits(schema, primaryPath, indexes),
    orderChecks: collectOrderChecks(schema, indexes),
    orderHazards: new Set(storedHazardsOf(file, name)),
    seenForeignCommits: file.foreignCommits,
    statements: undefined,
  };
  tableStatements(file, table);
  return table;
}

/** The meta key that keeps the table's order hazards (the fields in `orderHazards`, as a JSON array). */
function hazardsMetaKey(name: string): string {
  return `order-hazards:${name}`;
}

function storedHazardsOf(file: DatabaseFile, name: string): string[] {
  const row = file.meta.get.get(hazardsMetaKey(name)) as [string] | undefined;
  return row ? (JSON.parse(row[0]) as string[]) : [];
}

/**
 * Catches the file and this table up with commits of other connections (catchUpWithOthers): the order hazards
 * another connection recorded for the table are added to the ones this one knows. Call before a write (inside its
 * transaction) and before planning a query.
 */
export function catchUpTable(file: DatabaseFile, table: Table): void {
  catchUpWithOthers(file);
  if (table.seenForeignCommits === file.foreignCommits) return;
  table.seenForeignCommits = file.foreignCommits;
  for (const path of storedHazardsOf(file, table.name)) table.orderHazards.add(path);
}

/**
 * The table's statements once it exists (created by this instance or by another one of this process), else
 * undefined. Refuses a table created with other indexes than the schema declares.
 */
export function tableStatements(file: DatabaseFile, table: Table): TableStatements | undefined {
  if (table.statements) return table.statements;
  const stored = storedSignatureOf(file, table.name);
  if (stored === undefined) return undefined;
  checkSignature(file, table, stored);
  table.statements = prepareStatements(file, table);
  return table.statements;
}

/** Creates the table and its indexes; call inside the caller's write transaction. */
export function createTable(file: DatabaseFile, table: Table): TableStatements {
  const existing = tableStatements(file, table);
  if (existing) return existing;
  const { db } = file;
  const { name, quoted, indexes } = table;
  const indexColumns = indexes.map((index) => `, ${index.column} TEXT NOT NULL`).join('');
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${quoted} (id TEXT NOT NULL UNIQUE, seq INTEGER NOT NULL, deleted INTEGER NOT NULL, ` +
      `lwt REAL NOT NULL, rev TEXT NOT NULL, data TEXT NOT NULL${indexColumns})`,
  );
  db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${name}__seq`)} ON ${quoted} (seq)`);
  // cleanup() looks for deleted documents by write time without scanning live ones.
  db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${name}__deleted_lwt`)} ON ${quoted} (lwt) WHERE deleted = 1`);
  for (const index of indexes) {
    db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${name}__${index.column}`)} ON ${quoted} (${index.column})`);
  }
  file.meta.put.run(tableMetaKey(name), table.indexSignature);
  table.statements = prepareStatements(file, table);
  return table.statements;
}

function prepareStatements(file: DatabaseFile, table: Table): TableStatements {
  const { db } = file;
  const { quoted, indexes } = table;
  const columnList = indexes.map((index) => `, ${index.column}`).join('');
  const placeholders = indexes.map(() => ', ?').join('');
  const assignments = indexes.map((index) => `, ${index.column} = ?`).join('');
  // Documents by id, one per id asked, in the order asked (as RxDB's memory storage answers). The ids drive the
  // join, so ids listed in write order (as RxDB asks after a bulk insert) walk the table forwards, where
  // `id IN (...)` walks it in id order, random for random ids: ~15% slower for 3,000 documents.
  const byIds = `SELECT ${quoted}.data FROM json_each(?) AS j CROSS JOIN ${quoted} ON ${quoted}.id = j.value`;
  const statements: TableStatements = {
    insert: db.prepare(`INSERT INTO ${quoted} (id, seq, deleted, lwt, rev, data${columnList}) VALUES (?, ?, ?, ?, ?, ?${placeholders})`),
    update: db.prepare(`UPDATE ${quoted} SET seq = ?, deleted = ?, lwt = ?, rev = ?, data = ?${assignments} WHERE id = ?`),
    selectByIdWithDeleted: db.prepare(`SELECT data FROM ${quoted} WHERE id = ?`),
    selectByIdsWithDeleted: db.prepare(byIds),
    selectByIdsWithoutDeleted: db.prepare(`${byIds} WHERE ${quoted}.deleted = 0`),
    selectChangedSince: db.prepare(`SELECT data, seq FROM ${quoted} WHERE seq > ? ORDER BY seq LIMIT ?`),
    selectLatest: db.prepare(`SELECT id, seq FROM ${quoted} ORDER BY seq DESC LIMIT 1`),
    rangeStatements: new Map(),
    pageStatements: new Map(),
  };
  for (const statement of [
    statements.selectByIdWithDeleted,
    statements.selectByIdsWithDeleted,
    statements.selectByIdsWithoutDeleted,
    statements.selectChangedSince,
    statements.selectLatest,
  ]) {
    statement.setReturnArrays(true);
  }
  return statements;
}

function collectLengthLimits(
  schema: RxJsonSchema<RxDocumentData<unknown>>,
  primaryPath: string,
  indexes: readonly IndexColumn[],
): LengthLimit[] {
  const limits = new Map<string, LengthLimit>();
  const paths = new Set<string>([primaryPath, ...indexes.flatMap((index) => index.fields)]);
  for (const path of paths) {
    const part = getSchemaByObjectPath(schema, path) as { type?: unknown; maxLength?: unknown } | undefined;
    if (part && part.type === 'string' && typeof part.maxLength === 'number') {
      limits.set(path, { path, maxLength: part.maxLength, isPrimary: path === primaryPath });
    }
  }
  return [...limits.values()];
}

function collectOrderChecks(schema: RxJsonSchema<RxDocumentData<unknown>>, indexes: readonly IndexColumn[]): OrderCheck[] {
  const checks: OrderCheck[] = [];
  for (const path of new Set(indexes.flatMap((index) => index.fields))) {
    const part = getSchemaByObjectPath(schema, path) as
      | { type?: unknown; minimum?: number; maximum?: number; multipleOf?: number }
      | undefined;
    if (!part) continue;
    if (part.type === 'string') checks.push({ path, kind: 'string' });
    if (part.type === 'number' || part.type === 'integer') {
      const decimals = String(part.multipleOf ?? 1).split('.')[1]?.length ?? 0;
      checks.push({
        path,
        kind: 'number',
        minimum: part.minimum ?? Number.MIN_SAFE_INTEGER,
        maximum: part.maximum ?? Number.MAX_SAFE_INTEGER,
        multiplier: 10 ** decimals,
      });
    }
  }
  return checks;
}

function isOrderHazard(check: OrderCheck, value: unknown): boolean {
  if (check.kind === 'string') return typeof value === 'string' && PADDING_HAZARD.test(value);
  if (typeof value !== 'number') return false;
  if (value < check.minimum || value > check.maximum) return true;
  const scaled = value * check.multiplier;
  return Math.abs(scaled - Math.round(scaled)) > 1e-6;
}

/** Records (inside the caller's transaction) any indexed field of `doc` that becomes an order hazard. */
export function noteOrderHazards(file: DatabaseFile, table: Table, doc: RxDocumentData<unknown>): void {
  const checks = table.orderChecks;
  for (let i = 0; i < checks.length; i++) {
    const check = checks[i]!;
    if (table.orderHazards.has(check.path) || !isOrderHazard(check, getProperty(doc, check.path))) continue;
    table.orderHazards.add(check.path);
    file.meta.put.run(hazardsMetaKey(table.name), JSON.stringify([...table.orderHazards]));
  }
}

/** Why a document cannot be stored with correct index order, or undefined when it can. */
export function findLengthViolation(table: Table, doc: RxDocumentData<unknown>): { path: string; message: string } | undefined {
  for (const limit of table.lengthLimits) {
    const value: unknown = getProperty(doc, limit.path);
    if (typeof value === 'string' && value.length > limit.maxLength) {
      const what = limit.isPrimary ? 'primary key' : 'indexed field';
      const message =
        `The ${what} "${limit.path}" is ${value.length} UTF-16 code units long; the schema allows at most ${limit.maxLength} ` +
        '(an emoji or other character outside the Basic Multilingual Plane counts as two).';
      return { path: limit.path, message };
    }
  }
  return undefined;
}

/** Binds one row's values for the insert statement (the update statement takes the same values, id last). */
export function rowValues(table: Table, doc: RxDocumentData<unknown>, seq: number): (string | number)[] {
  const values: (string | number)[] = [
    seq,
    doc._deleted ? 1 : 0,
    doc._meta.lwt,
    doc._rev,
    JSON.stringify(doc),
  ];
  for (const index of table.indexes) values.push(toSortableText(index.toIndexString(doc)));
  return values;
}
