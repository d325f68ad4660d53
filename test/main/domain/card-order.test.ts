// The column order and card comments held in memory (card-order.ts, held-lists.ts) against the storage: whatever
// writes the cards and comments (the verbs through the projector, or a write beside them), what is held equals what
// a read of the storage returns, and a read that a write overtook is not kept.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors';
import type { Board, Card, Column } from '../../../shared/model';
import * as card from '../../../src-main/domain/card';
import { columnOrder, commentsOfCard } from '../../../src-main/domain/card-order';
import * as comment from '../../../src-main/domain/comment';
import type { DomainContext } from '../../../src-main/domain/context';
import { findDocuments } from '../../../src-main/domain/queries/read';
import { seededRandom } from '../../support/storage-fixtures';
import { openDomainFixture, seedBoard, type DomainFixture } from '../../support/domain-fixtures';
import { loopCount } from '../../support/long';

let f: DomainFixture;
let ctx: DomainContext;
let board: Board;
let columns: Column[];

beforeEach(async () => {
  f = await openDomainFixture();
  ctx = f.session.context();
  ({ board, columns } = await seedBoard(ctx, { columns: ['To do', 'Doing', 'Done'] }));
});
afterEach(async () => {
  await f.close();
});

const idsOf = (list: readonly { id: string }[]) => list.map((entry) => entry.id);

/** Every column's held order equals the stored cards of the column in board order. */
async function expectOrdersAsStored(): Promise<void> {
  for (const c of columns) {
    const held = idsOf(await columnOrder(ctx, c));
    expect(held, `column ${c.name}`).toEqual(idsOf(await card.cardsOfColumn(ctx, c)));
  }
}

/** A write beside the verbs (as a test or a repair would make it): straight through RxDB to the cards table. */
async function patchCard(id: string, patch: Partial<Card>): Promise<void> {
  const doc = await f.session.account.collections.cards.findOne(id).exec();
  await doc!.incrementalPatch(patch);
}

describe('the order of the cards in a column', () => {
  it('follows creations, moves, deletions and writes beside the verbs, and stays as stored', async () => {
    const random = seededRandom(11);
    const pickFrom = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
    const cards: Card[] = [];
    for (let i = 0; i < 6; i++) cards.push(await card.create(ctx, { boardId: board.id, columnId: pickFrom(columns).id, title: `Card ${i}` }));
    await expectOrdersAsStored();
    const steps = loopCount(60, 600);
    let ran = 0;
    for (let step = 0; step < steps; step++) {
      const target = pickFrom(columns);
      const others = (await card.cardsOfColumn(ctx, target)).filter((c) => !c.isDeleted);
      const neighbour = others.length > 0 && random() < 0.6 ? pickFrom(others) : undefined;
      const placement = neighbour ? (random() < 0.5 ? { afterCardId: neighbour.id } : { beforeCardId: neighbour.id }) : {};
      const roll = random();
      try {
        if (roll < 0.25) {
          cards.push(await card.create(ctx, { boardId: board.id, columnId: target.id, title: `Card ${cards.length}`, ...placement }));
        } else if (roll < 0.75) {
          await card.move(ctx, pickFrom(cards).id, { toColumnId: target.id, ...placement });
        } else if (roll < 0.85) {
          const chosen = pickFrom(cards);
          const stored = (await card.cardsOfColumn(ctx, columns.find((c) => c.id === chosen.columnId) ?? target)).find((c) => c.id === chosen.id);
          if (stored?.isDeleted) await card.restore(ctx, chosen.id);
          else await card.remove(ctx, chosen.id);
        } else {
          // Beside the verbs: another column, or a key that sorts elsewhere (the projector would refold it later).
          await patchCard(pickFrom(cards).id, random() < 0.5 ? { columnId: target.id } : { position: `a${Math.floor(random() * 1000)}` });
        }
        ran++;
      } catch (error) {
        // Refusals (the card is already there, deleted, ...) change nothing; anything else is a failure.
        if (!isAppError(error) || (error.code !== 'invalid_input' && error.code !== 'conflict')) throw error;
      }
      await expectOrdersAsStored();
    }
    console.log(`column order: ${ran} changes ran (of ${steps} steps), ${cards.length} cards`);
    expect(ran).toBeGreaterThan(steps / 2);
  });

  it('does not keep a column read that a write overtook, and reads it again next time', async () => {
    const [todo, , done] = columns as [Column, Column, Column];
    const moving = await card.create(ctx, { boardId: board.id, columnId: todo.id, title: 'Moving' });
    // Nothing has placed a card in `done` yet: its order is not held. The read runs when `columnOrder` is called,
    // the write (straight to the storage) right after it: the answer is the read's, but it must not be kept.
    const cards = f.session.account.collections.cards.storageInstance;
    const [stored] = await cards.findDocumentsById([moving.id], false);
    const reading = columnOrder(ctx, done);
    const writing = cards.bulkWrite([{ previous: stored!, document: { ...stored!, columnId: done.id } }], 'test-beside');
    expect(idsOf(await reading)).toEqual([]);
    expect((await writing).error).toEqual([]);
    expect(idsOf(await columnOrder(ctx, done))).toEqual([moving.id]);
  });
});

describe('the comments of a card', () => {
  it('follows new, deleted and restored comments and writes beside the verbs, oldest first', async () => {
    const subject = await card.create(ctx, { boardId: board.id, columnId: columns[0]!.id, title: 'Talked about' });
    const other = await card.create(ctx, { boardId: board.id, columnId: columns[0]!.id, title: 'Elsewhere' });
    const stored = async (cardId: string) =>
      idsOf(await findDocuments(f.session.account.collections.comments, { selector: { cardId }, sort: [{ createdHlc: 'asc' }, { id: 'asc' }] }));
    expect(await commentsOfCard(ctx, subject.id)).toEqual([]);
    const a = await comment.create(ctx, { cardId: subject.id, body: 'One' });
    const b = await comment.create(ctx, { cardId: subject.id, body: 'Two' });
    await comment.create(ctx, { cardId: other.id, body: 'Not this card' });
    await comment.remove(ctx, a.id);
    expect(idsOf(await commentsOfCard(ctx, subject.id))).toEqual([a.id, b.id]);
    expect(idsOf(await commentsOfCard(ctx, subject.id))).toEqual(await stored(subject.id));
    // A comment moved to another card beside the verbs leaves this card's list.
    await (await f.session.account.collections.comments.findOne(b.id).exec())!.incrementalPatch({ cardId: other.id });
    expect(idsOf(await commentsOfCard(ctx, subject.id))).toEqual([a.id]);
    expect(idsOf(await commentsOfCard(ctx, other.id))).toEqual(await stored(other.id));
  });
});
