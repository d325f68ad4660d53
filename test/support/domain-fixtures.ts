// A real store (SQLite files in a temp folder, the real projector) with a controllable clock, for domain tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredEvent } from '../../shared/events';
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

export async function openDomainFixture(options: { dir?: string; clock?: TestClock } = {}): Promise<DomainFixture> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'tb-domain-'));
  const clock = options.clock ?? createTestClock();
  const store = await openStore({ dataDir: dir, now: clock.now });
  const session = await store.ensureLocalAccount();
  return {
    dir,
    clock,
    store,
    session,
    async events() {
      const docs = await session.account.collections.events.find({ sort: [{ hlc: 'asc' }, { id: 'asc' }] }).exec();
      return docs.map((doc) => eventOf(doc.toMutableJSON(true)));
    },
    async close() {
      await store.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
