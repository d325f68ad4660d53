import type { Board } from '../model/entities';
import { authorOf, createReducer } from './reducer';

export const reduceBoard = createReducer<'board', 'board_created', Board>({
  eventableType: 'board',
  creation: 'board_created',
  create: (event) => ({
    name: event.particulars.name,
    isDeleted: false,
    deletedAt: null,
    deletedBy: null,
    createdAt: event.createdAt,
    createdBy: authorOf(event),
  }),
  handlers: {
    board_renamed: (board, event) => ({ ...board, name: event.particulars.to }),
    board_deleted: (board, event) =>
      board.isDeleted ? board : { ...board, isDeleted: true, deletedAt: event.createdAt, deletedBy: authorOf(event) },
  },
});
