import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEvent, type StoredEvent } from '../../../shared/events';
import { formatHlc, hlcWallMs } from '../../../shared/hlc';
import { newId } from '../../../shared/ids';
import * as card from '../../../src-main/domain/card';
import { exportEvents, exportPageQuery } from '../../../src-main/store/audit-export';
import { openDomainFixture, seedBoard, type DomainFixture } from '../../support/domain-fixtures';
import { seedActivity } from './safety-net-helpers';

let f: DomainFixture;
let out: string;

beforeEach(async () => {
  f = await openDomainFixture();
  out = mkdtempSync(join(tmpdir(), 'tb-export-'));
});
afterEach(async () => {
  await f.close();
  rmSync(out, { recursive: true, force: true });
});

function readLines(path: string): StoredEvent[] {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as StoredEvent);
}

describe('audit export', () => {
  it('writes exactly the events of a time range, oldest first, one parseable stored event per line', async () => {
    await seedActivity(f.session.context(), f.clock);
    const all = await f.events();
    expect(all.length).toBeGreaterThan(20);
    // A range starting and ending between events, cutting the log in three.
    const fromMs = hlcWallMs(all[5]!.hlc)!;
    const toMs = hlcWallMs(all[all.length - 4]!.hlc)!;
    const expected = all.filter((e) => hlcWallMs(e.hlc)! >= fromMs && hlcWallMs(e.hlc)! < toMs);
    expect(expected.length).toBeGreaterThan(5);
    expect(expected.length).toBeLessThan(all.length - 5);

    const path = join(out, 'range.jsonl');
    const result = await exportEvents(f.store, f.session.account.accountId, path, { fromMs, toMs });

    expect(result).toEqual({ path, count: expected.length });
    const lines = readLines(path);
    expect(lines).toEqual(expected);
    for (const line of lines) expect(Object.keys(line).some((key) => key.startsWith('_'))).toBe(false);
    expect(existsSync(`${path}.partial`)).toBe(false);
  });

  it('writes the whole log from account_created on when no range is given, across many pages', async () => {
    await seedActivity(f.session.context(), f.clock);
    const all = await f.events();
    const path = join(out, 'all.jsonl');

    const result = await exportEvents(f.store, f.session.account.accountId, path, { pageSize: 4 });

    expect(result.count).toBe(all.length);
    expect(readLines(path)).toEqual(all);
    expect(readLines(path)[0]!.action).toBe('account_created');
  });

  it('writes each of several events sharing one hlc exactly once, also across page boundaries', async () => {
    const ctx = f.session.context();
    const { board, columns } = await seedBoard(ctx, { columns: ['To do'] });
    const target = await card.create(ctx, { boardId: board.id, columnId: columns[0]!.id, title: 'Tie' });
    // Events from another device that all carry the same hlc (only the id breaks the tie).
    const hlc = formatHlc({ wallMs: f.clock.now() + 1000, counter: 7, nodeId: 'abcdefabcdef0123' });
    const ties = Array.from({ length: 7 }, (_, i) =>
      createEvent({
        action: 'card_tagged',
        accountId: f.session.account.accountId,
        eventableId: target.id,
        boardId: board.id,
        actor: f.session.user,
        deviceId: 'other-device',
        hlc,
        nowMs: f.clock.now() + i,
        id: newId(f.clock.now() + i),
        particulars: { title: target.title, tag: `tie-${i}` },
      }),
    );
    const documents = ties.map((event) => ({ document: { ...event, _deleted: false, _attachments: {}, _rev: '', _meta: { lwt: 0 } } }));
    const written = await f.session.account.collections.events.storageInstance.bulkWrite(documents, 'test');
    expect(written.error).toEqual([]);
    await f.session.projector.idle();
    const all = await f.events();

    for (const pageSize of [1, 2, 3, 5, 1000]) {
      const path = join(out, `ties-${pageSize}.jsonl`);
      await exportEvents(f.store, f.session.account.accountId, path, { pageSize });
      expect(readLines(path).map((e) => e.id), `page size ${pageSize}`).toEqual(all.map((e) => e.id));
    }
  });

  it('reads through the [accountId, hlc, id] index, which decides the order and the range', () => {
    const schema = f.session.account.collections.events.schema.jsonSchema;
    const prepared = exportPageQuery(schema, f.session.account.accountId, { toMs: 2_000_000_000_000 }, { hlc: '0', skip: 0 });
    const plan = prepared.queryPlan;
    expect(plan.index.filter((field) => field !== '_deleted')).toEqual(['accountId', 'hlc', 'id']);
    expect(plan.sortSatisfiedByIndex).toBe(true);
    expect(plan.selectorSatisfiedByIndex).toBe(true);
  });

  it('refuses a range that ends before it starts, or is not a time, with invalid_input and no file', async () => {
    const path = join(out, 'bad.jsonl');
    const accountId = f.session.account.accountId;
    await expect(exportEvents(f.store, accountId, path, { fromMs: 2000, toMs: 1000 })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(exportEvents(f.store, accountId, path, { fromMs: Number.NaN })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(existsSync(path)).toBe(false);
  });

  it('answers not_found for an account that is not on this device', async () => {
    await expect(exportEvents(f.store, 'no-such-account', join(out, 'x.jsonl'))).rejects.toMatchObject({ code: 'not_found' });
  });
});
