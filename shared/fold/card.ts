// Cards. The card keeps the columnId its events set, whatever happens to that column: a card moved
// into a column deleted elsewhere stays here and the board query shows it as recovered.
import type { Card } from '../model/entities';
import { authorOf, createReducer } from './reducer';

export const reduceCard = createReducer<'card', 'card_created', Card>({
  eventableType: 'card',
  creation: 'card_created',
  create: (event) => ({
    boardId: event.boardId,
    columnId: event.particulars.column.id,
    title: event.particulars.title,
    description: '',
    position: event.particulars.position,
    isClosed: false,
    closedAt: null,
    closedBy: null,
    assignees: [],
    tags: [],
    dueDate: null,
    isDeleted: false,
    deletedAt: null,
    deletedBy: null,
    createdAt: event.createdAt,
    createdBy: authorOf(event),
  }),
  handlers: {
    card_moved: (card, event) => ({ ...card, columnId: event.particulars.to.id, position: event.particulars.toPosition }),
    card_renamed: (card, event) => ({ ...card, title: event.particulars.to }),
    card_description_changed: (card, event) => ({ ...card, description: event.particulars.description }),
    card_closed: (card, event) =>
      card.isClosed ? card : { ...card, isClosed: true, closedAt: event.createdAt, closedBy: authorOf(event) },
    card_reopened: (card) => (card.isClosed ? { ...card, isClosed: false, closedAt: null, closedBy: null } : card),
    card_assigned: (card, event) => {
      const { assignee } = event.particulars;
      if (card.assignees.some((a) => a.id === assignee.id)) return card;
      return { ...card, assignees: [...card.assignees, { id: assignee.id, name: assignee.name }] };
    },
    card_unassigned: (card, event) => {
      const { id } = event.particulars.assignee;
      if (!card.assignees.some((a) => a.id === id)) return card;
      return { ...card, assignees: card.assignees.filter((a) => a.id !== id) };
    },
    card_tagged: (card, event) => {
      const { tag } = event.particulars;
      return card.tags.includes(tag) ? card : { ...card, tags: [...card.tags, tag] };
    },
    card_untagged: (card, event) => {
      const { tag } = event.particulars;
      return card.tags.includes(tag) ? { ...card, tags: card.tags.filter((t) => t !== tag) } : card;
    },
    card_due_date_changed: (card, event) => ({ ...card, dueDate: event.particulars.to }),
    card_deleted: (card, event) =>
      card.isDeleted ? card : { ...card, isDeleted: true, deletedAt: event.createdAt, deletedBy: authorOf(event) },
    card_restored: (card) => (card.isDeleted ? { ...card, isDeleted: false, deletedAt: null, deletedBy: null } : card),
  },
});
