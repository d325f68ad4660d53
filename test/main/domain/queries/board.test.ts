import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Board, Card, Column } from '../../../../shared/model';
import type { BoardView } from '../../../../shared/model/views';
import * as boardVerbs from '../../../../src-main/domain/board';
import * as card from '../../../../src-main/domain/card';
import * as column from '../../../../src-main/domain/column';
import { commit, type DomainContext } from '../../../../src-main/domain/context';
import * as queries from '../../../../src-main/domain/queries';
import {
  addMember,
  expectRefused,
  openDomainFixture,
  seedBoard,
  withTwoAccounts,
  type DomainFixture,
} from '../../../support/domain-fixtures';

let f: DomainFixture;
let ctx: DomainContext;
let board: Board;
let todo: Column;
let doing: Column;
let done: Column;

const titles = (view: BoardView) => view.columns.map((c) => ({ column: c.name, cards: c.cards.map((x) => x.title) }));

/** A merge from another device: the card moved into `into` (by a committed event, no rules checked). */
async function moveByMerge(moved: Pick<Card, 'id' | 'boardId' | 'title' | 'columnId' | 'position'>, into: { id: string; name: string }, toPosition = moved.position): Promise<void> {
  await commit(ctx, {
    action: 'card_moved',
    eventableId: moved.id,
    boardId: moved.boardId,
    particulars: {
      title: moved.title,
      from: { id: moved.columnId, name: 'Before' },
      to: into,
      fromPosition: moved.position,
      toPosition,
    },
  });
}

/** A merge from another device: the column deleted elsewhere (even though it holds cards here). */
async function deleteByMerge(deleted: Column): Promise<void> {
  await commit(ctx, { action: 'column_deleted', eventableId: deleted.id, boardId: deleted.boardId, particulars: { name: deleted.name } });
}

describe('queries.board', () => {
  beforeEach(async () => {
    f = await openDomainFixture();
    ctx = f.session.context();
    const seeded = await seedBoard(ctx, { columns: ['To do', 'Doing', 'Done'] });
    board = seeded.board;
    [todo, doing, done] = seeded.columns as [Column, Column, Column];
  });
  afterEach(async () => {
    await f.close();
  });

  const add = (title: string, into: Column = todo, extra: Partial<Parameters<typeof card.create>[1]> = {}) =>
    card.create(ctx, { boardId: board.id, columnId: into.id, title, ...extra });

  it('answers the board with its live columns in order and their live cards in order, as plain data', async () => {
    const b = await add('B');
    await add('A', todo, { beforeCardId: b.id });
    await add('C');
    await add('Started', doing);
    const gone = await add('Gone', doing);
    await card.remove(ctx, gone.id);
    const wip = await column.create(ctx, { boardId: board.id, name: 'Review', afterColumnId: doing.id });
    const spare = await column.create(ctx, { boardId: board.id, name: 'Spare' });
    await column.remove(ctx, spare.id);
    await column.move(ctx, done.id, { beforeColumnId: todo.id });

    const view = await queries.board(ctx, board.id);
    expect(view.board).toMatchObject({ id: board.id, name: 'Launch', isDeleted: false });
    expect(titles(view)).toEqual([
      { column: 'Done', cards: [] },
      { column: 'To do', cards: ['A', 'B', 'C'] },
      { column: 'Doing', cards: ['Started'] },
      { column: 'Review', cards: [] },
    ]);
    expect(view.columns.map((c) => c.id)).toEqual([done.id, todo.id, doing.id, wip.id]);
    expect(view.columns.flatMap((c) => c.cards).every((c) => !c.isRecovered)).toBe(true);
    expect(view.unplacedCards).toEqual([]);
    expect(view.filters).toEqual({ status: 'all' });
    // Serializable as it is, without RxDB's document fields.
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
    expect(JSON.stringify(view)).not.toMatch(/"_(rev|meta|deleted|attachments)"/);
  });

  it('orders cards with the same position by id', async () => {
    const first = await add('First');
    const second = await add('Second', doing);
    await moveByMerge(second, { id: todo.id, name: todo.name }, first.position);
    const view = await queries.board(ctx, board.id);
    const expected = [first, second].sort((a, b) => (a.id < b.id ? -1 : 1)).map((c) => c.title);
    expect(view.columns[0]!.cards.map((c) => c.title)).toEqual(expected);
  });

  it('shows a card moved into a column deleted elsewhere in the first live column, flagged recovered', async () => {
    await add('Stays');
    const wanderer = await add('Wanderer', doing);
    await moveByMerge(wanderer, { id: done.id, name: done.name });
    await deleteByMerge(done);
    const view = await queries.board(ctx, board.id);
    expect(titles(view)).toEqual([
      { column: 'To do', cards: expect.arrayContaining(['Stays', 'Wanderer']) },
      { column: 'Doing', cards: [] },
    ]);
    const recovered = view.columns[0]!.cards.find((c) => c.title === 'Wanderer')!;
    expect(recovered).toMatchObject({ id: wanderer.id, isRecovered: true, columnId: done.id });
    expect(view.columns[0]!.cards.find((c) => c.title === 'Stays')!.isRecovered).toBe(false);
  });

  it('shows a card moved into a column this device has never heard of as recovered', async () => {
    const lost = await add('Lost', doing);
    await moveByMerge(lost, { id: 'column-from-elsewhere', name: 'Elsewhere' });
    const view = await queries.board(ctx, board.id);
    expect(view.columns[0]!.cards).toEqual([expect.objectContaining({ id: lost.id, isRecovered: true })]);
  });

  it('uses the first live column when the first column itself is deleted', async () => {
    const orphan = await add('Orphan', todo);
    await deleteByMerge(todo);
    const view = await queries.board(ctx, board.id);
    expect(view.columns.map((c) => c.name)).toEqual(['Doing', 'Done']);
    expect(view.columns[0]!.cards).toEqual([expect.objectContaining({ id: orphan.id, isRecovered: true })]);
  });

  it('keeps recovered cards in unplacedCards when the board has no live column', async () => {
    const orphan = await add('Orphan', todo);
    for (const c of [todo, doing, done]) await deleteByMerge(c);
    const view = await queries.board(ctx, board.id);
    expect(view.columns).toEqual([]);
    expect(view.unplacedCards).toEqual([expect.objectContaining({ id: orphan.id, isRecovered: true })]);
  });

  describe('filters', () => {
    let ann: { id: string; name: string };
    beforeEach(async () => {
      ann = await addMember(ctx, { id: 'ann-0001', name: 'Ann' });
      const report = await add('Quarterly REPORT');
      await card.assign(ctx, report.id, ann.id);
      await card.tag(ctx, report.id, 'finance');
      const slides = await add('Slides', doing);
      await card.describe(ctx, slides.id, 'For the quarterly review');
      await card.tag(ctx, slides.id, 'design');
      await card.close(ctx, slides.id);
      const budget = await add('Budget', done);
      await card.assign(ctx, budget.id, ann.id);
      await card.assign(ctx, budget.id, f.session.user.id);
      await card.tag(ctx, budget.id, 'finance');
      await card.close(ctx, budget.id);
      await add('Party', doing);
    });
    const shown = async (filters: Parameters<typeof queries.board>[2]) =>
      (await queries.board(ctx, board.id, filters)).columns.flatMap((c) => c.cards.map((x) => x.title));

    it('filters by assignee', async () => {
      expect(await shown({ assigneeId: ann.id })).toEqual(['Quarterly REPORT', 'Budget']);
      expect(await shown({ assigneeId: f.session.user.id })).toEqual(['Budget']);
      expect(await shown({ assigneeId: 'nobody' })).toEqual([]);
    });

    it('filters by tag', async () => {
      expect(await shown({ tag: 'finance' })).toEqual(['Quarterly REPORT', 'Budget']);
      expect(await shown({ tag: 'design' })).toEqual(['Slides']);
      expect(await shown({ tag: 'Finance' })).toEqual([]);
    });

    it('filters open, closed or all cards', async () => {
      expect(await shown({ status: 'open' })).toEqual(['Quarterly REPORT', 'Party']);
      expect(await shown({ status: 'closed' })).toEqual(['Slides', 'Budget']);
      expect(await shown({ status: 'all' })).toEqual(['Quarterly REPORT', 'Slides', 'Party', 'Budget']);
      expect(await shown({})).toEqual(['Quarterly REPORT', 'Slides', 'Party', 'Budget']);
    });

    it('searches titles and descriptions case-insensitively', async () => {
      expect(await shown({ text: 'quarterly' })).toEqual(['Quarterly REPORT', 'Slides']);
      expect(await shown({ text: '  Report ' })).toEqual(['Quarterly REPORT']);
      expect(await shown({ text: 'REVIEW' })).toEqual(['Slides']);
      expect(await shown({ text: 'nothing like it' })).toEqual([]);
      expect(await shown({ text: '   ' })).toEqual(['Quarterly REPORT', 'Slides', 'Party', 'Budget']);
    });

    it('combines filters', async () => {
      expect(await shown({ tag: 'finance', status: 'open' })).toEqual(['Quarterly REPORT']);
      expect(await shown({ assigneeId: ann.id, text: 'bud', status: 'closed' })).toEqual(['Budget']);
      const view = await queries.board(ctx, board.id, { tag: 'finance', text: ' bud ' });
      expect(view.filters).toEqual({ status: 'all', tag: 'finance', text: 'bud' });
      // Columns stay, empty ones too.
      expect(view.columns.map((c) => c.name)).toEqual(['To do', 'Doing', 'Done']);
    });

    it('filters recovered cards like any other', async () => {
      const party = (await queries.board(ctx, board.id, { text: 'party' })).columns[1]!.cards[0]!;
      await moveByMerge({ ...party, boardId: board.id }, { id: 'gone-column', name: 'Gone' });
      expect((await queries.board(ctx, board.id, { text: 'party' })).columns[0]!.cards).toEqual([
        expect.objectContaining({ title: 'Party', isRecovered: true }),
      ]);
      expect(await shown({ tag: 'design', text: 'party' })).toEqual([]);
    });

    it('refuses malformed filters with invalid_input and records nothing', async () => {
      const bad: unknown[] = [{ status: 'done' }, { assigneeId: 'not an id' }, { tag: 42 }, { text: 'x'.repeat(1001) }, { colour: 'red' }, 'open'];
      for (const filters of bad) {
        await expectRefused(f, () => queries.board(ctx, board.id, filters as never), 'invalid_input');
      }
    });
  });

  it('answers not_found for an unknown board and for a deleted one', async () => {
    await expectRefused(f, () => queries.board(ctx, 'no-such-board'), 'not_found');
    await boardVerbs.remove(ctx, board.id);
    await expectRefused(f, () => queries.board(ctx, board.id), 'not_found');
  });

  it('refuses someone who is not a member with forbidden', async () => {
    const stranger = f.session.context({ id: 'stranger-1', name: 'Stranger' });
    await expectRefused(f, () => queries.board(stranger, board.id), 'forbidden');
  });

  it('writes nothing', async () => {
    await add('A');
    const before = await f.events();
    await queries.board(ctx, board.id, { text: 'a' });
    expect(await f.events()).toEqual(before);
  });
});

describe('queries.board across accounts', () => {
  it('never answers a board of another account', async () => {
    await withTwoAccounts(async (fixture, other) => {
      const home = fixture.session.context();
      await expectRefused(fixture, () => queries.board(home, other.board.id), 'not_found');
      const { board: mine, columns } = await seedBoard(home, { columns: ['Only'] });
      // A card of this account moved (by a merge) into the other account's column id shows as recovered here.
      const created = await card.create(home, { boardId: mine.id, columnId: columns[0]!.id, title: 'Mine' });
      await commit(home, {
        action: 'card_moved',
        eventableId: created.id,
        boardId: mine.id,
        particulars: { title: 'Mine', from: { id: columns[0]!.id, name: 'Only' }, to: { id: other.column.id, name: 'Theirs' }, fromPosition: created.position, toPosition: created.position },
      });
      const view = await queries.board(home, mine.id);
      expect(view.columns.map((c) => c.cards.map((x) => [x.title, x.isRecovered]))).toEqual([[['Mine', true]]]);
    });
  });
});
