// The card query: a card (also a deleted one, so the panel can offer to restore it) with its live
// comments, oldest first.
import type { CardView } from '../../../shared/model/views';
import { authorize } from '../access';
import { findEntity, requireEntity, type DomainContext } from '../context';
import { findDocuments } from './read';

export async function card(ctx: DomainContext, cardId: string): Promise<CardView> {
  await authorize(ctx, 'card.view');
  const found = await requireEntity(ctx, 'cards', cardId);
  const [column, comments] = await Promise.all([
    findEntity(ctx, 'columns', found.columnId),
    findDocuments(ctx.account.collections.comments, {
      selector: { cardId: found.id },
      sort: [{ createdHlc: 'asc' }, { id: 'asc' }],
      index: ['cardId', 'createdHlc', 'id'],
    }),
  ]);
  return {
    card: found,
    isRecovered: column === undefined || column.isDeleted || column.boardId !== found.boardId,
    comments: comments.filter((comment) => !comment.isDeleted && comment.accountId === found.accountId),
  };
}
