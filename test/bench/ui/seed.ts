/**
 * The data folder the ui benchmarks open: boards of 100, 1,000 and 5,000 cards, written before the web host starts
 * by a store opened in this process (`openStore`) and the API's own `dispatch` (the same handlers the core thread
 * runs, inputs parsed, one event per verb). About a third of the cards carry tags, a quarter are assigned to the
 * local user and a fifth have a due date, so the tiles draw what a real board's do. The store is closed (and the
 * folder's lock released) before this returns.
 */
import type { CommandName, InputOf, OutputOf } from '../../../shared/api';
import { dispatch, type Core } from '../../../src-main/api/handlers';
import { openStore } from '../../../src-main/store/store';
import { elapsedMs, nowNs, seededRandom } from '../lib/measure';
import { median } from '../lib/stats';

export type SeedBoardPlan = { readonly name: string; readonly columns: number; readonly cards: number };

export type SeededBoard = {
  readonly id: string;
  readonly name: string;
  readonly cards: number;
  readonly columnIds: readonly string[];
};

export type SeedResult = {
  readonly boards: readonly SeededBoard[];
  /** Verbs dispatched (boards, columns, cards and their tags, assignees and due dates). */
  readonly verbs: number;
  readonly seedMs: number;
  /** `board.get` of each board by `dispatch` in this process (the core's query without any transport), median ms. */
  readonly queryMs: ReadonlyMap<string, number>;
};

const TAGS = ['bug', 'design', 'backend', 'frontend', 'research', 'customer', 'urgent', 'docs'];
const WORDS = ['Fix', 'Review', 'Ship', 'Draft', 'Plan', 'Test', 'Refactor', 'Measure', 'Polish', 'Document'];
const THINGS = ['login flow', 'billing page', 'sync engine', 'onboarding', 'search', 'export', 'settings', 'audit log'];

export async function seedBoards(options: {
  readonly dataDir: string;
  readonly boards: readonly SeedBoardPlan[];
  readonly queryRounds: number;
  readonly log: (message: string) => void;
}): Promise<SeedResult> {
  const begun = nowNs();
  const store = await openStore({ dataDir: options.dataDir });
  try {
    const session = await store.ensureLocalAccount();
    const core: Core = { store, accountId: session.account.accountId };
    const me = session.user.id;
    let verbs = 0;
    async function call<C extends CommandName>(command: C, input: InputOf<C>): Promise<OutputOf<C>> {
      verbs++;
      const result = await dispatch(core, command, input);
      if (!result.ok) throw new Error(`${command} failed while seeding: ${result.error.code}: ${result.error.message}`);
      // dispatch answers the contract's output for the command.
      return result.value as OutputOf<C>;
    }

    const random = seededRandom(4);
    const pick = (items: readonly string[]): string => items[Math.floor(random() * items.length)] ?? '';
    const boards: SeededBoard[] = [];
    for (const plan of options.boards) {
      const board = await call('board.create', { name: plan.name });
      const columnIds: string[] = [];
      for (let c = 0; c < plan.columns; c++) {
        const column = await call('column.create', { boardId: board.id, name: ['Backlog', 'To do', 'Doing', 'Review', 'Done'][c] ?? `Column ${c + 1}` });
        columnIds.push(column.id);
      }
      for (let i = 0; i < plan.cards; i++) {
        const columnId = columnIds[i % columnIds.length] ?? '';
        const card = await call('card.create', { boardId: board.id, columnId, title: `${pick(WORDS)} the ${pick(THINGS)} (#${i + 1})` });
        if (i % 3 === 0) await call('card.tag', { cardId: card.id, tag: pick(TAGS) });
        if (i % 9 === 0) await call('card.tag', { cardId: card.id, tag: 'later' });
        if (i % 4 === 0) await call('card.assign', { cardId: card.id, userId: me });
        if (i % 5 === 0) {
          const day = String(1 + (i % 28)).padStart(2, '0');
          await call('card.setDueDate', { cardId: card.id, dueDate: `2030-0${1 + (i % 9)}-${day}` });
        }
        if ((i + 1) % 1000 === 0) options.log(`seed: ${plan.name}: ${i + 1} cards (${verbs} verbs, ${(elapsedMs(begun) / 1000).toFixed(1)} s)`);
      }
      boards.push({ id: board.id, name: plan.name, cards: plan.cards, columnIds });
    }

    const queryMs = new Map<string, number>();
    for (const board of boards) {
      const samples: number[] = [];
      for (let round = 0; round < options.queryRounds; round++) {
        const start = nowNs();
        await call('board.get', { boardId: board.id });
        samples.push(elapsedMs(start));
      }
      queryMs.set(board.id, median(samples));
    }
    return { boards, verbs, seedMs: elapsedMs(begun), queryMs };
  } finally {
    await store.close();
  }
}

/** Opens the data folder and its account as the core does at start (`openStore`, `ensureLocalAccount`), timed, then closes it. */
export async function timeStoreOpen(dataDir: string): Promise<number> {
  const begun = nowNs();
  const store = await openStore({ dataDir });
  try {
    await store.ensureLocalAccount();
    return elapsedMs(begun);
  } finally {
    await store.close();
  }
}
