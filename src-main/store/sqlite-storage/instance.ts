import { Subject, type Observable } from 'rxjs';
import {
  categorizeBulkWriteRows,
  getQueryMatcher,
  getSortComparator,
  getStartIndexStringFromLowerBound,
  getStartIndexStringFromUpperBound,
  now,
  type BulkWriteRow,
  type EventBulk,
  type PreparedQuery,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorageBulkWriteResponse,
  type RxStorageChangeEvent,
  type RxStorageCountResult,
  type RxStorageInstance,
  type RxStorageQueryResult,
  type RxStorageWriteError,
  type RxQueryPlan,
} from 'rxdb';
import { META_TABLE, releaseDatabaseFile, type DatabaseFile } from './data-folder';
import { describeSqliteError, SQLiteStorageError } from './errors';
import { choosePlan } from './query-plan';
import { SEQ_META_KEY, tableMetaKey } from './sequence';
import { inTransaction, type StatementSync } from './sqlite-adapter';
import { toSortableText } from './sortable-text';
import { catchUpTable, createTable, findLengthViolation, noteOrderHazards, rowValues, tableStatements, type Table } from './table';

export type SQLiteCheckpoint = { id: string; seq: number };

export type SQLiteStorageSettings = {
  /** The data folder: each RxDB database is the file `<path>/<databaseName>.sqlite`. */
  path: string;
};

export type SQLiteInstanceCreationOptions = Record<string, never>;

export type SQLiteInternals = {
  readonly file: DatabaseFile;
  readonly table: Table;
};

type DocumentChanges = Subject<EventBulk<RxStorageChangeEvent<RxDocumentData<unknown>>, SQLiteCheckpoint>>;

/** Change streams are shared by every instance of this process on the same table, like RxDB's memory storage. */
const changeStreams = new Map<string, { subject: DocumentChanges; refCount: number }>();

const CLEANUP_BATCH = 2000;
/** Page statements with LIMIT and OFFSET as literals, per table (see pageRows). */
const LITERAL_PAGE_STATEMENTS = 32;

function idOf(doc: object, primaryPath: string): string {
  return (doc as Record<string, string>)[primaryPath]!;
}

export class RxStorageInstanceSQLite<RxDocType>
  implements RxStorageInstance<RxDocType, SQLiteInternals, SQLiteInstanceCreationOptions, SQLiteCheckpoint>
{
  readonly primaryPath: string;
  private isClosed = false;
  private readonly changes: DocumentChanges;
  private readonly streamKey: string;

  constructor(
    readonly settings: SQLiteStorageSettings,
    readonly databaseName: string,
    readonly collectionName: string,
    readonly schema: Readonly<RxJsonSchema<RxDocumentData<RxDocType>>>,
    readonly internals: SQLiteInternals,
    readonly options: Readonly<SQLiteInstanceCreationOptions>,
  ) {
    this.primaryPath = internals.table.primaryPath;
    this.streamKey = `${internals.file.path}\u0000${internals.table.name}`;
    let stream = changeStreams.get(this.streamKey);
    if (!stream) {
      stream = { subject: new Subject(), refCount: 0 };
      changeStreams.set(this.streamKey, stream);
    }
    stream.refCount++;
    this.changes = stream.subject;
  }

  bulkWrite(
    documentWrites: BulkWriteRow<RxDocType>[],
    context: string,
  ): Promise<RxStorageBulkWriteResponse<RxDocType>> {
    try {
      return Promise.resolve(this.bulkWriteSync(documentWrites, context));
    } catch (error) {
      return Promise.reject(describeSqliteError(error, this.internals.file.path, 'writing'));
    }
  }

  private bulkWriteSync(documentWrites: BulkWriteRow<RxDocType>[], context: string): RxStorageBulkWriteResponse<RxDocType> {
    this.ensureOpen();
    const { file, table } = this.internals;
    const primaryPath = this.primaryPath;
    const refused: RxStorageWriteError<RxDocType>[] = [];
    let rows = documentWrites;
    for (const row of documentWrites) {
      const violation = findLengthViolation(table, row.document as RxDocumentData<unknown>);
      if (violation) {
        refused.push({
          isError: true,
          status: 422,
          documentId: String(idOf(row.document, primaryPath)),
          writeRow: row,
          validationErrors: [{ field: violation.path, message: violation.message }],
          schema: this.schema,
          context,
        });
      }
    }
    if (refused.length > 0) {
      const refusedRows = new Set(refused.map((error) => error.writeRow));
      rows = documentWrites.filter((row) => !refusedRows.has(row));
    }
    if (rows.length === 0) return { error: refused };

    const ids: string[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) ids[i] = idOf(rows[i]!.document, primaryPath);

    const { db } = file;
    let seqBefore = file.seq;
    let categorized: ReturnType<typeof categorizeBulkWriteRows<RxDocType>>;
    let newestSeq: number;
    db.exec('BEGIN IMMEDIATE');
    try {
      catchUpTable(file, table);
      // A rollback gives back this transaction's numbers, not the ones other connections took meanwhile.
      seqBefore = file.seq;
      const docsInDb = new Map<string, RxDocumentData<RxDocType>>();
      const statements = createTable(file, table);
      if (ids.length === 1) {
        // One document (every domain command's write): a point lookup, no JSON array of ids to build and scan.
        const found = statements.selectByIdWithDeleted.get(ids[0]!) as unknown as [string] | undefined;
        if (found) docsInDb.set(ids[0]!, JSON.parse(found[0]) as RxDocumentData<RxDocType>);
      } else {
        const existing = statements.selectByIdsWithDeleted.all(JSON.stringify(ids)) as unknown as [string][];
        for (const [data] of existing) {
          const doc = JSON.parse(data) as RxDocumentData<RxDocType>;
          docsInDb.set(idOf(doc, primaryPath), doc);
        }
      }
      categorized = categorizeBulkWriteRows<RxDocType>(this, primaryPath as never, docsInDb, rows, context);
      const inserts = categorized.bulkInsertDocs;
      for (let i = 0; i < inserts.length; i++) {
        const doc = inserts[i]!.document as RxDocumentData<unknown>;
        noteOrderHazards(file, table, doc);
        statements.insert.run(idOf(doc, primaryPath), ...rowValues(table, doc, ++file.seq));
      }
      const updates = categorized.bulkUpdateDocs;
      for (let i = 0; i < updates.length; i++) {
        const doc = updates[i]!.document as RxDocumentData<unknown>;
        noteOrderHazards(file, table, doc);
        statements.update.run(...rowValues(table, doc, ++file.seq), idOf(doc, primaryPath));
      }
      // The rows carry their numbers: the file's sequence is recovered from them when it opens (sequence.ts).
      db.exec('COMMIT');
      newestSeq = file.seq;
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      file.seq = seqBefore;
      throw error;
    }

    const eventBulk = categorized.eventBulk;
    if (eventBulk.events.length > 0) {
      // Inserts took their sequence numbers before updates: the highest one belongs to the last row written.
      const lastWritten = categorized.bulkUpdateDocs.at(-1) ?? categorized.bulkInsertDocs.at(-1);
      eventBulk.checkpoint = { id: idOf(lastWritten!.document, primaryPath), seq: newestSeq };
      this.changes.next(eventBulk as unknown as EventBulk<RxStorageChangeEvent<RxDocumentData<unknown>>, SQLiteCheckpoint>);
    }
    const errors = categorized.errors;
    return { error: refused.length > 0 ? [...refused, ...errors] : errors };
  }

  findDocumentsById(ids: string[], withDeleted: boolean): Promise<RxDocumentData<RxDocType>[]> {
    try {
      this.ensureOpen();
      if (ids.length === 0) return Promise.resolve([]);
      const { table } = this.internals;
      const statements = tableStatements(this.internals.file, table);
      if (!statements) return Promise.resolve([]);
      const statement = withDeleted ? statements.selectByIdsWithDeleted : statements.selectByIdsWithoutDeleted;
      const rows = statement.all(JSON.stringify(ids)) as unknown as [string][];
      const documents: RxDocumentData<RxDocType>[] = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) documents[i] = JSON.parse(rows[i]![0]) as RxDocumentData<RxDocType>;
      return Promise.resolve(documents);
    } catch (error) {
      return Promise.reject(describeSqliteError(error, this.internals.file.path, 'reading documents by id'));
    }
  }

  query(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageQueryResult<RxDocType>> {
    try {
      this.ensureOpen();
      const { file, table } = this.internals;
      if (!tableStatements(file, table)) return Promise.resolve({ documents: [] });
      catchUpTable(file, table);
      return Promise.resolve({ documents: this.querySync(preparedQuery) });
    } catch (error) {
      return Promise.reject(describeSqliteError(error, this.internals.file.path, 'querying'));
    }
  }

  private querySync(preparedQuery: PreparedQuery<RxDocType>): RxDocumentData<RxDocType>[] {
    const query = preparedQuery.query;
    const skip = query.skip ?? 0;
    const limit = typeof query.limit === 'number' ? query.limit : Infinity;
    const skipPlusLimit = skip + limit;
    const { plan, scan } = choosePlan(this.schema, preparedQuery, this.internals.table.orderHazards);
    const isSelectorSatisfied = plan.selectorSatisfiedByIndex;
    const bounds = this.rangeBounds(plan);

    if (isSelectorSatisfied && scan.isSortSatisfied) {
      // The index decides both the order and the whole selector: SQLite pages.
      if (limit === 0) return [];
      const rows = this.pageRows(plan, scan.isDescending, bounds, Number.isFinite(limit) ? limit : -1, skip);
      const documents: RxDocumentData<RxDocType>[] = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) documents[i] = JSON.parse(rows[i]![0]) as RxDocumentData<RxDocType>;
      return documents;
    }

    const matcher = isSelectorSatisfied ? undefined : getQueryMatcher(this.schema, query);
    const statement = this.rangeStatement(plan, scan.isDescending, false);
    let documents: RxDocumentData<RxDocType>[] = [];
    if (scan.isSortSatisfied) {
      // Read in index order and stop once skip + limit matches are found.
      if (limit === 0) return [];
      for (const row of statement.iterate(...bounds) as Iterable<[string]>) {
        const doc = JSON.parse(row[0]) as RxDocumentData<RxDocType>;
        if (!matcher || matcher(doc)) {
          documents.push(doc);
          if (documents.length >= skipPlusLimit) break;
        }
      }
    } else {
      const rows = statement.all(...bounds) as unknown as [string][];
      for (let i = 0; i < rows.length; i++) {
        const doc = JSON.parse(rows[i]![0]) as RxDocumentData<RxDocType>;
        if (!matcher || matcher(doc)) documents.push(doc);
      }
      documents.sort(getSortComparator(this.schema, query));
    }
    if (skip !== 0 || documents.length > skipPlusLimit) documents = documents.slice(skip, skipPlusLimit);
    return documents;
  }

  count(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageCountResult> {
    try {
      this.ensureOpen();
      if (!tableStatements(this.internals.file, this.internals.table)) return Promise.resolve({ count: 0, mode: 'fast' });
      const plan = preparedQuery.queryPlan;
      const bounds = this.rangeBounds(plan);
      if (plan.selectorSatisfiedByIndex) {
        const row = this.countStatement(plan).get(...bounds) as unknown as [number];
        return Promise.resolve({ count: Number(row[0]), mode: 'fast' });
      }
      const matcher = getQueryMatcher(this.schema, preparedQuery.query);
      let count = 0;
      for (const row of this.rangeStatement(plan, false, false).iterate(...bounds) as Iterable<[string]>) {
        if (matcher(JSON.parse(row[0]) as RxDocumentData<RxDocType>)) count++;
      }
      return Promise.resolve({ count, mode: 'fast' });
    } catch (error) {
      return Promise.reject(describeSqliteError(error, this.internals.file.path, 'counting'));
    }
  }

  /** The [lower, upper] index strings of the query plan, in SQLite-sortable form. */
  private rangeBounds(plan: RxQueryPlan): [string, string] {
    const index = plan.index as string[];
    return [
      toSortableText(getStartIndexStringFromLowerBound(this.schema, index, plan.startKeys)),
      toSortableText(getStartIndexStringFromUpperBound(this.schema, index, plan.endKeys)),
    ];
  }

  private indexColumn(plan: RxQueryPlan): string {
    const fields = plan.index as string[];
    const index = this.internals.table.indexByKey.get(fields.join(','));
    if (!index) {
      throw new SQLiteStorageError(
        'invalid_document',
        this.internals.file.path,
        `The query uses the index [${fields.join(', ')}], which the schema of ${this.collectionName} does not declare.`,
      );
    }
    return index.column;
  }

  private rangeWhere(plan: RxQueryPlan, column: string): string {
    return `${column} ${plan.inclusiveStart ? '>=' : '>'} ? AND ${column} ${plan.inclusiveEnd ? '<=' : '<'} ?`;
  }

  private rangeStatementKey(plan: RxQueryPlan, isDescending: boolean, isPaged: boolean): string {
    const column = this.indexColumn(plan);
    return `${column}|${plan.inclusiveStart ? 1 : 0}${plan.inclusiveEnd ? 1 : 0}${isDescending ? 'd' : 'a'}${isPaged ? 'p' : ''}`;
  }

  /** `SELECT data` over the plan's index range, in index order, followed by `tail` (a LIMIT clause or nothing). */
  private prepareRange(plan: RxQueryPlan, isDescending: boolean, tail: string): StatementSync {
    const column = this.indexColumn(plan);
    const order = `ORDER BY ${column} ${isDescending ? 'DESC' : 'ASC'}`;
    const statement = this.internals.file.db.prepare(
      `SELECT data FROM ${this.internals.table.quoted} WHERE ${this.rangeWhere(plan, column)} ${order}${tail}`,
    );
    statement.setReturnArrays(true);
    return statement;
  }

  private rangeStatement(plan: RxQueryPlan, isDescending: boolean, isPaged: boolean): StatementSync {
    const key = this.rangeStatementKey(plan, isDescending, isPaged);
    const statements = tableStatements(this.internals.file, this.internals.table)!;
    let statement = statements.rangeStatements.get(key);
    if (!statement) {
      statement = this.prepareRange(plan, isDescending, isPaged ? ' LIMIT ? OFFSET ?' : '');
      statements.rangeStatements.set(key, statement);
    }
    return statement;
  }

  /**
   * The rows of one page. LIMIT and OFFSET are written into the statement as literals: bound as parameters they
   * cost SQLite ~12 us more per 100-row page (measured on a 1M-row table, cold pages). Pages come in few sizes,
   * so each table keeps up to LITERAL_PAGE_STATEMENTS such statements; past that, pages bind LIMIT and OFFSET.
   */
  private pageRows(plan: RxQueryPlan, isDescending: boolean, bounds: [string, string], limit: number, skip: number): [string][] {
    const statements = tableStatements(this.internals.file, this.internals.table)!;
    const key = `${this.rangeStatementKey(plan, isDescending, false)}|${limit}|${skip}`;
    let statement = statements.pageStatements.get(key);
    if (!statement && statements.pageStatements.size < LITERAL_PAGE_STATEMENTS && Number.isSafeInteger(limit) && Number.isSafeInteger(skip)) {
      statement = this.prepareRange(plan, isDescending, ` LIMIT ${limit} OFFSET ${skip}`);
      statements.pageStatements.set(key, statement);
    }
    if (statement) return statement.all(...bounds) as unknown as [string][];
    return this.rangeStatement(plan, isDescending, true).all(...bounds, limit, skip) as unknown as [string][];
  }

  private countStatement(plan: RxQueryPlan): StatementSync {
    const column = this.indexColumn(plan);
    const key = `${column}|${plan.inclusiveStart ? 1 : 0}${plan.inclusiveEnd ? 1 : 0}count`;
    const { table } = this.internals;
    const statements = tableStatements(this.internals.file, table)!;
    let statement = statements.rangeStatements.get(key);
    if (!statement) {
      statement = this.internals.file.db.prepare(`SELECT count(*) FROM ${table.quoted} WHERE ${this.rangeWhere(plan, column)}`);
      statement.setReturnArrays(true);
      statements.rangeStatements.set(key, statement);
    }
    return statement;
  }

  getChangedDocumentsSince(
    limit: number,
    checkpoint?: SQLiteCheckpoint,
  ): Promise<{ documents: RxDocumentData<RxDocType>[]; checkpoint: SQLiteCheckpoint }> {
    try {
      this.ensureOpen();
      const since = checkpoint ? checkpoint.seq : 0;
      const statements = tableStatements(this.internals.file, this.internals.table);
      if (!statements) return Promise.resolve({ documents: [], checkpoint: checkpoint ?? { id: '', seq: 0 } });
      const rows = statements.selectChangedSince.all(since, limit) as unknown as [string, number][];
      const documents: RxDocumentData<RxDocType>[] = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) documents[i] = JSON.parse(rows[i]![0]) as RxDocumentData<RxDocType>;
      const last = rows[rows.length - 1];
      const lastDoc = documents[documents.length - 1];
      const next: SQLiteCheckpoint =
        last && lastDoc ? { id: idOf(lastDoc, this.primaryPath), seq: Number(last[1]) } : (checkpoint ?? { id: '', seq: 0 });
      return Promise.resolve({ documents, checkpoint: next });
    } catch (error) {
      return Promise.reject(describeSqliteError(error, this.internals.file.path, 'reading changes'));
    }
  }

  /** The checkpoint after the newest write of this collection: where a consumer that is caught up stands. */
  getLatestCheckpoint(): SQLiteCheckpoint {
    this.ensureOpen();
    const { table } = this.internals;
    const statements = tableStatements(this.internals.file, table);
    const row = statements?.selectLatest.get() as unknown as [string, number] | undefined;
    return row ? { id: row[0], seq: Number(row[1]) } : { id: '', seq: 0 };
  }

  changeStream(): Observable<EventBulk<RxStorageChangeEvent<RxDocumentData<RxDocType>>, SQLiteCheckpoint>> {
    this.ensureOpen();
    return this.changes.asObservable() as unknown as Observable<
      EventBulk<RxStorageChangeEvent<RxDocumentData<RxDocType>>, SQLiteCheckpoint>
    >;
  }

  cleanup(minimumDeletedTime: number): Promise<boolean> {
    try {
      this.ensureOpen();
      const { file, table } = this.internals;
      if (!tableStatements(file, table)) return Promise.resolve(true);
      const maxDeletionTime = now() - minimumDeletedTime;
      const removed = inTransaction(file.db, () => {
        catchUpTable(file, table);
        const result = file.db
          .prepare(
            `DELETE FROM ${table.quoted} WHERE rowid IN ` +
              `(SELECT rowid FROM ${table.quoted} WHERE deleted = 1 AND lwt <= ? LIMIT ${CLEANUP_BATCH})`,
          )
          .run(maxDeletionTime);
        // The purged rows may have held the file's highest sequence number: keep it (see sequence.ts).
        if (Number(result.changes) > 0) file.meta.put.run(SEQ_META_KEY, file.seq);
        return result;
      });
      return Promise.resolve(Number(removed.changes) < CLEANUP_BATCH);
    } catch (error) {
      return Promise.reject(describeSqliteError(error, this.internals.file.path, 'cleaning up deleted documents'));
    }
  }

  getAttachmentData(): Promise<Blob> {
    return Promise.reject(
      new SQLiteStorageError('invalid_document', this.internals.file.path, 'The Trailboard SQLite storage does not store attachments.'),
    );
  }

  async remove(): Promise<void> {
    this.ensureOpen();
    const { file, table } = this.internals;
    try {
      file.db.exec('BEGIN IMMEDIATE');
      catchUpTable(file, table);
      // The table's rows may hold the file's highest sequence number: keep it (see sequence.ts).
      file.meta.put.run(SEQ_META_KEY, file.seq);
      file.db.exec(`DROP TABLE IF EXISTS ${table.quoted}`);
      file.db.prepare(`DELETE FROM ${META_TABLE} WHERE key = ?`).run(tableMetaKey(table.name));
      file.db.exec('COMMIT');
      table.statements = undefined;
    } catch (error) {
      if (file.db.isTransaction) file.db.exec('ROLLBACK');
      throw describeSqliteError(error, file.path, 'removing a collection');
    }
    file.hasRemovals = true;
    await this.close();
  }

  close(): Promise<void> {
    if (this.isClosed) return Promise.resolve();
    this.isClosed = true;
    const stream = changeStreams.get(this.streamKey);
    if (stream) {
      stream.refCount--;
      if (stream.refCount <= 0) {
        changeStreams.delete(this.streamKey);
        stream.subject.complete();
      }
    }
    releaseDatabaseFile(this.settings.path, this.internals.file);
    return Promise.resolve();
  }

  private ensureOpen(): void {
    // Using a closed instance is a bug in the caller, not a condition of the file: a plain Error, as RxDB expects.
    if (this.isClosed) throw new Error(`The storage instance of ${this.databaseName}/${this.collectionName} is closed.`);
  }
}
