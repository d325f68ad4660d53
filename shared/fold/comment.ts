import type { Comment } from '../model/entities';
import { authorOf, createReducer } from './reducer';

export const reduceComment = createReducer<'comment', 'comment_created', Comment>({
  eventableType: 'comment',
  creation: 'comment_created',
  create: (event) => ({
    cardId: event.particulars.card.id,
    boardId: event.boardId,
    body: event.particulars.body,
    isEdited: false,
    editedAt: null,
    isDeleted: false,
    deletedAt: null,
    deletedBy: null,
    createdAt: event.createdAt,
    createdHlc: event.hlc,
    createdBy: authorOf(event),
  }),
  handlers: {
    comment_edited: (comment, event) => ({
      ...comment,
      body: event.particulars.body,
      isEdited: true,
      editedAt: event.createdAt,
    }),
    comment_deleted: (comment, event) =>
      comment.isDeleted
        ? comment
        : { ...comment, isDeleted: true, deletedAt: event.createdAt, deletedBy: authorOf(event) },
    comment_restored: (comment) =>
      comment.isDeleted ? { ...comment, isDeleted: false, deletedAt: null, deletedBy: null } : comment,
  },
});
