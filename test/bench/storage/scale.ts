/**
 * A million-document collection through the storage under test vs raw node:sqlite on the same table shape:
 * bulk insert throughput, 100-document pages by an indexed range (ascending and descending), and the RSS of a
 * fresh process after opening the big file compared with a 1k-document one.
 */
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import {
  createRxDatabase,
  fillWithDefaultSettings,
  getIndexableStringMonad,
  normalizeMangoQuery,
  prepareQuery,
  randomToken,
  type MangoQuery,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorageInstance,
} from 'rxdb';
import type { BenchContext } from '../lib/group';
import { interleave, MIB, nowNs, elapsedMs, seededRandom } from '../lib/measure';
import { atLeast, atMost } from '../lib/report';
import { median, percentile } from '../lib/stats';
import { EVENTS_COLLECTION, eventsSchema, hlcOf, makeEvent, makeEventDocument, type BenchEvent } from './events';
import { createTable, openRaw, prepareInsert, quoteIdentifier, readTableShape, type TableShape } from './raw-sqlite';
import { subjectDatabaseFile, subjectStorage, subjectTableName } from './subject';

const DATABASE = 'scale';
const SMALL_DOCS = 1000;
const PAGE = 100;
const REVISION_TOKEN = 'benchrev01';
/** A code point above every character of an id: the upper end of "this hlc, any id". */
const MAX_CHAR = String.fromCodePoint(0x10ffff);
const HLC_INDEX = ['_deleted', 'hlc', 'id'];

export type ScaleOptions = {
  readonly rounds: number;
  readonly docs: number;
  readonly batchSize: number;
  readonly pagesPerRound: number;
};

const filledSchema = fillWithDefaultSettings(eventsSchema as unknown as RxJsonSchema<BenchEvent>);

function makeBatch(start: number, end: number): RxDocumentData<BenchEvent>[] {
  const docs: RxDocumentData<BenchEvent>[] = new Array(end - start);
  for (let i = start; i < end; i++) docs[i - start] = makeEventDocument(i, REVISION_TOKEN);
  return docs;
}

/**
 * Inserts events [from, to) through the storage's bulkWrite in batches (opening the file, which may already hold
 * earlier events); returns the time spent in bulkWrite (ms).
 */
async function insertWithSubject(folder: string, from: number, to: number, batchSize: number): Promise<number> {
  const instance = (await subjectStorage(folder).createStorageInstance({
    databaseInstanceToken: randomToken(10),
    databaseName: DATABASE,
    collectionName: EVENTS_COLLECTION,
    schema: filledSchema as never,
    options: {},
    multiInstance: false,
    devMode: false,
  })) as unknown as RxStorageInstance<BenchEvent, unknown, unknown>;
  let writeMs = 0;
  try {
    for (let start = from; start < to; start += batchSize) {
      const rows = makeBatch(start, Math.min(to, start + batchSize)).map((document) => ({ document }));
      const begun = nowNs();
      const { error } = await instance.bulkWrite(rows, 'bench-scale-insert');
      writeMs += elapsedMs(begun);
      if (error.length > 0) {
        throw new Error(`bulkWrite refused ${error.length} of ${rows.length} rows, first: ${JSON.stringify(error[0]).slice(0, 300)}`);
      }
    }
  } finally {
    await instance.close();
  }
  return writeMs;
}

type RawRowBuilder = (doc: RxDocumentData<BenchEvent>, seq: number) => (string | number)[];

/**
 * The values of one row for the table's columns, computed as cheaply as possible: the JSON of the document and
 * RxDB's indexable string for each index column (`i<k>` holds schema index k, as the storage lays them out).
 */
function rawRowBuilder(shape: TableShape): RawRowBuilder {
  const indexes = filledSchema.indexes ?? [];
  const getters = shape.columns.map((column): ((doc: RxDocumentData<BenchEvent>, seq: number) => string | number) => {
    switch (column) {
      case 'id':
        return (doc) => doc.id;
      case 'seq':
        return (_doc, seq) => seq;
      case 'deleted':
        return (doc) => (doc._deleted ? 1 : 0);
      case 'lwt':
        return (doc) => doc._meta.lwt;
      case 'rev':
        return (doc) => doc._rev;
      case 'data':
        return (doc) => JSON.stringify(doc);
      default: {
        const position = /^i(\d+)$/.exec(column)?.[1];
        const index = position === undefined ? undefined : indexes[Number(position)];
        if (index === undefined) throw new Error(`raw reference: no value for column ${column} of ${shape.table}`);
        const fields = typeof index === 'string' ? [index] : [...index];
        return getIndexableStringMonad(filledSchema, fields) as (doc: RxDocumentData<BenchEvent>) => string;
      }
    }
  });
  return (doc, seq) => getters.map((get) => get(doc, seq));
}

function indexColumnOf(shape: TableShape, fields: readonly string[]): string {
  const position = (filledSchema.indexes ?? []).findIndex((index) =>
    typeof index === 'string' ? fields.length === 1 && fields[0] === index : index.join(',') === fields.join(','),
  );
  const column = `i${position}`;
  if (position < 0 || !shape.columns.includes(column)) throw new Error(`no column for index [${fields.join(', ')}]`);
  return column;
}

/**
 * Inserts the same events [from, to) with one prepared statement in transactions of the same size, creating the
 * table on first use; returns the write time (ms).
 */
function insertWithRaw(file: string, shape: TableShape, from: number, to: number, batchSize: number): number {
  const db = openRaw(file);
  let writeMs = 0;
  try {
    if (from === 0) createTable(db, shape);
    const insert = prepareInsert(db, shape);
    const rowOf = rawRowBuilder(shape);
    let seq = from;
    for (let start = from; start < to; start += batchSize) {
      const docs = makeBatch(start, Math.min(to, start + batchSize));
      const begun = nowNs();
      db.exec('BEGIN IMMEDIATE');
      for (const doc of docs) insert.run(...rowOf(doc, ++seq));
      db.exec('COMMIT');
      writeMs += elapsedMs(begun);
    }
  } finally {
    db.close();
  }
  return writeMs;
}

function countRows(file: string, table: string): number {
  const db = openRaw(file);
  try {
    const row = db.prepare(`SELECT count(*) AS n FROM ${quoteIdentifier(table)}`).get() as { n: number };
    return Number(row.n);
  } finally {
    db.close();
  }
}

/** Compares the raw reference's row for event 0 with what the storage stored; returns the differing columns. */
function compareRows(subjectFile: string, shape: TableShape): string[] {
  const doc = makeEventDocument(0, REVISION_TOKEN);
  const expected = rawRowBuilder(shape)(doc, 1);
  const db = openRaw(subjectFile);
  try {
    const row = db.prepare(`SELECT * FROM ${quoteIdentifier(shape.table)} WHERE id = ?`).get(doc.id) as
      | Record<string, unknown>
      | undefined;
    if (!row) return ['(row missing)'];
    return shape.columns.filter((column, i) => column !== 'seq' && row[column] !== expected[i]);
  } finally {
    db.close();
  }
}

type PageSamples = { subjectAsc: number[]; rawAsc: number[]; subjectDesc: number[]; rawDesc: number[]; instanceAsc: number[]; instanceDesc: number[] };

async function measurePages(
  context: BenchContext,
  options: ScaleOptions,
  subjectFolder: string,
  rawFile: string,
  shape: TableShape,
): Promise<void> {
  const database = await createRxDatabase({ name: DATABASE, storage: subjectStorage(subjectFolder), multiInstance: false });
  const raw: DatabaseSync = openRaw(rawFile);
  try {
    const { events } = await database.addCollections({ [EVENTS_COLLECTION]: { schema: eventsSchema } });
    if (!events) throw new Error('the events collection was not created');
    const column = indexColumnOf(shape, HLC_INDEX);
    const table = quoteIdentifier(shape.table);
    const ascending: StatementSync = raw.prepare(
      `SELECT data FROM ${table} WHERE ${column} >= ? AND ${column} < ? ORDER BY ${column} LIMIT ${PAGE}`,
    );
    const descending: StatementSync = raw.prepare(
      `SELECT data FROM ${table} WHERE ${column} <= ? AND ${column} >= ? ORDER BY ${column} DESC LIMIT ${PAGE}`,
    );
    ascending.setReturnArrays(true);
    descending.setReturnArrays(true);
    const rawPage = (isDescending: boolean, hlc: string): BenchEvent[] => {
      const prefix = `0${hlc}`;
      const rows = (isDescending ? descending.all(prefix + MAX_CHAR, '0') : ascending.all(prefix, '1')) as unknown as [string][];
      const docs: BenchEvent[] = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) docs[i] = JSON.parse(rows[i]![0]) as BenchEvent;
      return docs;
    };
    const pageQuery = (isDescending: boolean, hlc: string): MangoQuery<BenchEvent> =>
      isDescending
        ? { selector: { hlc: { $lte: hlc } }, sort: [{ hlc: 'desc' }, { id: 'desc' }], limit: PAGE }
        : { selector: { hlc: { $gte: hlc } }, sort: [{ hlc: 'asc' }, { id: 'asc' }], limit: PAGE };
    const schema = events.schema.jsonSchema;
    // A second, unwrapped instance on the same table (it shares the file's connection): the storage's own cost,
    // without RxDB's wrapper (idle queue) around collection.storageInstance.
    const instance = (await subjectStorage(subjectFolder).createStorageInstance({
      databaseInstanceToken: randomToken(10),
      databaseName: DATABASE,
      collectionName: EVENTS_COLLECTION,
      schema: schema as never,
      options: {},
      multiInstance: false,
      devMode: false,
    })) as unknown as RxStorageInstance<BenchEvent, unknown, unknown>;

    let mismatches = 0;
    const check = (index: number, docs: readonly { id: string }[]): void => {
      if (docs.length !== PAGE || docs[0]?.id !== makeEvent(index).id) mismatches++;
    };
    const random = seededRandom(20240601);
    const startIndex = (isDescending: boolean): number =>
      isDescending
        ? PAGE - 1 + Math.floor(random() * (options.docs - PAGE + 1))
        : Math.floor(random() * (options.docs - PAGE + 1));

    const runPages = async (count: number, samples: PageSamples | undefined): Promise<void> => {
      for (let page = 0; page < count; page++) {
        // Let the event loop turn between pages, as an app does between user actions: RxDB defers its cache
        // upkeep (query cache replacement, document registry) to timers, which a tight await loop starves.
        await new Promise((resolve) => setTimeout(resolve, 0));
        for (const isDescending of [false, true]) {
          const index = startIndex(isDescending);
          const hlc = hlcOf(index);
          const measureSubject = async (): Promise<void> => {
            const begun = nowNs();
            const docs = await events.find(pageQuery(isDescending, hlc)).exec();
            const ms = elapsedMs(begun);
            check(index, docs);
            (isDescending ? samples?.subjectDesc : samples?.subjectAsc)?.push(ms);
          };
          const measureRaw = async (): Promise<void> => {
            const begun = nowNs();
            const docs = rawPage(isDescending, hlc);
            const ms = elapsedMs(begun);
            check(index, docs);
            (isDescending ? samples?.rawDesc : samples?.rawAsc)?.push(ms);
          };
          const measureInstance = async (): Promise<void> => {
            // As RxQuery.getPreparedQuery() does: normalize, select non-deleted documents, plan.
            const normalized = normalizeMangoQuery(schema, pageQuery(isDescending, hlc));
            (normalized.selector as Record<string, unknown>)._deleted = { $eq: false };
            const prepared = prepareQuery(schema, normalized);
            const begun = nowNs();
            const { documents } = await instance.query(prepared);
            const ms = elapsedMs(begun);
            check(index, documents);
            (isDescending ? samples?.instanceDesc : samples?.instanceAsc)?.push(ms);
          };
          // The first call timed after the timer's turn costs ~50-65 us more than the next ones (and the ascending
          // page is always the first of the turn): each of the three goes first on every third page.
          const contenders = [measureSubject, measureRaw, measureInstance];
          for (let slot = 0; slot < contenders.length; slot++) await contenders[(page + slot) % contenders.length]!();
        }
      }
    };

    await runPages(Math.max(20, Math.floor(options.pagesPerRound / 4)), undefined);
    const rounds: PageSamples[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const samples: PageSamples = { subjectAsc: [], rawAsc: [], subjectDesc: [], rawDesc: [], instanceAsc: [], instanceDesc: [] };
      await runPages(options.pagesPerRound, samples);
      rounds.push(samples);
      const p50 = (values: number[]): string => percentile(values, 50).toFixed(3);
      context.log(
        `pages round ${round + 1}: p50 asc ${p50(samples.subjectAsc)} (storage.query ${p50(samples.instanceAsc)}) vs raw ${p50(samples.rawAsc)} ms; ` +
          `desc ${p50(samples.subjectDesc)} (storage.query ${p50(samples.instanceDesc)}) vs raw ${p50(samples.rawDesc)} ms`,
      );
    }
    if (mismatches > 0) context.log(`WARNING: ${mismatches} pages did not start at the expected document`);
    const p50Of = (key: keyof PageSamples): number => median(rounds.map((samples) => percentile(samples[key], 50)));
    const totalPages = options.rounds * options.pagesPerRound;
    context.record({
      metric: `page of ${PAGE} by indexed range, ascending, p50 of ${totalPages} (vs raw SELECT + JSON.parse)`,
      value: p50Of('subjectAsc'),
      unit: 'ms',
      reference: p50Of('rawAsc'),
      target: atMost(2),
    });
    context.record({
      metric: `page of ${PAGE} by indexed range, descending, p50 of ${totalPages} (vs raw SELECT + JSON.parse)`,
      value: p50Of('subjectDesc'),
      unit: 'ms',
      reference: p50Of('rawDesc'),
      target: atMost(2),
    });
    context.record({
      metric: `page of ${PAGE} ascending, storage.query only (vs raw, for information)`,
      value: p50Of('instanceAsc'),
      unit: 'ms',
      reference: p50Of('rawAsc'),
    });
    context.record({
      metric: `page of ${PAGE} descending, storage.query only (vs raw, for information)`,
      value: p50Of('instanceDesc'),
      unit: 'ms',
      reference: p50Of('rawDesc'),
    });
    await instance.close();
  } finally {
    raw.close();
    await database.close();
  }
}

type OpenReport = {
  rssBeforeOpen: number;
  rssAfterOpen: number;
  rssAfterPage: number;
  openMs: number;
  pageMs: number;
  pageLength: number;
};

const runChild = promisify(execFile);

async function openInFreshProcess(folder: string): Promise<OpenReport> {
  const child = fileURLToPath(new URL('../test/bench/storage/open-rss.child.mjs', import.meta.url));
  if (!existsSync(child)) throw new Error(`${child} is missing: run node scripts/build.mjs`);
  const { stdout } = await runChild(process.execPath, ['--expose-gc', child, folder, DATABASE], { maxBuffer: 1 << 20 });
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(lastLine) as OpenReport;
}

async function measureOpenRss(context: BenchContext, options: ScaleOptions, smallFolder: string, bigFolder: string): Promise<void> {
  const mib = (bytes: number): string => (bytes / MIB).toFixed(1);
  const results = await interleave<OpenReport>({
    rounds: options.rounds,
    warmupRounds: 1,
    contenders: [
      { name: 'big', run: () => openInFreshProcess(bigFolder) },
      { name: 'small', run: () => openInFreshProcess(smallFolder) },
    ],
    onRound: (round, reports) => {
      const text = [...reports]
        .map(
          ([name, r]) =>
            `${name}: RSS ${mib(r.rssBeforeOpen)} -> open ${mib(r.rssAfterOpen)} -> page ${mib(r.rssAfterPage)} MiB, ` +
            `open ${r.openMs.toFixed(1)} ms, page ${r.pageMs.toFixed(1)} ms (${r.pageLength} docs)`,
        )
        .join('; ');
      context.log(`fresh process, round ${round + 1}: ${text}`);
    },
  });
  const of = (name: string, pick: (report: OpenReport) => number): number => median((results.get(name) ?? []).map(pick));
  const big = options.docs.toLocaleString('en-US');
  const small = SMALL_DOCS.toLocaleString('en-US');
  context.record({
    metric: `RSS of a fresh process after opening ${big} docs (vs ${small} docs)`,
    value: of('big', (r) => r.rssAfterOpen / MIB),
    unit: 'MiB',
    reference: of('small', (r) => r.rssAfterOpen / MIB),
    target: atMost(1.1),
  });
  context.record({
    metric: `RSS after opening + newest page (selector {}, hlc desc), ${big} docs (vs ${small}, for information)`,
    value: of('big', (r) => r.rssAfterPage / MIB),
    unit: 'MiB',
    reference: of('small', (r) => r.rssAfterPage / MIB),
  });
  context.record({
    metric: `open database + collection in a fresh process, ${big} docs (vs ${small}, for information)`,
    value: of('big', (r) => r.openMs),
    unit: 'ms',
    reference: of('small', (r) => r.openMs),
  });
  context.record({
    metric: `first newest page (selector {}, hlc desc) in a fresh process, ${big} docs (vs ${small}, for information)`,
    value: of('big', (r) => r.pageMs),
    unit: 'ms',
    reference: of('small', (r) => r.pageMs),
  });
}

export async function runScale(context: BenchContext, options: ScaleOptions): Promise<void> {
  const root = join(context.tempDir, 'scale');
  const table = subjectTableName(EVENTS_COLLECTION, eventsSchema.version);
  const docs = options.docs.toLocaleString('en-US');

  const smallFolder = join(root, 'small');
  await insertWithSubject(smallFolder, 0, SMALL_DOCS, options.batchSize);
  const smallFile = subjectDatabaseFile(smallFolder, DATABASE);
  const shape = readTableShape(smallFile, table);
  const differing = compareRows(smallFile, shape);
  if (differing.length > 0) {
    context.log(`WARNING: the raw reference's row differs from the stored one in columns ${differing.join(', ')}`);
  }
  context.log(`table shape copied from the storage's file:\n  ${shape.ddl.join(';\n  ')}`);

  // Both files grow to the full size in `rounds` interleaved slices: each round inserts the next slice into each,
  // so every round compares the two at the same table size, and the million documents are written once per side.
  const bigFolder = join(root, 'big');
  const bigFile = subjectDatabaseFile(bigFolder, DATABASE);
  const rawFile = join(root, 'raw.sqlite');
  const sliceOf = (round: number): [number, number] => [
    Math.floor((round * options.docs) / options.rounds),
    Math.floor(((round + 1) * options.docs) / options.rounds),
  ];
  context.log(
    `bulk insert of ${docs} events in ${options.rounds} interleaved slices, batches of ${options.batchSize}`,
  );
  const inserts = await interleave<number>({
    rounds: options.rounds,
    contenders: [
      {
        name: 'subject',
        run: async (round) => {
          const [from, to] = sliceOf(round);
          return (to - from) / ((await insertWithSubject(bigFolder, from, to, options.batchSize)) / 1000);
        },
      },
      {
        name: 'raw',
        run: (round) => {
          const [from, to] = sliceOf(round);
          return Promise.resolve((to - from) / (insertWithRaw(rawFile, shape, from, to, options.batchSize) / 1000));
        },
      },
    ],
    onRound: (round, results) => {
      const [from, to] = sliceOf(round);
      context.log(
        `insert round ${round + 1} (docs ${from.toLocaleString('en-US')}..${to.toLocaleString('en-US')}): ` +
          `storage ${Math.round(results.get('subject') ?? 0)} docs/s, raw ${Math.round(results.get('raw') ?? 0)} docs/s`,
      );
    },
  });
  const counts = [countRows(bigFile, table), countRows(rawFile, table)];
  if (counts.some((count) => count !== options.docs)) {
    context.log(`WARNING: expected ${options.docs} rows, the storage's file has ${counts[0]}, the raw one ${counts[1]}`);
  }
  context.record({
    metric: `bulk insert up to ${docs} docs of ~500 B, batches of ${options.batchSize}, median of slices (vs raw prepared INSERT)`,
    value: median(inserts.get('subject') ?? []),
    unit: 'docs/s',
    reference: median(inserts.get('raw') ?? []),
    target: atLeast(0.5),
  });

  // Pages and RSS use the files built above; a failure in one is reported after the other has run.
  const failures: unknown[] = [];
  for (const [part, run] of [
    ['pages', () => measurePages(context, options, bigFolder, rawFile, shape)],
    ['open in a fresh process', () => measureOpenRss(context, options, smallFolder, bigFolder)],
  ] as const) {
    try {
      await run();
    } catch (error) {
      context.log(`scale: ${part} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      failures.push(error);
    }
  }
  rmSync(root, { recursive: true, force: true });
  if (failures.length > 0) throw new AggregateError(failures, `scale: ${failures.length} part(s) failed`);
}
