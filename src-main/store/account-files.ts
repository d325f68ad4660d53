// An account's file in the data folder, by name: `account-<id>.sqlite`. No RxDB here: the core's router
// lists accounts without loading it (account-db.ts opens the database itself).
import { readdirSync } from 'node:fs';

export const ACCOUNT_DB_PREFIX = 'account-';

export function accountDatabaseName(accountId: string): string {
  return `${ACCOUNT_DB_PREFIX}${accountId}`;
}

export function accountIdFromFileName(fileName: string): string | undefined {
  const match = /^account-([A-Za-z0-9_-]{1,64})\.sqlite$/.exec(fileName);
  return match?.[1];
}

/** Ids of the accounts whose file is in the data folder, sorted. */
export function listAccountIds(dataDir: string): string[] {
  return readdirSync(dataDir)
    .map(accountIdFromFileName)
    .filter((id): id is string => id !== undefined)
    .sort();
}
