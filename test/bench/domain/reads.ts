/**
 * Read benchmarks on the generated account, each against the raw indexed read of the same rows with prepared
 * statements on the store's own SQLite connection (same file, same page cache), with JSON.parse of each row:
 * - opening a board of 5,000 cards (`queries.board`): its columns and cards by their [boardId, ...] indexes;
 * - the first and tenth newest-first page of a card with 10,000 events (`queries.timeline`): the
 *   [eventableId, hlc, id] index read backwards from the previous page's last event;
 * - the same for the activity of the whole account (`queries.accountActivity`): the [accountId, hlc, id] index.
 *
 * The queries read through the storage instance (no RxDB query cache), so a repeat is a real read; the
 * arguments vary anyway: the boards alternate, each timeline walk takes another card, the activity page size
 * cycles through 49, 50 and 51.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { normalizeMangoQuery, prepareQuery, type MangoQuery, type RxCollection, type RxDocumentData, type RxJsonSchema } from 'rxdb';
import type { StoredEvent } from '../../../shared/events';
import type { Card, Column } from '../../../shared/model';
import { accountActivity } from '../../../src-main/domain/queries/activity';
import { board } from '../../../src-main/domain/queries/board';
import { timeline } from '../../../src-main/domain/queries/timeline';
import type { SQLiteInternals } from '../../../src-main/store/sqlite-storage';
import type { BenchContext } from '../lib/group';
import { elapsedMs, interleave, nowNs } from '../lib/measure';
import { atMost } from '../lib/report';
import { median } from '../lib/stats';
import type { BenchAccount } from './build';
import { indexColumns, MAX_CHAR, prepareArrays, quote, readDocuments, readTableShape, type IndexColumns } from './raw';

export type ReadOptions = { readonly rounds: number; readonly pages: number; readonly pageSize: number };

const EVENTS_TABLE = 'events-0';
const COLUMNS_TABLE = 'columns-0';
const CARDS_TABLE = 'cards-0';

type Walk = { first: number; last: number; firstIds: string[]; lastIds: string[] };

function schemaOf(account: BenchAccount, collection: 'events' | 'columns' | 'cards'): RxJsonSchema<RxDocumentData<unknown>> {
  return account.session.account.collections[collection].storageInstance.schema as unknown as RxJsonSchema<RxDocumentData<unknown>>;
}

/**
 * The storage alone: the query RxDB would send for `query` (normalized, non-deleted documents), straight to the
 * collection's storage instance. Between the raw read and the domain query: what the storage adds, and what
 * the query code adds on top.
 */
async function storageQuery<T>(collection: RxCollection<T>, query: MangoQuery<T>): Promise<RxDocumentData<T>[]> {
  const schema = collection.schema.jsonSchema;
  const normalized = normalizeMangoQuery<T>(schema, {
    ...query,
    selector: { ...query.selector, _deleted: { $eq: false } } as MangoQuery<T>['selector'],
  });
  const { documents } = await collection.storageInstance.query(prepareQuery(schema, normalized));
  return documents;
}

/** `SELECT data ... WHERE column >= ? AND column < ? ORDER BY column [DESC] [LIMIT ?]` on one index column. */
function rangeStatement(db: DatabaseSync, table: string, column: string, options: { isDescending: boolean; isLimited: boolean }): StatementSync {
  const order = options.isDescending ? 'DESC' : 'ASC';
  const limit = options.isLimited ? ' LIMIT ?' : '';
  return prepareArrays(db, `SELECT data FROM ${quote(table)} WHERE ${column} >= ? AND ${column} < ? ORDER BY ${column} ${order}${limit}`);
}

export async function runReads(context: BenchContext, account: BenchAccount, options: ReadOptions): Promise<void> {
  // The raw reads run on the store's own connection to the account's file: the same pages in the same cache.
  const raw = (account.session.account.collections.events.storageInstance.internals as SQLiteInternals).file.db;
  await boardOpen(context, account, raw, options);
  await timelinePages(context, account, raw, options);
  await activityPages(context, account, raw, options);
}

async function boardOpen(context: BenchContext, account: BenchAccount, raw: DatabaseSync, options: ReadOptions): Promise<void> {
  const boards = account.world.bigBoards;
  const columnIndex = indexColumns(schemaOf(account, 'columns'), readTableShape(account.file, COLUMNS_TABLE));
  const cardIndex = indexColumns(schemaOf(account, 'cards'), readTableShape(account.file, CARDS_TABLE));
  const columnsRange = rangeStatement(raw, COLUMNS_TABLE, columnIndex.columnOf(['_deleted', 'boardId', 'position', 'id']), {
    isDescending: false,
    isLimited: false,
  });
  const cardsRange = rangeStatement(raw, CARDS_TABLE, cardIndex.columnOf(['_deleted', 'boardId', 'columnId', 'position', 'id']), {
    isDescending: false,
    isLimited: false,
  });
  const boardPrefix = (index: IndexColumns, boardId: string): string => index.prefixOf(['_deleted', 'boardId'], { _deleted: false, boardId });
  const cardsSeen = { subject: 0, raw: 0 };
  const results = await interleave<number>({
    rounds: options.rounds * 4,
    warmupRounds: 2,
    contenders: [
      {
        name: 'subject',
        run: async (round) => {
          const boardId = boards[Math.abs(round) % boards.length]!.id;
          const begun = nowNs();
          const view = await board(account.ctx, boardId);
          const ms = elapsedMs(begun);
          cardsSeen.subject = view.columns.reduce((sum, column) => sum + column.cards.length, 0);
          return ms;
        },
      },
      {
        name: 'storage',
        run: async (round) => {
          const boardId = boards[Math.abs(round) % boards.length]!.id;
          const { collections } = account.session.account;
          const begun = nowNs();
          await storageQuery(collections.columns, { selector: { boardId }, sort: [{ position: 'asc' }, { id: 'asc' }] });
          await storageQuery(collections.cards, { selector: { boardId }, sort: [{ columnId: 'asc' }, { position: 'asc' }, { id: 'asc' }] });
          return elapsedMs(begun);
        },
      },
      {
        name: 'raw',
        run: (round) => {
          const boardId = boards[Math.abs(round) % boards.length]!.id;
          const begun = nowNs();
          const columnPrefix = boardPrefix(columnIndex, boardId);
          const cardPrefix = boardPrefix(cardIndex, boardId);
          const columns = readDocuments<Column>(columnsRange, columnPrefix, columnPrefix + MAX_CHAR);
          const cards = readDocuments<Card>(cardsRange, cardPrefix, cardPrefix + MAX_CHAR);
          const ms = elapsedMs(begun);
          cardsSeen.raw = cards.length;
          if (columns.length === 0) throw new Error('the raw board read found no columns');
          return Promise.resolve(ms);
        },
      },
    ],
  });
  if (cardsSeen.subject !== cardsSeen.raw) context.log(`WARNING: board query showed ${cardsSeen.subject} cards, the raw read ${cardsSeen.raw}`);
  const subject = median(results.get('subject') ?? []);
  const storage = median(results.get('storage') ?? []);
  const reference = median(results.get('raw') ?? []);
  context.log(`board open: ${subject.toFixed(2)} ms (storage queries alone ${storage.toFixed(2)} ms) vs raw ${reference.toFixed(2)} ms (${cardsSeen.raw} cards)`);
  context.record({
    metric: `open a board of ${cardsSeen.raw.toLocaleString('en-US')} cards (queries.board vs raw indexed read + JSON.parse)`,
    value: subject,
    unit: 'ms',
    reference,
    target: atMost(1.5),
  });
  context.record({
    metric: 'open a board: its two storage queries alone (vs raw, for information)',
    value: storage,
    unit: 'ms',
    reference,
  });
}

/** Walks `pages` newest-first pages with the domain query; returns the first and last page's time and ids. */
async function walkSubject(pages: number, page: (cursor: string | null) => Promise<{ items: { event: StoredEvent }[]; nextCursor: string | null }>): Promise<Walk> {
  let cursor: string | null = null;
  const walk: Walk = { first: Number.NaN, last: Number.NaN, firstIds: [], lastIds: [] };
  for (let i = 0; i < pages; i++) {
    const begun = nowNs();
    const result = await page(cursor);
    const ms = elapsedMs(begun);
    const ids = result.items.map((item) => item.event.id);
    if (i === 0) Object.assign(walk, { first: ms, firstIds: ids });
    if (i === pages - 1) Object.assign(walk, { last: ms, lastIds: ids });
    cursor = result.nextCursor;
    if (cursor === null && i < pages - 1) throw new Error(`the query ran out of pages after ${i + 1}`);
  }
  return walk;
}

/**
 * The same walk on the raw index: the first page from the end of the key's range, each next page strictly
 * before the index string of the previous page's last event.
 */
function walkRaw(pages: number, limit: number, statement: StatementSync, index: IndexColumns, fields: readonly string[], prefix: string): Walk {
  let upper = prefix + MAX_CHAR;
  const walk: Walk = { first: Number.NaN, last: Number.NaN, firstIds: [], lastIds: [] };
  for (let i = 0; i < pages; i++) {
    const begun = nowNs();
    const events = readDocuments<RxDocumentData<StoredEvent>>(statement, prefix, upper, limit);
    const last = events.at(-1);
    if (last) upper = index.valueOf(fields, last);
    const ms = elapsedMs(begun);
    const ids = events.map((event) => event.id);
    if (i === 0) Object.assign(walk, { first: ms, firstIds: ids });
    if (i === pages - 1) Object.assign(walk, { last: ms, lastIds: ids });
  }
  return walk;
}

/** The same walk through the storage instance alone: each next page strictly before the last event's hlc. */
async function walkStorage(
  pages: number,
  limit: number,
  collection: RxCollection<StoredEvent>,
  selector: Record<string, unknown>,
): Promise<Walk> {
  let before: string | undefined;
  const walk: Walk = { first: Number.NaN, last: Number.NaN, firstIds: [], lastIds: [] };
  for (let i = 0; i < pages; i++) {
    const begun = nowNs();
    const events = await storageQuery(collection, {
      selector: before === undefined ? selector : { ...selector, hlc: { $lt: before } },
      sort: [{ hlc: 'desc' }, { id: 'desc' }],
      limit,
    });
    const ms = elapsedMs(begun);
    before = events.at(-1)?.hlc;
    const ids = events.map((event) => event.id);
    if (i === 0) Object.assign(walk, { first: ms, firstIds: ids });
    if (i === pages - 1) Object.assign(walk, { last: ms, lastIds: ids });
  }
  return walk;
}

async function comparePageWalks(
  context: BenchContext,
  options: ReadOptions,
  what: string,
  subjectWalk: (round: number) => Promise<Walk>,
  storageWalk: (round: number) => Promise<Walk>,
  rawWalk: (round: number) => Walk,
): Promise<void> {
  let mismatches = 0;
  const walks = await interleave<Walk>({
    rounds: options.rounds * 4,
    warmupRounds: 2,
    contenders: [
      { name: 'subject', run: subjectWalk },
      { name: 'storage', run: storageWalk },
      { name: 'raw', run: (round) => Promise.resolve(rawWalk(round)) },
    ],
    onRound: (_round, results) => {
      const reference = results.get('raw');
      for (const name of ['subject', 'storage']) {
        const walk = results.get(name);
        if (!walk || !reference) continue;
        if (walk.firstIds.join() !== reference.firstIds.join() || walk.lastIds.join() !== reference.lastIds.join()) mismatches++;
      }
    },
  });
  if (mismatches > 0) context.log(`WARNING: ${what}: ${mismatches} walks where the query and the raw read returned different events`);
  const of = (name: string, pick: (walk: Walk) => number): number => median((walks.get(name) ?? []).map(pick));
  for (const [label, pick] of [
    ['first', (walk: Walk) => walk.first],
    [ordinal(options.pages), (walk: Walk) => walk.last],
  ] as const) {
    const value = of('subject', pick);
    const storage = of('storage', pick);
    const reference = of('raw', pick);
    context.log(`${what}, ${label} page: ${value.toFixed(3)} ms (storage query alone ${storage.toFixed(3)} ms) vs raw ${reference.toFixed(3)} ms`);
    context.record({
      metric: `${what}: ${label} newest-first page of ${options.pageSize} (vs raw indexed read + JSON.parse)`,
      value,
      unit: 'ms',
      reference,
      target: atMost(2),
    });
    context.record({
      metric: `${what}: ${label} page, storage query alone (vs raw, for information)`,
      value: storage,
      unit: 'ms',
      reference,
    });
  }
}

function ordinal(n: number): string {
  if (n === 1) return 'first';
  if (n === 10) return 'tenth';
  return `${n}th`;
}

async function timelinePages(context: BenchContext, account: BenchAccount, raw: DatabaseSync, options: ReadOptions): Promise<void> {
  const cards = account.world.timelineCardIds;
  if (cards.length === 0) {
    context.log('timeline: the log has no card with 10,000 events (BENCH_DOMAIN_EVENTS too small); skipped');
    return;
  }
  const index = indexColumns(schemaOf(account, 'events'), readTableShape(account.file, EVENTS_TABLE));
  const fields = ['_deleted', 'eventableId', 'hlc', 'id'];
  const statement = rangeStatement(raw, EVENTS_TABLE, index.columnOf(fields), { isDescending: true, isLimited: true });
  const cardOf = (round: number): string => cards[(round + cards.length * 4) % cards.length]!;
  const column = index.columnOf(fields);
  const firstPrefix = index.prefixOf(['_deleted', 'eventableId'], { _deleted: false, eventableId: cards[0]! });
  const eventsPerCard = (
    raw.prepare(`SELECT count(*) AS n FROM ${quote(EVENTS_TABLE)} WHERE ${column} >= ? AND ${column} < ?`).get(firstPrefix, firstPrefix + MAX_CHAR) as {
      n: number;
    }
  ).n;
  await comparePageWalks(
    context,
    options,
    `timeline of a card with ${Number(eventsPerCard).toLocaleString('en-US')} events`,
    (round) => walkSubject(options.pages, (cursor) => timeline(account.ctx, cardOf(round), { cursor, limit: options.pageSize })),
    (round) => walkStorage(options.pages, options.pageSize, account.session.account.collections.events, { eventableId: cardOf(round) }),
    (round) => {
      const eventableId = cardOf(round);
      const prefix = index.prefixOf(['_deleted', 'eventableId'], { _deleted: false, eventableId });
      return walkRaw(options.pages, options.pageSize, statement, index, fields, prefix);
    },
  );
}

async function activityPages(context: BenchContext, account: BenchAccount, raw: DatabaseSync, options: ReadOptions): Promise<void> {
  const index = indexColumns(schemaOf(account, 'events'), readTableShape(account.file, EVENTS_TABLE));
  const fields = ['_deleted', 'accountId', 'hlc', 'id'];
  const statement = rangeStatement(raw, EVENTS_TABLE, index.columnOf(fields), { isDescending: true, isLimited: true });
  const { accountId } = account.session.account;
  const prefix = index.prefixOf(['_deleted', 'accountId'], { _deleted: false, accountId });
  const sizeOf = (round: number): number => options.pageSize - 1 + ((round + 3) % 3);
  await comparePageWalks(
    context,
    options,
    `activity of an account with ${account.logEvents.toLocaleString('en-US')} events`,
    (round) => walkSubject(options.pages, (cursor) => accountActivity(account.ctx, { cursor, limit: sizeOf(round) })),
    (round) => walkStorage(options.pages, sizeOf(round), account.session.account.collections.events, { accountId }),
    (round) => walkRaw(options.pages, sizeOf(round), statement, index, fields, prefix),
  );
}
