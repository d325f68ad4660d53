import {
  ensureRxStorageInstanceParamsAreCorrect,
  RXDB_VERSION,
  type RxStorage,
  type RxStorageInstance,
  type RxStorageInstanceCreationParams,
} from 'rxdb';
import { acquireDatabaseFile, releaseDatabaseFile } from './data-folder';
import { join } from 'node:path';
import { describeSqliteError, SQLiteStorageError } from './errors';
import {
  RxStorageInstanceSQLite,
  type SQLiteInstanceCreationOptions,
  type SQLiteInternals,
  type SQLiteStorageSettings,
} from './instance';
import { loadNodeSqlite } from './sqlite-adapter';
import { openTable, tableName } from './table';

export { SQLiteStorageError, type SQLiteStorageErrorCode } from './errors';
export { LOCK_FILE_NAME, LOCK_HOLDER_FILE_NAME, type LockHolder } from './data-folder';
export { adoptHeldDataFolder, backupDatabaseFile, holdDataFolder, isDatabaseFileOpen } from './data-folder';
export { loadNodeSqlite } from './sqlite-adapter';
export type { SQLiteCheckpoint, SQLiteInstanceCreationOptions, SQLiteInternals, SQLiteStorageSettings } from './instance';
export { RxStorageInstanceSQLite } from './instance';

export type RxStorageSQLite = RxStorage<SQLiteInternals, SQLiteInstanceCreationOptions> & {
  readonly settings: SQLiteStorageSettings;
};

/**
 * An RxStorage on node:sqlite. Each RxDB database is one SQLite file in the data folder `path`; each collection
 * (and schema version) is a table with one indexed column per RxDB index. See DESIGN.md, "Storage".
 */
export function getRxStorageSQLite(settings: SQLiteStorageSettings): RxStorageSQLite {
  loadNodeSqlite();
  return {
    // RxDB tells databases apart by storage name and database name: two data folders holding the same account
    // (a restore check, an import, a test's second device) must not count as duplicates of each other.
    name: `trailboard-sqlite:${settings.path}`,
    rxdbVersion: RXDB_VERSION,
    settings,
    createStorageInstance<RxDocType>(
      params: RxStorageInstanceCreationParams<RxDocType, SQLiteInstanceCreationOptions>,
    ): Promise<RxStorageInstance<RxDocType, SQLiteInternals, SQLiteInstanceCreationOptions>> {
      ensureRxStorageInstanceParamsAreCorrect(params);
      if (params.schema.attachments) {
        return Promise.reject(
          new SQLiteStorageError('invalid_document', settings.path, `The collection ${params.collectionName} declares attachments, which this storage does not store.`),
        );
      }
      try {
        const file = acquireDatabaseFile(settings.path, params.databaseName);
        let internals: SQLiteInternals;
        try {
          internals = { file, table: openTable(file, tableName(params.collectionName, params.schema.version), params.schema as never) };
        } catch (error) {
          releaseDatabaseFile(settings.path, file);
          throw error;
        }
        const instance = new RxStorageInstanceSQLite<RxDocType>(
          settings,
          params.databaseName,
          params.collectionName,
          params.schema,
          internals,
          params.options,
        );
        // RxDB's instance type spells the schema generically; the class holds exactly the params' schema.
        return Promise.resolve(instance as unknown as RxStorageInstance<RxDocType, SQLiteInternals, SQLiteInstanceCreationOptions>);
      } catch (error) {
        return Promise.reject(describeSqliteError(error, join(settings.path, `${params.databaseName}.sqlite`), 'opening a collection'));
      }
    },
  };
}
