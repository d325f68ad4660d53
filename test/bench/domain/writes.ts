/**
 * Write benchmarks on the generated account's write board (4 columns, 25 cards each by default):
 * - domain writes: `card.move` (rules read from the projections, one event committed, the projector's fold
 *   awaited) against raw node:sqlite doing the same two writes (the event row, then the card's projection
 *   row), each in its own transaction, on tables of the same shape holding the same rows (cloned from the
 *   store's file), with documents of the same JSON size; interleaved rounds, throughput and p99 latency;
 * - write to live-query update: from the verb's call to the emission of a live RxDB query on the board's cards
 *   (`cards.find(...).$`) that shows the move (absolute guards p50 <= 1 ms, p95 <= 3 ms).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { generateJitteredKeyBetween } from 'fractional-indexing-jittered';
import { randomToken, type RxDocumentData, type RxJsonSchema } from 'rxdb';
import { createEvent, type Actor } from '../../../shared/events';
import { createClock } from '../../../shared/hlc';
import type { Card } from '../../../shared/model';
import * as card from '../../../src-main/domain/card';
import type { BenchContext } from '../lib/group';
import { elapsedMs, interleave, nowNs } from '../lib/measure';
import { atLeast, atMost } from '../lib/report';
import { median, percentile } from '../lib/stats';
import type { BenchAccount } from './build';
import { cloneTables, indexColumns, openRaw, prepareArrays, quote, readTableShape, type IndexColumns, type TableShape } from './raw';

export type WriteOptions = { readonly rounds: number; readonly movesPerRound: number; readonly liveMoves: number };

type RoundResult = { totalMs: number; latencies: number[]; bytes: number };

const EVENTS_TABLE = 'events-0';

/** Yields to the event loop without a timer's minimum delay. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const CARDS_TABLE = 'cards-0';

/** Cycles the write board's cards through its columns: the i-th move takes card i mod n one column on. */
function moveTarget(account: BenchAccount, columnOf: Map<string, string>, i: number): { cardId: string; toColumnId: string } {
  const { writeBoard, writeBoardCardIds } = account.world;
  const cardId = writeBoardCardIds[i % writeBoardCardIds.length]!;
  const columns = writeBoard.columns;
  const at = columns.findIndex((column) => column.id === columnOf.get(cardId));
  return { cardId, toColumnId: columns[(at + 1) % columns.length]!.id };
}

/** Binds a document's values to the columns of its table (the storage's layout: id, seq, deleted, lwt, rev, data, i<k>). */
function rowWriter(db: DatabaseSync, shape: TableShape, index: IndexColumns, schema: RxJsonSchema<RxDocumentData<unknown>>) {
  const indexes = (schema.indexes ?? []).map((fields) => (typeof fields === 'string' ? [fields] : [...fields]));
  const valueColumns = shape.columns.filter((column) => column !== 'id');
  const insert = db.prepare(
    `INSERT INTO ${quote(shape.table)} (${shape.columns.map(quote).join(', ')}) VALUES (${shape.columns.map(() => '?').join(', ')})`,
  );
  const update = db.prepare(`UPDATE ${quote(shape.table)} SET ${valueColumns.map((column) => `${quote(column)} = ?`).join(', ')} WHERE id = ?`);
  const values = (doc: RxDocumentData<{ id: string }>, seq: number, json: string): (string | number)[] =>
    valueColumns.map((column) => {
      switch (column) {
        case 'seq':
          return seq;
        case 'deleted':
          return doc._deleted ? 1 : 0;
        case 'lwt':
          return doc._meta.lwt;
        case 'rev':
          return doc._rev;
        case 'data':
          return json;
        default: {
          const fields = indexes[Number(column.slice(1))];
          if (!fields) throw new Error(`no index for column ${column} of ${shape.table}`);
          return index.valueOf(fields, doc);
        }
      }
    });
  return {
    insert(doc: RxDocumentData<{ id: string }>, seq: number): number {
      const json = JSON.stringify(doc);
      insert.run(doc.id, ...values(doc, seq, json));
      return json.length;
    },
    update(doc: RxDocumentData<{ id: string }>, seq: number): number {
      const json = JSON.stringify(doc);
      update.run(...values(doc, seq, json), doc.id);
      return json.length;
    },
  };
}

export async function runWrites(context: BenchContext, account: BenchAccount, options: WriteOptions): Promise<void> {
  await domainWrites(context, account, options);
  await liveQueryLatency(context, account, options);
}

async function domainWrites(context: BenchContext, account: BenchAccount, options: WriteOptions): Promise<void> {
  const { collections } = account.session.account;
  const { ctx } = account;
  const rawFile = join(context.tempDir, 'raw-writes.sqlite');
  const eventsShape = readTableShape(account.file, EVENTS_TABLE);
  const cardsShape = readTableShape(account.file, CARDS_TABLE);
  context.log('writes: cloning the events and cards tables for the raw reference');
  const raw = openRaw(rawFile);
  try {
    cloneTables(raw, account.file, [eventsShape, cardsShape]);
    const eventsSchema = collections.events.storageInstance.schema as unknown as RxJsonSchema<RxDocumentData<unknown>>;
    const cardsSchema = collections.cards.storageInstance.schema as unknown as RxJsonSchema<RxDocumentData<unknown>>;
    const eventRows = rowWriter(raw, eventsShape, indexColumns(eventsSchema, eventsShape), eventsSchema);
    const cardRows = rowWriter(raw, cardsShape, indexColumns(cardsSchema, cardsShape), cardsSchema);
    let rawSeq = Number((raw.prepare(`SELECT max(seq) AS n FROM (SELECT max(seq) AS seq FROM ${quote(EVENTS_TABLE)} UNION ALL SELECT max(seq) FROM ${quote(CARDS_TABLE)})`).get() as { n: number }).n);

    // The raw program's state: its cards (as stored), the columns' last keys, a clock of its own.
    const byId: StatementSync = prepareArrays(raw, `SELECT data FROM ${quote(CARDS_TABLE)} WHERE id = ?`);
    const rawCards = new Map<string, RxDocumentData<Card>>();
    for (const id of account.world.writeBoardCardIds) {
      const row = byId.get(id) as unknown as [string] | undefined;
      if (!row) throw new Error(`the raw copy lacks card ${id}`);
      rawCards.set(id, JSON.parse(row[0]) as RxDocumentData<Card>);
    }
    const rawTails = new Map<string, string>();
    for (const doc of rawCards.values()) {
      const tail = rawTails.get(doc.columnId);
      if (tail === undefined || doc.position > tail) rawTails.set(doc.columnId, doc.position);
    }
    const rawClock = createClock({ nodeId: '00000000000000ff', now: Date.now });
    const revisionToken = randomToken(10);
    const actor: Actor = ctx.actor;
    const columnNames = new Map(account.world.writeBoard.columns.map((column) => [column.id, column.name]));

    const subjectColumnOf = new Map<string, string>();
    const rawColumnOf = new Map<string, string>();
    for (const doc of rawCards.values()) {
      subjectColumnOf.set(doc.id, doc.columnId);
      rawColumnOf.set(doc.id, doc.columnId);
    }
    let subjectMoves = 0;
    let rawMoves = 0;

    const rawMove = (cardId: string, toColumnId: string): number => {
      const doc = rawCards.get(cardId)!;
      const toPosition = generateJitteredKeyBetween(rawTails.get(toColumnId) ?? null, null);
      rawTails.set(toColumnId, toPosition);
      const nowMs = Date.now();
      const event = createEvent({
        action: 'card_moved',
        accountId: doc.accountId,
        eventableId: doc.id,
        boardId: doc.boardId,
        actor,
        deviceId: ctx.deviceId,
        hlc: rawClock.tick(),
        nowMs,
        particulars: {
          title: doc.title,
          from: { id: doc.columnId, name: columnNames.get(doc.columnId) ?? 'Unknown column' },
          to: { id: toColumnId, name: columnNames.get(toColumnId) ?? 'Unknown column' },
          fromPosition: doc.position,
          toPosition,
        },
      });
      let bytes = 0;
      raw.exec('BEGIN IMMEDIATE');
      bytes += eventRows.insert({ ...event, _deleted: false, _attachments: {}, _rev: `1-${revisionToken}`, _meta: { lwt: nowMs } }, ++rawSeq);
      raw.exec('COMMIT');
      const height = Number(doc._rev.slice(0, doc._rev.indexOf('-'))) + 1;
      const next: RxDocumentData<Card> = {
        ...doc,
        columnId: toColumnId,
        position: toPosition,
        lastEventHlc: event.hlc,
        lastEventId: event.id,
        updatedAt: event.createdAt,
        _rev: `${height}-${revisionToken}`,
        _meta: { lwt: nowMs },
      };
      raw.exec('BEGIN IMMEDIATE');
      bytes += cardRows.update(next, ++rawSeq);
      raw.exec('COMMIT');
      rawCards.set(cardId, next);
      return bytes;
    };

    // Stored sizes of the subject's writes, to show that both sides write documents of the same size.
    const storedBytes = async (cardId: string): Promise<number> => {
      const [doc] = await collections.cards.storageInstance.findDocumentsById([cardId], false);
      const newest = await collections.events.storageInstance.findDocumentsById([doc!.lastEventId], false);
      return JSON.stringify(doc).length + JSON.stringify(newest[0]).length;
    };

    let subjectBytes = 0;
    let rawBytes = 0;
    const results = await interleave<RoundResult>({
      rounds: options.rounds,
      warmupRounds: 1,
      contenders: [
        {
          name: 'subject',
          run: async (round) => {
            const count = round < 0 ? Math.ceil(options.movesPerRound / 4) : options.movesPerRound;
            const latencies: number[] = new Array(count);
            const begun = nowNs();
            for (let i = 0; i < count; i++) {
              const { cardId, toColumnId } = moveTarget(account, subjectColumnOf, subjectMoves++);
              const started = nowNs();
              const moved = await card.move(ctx, cardId, { toColumnId });
              latencies[i] = elapsedMs(started);
              subjectColumnOf.set(cardId, moved.columnId);
              // One user action per turn of the event loop, as the app gets them (deferred upkeep runs between).
              await nextTurn();
            }
            const totalMs = elapsedMs(begun);
            const last = moveTarget(account, subjectColumnOf, subjectMoves - 1).cardId;
            subjectBytes = await storedBytes(last);
            return { totalMs, latencies, bytes: subjectBytes };
          },
        },
        {
          name: 'raw',
          run: async (round) => {
            const count = round < 0 ? Math.ceil(options.movesPerRound / 4) : options.movesPerRound;
            const latencies: number[] = new Array(count);
            const begun = nowNs();
            for (let i = 0; i < count; i++) {
              const { cardId, toColumnId } = moveTarget(account, rawColumnOf, rawMoves++);
              const started = nowNs();
              rawBytes = rawMove(cardId, toColumnId);
              latencies[i] = elapsedMs(started);
              rawColumnOf.set(cardId, toColumnId);
              await nextTurn();
            }
            return { totalMs: elapsedMs(begun), latencies, bytes: rawBytes };
          },
        },
      ],
      onRound: (round, rounds) => {
        const text = [...rounds]
          .map(([name, r]) => `${name} ${((r.latencies.length / r.totalMs) * 1000).toFixed(0)}/s p50 ${percentile(r.latencies, 50).toFixed(3)} p99 ${percentile(r.latencies, 99).toFixed(3)} ms`)
          .join('; ');
        context.log(`writes round ${round + 1}: ${text}`);
      },
    });
    const subject = results.get('subject') ?? [];
    const reference = results.get('raw') ?? [];
    const throughput = (list: RoundResult[]): number => median(list.map((r) => (r.latencies.length / r.totalMs) * 1000));
    const p99 = (list: RoundResult[]): number => median(list.map((r) => percentile(r.latencies, 99)));
    const p50 = (list: RoundResult[]): number => median(list.map((r) => percentile(r.latencies, 50)));
    context.log(`writes: documents written per move: store ${subjectBytes} bytes of JSON, raw ${rawBytes} bytes`);
    const cards = account.world.writeBoardCardIds.length;
    context.record({
      metric: `card.move on a board of ${cards} cards: writes/s (vs raw node:sqlite, event + projection rows, 2 transactions)`,
      value: throughput(subject),
      unit: 'writes/s',
      reference: throughput(reference),
      target: atLeast(0.4),
    });
    context.record({
      metric: `card.move p99 latency (vs raw p99), median of ${options.rounds} rounds of ${options.movesPerRound}`,
      value: p99(subject),
      unit: 'ms',
      reference: p99(reference),
      target: atMost(2),
    });
    context.record({
      metric: 'card.move p50 latency (vs raw p50, for information)',
      value: p50(subject),
      unit: 'ms',
      reference: p50(reference),
    });
  } finally {
    raw.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(rawFile + suffix, { force: true });
  }
}

async function liveQueryLatency(context: BenchContext, account: BenchAccount, options: WriteOptions): Promise<void> {
  const { collections } = account.session.account;
  const { ctx } = account;
  const boardId = account.world.writeBoard.id;
  const columnOf = new Map<string, string>();
  for (const doc of await collections.cards.storageInstance.findDocumentsById([...account.world.writeBoardCardIds], false)) {
    columnOf.set(doc.id, doc.columnId);
  }
  // What a board view subscribes to: the board's cards in board order.
  const query = collections.cards.find({ selector: { boardId }, sort: [{ columnId: 'asc' }, { position: 'asc' }, { id: 'asc' }] });
  let waiting: { cardId: string; toColumnId: string; resolve: (at: bigint) => void } | undefined;
  let emissions = 0;
  const subscription = query.$.subscribe((docs) => {
    emissions++;
    if (!waiting) return;
    const moved = docs.find((doc) => doc.primary === waiting!.cardId);
    if (moved && moved.columnId === waiting.toColumnId) {
      const { resolve } = waiting;
      waiting = undefined;
      resolve(nowNs());
    }
  });
  try {
    await query.exec();
    const latencies: number[] = [];
    const verbLatencies: number[] = [];
    let emittedBeforeReturn = 0;
    const warmup = Math.min(50, Math.ceil(options.liveMoves / 5));
    for (let i = 0; i < warmup + options.liveMoves; i++) {
      const { cardId, toColumnId } = moveTarget(account, columnOf, i);
      const emitted = new Promise<bigint>((resolve) => (waiting = { cardId, toColumnId, resolve }));
      const started = nowNs();
      const moved = await card.move(ctx, cardId, { toColumnId });
      const returned = nowNs();
      const at = await emitted;
      columnOf.set(cardId, moved.columnId);
      if (i < warmup) continue;
      latencies.push(Number(at - started) / 1e6);
      verbLatencies.push(Number(returned - started) / 1e6);
      if (at <= returned) emittedBeforeReturn++;
      // Let timers and RxDB's deferred upkeep run between user actions.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    context.log(
      `live query: ${latencies.length} moves, verb call -> emission p50 ${p50.toFixed(3)} ms, p95 ${p95.toFixed(3)} ms, ` +
        `p99 ${percentile(latencies, 99).toFixed(3)} ms; verb call -> return p50 ${percentile(verbLatencies, 50).toFixed(3)} ms; ` +
        `${emittedBeforeReturn} emissions before the verb returned; ${emissions} emissions in all`,
    );
    const cards = account.world.writeBoardCardIds.length;
    context.record({
      metric: `write to live-query update (card.move -> cards.find({boardId}).$, ${cards} cards), p50; guard <= 1 ms`,
      value: p50,
      unit: 'ms',
    });
    context.record({ metric: 'write to live-query update, p95; guard <= 3 ms', value: p95, unit: 'ms' });
    context.log(`live query guards: p50 ${p50 <= 1 ? 'met' : 'MISSED'} (<= 1 ms), p95 ${p95 <= 3 ? 'met' : 'MISSED'} (<= 3 ms)`);
  } finally {
    subscription.unsubscribe();
  }
}
