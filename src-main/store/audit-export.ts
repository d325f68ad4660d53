// The audit export (DESIGN.md, "Safety nets"): an account's events whose HLC time falls in [fromMs, toMs),
// as JSON Lines — one stored event per line, exactly as in the log (RxDB's document fields stripped), in
// (hlc, id) order. Read page by page through the [accountId, hlc, id] index and streamed to the file, so
// a log of any size is exported in bounded memory. Written as `<path>.partial` and renamed when complete:
// a file at `path` is always a whole export. With no range it is the account's complete log, from
// `account_created` on: what `import.ts` takes.
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { normalizeMangoQuery, prepareQuery, type MangoQuerySelector, type PreparedQuery, type RxDocumentData, type RxJsonSchema } from 'rxdb';
import { AppError } from '../../shared/errors';
import type { StoredEvent } from '../../shared/events';
import { hlcFloor } from '../../shared/hlc';
import { eventOf } from '../worker/projector';
import type { Store } from './store';

/** Epoch ms, both optional: `fromMs` included (default: the beginning), `toMs` excluded (default: no end). */
export type ExportRange = { fromMs?: number; toMs?: number };

export type ExportOptions = ExportRange & {
  /** Events read per query (default 1000). */
  pageSize?: number;
};

export type ExportResult = { readonly path: string; readonly count: number };

const PAGE = 1000;

/** Where a page starts: at `hlc`, after the `skip` events at exactly that hlc already written. */
type Cursor = { hlc: string; skip: number };

/**
 * The query for one page of the export: the account's events from the cursor to the end of the range, in
 * (hlc, id) order. Exported so tests can check that the [accountId, hlc, id] index serves it.
 */
export function exportPageQuery(
  schema: RxJsonSchema<RxDocumentData<StoredEvent>>,
  accountId: string,
  range: ExportRange,
  cursor: Cursor,
  limit: number = PAGE,
): PreparedQuery<StoredEvent> {
  const hlc: { $gte: string; $lt?: string } = { $gte: cursor.hlc };
  if (range.toMs !== undefined) hlc.$lt = hlcFloor(range.toMs);
  // `_deleted` leads every RxDB index: without it in the selector the planner cannot use [accountId, hlc, id]
  // and falls back to a full scan sorted in memory.
  const selector: MangoQuerySelector<RxDocumentData<StoredEvent>> = { _deleted: false, accountId, hlc };
  const query = normalizeMangoQuery<RxDocumentData<StoredEvent>>(schema, {
    selector,
    sort: [{ hlc: 'asc' }, { id: 'asc' }],
    skip: cursor.skip,
    limit,
  });
  return prepareQuery(schema, query);
}

/** Writes the account's events in `range` to `path` as JSON Lines; resolves with how many were written. */
export async function exportEvents(store: Store, accountId: string, path: string, range: ExportOptions = {}): Promise<ExportResult> {
  checkRange(range);
  const pageSize = Math.max(1, range.pageSize ?? PAGE);
  const session = await store.openAccount(accountId);
  const events = session.account.collections.events;
  const schema = events.schema.jsonSchema;
  const partial = `${path}.partial`;
  const out = createWriteStream(partial, { flush: true });
  let count = 0;
  try {
    let cursor: Cursor = { hlc: hlcFloor(range.fromMs ?? 0), skip: 0 };
    for (;;) {
      const page = await events.storageInstance.query(exportPageQuery(schema, accountId, range, cursor, pageSize));
      if (page.documents.length === 0) break;
      let chunk = '';
      for (const doc of page.documents) {
        chunk += `${JSON.stringify(eventOf(doc))}\n`;
        cursor = doc.hlc === cursor.hlc ? { hlc: cursor.hlc, skip: cursor.skip + 1 } : { hlc: doc.hlc, skip: 1 };
      }
      count += page.documents.length;
      if (!out.write(chunk)) await once(out, 'drain');
      if (page.documents.length < pageSize) break;
    }
    out.end();
    await finished(out);
    renameSync(partial, path);
  } catch (error) {
    out.destroy();
    rmSync(partial, { force: true });
    throw error;
  }
  return { path, count };
}

function checkRange(range: ExportRange): void {
  for (const [name, value] of [
    ['fromMs', range.fromMs],
    ['toMs', range.toMs],
  ] as const) {
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
      throw new AppError('invalid_input', `The export range's ${name} must be a time in epoch milliseconds.`);
    }
  }
  if (range.fromMs !== undefined && range.toMs !== undefined && range.fromMs > range.toMs) {
    throw new AppError('invalid_input', 'The export range ends before it starts.');
  }
}
