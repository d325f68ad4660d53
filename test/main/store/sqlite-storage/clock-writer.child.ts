// Child process of clock.test.ts: one run of the app writing to the `items` collection.
//
//   node [--import clock-shift.child.mjs] clock-writer.child.mjs <dataFolder> <databaseName> first|second <count>
//
// first:  inserts first-0 … first-<count-1> in small bulks, then reads the change feed to its end.
// second: inserts second-0 … second-<count-1>, updates every other first-* document and deletes first-1, in small
//         bulks, while a change-stream consumer records every event bulk.
// Prints one line `REPORT {"now", "written": [[id, rev, lwt]…], "checkpoint"?, "bulks"?: [{checkpoint, events}]}`.
import { randomToken, type BulkWriteRow, type RxDocumentData } from 'rxdb';
import { newItem, nextItem, openItems, type DurableItem } from './durability-schema';

type Written = [id: string, rev: string, lwt: number];

const [folder, databaseName, phase, countText] = process.argv.slice(2);
if (!folder || !databaseName || (phase !== 'first' && phase !== 'second') || !countText) {
  throw new Error('usage: clock-writer.child.mjs <dataFolder> <databaseName> first|second <count>');
}
const count = Number(countText);
const token = randomToken(10);
const instance = await openItems(folder, databaseName, token);
const written: Written[] = [];
const bulks: { checkpoint: unknown; events: [string, string][] }[] = [];
const subscription = instance.changeStream().subscribe((bulk) => {
  bulks.push({ checkpoint: bulk.checkpoint, events: bulk.events.map((event) => [event.documentId, event.documentData._rev]) });
});

async function write(rows: BulkWriteRow<DurableItem>[]): Promise<void> {
  const response = await instance.bulkWrite(rows, `clock-${phase}`);
  if (response.error.length > 0) throw new Error(`write failed: ${JSON.stringify(response.error[0])}`);
  for (const { document } of rows) written.push([document.id, document._rev, document._meta.lwt]);
}

const rows: BulkWriteRow<DurableItem>[] = [];
if (phase === 'first') {
  for (let i = 0; i < count; i++) rows.push({ document: newItem(token, `first-${i}`, `first.${i}`, i) });
} else {
  const previous = new Map<string, RxDocumentData<DurableItem>>();
  const firstIds = Array.from({ length: count }, (_, i) => `first-${i}`);
  for (const doc of await instance.findDocumentsById(firstIds, true)) previous.set(doc.id, doc);
  for (let i = 0; i < count; i++) {
    rows.push({ document: newItem(token, `second-${i}`, `second.${i}`, i) });
    const old = previous.get(`first-${i}`);
    if (old && i % 2 === 0) rows.push({ previous: old, document: nextItem(token, old, `second.update.${i}`) });
    if (old && i === 1) rows.push({ previous: old, document: nextItem(token, old, 'second.delete', { isDeleted: true }) });
  }
}
// Bulks of 1, 2 and 3 rows in turn.
for (let start = 0, size = 1; start < rows.length; start += size, size = (size % 3) + 1) {
  await write(rows.slice(start, start + size));
}

let checkpoint: unknown;
if (phase === 'first') {
  for (;;) {
    const page = await instance.getChangedDocumentsSince!(7, checkpoint as never);
    if (page.documents.length === 0) break;
    checkpoint = page.checkpoint;
  }
}
await new Promise((resolve) => setTimeout(resolve, 20));
subscription.unsubscribe();
await instance.close();
process.stdout.write(`REPORT ${JSON.stringify({ now: Date.now(), written, checkpoint, bulks })}\n`);
