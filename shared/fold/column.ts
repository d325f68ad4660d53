import type { Column } from '../model/entities';
import { authorOf, createReducer } from './reducer';

export const reduceColumn = createReducer<'column', 'column_created', Column>({
  eventableType: 'column',
  creation: 'column_created',
  create: (event) => ({
    boardId: event.boardId,
    name: event.particulars.name,
    position: event.particulars.position,
    isDeleted: false,
    deletedAt: null,
    deletedBy: null,
    createdAt: event.createdAt,
    createdBy: authorOf(event),
  }),
  handlers: {
    column_renamed: (column, event) => ({ ...column, name: event.particulars.to }),
    column_moved: (column, event) => ({ ...column, position: event.particulars.toPosition }),
    column_deleted: (column, event) =>
      column.isDeleted ? column : { ...column, isDeleted: true, deletedAt: event.createdAt, deletedBy: authorOf(event) },
    column_restored: (column) =>
      column.isDeleted ? { ...column, isDeleted: false, deletedAt: null, deletedBy: null } : column,
  },
});
