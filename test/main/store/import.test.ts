import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../shared/events';
import { newId } from '../../../shared/ids';
import * as card from '../../../src-main/domain/card';
import { exportEvents } from '../../../src-main/store/audit-export';
import { DEVICE_FILE_NAME } from '../../../src-main/store/device';
import { importAccount } from '../../../src-main/store/import';
import { openStore, type Store } from '../../../src-main/store/store';
import { addMember, createTestClock, openDomainFixture } from '../../support/domain-fixtures';
import { foldedProjections, seedActivity, stateOf, type Projections } from './safety-net-helpers';

const clock = createTestClock();
const dirs: string[] = [];
let store: Store | undefined;

/** The source account, exported once: its complete log and projections, and who is in it. */
let source: {
  dir: string;
  exportPath: string;
  accountId: string;
  events: StoredEvent[];
  projections: Projections;
  admin: { id: string; name: string };
  member: { id: string; name: string };
};

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

beforeAll(async () => {
  const fixture = await openDomainFixture({ dir: tempDir('tb-import-source-'), clock, newAccount: { name: 'Launch team', userName: 'Ann' } });
  try {
    const ctx = fixture.session.context();
    const member = await addMember(ctx, { id: newId(clock.now()), name: 'Bo' });
    await seedActivity(ctx, clock);
    // Bo works too: the log has two creators.
    const [todo] = await fixture.session.account.collections.columns.find().exec();
    const board = await fixture.session.account.collections.boards.findOne(todo!.boardId).exec();
    await card.create(fixture.session.context(member), { boardId: board!.id, columnId: todo!.id, title: 'Bo was here' });
    const exportPath = join(tempDir('tb-import-export-'), 'launch.jsonl');
    const accountId = fixture.session.account.accountId;
    await exportEvents(fixture.store, accountId, exportPath);
    const { events, projections } = await stateOf(fixture.session);
    source = { dir: fixture.dir, exportPath, accountId, events, projections, admin: fixture.session.user, member };
  } finally {
    await fixture.close();
  }
  return () => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  };
});

afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function freshStore(): Promise<Store> {
  store = await openStore({ dataDir: tempDir('tb-import-target-'), now: clock.now });
  return store;
}

function deviceUsers(dataDir: string): Record<string, unknown> {
  return (JSON.parse(readFileSync(join(dataDir, DEVICE_FILE_NAME), 'utf8')) as { users: Record<string, unknown> }).users;
}

/** The data folder holds no trace of an account: no file, no device user, no import leftovers. */
function expectNothingWritten(target: Store): void {
  expect(target.listAccountIds()).toEqual([]);
  expect(readdirSync(target.dataDir).filter((name) => name.startsWith('account-'))).toEqual([]);
  expect(deviceUsers(target.dataDir)).toEqual({});
  const imports = join(target.dataDir, 'imports');
  if (existsSync(imports)) expect(readdirSync(imports)).toEqual([]);
}

function exportLines(): string[] {
  return readFileSync(source.exportPath, 'utf8').split('\n').slice(0, -1);
}

function writeExport(lines: readonly string[]): string {
  const path = join(tempDir('tb-import-edited-'), 'edited.jsonl');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('import of a complete export', () => {
  it('imports the account on a device that lacks it, folding to the same projections as the source', async () => {
    const target = await freshStore();

    const result = await importAccount(target, source.exportPath, { batchSize: 7 });

    expect(result.accountId).toBe(source.accountId);
    expect(result.count).toBe(source.events.length);
    const imported = await stateOf(result.session);
    expect(imported.events).toEqual(source.events);
    expect(imported.projections).toEqual(source.projections);
    expect(imported.projections).toEqual(foldedProjections(imported.events));
    expect(target.listAccountIds()).toEqual([source.accountId]);
    expect(readdirSync(join(target.dataDir, 'imports'))).toEqual([]);
  });

  it('records the first admin as the local user by default, and the account works for them', async () => {
    const target = await freshStore();

    const result = await importAccount(target, source.exportPath);

    expect(result.user).toEqual(source.admin);
    expect(result.session.user).toEqual(source.admin);
    expect(deviceUsers(target.dataDir)).toEqual({ [source.accountId]: source.admin });
    const ctx = result.session.context();
    const [column] = await result.session.account.collections.columns.find().exec();
    const created = await card.create(ctx, { boardId: column!.boardId, columnId: column!.id, title: 'Made on the new device' });
    expect(created.createdBy).toEqual(source.admin);
    const after = await stateOf(result.session);
    expect(after.projections).toEqual(foldedProjections(after.events));
  });

  it('records the member the caller names as the local user', async () => {
    const target = await freshStore();

    const result = await importAccount(target, source.exportPath, { memberId: source.member.id });

    expect(result.session.user).toEqual(source.member);
    expect(deviceUsers(target.dataDir)).toEqual({ [source.accountId]: source.member });
  });

  it('refuses someone who is not a member with invalid_input and writes nothing', async () => {
    const target = await freshStore();
    await expect(importAccount(target, source.exportPath, { memberId: 'stranger' })).rejects.toMatchObject({ code: 'invalid_input' });
    expectNothingWritten(target);
  });

  it('refuses with conflict when the account is already on this device, leaving it untouched', async () => {
    const target = await openStore({ dataDir: source.dir, now: clock.now });
    store = target;

    await expect(importAccount(target, source.exportPath)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('already on this device') as string,
    });

    expect(await stateOf(await target.openAccount(source.accountId))).toEqual({ events: source.events, projections: source.projections });
  });

  it('refuses a corrupted line with invalid_input naming its line number, and writes nothing', async () => {
    const lines = exportLines();
    const broken = [...lines];
    const seventh = JSON.parse(broken[6]!) as StoredEvent;
    broken[6] = JSON.stringify({ ...seventh, particulars: { ...seventh.particulars, unexpected: true } });
    const truncated = [...lines];
    truncated[11] = truncated[11]!.slice(0, 40);
    const target = await freshStore();

    await expect(importAccount(target, writeExport(broken))).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('Line 7 ') as string,
      details: expect.objectContaining({ line: 7 }) as object,
    });
    await expect(importAccount(target, writeExport(truncated))).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('Line 12 ') as string,
    });
    expectNothingWritten(target);
  });

  it('refuses a repeated event, also in a later batch, naming its line and writing nothing', async () => {
    const lines = exportLines();
    const target = await freshStore();

    await expect(importAccount(target, writeExport([...lines, lines[3]!]), { batchSize: 5 })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining(`Line ${lines.length + 1} `) as string,
    });
    await expect(importAccount(target, writeExport([...lines.slice(0, 3), lines[2]!, ...lines.slice(3)]))).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('Line 4 ') as string,
    });
    expectNothingWritten(target);
  });

  it('refuses an export that does not begin with account_created, or mixes accounts, or is empty', async () => {
    const lines = exportLines();
    const target = await freshStore();
    const other = JSON.parse(lines[5]!) as StoredEvent;
    const foreign = JSON.stringify({ ...other, id: newId(clock.now()), accountId: 'another-account' });

    await expect(importAccount(target, writeExport(lines.slice(1)))).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('Line 1 ') as string,
    });
    await expect(importAccount(target, writeExport([...lines, foreign]))).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining(`Line ${lines.length + 1} `) as string,
    });
    const empty = join(tempDir('tb-import-empty-'), 'empty.jsonl');
    writeFileSync(empty, '');
    await expect(importAccount(target, empty)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(importAccount(target, join(target.dataDir, 'missing.jsonl'))).rejects.toMatchObject({ code: 'not_found' });
    expectNothingWritten(target);
  });

  it('keeps events of an action this app does not know, which the fold skips', async () => {
    const lines = exportLines();
    const last = JSON.parse(lines.at(-1)!) as StoredEvent;
    const fromNewerApp: StoredEvent = {
      ...last,
      id: newId(clock.now() + 60_000),
      hlc: `${String(clock.now() + 60_000).padStart(13, '0')}-0000-0123456789abcdef`,
      action: 'card_archived',
      particulars: { reason: 'a field this app has never seen' },
    };
    const target = await freshStore();

    const result = await importAccount(target, writeExport([...lines, JSON.stringify(fromNewerApp)]));

    const imported = await stateOf(result.session);
    expect(imported.events).toEqual([...source.events, fromNewerApp]);
    expect(imported.projections).toEqual(source.projections);
  });
});
