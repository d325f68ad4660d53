// A real store (SQLite files in a temp folder, the real projector) with a controllable clock, for domain tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { isAppError, type AppError, type ErrorCode } from '../../shared/errors';
import type { Actor, Role, StoredEvent } from '../../shared/events';
import type { Board, Card, Column, Comment } from '../../shared/model';
import * as board from '../../src-main/domain/board';
import * as card from '../../src-main/domain/card';
import * as column from '../../src-main/domain/column';
import * as comment from '../../src-main/domain/comment';
import { commit, type DomainContext } from '../../src-main/domain/context';
import type { AccountSession, Store } from '../../src-main/store/store';
import { openStore } from '../../src-main/store/store';
import { eventOf } from '../../src-main/worker/projector';

export type TestClock = { now: () => number; advance: (ms: number) => void; set: (ms: number) => void };

export function createTestClock(startMs = Date.UTC(2026, 10, 26, 9, 0, 0)): TestClock {
  let current = startMs;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (ms) => {
      current = ms;
    },
  };
}

export type DomainFixture = {
  readonly dir: string;
  readonly clock: TestClock;
  readonly store: Store;
  readonly session: AccountSession;
  /** Every event of the session's account, oldest first. */
  events(): Promise<StoredEvent[]>;
  close(): Promise<void>;
};

export type DomainFixtureOptions = {
  dir?: string;
  clock?: TestClock;
  /** Create this new account (instead of the first-run local account, or the folder's first one). */
  newAccount?: { name: string; userName: string };
};

export async function openDomainFixture(options: DomainFixtureOptions = {}): Promise<DomainFixture> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'tb-domain-'));
  const clock = options.clock ?? createTestClock();
  const store = await openStore({ dataDir: dir, now: clock.now });
  const session = options.newAccount
    ? (await store.createAccount(options.newAccount)).session
    : await store.ensureLocalAccount();
  return {
    dir,
    clock,
    store,
    session,
    events: () => eventsOf(session),
    async close() {
      await store.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Fixtures that tests close and reopen on the same folder: `open` tracks each fixture, `closeKeepingFolder`
 * closes one's store but keeps its folder for a reopen. After each test every open fixture is closed and every
 * kept folder removed (registers an `afterEach`: call at a test file's top level).
 */
export function reopenableFixtures(): {
  open: (options?: { dir?: string; clock?: TestClock }) => Promise<DomainFixture>;
  closeKeepingFolder: (fixture: DomainFixture) => Promise<string>;
} {
  const fixtures: DomainFixture[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const fixture of fixtures.splice(0)) await fixture.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    async open(options = {}) {
      const fixture = await openDomainFixture(options);
      fixtures.push(fixture);
      return fixture;
    },
    async closeKeepingFolder(fixture) {
      fixtures.splice(fixtures.indexOf(fixture), 1);
      await fixture.store.close();
      dirs.push(fixture.dir);
      return fixture.dir;
    },
  };
}

// --- Helpers for verb tests: the events a call appended, refusals that append nothing, seed data. ---

/** Runs `act` and asserts it appended exactly one event to the fixture's account; returns both. */
export async function expectOneEvent<T>(
  fixture: Pick<DomainFixture, 'events'>,
  act: () => Promise<T>,
): Promise<{ result: T; event: StoredEvent }> {
  const before = new Set((await fixture.events()).map((e) => e.id));
  const result = await act();
  const added = (await fixture.events()).filter((e) => !before.has(e.id));
  expect(added.map((e) => e.action)).toHaveLength(1);
  return { result, event: added[0]! };
}

/** Asserts `act` is refused with `code` and appended no event to the fixture's account. */
export async function expectRefused(
  fixture: Pick<DomainFixture, 'events'>,
  act: () => Promise<unknown>,
  code: ErrorCode,
): Promise<AppError> {
  const before = (await fixture.events()).map((e) => e.id);
  let caught: unknown;
  try {
    await act();
  } catch (error) {
    caught = error;
  }
  if (!isAppError(caught)) throw new Error(`expected an AppError ${code}, got ${String(caught)}`, { cause: caught });
  expect(caught.code, caught.message).toBe(code);
  expect((await fixture.events()).map((e) => e.id)).toEqual(before);
  return caught;
}

/** A board with columns named `columns` (in that order), created through the verbs. */
export async function seedBoard(
  ctx: DomainContext,
  input: { name?: string; columns?: readonly string[] } = {},
): Promise<{ board: Board; columns: Column[] }> {
  const created = await board.create(ctx, { name: input.name ?? 'Launch' });
  const columns: Column[] = [];
  for (const name of input.columns ?? ['To do', 'Doing', 'Done']) {
    columns.push(await column.create(ctx, { boardId: created.id, name }));
  }
  return { board: created, columns };
}

/** Adds a person to the account by recording `member_joined` (as the member verbs of a later issue will). */
export async function addMember(
  adminCtx: DomainContext,
  member: { id: string; name: string; role?: Role },
): Promise<Actor> {
  await commit(adminCtx, {
    action: 'member_joined',
    eventableId: adminCtx.account.accountId,
    particulars: { member: { id: member.id, name: member.name }, role: member.role ?? 'member' },
  });
  return { id: member.id, name: member.name };
}

/** Every event of an account session, oldest first (like `fixture.events()` for a second account). */
export async function eventsOf(session: Pick<AccountSession, 'account'>): Promise<StoredEvent[]> {
  const docs = await session.account.collections.events.find({ sort: [{ hlc: 'asc' }, { id: 'asc' }] }).exec();
  return docs.map((doc) => eventOf(doc.toMutableJSON(true)));
}

// --- Two accounts in one data folder (two databases, one process). ---
//
// RxDB's open-source build keeps at most 13 collections open per JS realm (it throws COL23 beyond that, after
// waiting ~2 s) and an account database has 8, so two accounts cannot be open at the same time in one realm.
// (The app opens each account in a worker thread of its own: test/main/core/accounts.test.ts and
// account-thread.test.ts hold two open at once.) These helpers, in the test's one realm, open them one after
// the other: account B is created and seeded through its own store, closed, then the fixture creates account
// A in the same folder; B is read back at the end.

/** Account B, as it was left: ids and entities to use from account A, and its event ids. */
export type OtherAccount = {
  accountId: string;
  user: Actor;
  board: Board;
  column: Column;
  card: Card;
  comment: Comment;
  eventIds: string[];
};

/** Creates account B in `dir` with a board, a column, a card (tagged, assigned, due) and a comment; closes it. */
export async function seedOtherAccount(dir: string, clock: TestClock): Promise<OtherAccount> {
  const store = await openStore({ dataDir: dir, now: clock.now });
  try {
    const { session } = await store.createAccount({ name: 'Elsewhere Ltd', userName: 'Bea' });
    const ctx = session.context();
    const { board: theirBoard, columns } = await seedBoard(ctx, { name: 'Their board', columns: ['Their column'] });
    const theirColumn = columns[0]!;
    const created = await card.create(ctx, { boardId: theirBoard.id, columnId: theirColumn.id, title: 'Their card' });
    await card.tag(ctx, created.id, 'theirs');
    await card.assign(ctx, created.id, session.user.id);
    const theirCard = await card.setDueDate(ctx, created.id, '2026-12-24');
    const theirComment = await comment.create(ctx, { cardId: theirCard.id, body: 'Their comment' });
    return {
      accountId: session.account.accountId,
      user: session.user,
      board: theirBoard,
      column: theirColumn,
      card: theirCard,
      comment: theirComment,
      eventIds: (await eventsOf(session)).map((e) => e.id),
    };
  } finally {
    await store.close();
  }
}

/** Opens `accountId` in `dir` through a store of its own, runs `read`, and closes the store again. */
export async function readAccount<T>(
  dir: string,
  clock: TestClock,
  accountId: string,
  read: (session: AccountSession) => Promise<T>,
): Promise<T> {
  const store = await openStore({ dataDir: dir, now: clock.now });
  try {
    return await read(await store.openAccount(accountId));
  } finally {
    await store.close();
  }
}

/**
 * Account B seeded in a temp folder, then a fixture creating account A in the same folder; runs `body` with
 * both and afterwards checks that B's log is exactly what it was (nothing done in A reached it).
 */
export async function withTwoAccounts(body: (fixture: DomainFixture, other: OtherAccount) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tb-domain-two-'));
  try {
    const clock = createTestClock();
    const other = await seedOtherAccount(dir, clock);
    const fixture = await openDomainFixture({ dir, clock, newAccount: { name: 'Home', userName: 'Ann' } });
    try {
      await body(fixture, other);
    } finally {
      await fixture.close();
    }
    const after = await readAccount(dir, clock, other.accountId, async (session) => (await eventsOf(session)).map((e) => e.id));
    expect(after).toEqual(other.eventIds);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
