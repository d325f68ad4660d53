import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashText } from '../../../shared/events';
import type { Card, Column } from '../../../shared/model';
import * as card from '../../../src-main/domain/card';
import * as comment from '../../../src-main/domain/comment';
import type { DomainContext } from '../../../src-main/domain/context';
import {
  addMember,
  expectOneEvent,
  expectRefused,
  openDomainFixture,
  seedBoard,
  withTwoAccounts,
  type DomainFixture,
} from '../../support/domain-fixtures';

describe('comment verbs', () => {
  let f: DomainFixture;
  let ctx: DomainContext;
  let target: Card;
  beforeEach(async () => {
    f = await openDomainFixture();
    ctx = f.session.context();
    const { board, columns } = await seedBoard(ctx, { columns: ['To do'] });
    target = await card.create(ctx, { boardId: board.id, columnId: (columns[0] as Column).id, title: 'Ship it' });
  });
  afterEach(async () => {
    await f.close();
  });
  const me = () => ({ id: f.session.user.id, name: f.session.user.name });
  const cardRef = () => ({ id: target.id, title: target.title });
  const say = (body: string) => comment.create(ctx, { cardId: target.id, body });
  const commentsOfCard = async () =>
    (await ctx.account.collections.comments.find({ selector: { cardId: target.id } }).exec()).map((doc) => doc.body);

  describe('comment.create', () => {
    it('comments on a card and records comment_created naming the card', async () => {
      const body = '  Looks good.\n\nOne nit: the title.  ';
      const { result, event } = await expectOneEvent(f, () => say(body));
      expect(result).toMatchObject({
        cardId: target.id,
        boardId: target.boardId,
        body,
        isEdited: false,
        editedAt: null,
        isDeleted: false,
        createdBy: me(),
        createdAt: event.createdAt,
        createdHlc: event.hlc,
      });
      expect(event).toMatchObject({
        action: 'comment_created',
        eventableType: 'comment',
        eventableId: result.id,
        boardId: target.boardId,
        creatorId: me().id,
      });
      expect(event.particulars).toEqual({ card: cardRef(), body });
      expect(await commentsOfCard()).toEqual([body]);
    });

    it('names the card with its title at the time', async () => {
      await card.rename(ctx, target.id, 'Ship it today');
      const { event } = await expectOneEvent(f, () => say('Renamed'));
      expect(event.particulars['card']).toEqual({ id: target.id, title: 'Ship it today' });
    });

    it('accepts exactly 64 KiB of UTF-8, and comments on a closed card', async () => {
      const body = '€'.repeat(21_845) + 'x'; // 3 bytes each: 65,535 + 1
      const { result } = await expectOneEvent(f, () => say(body));
      expect(result.body).toBe(body);
      await card.close(ctx, target.id);
      await expectOneEvent(f, () => say('Closed, but still talking'));
    });

    it.each([
      ['an empty body', ''],
      ['a blank body', ' \n\t '],
      ['64 KiB and one byte', 'a'.repeat(65_537)],
      ['64 KiB and two bytes of three-byte characters', '€'.repeat(21_846)],
      ['a body that is not text', { text: 'hi' }],
      ['no body', undefined],
    ])('refuses %s with invalid_input and records nothing', async (_name, body) => {
      await expectRefused(f, () => comment.create(ctx, { cardId: target.id, body } as never), 'invalid_input');
    });

    it('refuses bad ids with invalid_input, an unknown card with not_found, a taken id and a deleted card with conflict', async () => {
      await expectRefused(f, () => comment.create(ctx, { cardId: 'not an id', body: 'Hi' }), 'invalid_input');
      await expectRefused(f, () => comment.create(ctx, { cardId: target.id, body: 'Hi', id: 'x y' }), 'invalid_input');
      await expectRefused(f, () => comment.create(ctx, { cardId: 'unknown', body: 'Hi' }), 'not_found');
      const first = await say('First');
      await expectRefused(f, () => comment.create(ctx, { cardId: target.id, body: 'Again', id: first.id }), 'conflict');
      await card.remove(ctx, target.id);
      await expectRefused(f, () => say('Anyone?'), 'conflict');
    });
  });

  describe('comment.edit', () => {
    it('edits a comment and records comment_edited with the new body and the hash of the old', async () => {
      const first = await say('Frist!');
      const { result, event } = await expectOneEvent(f, () => comment.edit(ctx, first.id, 'First!'));
      expect(result).toMatchObject({ body: 'First!', isEdited: true, editedAt: event.createdAt, createdAt: first.createdAt });
      expect(event).toMatchObject({ action: 'comment_edited', eventableId: first.id, boardId: target.boardId });
      expect(event.particulars).toEqual({ card: cardRef(), body: 'First!', previousHash: hashText('Frist!') });
      const again = await expectOneEvent(f, () => comment.edit(ctx, first.id, 'First.'));
      expect(again.event.particulars['previousHash']).toBe(hashText('First!'));
    });

    it.each([
      ['an unchanged body', 'Hello'],
      ['a blank body', '   '],
      ['64 KiB and one byte', 'b'.repeat(65_537)],
      ['a body that is not text', 42],
    ])('refuses %s with invalid_input and records nothing', async (_name, body) => {
      const first = await say('Hello');
      await expectRefused(f, () => comment.edit(ctx, first.id, body as never), 'invalid_input');
    });

    it('refuses a deleted comment with conflict, a bad id with invalid_input, an unknown one with not_found', async () => {
      const first = await say('Hello');
      await comment.remove(ctx, first.id);
      await expectRefused(f, () => comment.edit(ctx, first.id, 'Changed'), 'conflict');
      await expectRefused(f, () => comment.edit(ctx, 'no such id', 'Changed'), 'invalid_input');
      await expectRefused(f, () => comment.edit(ctx, 'unknown', 'Changed'), 'not_found');
    });

    it("refuses to edit someone else's comment with forbidden, also for an admin", async () => {
      const ann = await addMember(ctx, { id: 'ann', name: 'Ann' });
      const annCtx = f.session.context(ann);
      const mine = await say('Mine');
      const hers = await comment.create(annCtx, { cardId: target.id, body: 'Hers' });
      await expectRefused(f, () => comment.edit(annCtx, mine.id, 'Ann was here'), 'forbidden');
      await expectRefused(f, () => comment.edit(ctx, hers.id, 'Admin was here'), 'forbidden');
      const { event } = await expectOneEvent(f, () => comment.edit(annCtx, hers.id, 'Hers, edited'));
      expect(event).toMatchObject({ creatorId: 'ann', creatorName: 'Ann' });
    });
  });

  describe('comment.remove and comment.restore', () => {
    it('deletes a comment and records comment_deleted naming the card', async () => {
      const first = await say('Hello');
      const { result, event } = await expectOneEvent(f, () => comment.remove(ctx, first.id));
      expect(result).toMatchObject({ isDeleted: true, deletedBy: me(), deletedAt: event.createdAt, body: 'Hello' });
      expect(event).toMatchObject({ action: 'comment_deleted', eventableId: first.id, boardId: target.boardId });
      expect(event.particulars).toEqual({ card: cardRef() });
    });

    it('restores a deleted comment and records comment_restored naming the card', async () => {
      const first = await say('Hello');
      await comment.remove(ctx, first.id);
      const { result, event } = await expectOneEvent(f, () => comment.restore(ctx, first.id));
      expect(result).toMatchObject({ isDeleted: false, deletedBy: null, deletedAt: null, body: 'Hello' });
      expect(event).toMatchObject({ action: 'comment_restored', eventableId: first.id });
      expect(event.particulars).toEqual({ card: cardRef() });
    });

    it('refuses to delete a deleted comment or restore a live one with conflict', async () => {
      const first = await say('Hello');
      await expectRefused(f, () => comment.restore(ctx, first.id), 'conflict');
      await comment.remove(ctx, first.id);
      await expectRefused(f, () => comment.remove(ctx, first.id), 'conflict');
    });

    it('refuses bad ids with invalid_input and unknown ones with not_found', async () => {
      await expectRefused(f, () => comment.remove(ctx, ''), 'invalid_input');
      await expectRefused(f, () => comment.restore(ctx, 5 as never), 'invalid_input');
      await expectRefused(f, () => comment.remove(ctx, 'unknown'), 'not_found');
      await expectRefused(f, () => comment.restore(ctx, 'unknown'), 'not_found');
    });

    it("lets an admin delete and restore a member's comment, but not a member someone else's", async () => {
      const ann = await addMember(ctx, { id: 'ann', name: 'Ann' });
      const bob = await addMember(ctx, { id: 'bob', name: 'Bob' });
      const hers = await comment.create(f.session.context(ann), { cardId: target.id, body: 'Hers' });
      await expectRefused(f, () => comment.remove(f.session.context(bob), hers.id), 'forbidden');
      await expectOneEvent(f, () => comment.remove(ctx, hers.id));
      await expectRefused(f, () => comment.restore(f.session.context(bob), hers.id), 'forbidden');
      await expectOneEvent(f, () => comment.restore(f.session.context(ann), hers.id));
    });
  });
});

describe('comment verbs with an id from another account', () => {
  it('answer not_found and record nothing in either account', async () => {
    await withTwoAccounts(async (home, other) => {
      const ctx = home.session.context();
      const attempts: [string, () => Promise<unknown>][] = [
        ['create on their card', () => comment.create(ctx, { cardId: other.card.id, body: 'Hi' })],
        ['edit', () => comment.edit(ctx, other.comment.id, 'Mine now')],
        ['remove', () => comment.remove(ctx, other.comment.id)],
        ['restore', () => comment.restore(ctx, other.comment.id)],
      ];
      for (const [name, attempt] of attempts) {
        const error = await expectRefused(home, attempt, 'not_found');
        expect(error.message, name).not.toMatch(/Their|Bea/);
      }
    });
  });
});
