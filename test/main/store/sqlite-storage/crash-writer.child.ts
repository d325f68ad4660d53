// Child process of crash.test.ts: writes to the `items` collection in a loop until it is killed with SIGKILL.
//
//   node crash-writer.child.mjs <dataFolder> <databaseName> <seed> <workFile>
//
// <workFile> is JSON { run: number, ids: string[] }: documents the parent knows of; the child reads their current
// state and updates, deletes and restores them besides inserting new ones.
// Protocol on stdout, one line each, written synchronously (a line is on the pipe before the next write starts):
//   R {"pid":…,"known":…}          opened, ready to write
//   A [[id, rev, v, isDeleted01],…] a bulkWrite RESOLVED: these exact versions are acknowledged
//   S <seq>                          after an A line: the sequence number of that write's checkpoint (change stream)
//   C                                about to call cleanup(0): deleted documents may vanish from now on
//   O                                about to close and reopen the storage instance (a kill may land in between)
//   E {…}                            a write failed unexpectedly (the child then exits with code 3)
import { readFileSync, writeSync } from 'node:fs';
import { randomToken, type BulkWriteRow, type RxDocumentData } from 'rxdb';
import { newItem, nextItem, openItems, randomInt, seededRandom, type DurableItem } from './durability-schema';

type Work = { run: number; ids: string[] };
export type CrashAck = [id: string, rev: string, v: string, isDeleted: 0 | 1];

/** New documents per run; afterwards inserts turn into updates, so the file grows at a bounded rate. */
const INSERT_BUDGET = 400;
const MAX_ROWS = 40;

/** Writes a whole line to stdout before returning (retrying if the pipe is momentarily full). */
function emit(line: string): void {
  let rest = Buffer.from(`${line}\n`);
  while (rest.length > 0) {
    try {
      rest = rest.subarray(writeSync(1, rest));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

async function main(): Promise<void> {
  const [folder, databaseName, seedText, workFile] = process.argv.slice(2);
  if (!folder || !databaseName || !seedText || !workFile) {
    throw new Error('usage: crash-writer.child.mjs <dataFolder> <databaseName> <seed> <workFile>');
  }
  const work = JSON.parse(readFileSync(workFile, 'utf8')) as Work;
  const random = seededRandom(Number(seedText));
  const token = randomToken(10);
  let instance = await openItems(folder, databaseName, token);
  // The checkpoint of the newest write, from the change stream (emitted before bulkWrite resolves).
  let lastSeq = 0;
  const followSeq = (): void => {
    instance.changeStream().subscribe((bulk) => {
      lastSeq = bulk.checkpoint.seq;
    });
  };
  followSeq();

  const docs = new Map<string, RxDocumentData<DurableItem>>();
  const ids: string[] = [];
  for (const doc of work.ids.length > 0 ? await instance.findDocumentsById(work.ids, true) : []) {
    docs.set(doc.id, doc);
    ids.push(doc.id);
  }
  emit(`R ${JSON.stringify({ pid: process.pid, known: docs.size })}`);

  let writeCount = 0;
  let inserted = 0;
  const nextV = (): string => `${work.run}.${writeCount}.${randomToken(4)}`;
  const body = (): string => {
    const roll = random();
    const length = roll < 0.05 ? randomInt(random, 3000, 9000) : roll < 0.3 ? 0 : randomInt(random, 1, 600);
    return 'x'.repeat(length);
  };

  /** Up to `count` distinct known documents matching `isWanted`, drawn at random. */
  const pickDocs = (count: number, isWanted: (doc: RxDocumentData<DurableItem>) => boolean, taken: Set<string>) => {
    const picked: RxDocumentData<DurableItem>[] = [];
    for (let attempt = 0; attempt < count * 4 && picked.length < count && ids.length > 0; attempt++) {
      const id = ids[Math.floor(random() * ids.length)]!;
      const doc = docs.get(id)!;
      if (!taken.has(id) && isWanted(doc)) {
        taken.add(id);
        picked.push(doc);
      }
    }
    return picked;
  };

  const inserts = (count: number, taken: Set<string>): BulkWriteRow<DurableItem>[] => {
    const rows: BulkWriteRow<DurableItem>[] = [];
    for (let i = 0; i < count && inserted < INSERT_BUDGET; i++) {
      const id = `r${work.run}-${inserted++}`;
      taken.add(id);
      rows.push({ document: newItem(token, id, nextV(), writeCount, body()) });
    }
    return rows;
  };
  const changes = (count: number, taken: Set<string>, to: 'update' | 'delete' | 'restore'): BulkWriteRow<DurableItem>[] =>
    pickDocs(count, (doc) => (to === 'restore' ? doc._deleted : !doc._deleted), taken).map((previous) => ({
      previous,
      document: nextItem(token, previous, nextV(), { isDeleted: to === 'delete', body: body() }),
    }));

  for (;;) {
    const taken = new Set<string>();
    const chore = random();
    if (chore < 0.01) {
      emit('C');
      await instance.cleanup(0);
      for (let i = ids.length - 1; i >= 0; i--) {
        if (docs.get(ids[i]!)!._deleted) {
          docs.delete(ids[i]!);
          ids.splice(i, 1);
        }
      }
    } else if (chore < 0.03) {
      emit('O');
      await instance.close();
      instance = await openItems(folder, databaseName, token);
      followSeq();
    }
    const roll = random();
    let rows: BulkWriteRow<DurableItem>[];
    if (roll < 0.25) rows = inserts(1, taken);
    else if (roll < 0.4) rows = inserts(randomInt(random, 2, MAX_ROWS), taken);
    else if (roll < 0.65) rows = changes(randomInt(random, 1, 15), taken, 'update');
    else if (roll < 0.75) rows = changes(randomInt(random, 1, 5), taken, 'delete');
    else if (roll < 0.82) rows = changes(randomInt(random, 1, 5), taken, 'restore');
    else {
      rows = [
        ...inserts(randomInt(random, 0, 10), taken),
        ...changes(randomInt(random, 0, 15), taken, 'update'),
        ...changes(randomInt(random, 0, 5), taken, 'delete'),
        ...changes(randomInt(random, 0, 5), taken, 'restore'),
      ];
    }
    if (rows.length === 0) rows = changes(1, taken, 'update');
    if (rows.length === 0) rows = changes(1, taken, 'restore');
    if (rows.length === 0) rows = inserts(1, taken);
    if (rows.length === 0) {
      // nothing left to insert or change (tiny budget): still keep writing one document
      const previous = docs.get(ids[0] ?? '');
      if (!previous) throw new Error('crash writer has nothing to write');
      rows = [{ previous, document: nextItem(token, previous, nextV()) }];
    }
    writeCount++;
    const response = await instance.bulkWrite(rows, 'crash-writer');
    if (response.error.length > 0) {
      emit(`E ${JSON.stringify(response.error.slice(0, 3).map((error) => ({ ...error, writeRow: undefined })))}`);
      process.exit(3);
    }
    const acks: CrashAck[] = [];
    for (const { document } of rows) {
      if (!docs.has(document.id)) ids.push(document.id);
      docs.set(document.id, document);
      acks.push([document.id, document._rev, document.v, document._deleted ? 1 : 0]);
    }
    emit(`A ${JSON.stringify(acks)}`);
    emit(`S ${lastSeq}`);
  }
}

main().catch((error: unknown) => {
  emit(`E ${JSON.stringify({ message: error instanceof Error ? (error.stack ?? error.message) : String(error) })}`);
  process.exit(3);
});
