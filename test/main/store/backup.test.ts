import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as card from '../../../src-main/domain/card';
import type { DomainContext } from '../../../src-main/domain/context';
import { accountDatabaseName } from '../../../src-main/store/account-files';
import * as backup from '../../../src-main/store/backup';
import { loadNodeSqlite } from '../../../src-main/store/sqlite-storage';
import { acquireDatabaseFile, releaseDatabaseFile } from '../../../src-main/store/sqlite-storage/data-folder';
import { openStore } from '../../../src-main/store/store';
import { createTestClock, openDomainFixture, seedBoard, type DomainFixture } from '../../support/domain-fixtures';
import { loopCount } from '../../support/long';
import { foldedProjections, readDatabaseFile, seedActivity, stateOf } from './safety-net-helpers';

const DAY_MS = 24 * 60 * 60 * 1000;

function failOnError(accountId: string, error: unknown): never {
  throw new Error(`daily snapshot of ${accountId} failed: ${error instanceof Error ? error.stack : String(error)}`);
}

let f: DomainFixture | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await f?.close();
  f = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

describe('backup on demand', () => {
  it('writes a consistent snapshot of the account file under backups/<accountId>/ that passes its integrity check', async () => {
    f = await openDomainFixture();
    await seedActivity(f.session.context(), f.clock);
    const accountId = f.session.account.accountId;
    const before = await stateOf(f.session);

    const taken = await backup.create(f.store, accountId);

    expect(taken.kind).toBe('manual');
    expect(taken.takenAt).toBe(f.clock.now());
    expect(taken.path).toBe(join(f.dir, 'backups', accountId, `${backup.fileStamp(f.clock.now())}-manual.sqlite`));
    expect(backup.list(f.store, accountId)).toEqual([taken]);
    expect(readdirSync(join(f.dir, 'backups', accountId))).toEqual([`${backup.fileStamp(f.clock.now())}-manual.sqlite`]);
    await f.store.closeAccount(accountId);
    const inside = await readDatabaseFile(taken.path, accountId);
    expect(inside.integrity).toEqual(['ok']);
    expect(inside.events).toEqual(before.events);
    expect(inside.projections).toEqual(before.projections);
  });

  it('names two snapshots taken in the same millisecond apart and lists them newest first', async () => {
    f = await openDomainFixture();
    const accountId = f.session.account.accountId;
    const first = await backup.create(f.store, accountId);
    const second = await backup.create(f.store, accountId);
    f.clock.advance(1);
    const third = await backup.create(f.store, accountId);

    expect(second.path).not.toBe(first.path);
    expect(backup.list(f.store, accountId).map((info) => info.path)).toEqual([third.path, second.path, first.path]);
  });

  it('answers not_found for an account that is not on this device', async () => {
    f = await openDomainFixture();
    await expect(backup.create(f.store, 'nobody-here')).rejects.toMatchObject({ code: 'not_found' });
    await expect(backup.restore(f.store, 'nobody-here', join(f.dir, 'x.sqlite'))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('takes a valid snapshot holding a prefix of the writes while another loop keeps writing', async () => {
    f = await openDomainFixture();
    const accountId = f.session.account.accountId;
    let ctx = f.session.context();
    const { board, columns } = await seedBoard(ctx, { columns: ['To do'] });
    const add = (n: number) => card.create(ctx, { boardId: board.id, columnId: columns[0]!.id, title: `write ${n}` });
    const rounds = loopCount(3, 20);
    let writesDuringBackups = 0;
    for (let round = 0; round < rounds; round++) {
      let acknowledged = 0;
      let isWriting = true;
      const writer = (async () => {
        while (isWriting && acknowledged < 5000) {
          await add(acknowledged);
          acknowledged++;
          // Commands arrive as separate tasks (IPC messages); the storage itself never yields.
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      while (acknowledged < 5 + round * 3) await new Promise((resolve) => setTimeout(resolve, 1));
      const atStart = acknowledged;
      // Sixteen pages per step: the writer runs between the steps, so writes land while the copy is under way.
      const taken = await backup.create(f.store, accountId, { pagesPerStep: 16 });
      const atEnd = acknowledged;
      writesDuringBackups += atEnd - atStart;
      isWriting = false;
      await writer;
      const total = acknowledged;

      await f.store.closeAccount(accountId);
      const inside = await readDatabaseFile(taken.path, accountId);
      expect(inside.integrity).toEqual(['ok']);
      const titles = inside.events.filter((e) => e.action === 'card_created').map((e) => e.particulars['title']);
      // A prefix of this round's writes (earlier rounds' cards are in it too, in order).
      const ofRound = titles.slice(titles.lastIndexOf('write 0'));
      expect(ofRound.length).toBeLessThanOrEqual(total);
      expect(ofRound.length).toBeGreaterThanOrEqual(atStart);
      expect(ofRound.length).toBeLessThanOrEqual(atEnd + 1);
      expect(ofRound).toEqual(Array.from({ length: ofRound.length }, (_, n) => `write ${n}`));
      // Its projector resumed from the checkpoint stored in it and caught up: projections are the fold of its log.
      expect(inside.projections).toEqual(foldedProjections(inside.events));
      // Start the next round on a reopened account.
      ctx = (await f.store.openAccount(accountId)).context();
    }
    console.log(`backup while writing: ${rounds} rounds, ${writesDuringBackups} writes acknowledged while a backup ran`);
  });
  it('starts again when a step of the online backup meets a write transaction in progress', async () => {
    f = await openDomainFixture();
    const accountId = f.session.account.accountId;
    // The storage's shared connection, held inside a write transaction across the start of the backup.
    const folder = f.dir;
    const file = acquireDatabaseFile(folder, accountDatabaseName(accountId));
    try {
      file.db.exec('BEGIN IMMEDIATE');
      file.db.prepare('INSERT INTO _trailboard_meta (key, value) VALUES (?, ?)').run('test:in-flight', 'committed later');
      const pending = backup.create(f.store, accountId);
      await new Promise((resolve) => setTimeout(resolve, 15));
      file.db.exec('COMMIT');
      const taken = await pending;

      const { DatabaseSync } = loadNodeSqlite();
      const copy = new DatabaseSync(taken.path, { readOnly: true });
      expect(copy.prepare("SELECT value FROM _trailboard_meta WHERE key = 'test:in-flight'").get()).toEqual({ value: 'committed later' });
      expect(copy.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
      copy.close();
    } finally {
      if (file.db.isTransaction) file.db.exec('ROLLBACK');
      releaseDatabaseFile(folder, file);
    }
  });
});

describe('daily backups', () => {
  it('takes one snapshot a day on a controllable clock and keeps the last 7 daily ones, never the manual ones', async () => {
    f = await openDomainFixture();
    const accountId = f.session.account.accountId;
    const manual = await backup.create(f.store, accountId);
    const daily = backup.scheduleDaily(f.store, { onError: failOnError, now: f.clock.now });

    const first = await daily.runDue();
    expect(first.map((info) => info.kind)).toEqual(['daily']);
    f.clock.advance(DAY_MS - 60_000);
    expect(await daily.runDue()).toEqual([]); // not a day yet
    const takenAt = [first[0]!.takenAt];
    for (let day = 1; day <= 10; day++) {
      f.clock.set(first[0]!.takenAt + day * DAY_MS);
      await card.create(f.session.context(), await aCard(f.session.context(), `day ${day}`));
      const taken = await daily.runDue();
      expect(taken).toHaveLength(1);
      takenAt.push(taken[0]!.takenAt);
      expect(await daily.runDue()).toEqual([]);
    }

    const listed = backup.list(f.store, accountId);
    const dailies = listed.filter((info) => info.kind === 'daily');
    expect(dailies.map((info) => info.takenAt)).toEqual(takenAt.slice(-7).reverse());
    expect(listed.filter((info) => info.kind === 'manual')).toEqual([manual]);
    expect(readdirSync(join(f.dir, 'backups', accountId))).toHaveLength(8);
  });

  it('runs on its own once started and stops when told', async () => {
    f = await openDomainFixture();
    const accountId = f.session.account.accountId;
    const daily = backup.scheduleDaily(f.store, { onError: failOnError, now: f.clock.now, checkEveryMs: 5 });
    daily.start();
    for (let i = 0; i < 2000 && backup.list(f.store, accountId).length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    await daily.stop();
    expect(backup.list(f.store, accountId).map((info) => info.kind)).toEqual(['daily']);
    f.clock.advance(3 * DAY_MS);
    await new Promise((r) => setTimeout(r, 50));
    expect(backup.list(f.store, accountId)).toHaveLength(1);
  });

  it('after the clock is set back, still takes a daily snapshot and rotates the newer-dated ones out', async () => {
    f = await openDomainFixture();
    const accountId = f.session.account.accountId;
    const start = f.clock.now();
    const daily = backup.scheduleDaily(f.store, { onError: failOnError, now: f.clock.now });
    for (let day = 0; day < 7; day++) {
      f.clock.set(start + day * DAY_MS);
      expect(await daily.runDue()).toHaveLength(1);
    }
    f.clock.set(start - 30 * DAY_MS); // a month back
    const afterSetBack = await daily.runDue();
    expect(afterSetBack).toHaveLength(1);
    expect(await daily.runDue()).toEqual([]);
    const kept = backup.list(f.store, accountId);
    expect(kept).toHaveLength(7);
    expect(kept.map((info) => info.path)).toContain(afterSetBack[0]!.path);
  });
});

async function aCard(ctx: DomainContext, title: string): Promise<Parameters<typeof card.create>[1]> {
  const boards = await ctx.account.collections.boards.find().exec();
  let boardId = boards[0]?.id;
  let columnId = (await ctx.account.collections.columns.find().exec())[0]?.id;
  if (!boardId || !columnId) {
    const seeded = await seedBoard(ctx, { columns: ['To do'] });
    boardId = seeded.board.id;
    columnId = seeded.columns[0]!.id;
  }
  return { boardId, columnId, title };
}

describe('restore', () => {
  it('brings back the state of the snapshot, keeps the replaced file, and the account keeps working', async () => {
    f = await openDomainFixture();
    const ctx = f.session.context();
    const accountId = f.session.account.accountId;
    await seedActivity(ctx, f.clock);
    const atSnapshot = await stateOf(f.session);
    const taken = await backup.create(f.store, accountId);
    // Later work the restore takes back.
    const later = await card.create(ctx, await aCard(ctx, 'After the snapshot'));
    await card.close(ctx, later.id);
    const beforeRestore = await stateOf(f.session);
    f.clock.advance(1000);

    const restored = await backup.restore(f.store, accountId, taken.path);

    expect(await stateOf(restored.session)).toEqual(atSnapshot);
    expect(restored.replacedPath).toBe(`${join(f.dir, `account-${accountId}.sqlite`)}.before-restore-${backup.fileStamp(f.clock.now())}`);
    // openAccount gives the restored session; new verbs work on it and fold like the log.
    expect(await f.store.openAccount(accountId)).toBe(restored.session);
    const after = restored.session.context();
    const again = await card.create(after, await aCard(after, 'After the restore'));
    await card.rename(after, again.id, 'After the restore, renamed');
    const now = await stateOf(restored.session);
    expect(now.events.slice(0, atSnapshot.events.length)).toEqual(atSnapshot.events);
    expect(now.events.map((e) => e.action).slice(atSnapshot.events.length)).toEqual(['card_created', 'card_renamed']);
    expect(now.projections).toEqual(foldedProjections(now.events));

    // Nothing is lost: the replaced file holds the work done after the snapshot.
    await f.store.closeAccount(accountId);
    const replaced = await readDatabaseFile(restored.replacedPath, accountId);
    expect(replaced.integrity).toEqual(['ok']);
    expect(replaced.events).toEqual(beforeRestore.events);
    expect(replaced.projections).toEqual(beforeRestore.projections);
  });

  it('refuses a damaged snapshot with invalid_input and leaves the account as it was', async () => {
    f = await openDomainFixture();
    const accountId = f.session.account.accountId;
    await seedActivity(f.session.context(), f.clock);
    const before = await stateOf(f.session);
    const taken = await backup.create(f.store, accountId);
    const bytes = readFileSync(taken.path);
    bytes.fill(0x5a, 4096 * 2, 4096 * 6); // scribble over pages 3 to 6
    const damaged = join(tempDir('tb-damaged-'), 'damaged.sqlite');
    writeFileSync(damaged, bytes);
    const notADatabase = join(tempDir('tb-damaged-'), 'notes.sqlite');
    writeFileSync(notADatabase, 'these are my notes, not a database '.repeat(200));

    await expect(backup.restore(f.store, accountId, damaged)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(backup.restore(f.store, accountId, notADatabase)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(backup.restore(f.store, accountId, join(f.dir, 'no-such.sqlite'))).rejects.toMatchObject({ code: 'not_found' });

    expect(await stateOf(await f.store.openAccount(accountId))).toEqual(before);
    expect(readdirSync(f.dir).filter((name) => name.includes('.restoring') || name.includes('.before-restore'))).toEqual([]);
  });

  it('refuses a snapshot of another account with invalid_input and puts the account back as it was', async () => {
    // The other account's snapshot, made first (RxDB allows one open account database at a time here).
    const otherDir = tempDir('tb-other-');
    const clock = createTestClock();
    const otherStore = await openStore({ dataDir: otherDir, now: clock.now });
    const other = await otherStore.ensureLocalAccount();
    const otherSnapshot = await backup.create(otherStore, other.account.accountId);
    await otherStore.close();

    f = await openDomainFixture({ clock });
    const accountId = f.session.account.accountId;
    await seedActivity(f.session.context(), f.clock);
    const before = await stateOf(f.session);

    await expect(backup.restore(f.store, accountId, otherSnapshot.path)).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('not a backup of this account') as string,
    });

    const session = await f.store.openAccount(accountId);
    expect(await stateOf(session)).toEqual(before);
    const ctx = session.context();
    await card.create(ctx, await aCard(ctx, 'Still works'));
  });
});
