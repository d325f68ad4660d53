import { createRxDatabase, type RxCollection, type RxDatabase, type RxStorage } from 'rxdb';
import type { StoredEvent } from '../../shared/events';
import {
  ACCOUNT_COLLECTIONS,
  type Account,
  type Board,
  type Card,
  type Column,
  type Comment,
  type ConsumerCheckpoint,
  type MembersRecord,
} from '../../shared/model';
import { accountDatabaseName } from './account-files';

export type AccountCollections = {
  events: RxCollection<StoredEvent>;
  accounts: RxCollection<Account>;
  members: RxCollection<MembersRecord>;
  boards: RxCollection<Board>;
  columns: RxCollection<Column>;
  cards: RxCollection<Card>;
  comments: RxCollection<Comment>;
  checkpoints: RxCollection<ConsumerCheckpoint>;
};

/** One account's RxDB database: one SQLite file `account-<id>.sqlite` in the data folder. */
export type AccountDb = {
  readonly accountId: string;
  readonly db: RxDatabase<AccountCollections>;
  readonly collections: AccountCollections;
};

export async function openAccountDb(storage: RxStorage<unknown, unknown>, accountId: string): Promise<AccountDb> {
  const db = await createRxDatabase<AccountCollections>({
    name: accountDatabaseName(accountId),
    storage,
    multiInstance: false,
    eventReduce: true,
    closeDuplicates: true,
  });
  try {
    const collections = await db.addCollections(ACCOUNT_COLLECTIONS);
    return { accountId, db, collections: collections as unknown as AccountCollections };
  } catch (error) {
    await db.close();
    throw error;
  }
}
