// How events look in lists: an icon and a tone per kind of sentence, and the groups of actions the
// activity feed filters by. Presentation only: what an event says comes from its sentence.
import type { ReactNode } from 'react';
import type { Action } from '../../../shared/events/actions';
import type { SentenceId } from '../../../shared/sentences';
import {
  AlertIcon,
  BoardIcon,
  CalendarIcon,
  CheckCircleIcon,
  ChevronRightIcon,
  CommentIcon,
  InfoIcon,
  PencilIcon,
  PlusIcon,
  RecoverIcon,
  TagIcon,
  TrashIcon,
  UndoIcon,
  UserIcon,
  UsersIcon,
} from '../../components';

export type EventTone = 'neutral' | 'accent' | 'success' | 'danger' | 'warning';

type Look = { icon: (size: number) => ReactNode; tone: EventTone };

const look = (Icon: (props: { size?: number }) => ReactNode, tone: EventTone = 'neutral'): Look => ({
  icon: (size) => <Icon size={size} />,
  tone,
});

const LOOKS: Record<SentenceId, Look> = {
  account_created: look(PlusIcon, 'accent'),
  board_created: look(BoardIcon, 'accent'),
  board_renamed: look(PencilIcon),
  board_deleted: look(TrashIcon, 'danger'),
  column_created: look(PlusIcon, 'accent'),
  column_renamed: look(PencilIcon),
  column_moved: look(ChevronRightIcon),
  column_deleted: look(TrashIcon, 'danger'),
  column_restored: look(RecoverIcon, 'success'),
  card_created: look(PlusIcon, 'accent'),
  card_moved: look(ChevronRightIcon, 'accent'),
  card_reordered: look(ChevronRightIcon),
  card_renamed: look(PencilIcon),
  card_description_changed: look(PencilIcon),
  card_description_removed: look(PencilIcon),
  card_closed: look(CheckCircleIcon, 'success'),
  card_reopened: look(UndoIcon),
  card_assigned: look(UserIcon),
  card_unassigned: look(UserIcon),
  card_tagged: look(TagIcon),
  card_untagged: look(TagIcon),
  card_due_date_set: look(CalendarIcon),
  card_due_date_changed: look(CalendarIcon),
  card_due_date_removed: look(CalendarIcon),
  card_deleted: look(TrashIcon, 'danger'),
  card_restored: look(RecoverIcon, 'success'),
  comment_created: look(CommentIcon),
  comment_edited: look(CommentIcon),
  comment_deleted: look(TrashIcon, 'danger'),
  comment_restored: look(RecoverIcon, 'success'),
  webhook_created: look(PlusIcon),
  webhook_updated: look(PencilIcon),
  webhook_enabled: look(CheckCircleIcon, 'success'),
  webhook_disabled: look(AlertIcon, 'warning'),
  webhook_secret_rotated: look(PencilIcon),
  webhook_deleted: look(TrashIcon, 'danger'),
  member_joined: look(UsersIcon, 'accent'),
  member_renamed: look(PencilIcon),
  member_role_changed: look(UsersIcon),
  member_removed: look(UsersIcon, 'danger'),
  unknown_change: look(InfoIcon),
  event_refused: look(AlertIcon, 'danger'),
};

/** The icon and tone of a kind of sentence (pass `event_refused` for any refused event). */
export function lookOf(id: SentenceId): Look {
  return LOOKS[id];
}

/** A group of actions the activity feed can be filtered by. */
export type ActionGroup = { id: string; label: string; actions: readonly Action[] };

export const ACTION_GROUPS: readonly ActionGroup[] = [
  { id: 'moves', label: 'Moves', actions: ['card_moved'] },
  { id: 'status', label: 'Closed and reopened', actions: ['card_closed', 'card_reopened'] },
  { id: 'cards', label: 'Cards added, deleted or restored', actions: ['card_created', 'card_deleted', 'card_restored'] },
  { id: 'edits', label: 'Titles and descriptions', actions: ['card_renamed', 'card_description_changed'] },
  { id: 'people', label: 'Assignments', actions: ['card_assigned', 'card_unassigned'] },
  { id: 'tags', label: 'Tags', actions: ['card_tagged', 'card_untagged'] },
  { id: 'due', label: 'Due dates', actions: ['card_due_date_changed'] },
  { id: 'comments', label: 'Comments', actions: ['comment_created', 'comment_edited', 'comment_deleted', 'comment_restored'] },
  {
    id: 'structure',
    label: 'Board and columns',
    actions: ['board_created', 'board_renamed', 'board_deleted', 'column_created', 'column_renamed', 'column_moved', 'column_deleted', 'column_restored'],
  },
];
