/**
 * RxDB's own performance harness on the storage under test and on RxDB's memory storage, interleaved in one run,
 * each metric as a ratio to memory. "find 3000 by id" is compared with a raw node:sqlite read + JSON.parse of the
 * same 3000 documents from a table of the same shape, also measured in each round.
 */
import { join } from 'node:path';
import { createRxDatabase } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import type { BenchContext } from '../lib/group';
import { interleave, timeSync } from '../lib/measure';
import { atMost } from '../lib/report';
import { loadRxdbTestUtils, type RxdbTestUtils } from '../lib/rxdb-test-utils';
import { median, medianByKey } from '../lib/stats';
import { copyRows, createTable, openRaw, readByIds, readTableShape } from './raw-sqlite';
import { SUBJECT_NAME, subjectDatabaseFile, subjectStorage, subjectTableName } from './subject';

/** The harness's defaults, spelled out: 3000 documents inserted in 6 bulks of 500, 50 serial, 4 parallel. */
const DOCS = 3000;
const INSERT_BATCHES = 6;
const SERIAL_DOCS = 50;
const PARALLEL_QUERIES = 4;

/** Harness result keys -> our metric names and the ratios RxDB's commercial SQLite storage publishes. */
const MEMORY_RATIO_METRICS = [
  { key: 'time-to-first-insert', metric: 'time to first insert', target: 4.2 },
  { key: `insert-documents-${DOCS / INSERT_BATCHES}`, metric: `insert ${DOCS / INSERT_BATCHES} in bulk`, target: 27.8 },
  { key: `serial-inserts-${SERIAL_DOCS}`, metric: `${SERIAL_DOCS} serial inserts`, target: 6.9 },
  { key: `serial-find-by-id-${SERIAL_DOCS}`, metric: `${SERIAL_DOCS} serial finds by id`, target: 4.9 },
  { key: 'find-by-query', metric: `query (${DOCS + SERIAL_DOCS} docs, sorted)`, target: 7.0 },
  { key: `find-by-query-parallel-${PARALLEL_QUERIES}`, metric: `${PARALLEL_QUERIES} parallel queries`, target: 5.1 },
  { key: `${PARALLEL_QUERIES}x-count`, metric: `${PARALLEL_QUERIES} counts`, target: 7.2 },
] as const;
const FIND_BY_IDS_KEY = `find-by-ids-${DOCS}`;
const FIND_BY_IDS_TARGET = 1.3;
/** runPerformanceTests reports each metric as averageOfTimeValues(runs, 95): of 4 runs, the fastest. */
const HARNESS_STRIP_HIGHEST_PERCENT = 95;

type Timings = Readonly<Record<string, number>>;

function timingsOf(result: Readonly<Record<string, unknown>>): Timings {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(result)) {
    if (typeof value === 'number' && key !== 'docsAmount' && key !== 'collectionsAmount') out[key] = value;
  }
  return out;
}

/**
 * Builds the raw reference for "find 3000 by id": the storage under test stores 3000 of the harness's documents
 * (same schema, same batches), then its table's DDL and rows are copied into a plain SQLite file.
 */
async function buildFindByIdsReference(
  utils: RxdbTestUtils,
  folder: string,
): Promise<{ rawFile: string; table: string; ids: string[] }> {
  const databaseName = 'find-by-ids';
  const collectionName = 'docs';
  const schema = utils.averageSchema();
  const database = await createRxDatabase({ name: databaseName, storage: subjectStorage(folder), multiInstance: false });
  const ids: string[] = [];
  try {
    const { docs } = await database.addCollections({ [collectionName]: { schema } });
    if (!docs) throw new Error('the collection was not created');
    for (let batch = 0; batch < INSERT_BATCHES; batch++) {
      const data = Array.from({ length: DOCS / INSERT_BATCHES }, (_, index) =>
        utils.averageSchemaData({ var1: `${index % 2}`, var2: index % PARALLEL_QUERIES }),
      );
      for (const doc of data) ids.push(doc.id);
      const { error } = await docs.bulkInsert(data);
      if (error.length > 0) throw new Error(`find-by-ids reference: ${error.length} inserts failed`);
    }
  } finally {
    await database.close();
  }
  const table = subjectTableName(collectionName, schema.version);
  const shape = readTableShape(subjectDatabaseFile(folder, databaseName), table);
  const rawFile = join(folder, 'raw-find-by-ids.sqlite');
  const raw = openRaw(rawFile);
  try {
    createTable(raw, shape);
    copyRows(raw, subjectDatabaseFile(folder, databaseName), shape);
  } finally {
    raw.close();
  }
  return { rawFile, table, ids };
}

/** One raw "find by ids": a fresh connection (as the harness re-creates its database), prepare, read, parse. */
function rawFindByIds(reference: { rawFile: string; table: string; ids: string[] }): number {
  const db = openRaw(reference.rawFile);
  try {
    let found = 0;
    const ms = timeSync(() => {
      found = readByIds(db, reference.table, reference.ids).length;
    });
    if (found !== reference.ids.length) throw new Error(`raw find-by-ids found ${found} of ${reference.ids.length}`);
    return ms;
  } finally {
    db.close();
  }
}

export async function runRxdbHarness(
  context: BenchContext,
  options: { readonly rounds: number; readonly runsPerRound: number },
): Promise<void> {
  const utils = await loadRxdbTestUtils();
  if (utils.standIns.length > 0) {
    context.log(`rxdb/plugins/test-utils: ${utils.standIns.join(', ')} not installed, using bench stand-ins`);
  }
  const reference = await buildFindByIdsReference(utils, join(context.tempDir, 'find-by-ids'));
  const harnessFolder = join(context.tempDir, 'rxdb-harness');
  const config = (round: number) => ({
    runs: round < 0 ? 1 : options.runsPerRound,
    docsAmount: DOCS,
    insertBatches: INSERT_BATCHES,
    serialDocsAmount: SERIAL_DOCS,
    parallelQueryAmount: PARALLEL_QUERIES,
    log: false,
  });

  context.log(
    `RxDB harness: ${options.rounds} rounds x ${options.runsPerRound} runs each of ${SUBJECT_NAME}, memory, raw find-by-ids`,
  );
  const results = await interleave<Timings>({
    rounds: options.rounds,
    warmupRounds: 1,
    contenders: [
      {
        name: 'subject',
        run: async (round) =>
          timingsOf(await utils.runPerformanceTests(subjectStorage(harnessFolder), SUBJECT_NAME, config(round))),
      },
      {
        name: 'memory',
        run: async (round) =>
          timingsOf(
            await utils.runPerformanceTests(getRxStorageMemory() as never, 'memory', config(round)),
          ),
      },
      {
        name: 'raw',
        run: (round) => {
          const runs = round < 0 ? 1 : options.runsPerRound;
          const times = Array.from({ length: runs }, () => rawFindByIds(reference));
          // Aggregated exactly as the harness aggregates the subject's runs of the same metric.
          return Promise.resolve({ [FIND_BY_IDS_KEY]: utils.averageOfTimeValues(times, HARNESS_STRIP_HIGHEST_PERCENT) });
        },
      },
    ],
    onRound: (round, roundResults) => {
      const subject = roundResults.get('subject') ?? {};
      const memory = roundResults.get('memory') ?? {};
      const summary = MEMORY_RATIO_METRICS.map(({ key }) => `${key} ${subject[key]}/${memory[key]}`).join(', ');
      context.log(`round ${round + 1}: ${summary} ms; find-by-ids ${subject[FIND_BY_IDS_KEY]} vs raw ${roundResults.get('raw')?.[FIND_BY_IDS_KEY]?.toFixed(2)} ms`);
    },
  });

  const subject = medianByKey(results.get('subject') ?? []);
  const memory = medianByKey(results.get('memory') ?? []);
  const raw = median((results.get('raw') ?? []).map((timings) => timings[FIND_BY_IDS_KEY] ?? Number.NaN));
  for (const { key, metric, target } of MEMORY_RATIO_METRICS) {
    context.record({
      metric: `rxdb harness: ${metric} (vs memory)`,
      value: subject[key] ?? Number.NaN,
      unit: 'ms',
      reference: memory[key] ?? Number.NaN,
      target: atMost(target),
    });
  }
  context.record({
    metric: `rxdb harness: find ${DOCS} by id (vs raw node:sqlite + JSON.parse)`,
    value: subject[FIND_BY_IDS_KEY] ?? Number.NaN,
    unit: 'ms',
    reference: raw,
    target: atMost(FIND_BY_IDS_TARGET),
  });
  context.record({
    metric: `rxdb harness: find ${DOCS} by id (vs memory, for information)`,
    value: subject[FIND_BY_IDS_KEY] ?? Number.NaN,
    unit: 'ms',
    reference: memory[FIND_BY_IDS_KEY] ?? Number.NaN,
  });
}
