import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Board, Card, Column } from '../../../../shared/model';
import * as card from '../../../../src-main/domain/card';
import * as comment from '../../../../src-main/domain/comment';
import { commit, type DomainContext } from '../../../../src-main/domain/context';
import * as queries from '../../../../src-main/domain/queries';
import { addMember, expectRefused, openDomainFixture, seedBoard, withTwoAccounts, type DomainFixture } from '../../../support/domain-fixtures';
import { insertEvents, rawEvent } from './raw-events';

let f: DomainFixture;
let ctx: DomainContext;
let board: Board;
let todo: Column;
let subject: Card;

describe('queries.card', () => {
  beforeEach(async () => {
    f = await openDomainFixture();
    ctx = f.session.context();
    const seeded = await seedBoard(ctx, { columns: ['To do'] });
    board = seeded.board;
    todo = seeded.columns[0]!;
    subject = await card.create(ctx, { boardId: board.id, columnId: todo.id, title: 'Subject' });
  });
  afterEach(async () => {
    await f.close();
  });

  it('answers the card with its live comments, oldest first, as plain data', async () => {
    const ann = f.session.context(await addMember(ctx, { id: 'ann-0001', name: 'Ann' }));
    const first = await comment.create(ctx, { cardId: subject.id, body: 'First' });
    const second = await comment.create(ann, { cardId: subject.id, body: 'Second' });
    const removed = await comment.create(ctx, { cardId: subject.id, body: 'Removed' });
    await comment.remove(ctx, removed.id);
    await comment.edit(ctx, first.id, 'First, edited');
    const third = await comment.create(ctx, { cardId: subject.id, body: 'Third' });
    const other = await card.create(ctx, { boardId: board.id, columnId: todo.id, title: 'Other' });
    await comment.create(ctx, { cardId: other.id, body: 'Elsewhere' });

    const view = await queries.card(ctx, subject.id);
    expect(view.card).toMatchObject({ id: subject.id, title: 'Subject', columnId: todo.id });
    expect(view.isRecovered).toBe(false);
    expect(view.comments.map((c) => [c.id, c.body, c.isEdited])).toEqual([
      [first.id, 'First, edited', true],
      [second.id, 'Second', false],
      [third.id, 'Third', false],
    ]);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
    expect(JSON.stringify(view)).not.toMatch(/"_(rev|meta|deleted|attachments)"/);
  });

  it('orders comments by the hlc of their creation, also when they arrive out of order', async () => {
    const late = await comment.create(ctx, { cardId: subject.id, body: 'Written later, arrived first' });
    // A comment from another device whose creation sorts before `late` (an earlier hlc).
    const early = rawEvent(ctx, {
      action: 'comment_created',
      eventableType: 'comment',
      eventableId: 'comment-from-elsewhere',
      boardId: board.id,
      hlc: `${String(Date.UTC(2020, 0, 1)).padStart(13, '0')}-0000-00000000000000aa`,
      particulars: { card: { id: subject.id, title: 'Subject' }, body: 'Written first, arrived later' },
    });
    await insertEvents(f.session, [early]);
    expect((await queries.card(ctx, subject.id)).comments.map((c) => c.id)).toEqual([early.eventableId, late.id]);
  });

  it('answers a deleted card too, so it can be restored', async () => {
    await card.remove(ctx, subject.id);
    const view = await queries.card(ctx, subject.id);
    expect(view.card).toMatchObject({ id: subject.id, isDeleted: true });
  });

  it('flags a card whose column was deleted elsewhere as recovered', async () => {
    await commit(ctx, { action: 'column_deleted', eventableId: todo.id, boardId: board.id, particulars: { name: todo.name } });
    expect((await queries.card(ctx, subject.id)).isRecovered).toBe(true);
  });

  it('answers not_found for an unknown card and invalid_input for a malformed id', async () => {
    await expectRefused(f, () => queries.card(ctx, 'no-such-card'), 'not_found');
    await expectRefused(f, () => queries.card(ctx, 'not an id'), 'invalid_input');
  });
});

describe('queries.card across accounts', () => {
  it('never answers a card of another account', async () => {
    await withTwoAccounts(async (fixture, other) => {
      await expectRefused(fixture, () => queries.card(fixture.session.context(), other.card.id), 'not_found');
    });
  });
});
