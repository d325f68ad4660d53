// What the card verbs and the timeline read over and over, held in memory per account database (see
// held-lists.ts): the cards of each column in board order (where a card goes is decided by its neighbours'
// order keys) and the comments of each card (a card's timeline merges their events with its own). Reading
// them from the storage cost more than everything else these commands do besides their own writes and reads.
import type { MangoQuery } from 'rxdb';
import type { Card, Column, Comment } from '../../shared/model';
import type { AccountDb } from '../store/account-db';
import type { DomainContext } from './context';
import { createHeldLists, type HeldLists } from './held-lists';
import { comparePositioned, type Positioned } from './position';
import { findLike } from '../worker/storage-reads';

/** The cards index that holds each column's cards in board order. */
export const COLUMN_ORDER_INDEX = ['boardId', 'columnId', 'position', 'id'];
/** The comments index that holds each card's comments oldest first. */
export const CARD_COMMENTS_INDEX = ['cardId', 'createdHlc', 'id'];

/** A comment of a card, where it sits among the card's comments. */
export type CommentEntry = { readonly id: string; readonly createdHlc: string };

type Held = { readonly columns: HeldLists<Positioned>; readonly comments: HeldLists<CommentEntry> };

const heldByAccount = new WeakMap<AccountDb, Held>();

function heldOf(account: AccountDb): Held {
  let held = heldByAccount.get(account);
  if (!held) {
    held = {
      columns: createHeldLists({
        storage: account.collections.cards.storageInstance,
        keyOf: (card) => columnKey(card.boardId, card.columnId),
        entryOf: (card) => ({ id: card.id, position: card.position }),
        compare: comparePositioned,
        maxLists: 256,
        maxEntries: 100_000,
      }),
      comments: createHeldLists({
        storage: account.collections.comments.storageInstance,
        keyOf: (comment) => comment.cardId,
        entryOf: (comment) => ({ id: comment.id, createdHlc: comment.createdHlc }),
        compare: compareComments,
        maxLists: 4096,
        maxEntries: 100_000,
      }),
    };
    heldByAccount.set(account, held);
  }
  return held;
}

/**
 * The cards of `column` in board order, deleted ones included (what `cardsOfColumn` reads). Read it before the
 * next `await`: the list held follows later writes.
 */
export async function columnOrder(ctx: DomainContext, column: Column): Promise<readonly Positioned[]> {
  const { columns } = heldOf(ctx.account);
  const key = columnKey(column.boardId, column.id);
  return columns.peek(key) ?? columns.list(key, async () => {
    const cards = await findLike(ctx.account.collections.cards, 'column-order', columnCardsQuery, { boardId: column.boardId, columnId: column.id });
    return cards.map((card) => ({ id: card.id, position: card.position }));
  });
}

/** Where the card `id` sits in `order` (a list from `columnOrder`), or -1. */
export function indexInOrder(ctx: DomainContext, order: readonly Positioned[], id: string): number {
  return heldOf(ctx.account).columns.indexOf(order, id);
}

/**
 * The comments of the card `cardId`, oldest first (deleted ones included), as a copy: callers keep it across
 * awaits.
 */
export async function commentsOfCard(ctx: DomainContext, cardId: string): Promise<CommentEntry[]> {
  const { comments } = heldOf(ctx.account);
  const held = comments.peek(cardId);
  if (held) return [...held];
  const list = await comments.list(cardId, async () => {
    const found = await findLike(ctx.account.collections.comments, 'card-comments', cardCommentsQuery, { cardId });
    return found.map((comment) => ({ id: comment.id, createdHlc: comment.createdHlc }));
  });
  return [...list];
}

/** A column's cards in board order (the query `cardsOfColumn` sends), with stand-ins for its values. */
export function columnCardsQuery(standIn: (name: string) => string): MangoQuery<Card> {
  return {
    selector: { boardId: standIn('boardId'), columnId: standIn('columnId') },
    sort: [{ position: 'asc' }, { id: 'asc' }],
    index: COLUMN_ORDER_INDEX,
  };
}

/** A card's comments oldest first, with a stand-in for the card. */
export function cardCommentsQuery(standIn: (name: string) => string): MangoQuery<Comment> {
  return { selector: { cardId: standIn('cardId') }, sort: [{ createdHlc: 'asc' }, { id: 'asc' }], index: CARD_COMMENTS_INDEX };
}

function compareComments(a: CommentEntry, b: CommentEntry): number {
  if (a.createdHlc !== b.createdHlc) return a.createdHlc < b.createdHlc ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function columnKey(boardId: string, columnId: string): string {
  return `${boardId}\u0000${columnId}`;
}
