/**
 * Benchmark child: in this fresh process, opens a data folder's `scale` database with the storage under test,
 * then reads the newest page of events the way a timeline would (no selector, newest first). Prints one JSON line:
 * RSS (after a forced gc) before opening, after opening and after the page; the times to open and to read the
 * page; the page's length. Run with `node --expose-gc`.
 */
import { createRxDatabase } from 'rxdb';
import { EVENTS_COLLECTION, eventsSchema } from './events';
import { subjectStorage } from './subject';

const [folder, databaseName] = process.argv.slice(2);
if (!folder || !databaseName) {
  console.error('usage: open-rss.child.mjs <data folder> <database name>');
  process.exit(2);
}

function rssAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage().rss;
}

function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const rssBeforeOpen = rssAfterGc();
let start = process.hrtime.bigint();
const database = await createRxDatabase({ name: databaseName, storage: subjectStorage(folder), multiInstance: false });
const { events } = await database.addCollections({ [EVENTS_COLLECTION]: { schema: eventsSchema } });
const openMs = msSince(start);
const rssAfterOpen = rssAfterGc();
start = process.hrtime.bigint();
const page = await events!.find({ selector: {}, sort: [{ hlc: 'desc' }, { id: 'desc' }], limit: 100 }).exec();
const pageMs = msSince(start);
const rssAfterPage = rssAfterGc();
console.log(JSON.stringify({ rssBeforeOpen, rssAfterOpen, rssAfterPage, openMs, pageMs, pageLength: page.length }));
await database.close();
