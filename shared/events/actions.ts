// Every action Trailboard records, in the words webhook consumers see (`<aggregate>_<past tense>`).
// Domain events, never CRUD. Adding one is a new entry here, in the catalogue and in the sentences.

export const ACTIONS = [
  'account_created',
  'board_created',
  'board_renamed',
  'board_deleted',
  'column_created',
  'column_renamed',
  'column_moved',
  'column_deleted',
  'column_restored',
  'card_created',
  'card_moved',
  'card_renamed',
  'card_description_changed',
  'card_closed',
  'card_reopened',
  'card_assigned',
  'card_unassigned',
  'card_tagged',
  'card_untagged',
  'card_due_date_changed',
  'card_deleted',
  'card_restored',
  'comment_created',
  'comment_edited',
  'comment_deleted',
  'comment_restored',
  'webhook_created',
  'webhook_updated',
  'webhook_enabled',
  'webhook_disabled',
  'webhook_secret_rotated',
  'webhook_deleted',
  'member_joined',
  'member_renamed',
  'member_role_changed',
  'member_removed',
] as const;

export type Action = (typeof ACTIONS)[number];

/** Longest action name the envelope accepts (also unknown, newer ones). */
export const ACTION_MAX_LENGTH = 64;
/** Action names, known or from a newer version: lower-case words joined by `_`. */
export const ACTION_PATTERN = '^[a-z][a-z0-9_]{0,63}$';

const ACTION_SET: ReadonlySet<string> = new Set(ACTIONS);

/** True for an action this version of Trailboard knows (an unknown one is stored and shown, never folded). */
export function isKnownAction(action: unknown): action is Action {
  return typeof action === 'string' && ACTION_SET.has(action);
}

/**
 * What an event is about. Member events are about the account (its members record); comment events
 * are about the comment (their particulars name the card).
 */
export const EVENTABLE_TYPES = ['account', 'board', 'column', 'card', 'comment', 'webhook'] as const;
export type EventableType = (typeof EVENTABLE_TYPES)[number];

const EVENTABLE_TYPE_SET: ReadonlySet<string> = new Set(EVENTABLE_TYPES);

export function isEventableType(value: unknown): value is EventableType {
  return typeof value === 'string' && EVENTABLE_TYPE_SET.has(value);
}
