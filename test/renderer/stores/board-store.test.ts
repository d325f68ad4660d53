// The board store: where a card dropped at an index goes, in the terms `card.move` takes (after one card,
// before one, or at the end of an empty column); card moves shown at once, reconciled with the core's
// answer, and put back when refused.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CommandName, InputOf, OutputOf, Result } from '../../../shared/api';
import type { Card } from '../../../shared/model/entities';
import { dispatch, type Core } from '../../../src-main/api/handlers';
import { useAccountStore } from '../../../src-renderer/stores/account-store';
import { placementAt, useBoardStore } from '../../../src-renderer/stores/board-store';
import { openDomainFixture, type DomainFixture } from '../../support/domain-fixtures';

const siblings = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];

describe('placementAt', () => {
  it('places before the first card at index 0', () => {
    expect(placementAt(siblings, 0)).toEqual({ beforeCardId: 'a' });
  });

  it('places after the card before the index in the middle', () => {
    expect(placementAt(siblings, 1)).toEqual({ afterCardId: 'a' });
    expect(placementAt(siblings, 2)).toEqual({ afterCardId: 'b' });
  });

  it('places after the last card at or past the end, and nowhere in particular in an empty column', () => {
    expect(placementAt(siblings, 3)).toEqual({ afterCardId: 'c' });
    expect(placementAt(siblings, 10)).toEqual({ afterCardId: 'c' });
    expect(placementAt([], 0)).toEqual({});
  });
});

// --- The store against the real core --------------------------------------------------------------------
// The page's bridge played by the core's own `dispatch` on a real data folder (the same handlers the core
// thread runs); card moves can be held before the core sees them, to look at the board in the meantime.

type Held = { release: () => void };
const calls: string[] = [];
const heldMoves: Held[] = [];
let isHoldingMoves = false;
let core: Core | undefined;

Reflect.set(globalThis, 'trailboard', {
  async call(command: string, input: unknown): Promise<Result<unknown>> {
    if (!core) throw new Error('no core yet');
    calls.push(command);
    if (command === 'card.move' && isHoldingMoves) await new Promise<void>((release) => heldMoves.push({ release }));
    return dispatch(core, command, input);
  },
  on: (topic: string, listener: (payload: unknown) => void) => {
    const entry = { topic, listener };
    listeners.add(entry);
    return () => listeners.delete(entry);
  },
});

/** The pushes the store follows, to play the core's. */
const listeners = new Set<{ topic: string; listener: (payload: unknown) => void }>();
function push(topic: string, payload: unknown): void {
  for (const entry of [...listeners]) if (entry.topic === topic) entry.listener(payload);
}

async function call<C extends CommandName>(command: C, input: InputOf<C>): Promise<OutputOf<C>> {
  if (!core) throw new Error('no core yet');
  const result = await dispatch(core, command, input);
  if (!result.ok) throw new Error(`${command}: ${result.error.message}`);
  // dispatch answers the contract's output for the command.
  return result.value as OutputOf<C>;
}

/** Column by column, the titles the store shows. */
function shownTitles(): string[][] {
  return (useBoardStore.getState().view?.columns ?? []).map((column) => column.cards.map((card) => card.title));
}

describe('the board store against the core', () => {
  let fixture: DomainFixture;
  let columns: { todo: string; doing: string; spare: string };
  let cards: Card[];

  beforeAll(async () => {
    fixture = await openDomainFixture();
    core = { store: fixture.store, accountId: fixture.session.account.accountId };
    const board = await call('board.create', { name: 'Moves' });
    const todo = await call('column.create', { boardId: board.id, name: 'To do' });
    const doing = await call('column.create', { boardId: board.id, name: 'Doing' });
    const spare = await call('column.create', { boardId: board.id, name: 'Spare' });
    columns = { todo: todo.id, doing: doing.id, spare: spare.id };
    cards = [];
    for (const title of ['One', 'Two', 'Three']) cards.push(await call('card.create', { boardId: board.id, columnId: todo.id, title }));
    useBoardStore.getState().selectBoard(board.id);
    await useBoardStore.getState().refresh();
  });

  afterAll(async () => {
    await fixture.close();
  });

  it('shows a move at once, then the core’s card in its place, without reading the board again', async () => {
    expect(shownTitles()).toEqual([['One', 'Two', 'Three'], [], []]);
    isHoldingMoves = true;
    const moving = useBoardStore.getState().moveCard(cards[1]?.id ?? '', columns.doing, 0);
    // Before the core has the move: shown where it was dropped ...
    expect(shownTitles()).toEqual([['One', 'Three'], ['Two'], []]);
    // ... also over a view the core answers meanwhile (which does not have it yet).
    await useBoardStore.getState().refresh();
    expect(shownTitles()).toEqual([['One', 'Three'], ['Two'], []]);
    expect(calls).toContain('card.move');
    calls.length = 0;
    isHoldingMoves = false;
    for (const held of heldMoves.splice(0)) held.release();
    const result = await moving;
    if (!result.ok) throw new Error(result.error.message);
    // Nothing asked of the core after its answer: the card it answered is shown.
    expect(calls).toEqual([]);
    const shown = useBoardStore.getState().view?.columns[1]?.cards[0];
    expect(shown).toMatchObject({ id: cards[1]?.id, columnId: columns.doing, position: result.value.position, isRecovered: false });
    // The core's own view says the same, and reading it again changes nothing on screen.
    const before = useBoardStore.getState().view;
    await useBoardStore.getState().refresh();
    expect(useBoardStore.getState().view).toBe(before);
  });

  it('keeps showing a second move of a card while the core answers the first', async () => {
    expect(shownTitles()).toEqual([['One', 'Three'], ['Two'], []]);
    isHoldingMoves = true;
    const first = useBoardStore.getState().moveCard(cards[0]?.id ?? '', columns.doing, 1);
    const second = useBoardStore.getState().moveCard(cards[0]?.id ?? '', columns.spare, 0);
    expect(shownTitles()).toEqual([['Three'], ['Two'], ['One']]);
    await vi.waitFor(() => expect(heldMoves).toHaveLength(2));
    heldMoves.shift()?.release();
    const firstResult = await first;
    if (!firstResult.ok) throw new Error(firstResult.error.message);
    expect(shownTitles()).toEqual([['Three'], ['Two'], ['One']]);
    isHoldingMoves = false;
    heldMoves.shift()?.release();
    const secondResult = await second;
    if (!secondResult.ok) throw new Error(secondResult.error.message);
    expect(useBoardStore.getState().view?.columns[2]?.cards[0]).toMatchObject({ columnId: columns.spare, position: secondResult.value.position });
    // Back to where the next test expects it.
    const back = await useBoardStore.getState().moveCard(cards[0]?.id ?? '', columns.todo, 0);
    expect(back.ok).toBe(true);
    expect(shownTitles()).toEqual([['One', 'Three'], ['Two'], []]);
  });

  it('puts a refused move back where the card was and reads the board again', async () => {
    await call('column.delete', { columnId: columns.spare });
    expect(shownTitles()).toEqual([['One', 'Three'], ['Two'], []]);
    calls.length = 0;
    const result = await useBoardStore.getState().moveCard(cards[2]?.id ?? '', columns.spare, 0);
    expect(result.ok).toBe(false);
    expect(shownTitles()[0]).toEqual(['One', 'Three']);
    await vi.waitFor(() => expect(useBoardStore.getState().view?.columns.map((column) => column.id)).toEqual([columns.todo, columns.doing]));
    expect(calls).toEqual(['card.move', 'board.get']);
    expect(shownTitles()).toEqual([['One', 'Three'], ['Two']]);
  });

  it('lists the boards again when the current account changes, not when another open account does', async () => {
    const accountId = fixture.session.account.accountId;
    const view = await call('account.get', {});
    useAccountStore.setState({ current: view });
    const stop = useBoardStore.getState().followPushes();
    try {
      calls.length = 0;
      push('account.changed', { accountId: 'another-account' });
      push('account.changed', { accountId });
      await vi.waitFor(() => expect(calls).toEqual(['board.list']));
    } finally {
      stop();
      useAccountStore.setState({ current: null });
    }
  });
});
