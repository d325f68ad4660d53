/** The storage under test, in one place. */
import { join } from 'node:path';
import type { RxStorage } from 'rxdb';
import { getRxStorageSQLite } from '../../../src-main/store/sqlite-storage';

export const SUBJECT_NAME = 'trailboard-sqlite';

export function subjectStorage(dataFolder: string): RxStorage<unknown, unknown> {
  return getRxStorageSQLite({ path: dataFolder }) as unknown as RxStorage<unknown, unknown>;
}

/** The SQLite file the storage keeps a database in (see the storage contract). */
export function subjectDatabaseFile(dataFolder: string, databaseName: string): string {
  return join(dataFolder, `${databaseName}.sqlite`);
}

/** The table the storage keeps a collection (and schema version) in. */
export function subjectTableName(collectionName: string, schemaVersion: number): string {
  return `${collectionName}-${schemaVersion}`;
}
