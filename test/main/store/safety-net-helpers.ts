// Helpers for the safety-net tests (backup, restore, export, import): an account's activity through the real
// verbs, its projections without RxDB's fields, and a look inside a database file through its own folder.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredEvent } from '../../../shared/events';
import { foldAll } from '../../../shared/fold';
import { PROJECTION_COLLECTIONS, type ProjectionCollection } from '../../../shared/model';
import * as card from '../../../src-main/domain/card';
import * as column from '../../../src-main/domain/column';
import * as comment from '../../../src-main/domain/comment';
import type { DomainContext } from '../../../src-main/domain/context';
import { openAccountDb, type AccountDb } from '../../../src-main/store/account-db';
import { getRxStorageSQLite, loadNodeSqlite } from '../../../src-main/store/sqlite-storage';
import { withoutRxFields } from '../../../src-main/store/rx-fields';
import type { AccountSession } from '../../../src-main/store/store';
import { eventOf, Projector } from '../../../src-main/worker/projector';
import { seedBoard, type TestClock } from '../../support/domain-fixtures';

export type Projections = Record<ProjectionCollection, Record<string, unknown>[]>;

function strip(doc: Record<string, unknown>): Record<string, unknown> {
  return withoutRxFields(doc);
}

/** Every live projection document of the account, without RxDB's fields, by collection and id. */
export async function projectionsOf(account: AccountDb): Promise<Projections> {
  const result = {} as Projections;
  for (const collection of PROJECTION_COLLECTIONS) {
    const docs = await account.collections[collection].find().exec();
    result[collection] = docs
      .map((doc) => strip(doc.toMutableJSON(true) as Record<string, unknown>))
      .sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
  }
  return result;
}

/** The projections folded from scratch from `events`, in the same shape as `projectionsOf`. */
export function foldedProjections(events: readonly StoredEvent[]): Projections {
  const folded = foldAll(events);
  const result = {} as Projections;
  for (const collection of PROJECTION_COLLECTIONS) {
    result[collection] = [...(folded[collection] as Map<string, object>).values()]
      .map((entity) => ({ ...entity }) as Record<string, unknown>)
      .sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
  }
  return result;
}

/** Every event of the account, oldest first, as stored (RxDB's fields stripped). */
export async function eventsOfDb(account: AccountDb): Promise<StoredEvent[]> {
  const docs = await account.collections.events.find({ sort: [{ hlc: 'asc' }, { id: 'asc' }] }).exec();
  return docs.map((doc) => eventOf(doc.toMutableJSON(true)));
}

export type FileContents = { events: StoredEvent[]; projections: Projections; integrity: string[] };

/**
 * What an account database file holds: its integrity check, its events, and its projections once its own
 * projector has caught up from the checkpoint stored in it. Opened from a copy in a folder of its own, so the
 * file itself is untouched. RxDB keeps at most 13 collections open per process: close other accounts first.
 */
export async function readDatabaseFile(path: string, accountId: string): Promise<FileContents> {
  const { DatabaseSync } = loadNodeSqlite();
  const raw = new DatabaseSync(path, { readOnly: true });
  const integrity = (raw.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[]).map((row) => row.integrity_check);
  raw.close();
  const dir = mkdtempSync(join(tmpdir(), 'tb-inspect-'));
  try {
    copyFileSync(path, join(dir, `account-${accountId}.sqlite`));
    const account = await openAccountDb(getRxStorageSQLite({ path: dir }), accountId);
    try {
      const projector = new Projector(account);
      await projector.start();
      await projector.stop();
      return { integrity, events: await eventsOfDb(account), projections: await projectionsOf(account) };
    } finally {
      await account.db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A little of everything through the real verbs: boards, columns, cards moved, tagged, closed, commented. The
 * clock moves one second before each verb, so the events have distinct times.
 */
export async function seedActivity(ctx: DomainContext, clock: TestClock): Promise<void> {
  const step = <T>(verb: () => Promise<T>): Promise<T> => {
    clock.advance(1000);
    return verb();
  };
  const { board, columns } = await step(() => seedBoard(ctx, { name: 'Launch', columns: ['To do', 'Doing', 'Done'] }));
  const [todo, doing, done] = columns as [(typeof columns)[0], (typeof columns)[0], (typeof columns)[0]];
  const cards = [];
  for (const title of ['Write the post', 'Pick a date', 'Invite guests', 'Book the room']) {
    cards.push(await step(() => card.create(ctx, { boardId: board.id, columnId: todo.id, title })));
  }
  const [post, date, guests, room] = cards as [(typeof cards)[0], (typeof cards)[0], (typeof cards)[0], (typeof cards)[0]];
  await step(() => card.move(ctx, post.id, { toColumnId: doing.id }));
  await step(() => card.tag(ctx, post.id, 'writing'));
  await step(() => card.assign(ctx, post.id, ctx.actor.id));
  await step(() => card.describe(ctx, post.id, 'A short post about the launch.'));
  await step(() => card.setDueDate(ctx, date.id, '2026-12-24'));
  await step(() => card.move(ctx, date.id, { toColumnId: done.id }));
  await step(() => card.close(ctx, date.id));
  await step(() => card.rename(ctx, guests.id, 'Invite the guests'));
  await step(() => card.remove(ctx, room.id));
  const note = await step(() => comment.create(ctx, { cardId: post.id, body: 'Draft is in the doc.' }));
  await step(() => comment.edit(ctx, note.id, 'Draft is in the shared doc.'));
  await step(() => column.rename(ctx, doing.id, 'In progress'));
  clock.advance(1000);
}

/** The session's projections and events. */
export async function stateOf(session: AccountSession): Promise<{ events: StoredEvent[]; projections: Projections }> {
  return { events: await eventsOfDb(session.account), projections: await projectionsOf(session.account) };
}
