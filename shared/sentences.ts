// Human sentences for events, as message ids with parameters (translatable), plus the English
// renderer. `describeEvent` turns any stored event into a `Sentence`; `renderSentence` words it for a
// viewer: "You" for the viewer's own events, "this" / "this card" for the thing being looked at
// (`contextId`: the card whose timeline it is), its name elsewhere (the activity feed).
// Names come from the event (history must not change when names do). Times are not formatted here:
// the renderer adds them with Intl. Due dates stay `YYYY-MM-DD` in the params.
import { isKnownAction } from './events/actions';
import { CATALOGUE } from './events/catalogue';
import { envelopeProblems, isStoredEvent, readStoredEvent, type KnownEvent, type StoredEvent } from './events/envelope';

type Base = {
  /** Display name of who did it (from the event). */
  actor: string;
  actorId: string;
  /** Id of what the sentence is about: compared with the viewer's `contextId` to say "this". */
  subjectId: string;
  /** Its name or title at the time. */
  subject: string;
};

export type SentenceParamsById = {
  account_created: Base & { admin: string; adminId: string };
  board_created: Base;
  board_renamed: Base & { from: string; to: string };
  board_deleted: Base;
  column_created: Base & { board: string };
  column_renamed: Base & { from: string; to: string };
  column_moved: Base;
  column_deleted: Base;
  column_restored: Base;
  card_created: Base & { column: string };
  card_moved: Base & { from: string; to: string };
  card_reordered: Base & { column: string };
  card_renamed: Base & { from: string; to: string };
  card_description_changed: Base;
  card_description_removed: Base;
  card_closed: Base;
  card_reopened: Base;
  card_assigned: Base & { assignee: string; assigneeId: string };
  card_unassigned: Base & { assignee: string; assigneeId: string };
  card_tagged: Base & { tag: string };
  card_untagged: Base & { tag: string };
  card_due_date_set: Base & { to: string };
  card_due_date_changed: Base & { from: string; to: string };
  card_due_date_removed: Base & { from: string };
  card_deleted: Base;
  card_restored: Base;
  comment_created: Base;
  comment_edited: Base;
  comment_deleted: Base;
  comment_restored: Base;
  webhook_created: Base;
  webhook_updated: Base & { from: string };
  webhook_enabled: Base;
  webhook_disabled: Base & { reason: 'admin' | 'failing' | 'gone' };
  webhook_secret_rotated: Base;
  webhook_deleted: Base;
  member_joined: Base & { role: string };
  member_renamed: Base & { from: string; to: string };
  member_role_changed: Base & { role: string };
  member_removed: Base;
  /** An action or version this app does not know (or a malformed event): stored, shown, not folded. */
  unknown_change: Base;
};

export type SentenceId = keyof SentenceParamsById | 'event_refused';

export type RefusedParams = Base & { reason: string; code: string };

export type Sentence =
  | { [K in keyof SentenceParamsById]: { id: K; params: SentenceParamsById[K] } }[keyof SentenceParamsById]
  /** A refused event: `inner` says what it would have done, `reason` why the server refused it. */
  | { id: 'event_refused'; params: RefusedParams; inner: Sentence };

export type Viewer = {
  /** The person reading: their own events read "You …". */
  userId?: string;
  /** The thing being looked at (a card's id in its timeline): it reads "this". */
  contextId?: string;
};

/** The sentence for any event, known or not, accepted or refused. Never throws. */
export function describeEvent(value: unknown): Sentence {
  if (!isStoredEvent(value)) {
    return { id: 'unknown_change', params: { actor: 'Someone', actorId: '', subjectId: '', subject: '' } };
  }
  return describeStoredEvent(value);
}

/**
 * `describeEvent` for an event whose envelope is already known to be well-formed (read back from the core's own
 * log, where every event was validated on the way in): skips the envelope check, still checks particulars.
 */
export function describeStoredEvent(value: StoredEvent): Sentence {
  if (value.rejection !== undefined) {
    const { rejection, ...accepted } = value;
    return {
      id: 'event_refused',
      params: { ...baseOf(value, value.eventableId, ''), reason: rejection.message, code: rejection.code },
      inner: describeStoredEvent(accepted),
    };
  }
  const event = readStoredEvent(value);
  if (event === undefined || !isKnownAction(value.action)) {
    return { id: 'unknown_change', params: baseOf(value, value.eventableId, '') };
  }
  return describeKnown(event);
}

/**
 * `describeStoredEvent` for an event read back from the core's own log, where every event's particulars were
 * validated (ajv) when it was written, imported or pulled: an accepted event at its action's current version is
 * worded without re-checking its particulars. Anything else (older versions to upcast, unknown actions, refused
 * events), and any event whose wording fails, takes the checked path, so the result is the same and it never throws.
 */
export function describeLoggedEvent(value: StoredEvent): Sentence {
  if (value.rejection === undefined && isKnownAction(value.action) && value.v === CATALOGUE[value.action].current) {
    try {
      if (envelopeProblems(value).length === 0) return describeKnown(value as KnownEvent);
    } catch {
      // particulars that do not fit after all: the checked path words them as an unknown change
    }
  }
  return describeStoredEvent(value);
}

function baseOf(event: StoredEvent, subjectId: string, subject: string): Base {
  return { actor: event.creatorName, actorId: event.creatorId, subjectId, subject };
}

function describeKnown(event: KnownEvent): Sentence {
  const on = (subject: string): Base => baseOf(event, event.eventableId, subject);
  switch (event.action) {
    case 'account_created': {
      const { account, admin } = event.particulars;
      return { id: event.action, params: { ...on(account.name), admin: admin.name, adminId: admin.id } };
    }
    case 'board_created':
      return { id: event.action, params: on(event.particulars.name) };
    case 'board_renamed':
      return { id: event.action, params: { ...on(event.particulars.to), ...event.particulars } };
    case 'board_deleted':
      return { id: event.action, params: on(event.particulars.name) };
    case 'column_created':
      return { id: event.action, params: { ...on(event.particulars.name), board: event.particulars.board.name } };
    case 'column_renamed':
      return { id: event.action, params: { ...on(event.particulars.to), ...event.particulars } };
    case 'column_moved':
    case 'column_deleted':
    case 'column_restored':
      return { id: event.action, params: on(event.particulars.name) };
    case 'card_created':
      return { id: event.action, params: { ...on(event.particulars.title), column: event.particulars.column.name } };
    case 'card_moved': {
      const { title, from, to } = event.particulars;
      if (from.id === to.id) return { id: 'card_reordered', params: { ...on(title), column: to.name } };
      return { id: event.action, params: { ...on(title), from: from.name, to: to.name } };
    }
    case 'card_renamed':
      return { id: event.action, params: { ...on(event.particulars.to), ...event.particulars } };
    case 'card_description_changed': {
      const id = event.particulars.description === '' ? 'card_description_removed' : event.action;
      return { id, params: on(event.particulars.title) };
    }
    case 'card_closed':
    case 'card_reopened':
    case 'card_deleted':
    case 'card_restored':
      return { id: event.action, params: on(event.particulars.title) };
    case 'card_assigned':
    case 'card_unassigned': {
      const { title, assignee } = event.particulars;
      return { id: event.action, params: { ...on(title), assignee: assignee.name, assigneeId: assignee.id } };
    }
    case 'card_tagged':
    case 'card_untagged':
      return { id: event.action, params: { ...on(event.particulars.title), tag: event.particulars.tag } };
    case 'card_due_date_changed': {
      const { title, from, to } = event.particulars;
      if (to === null) return { id: 'card_due_date_removed', params: { ...on(title), from: from ?? '' } };
      if (from === null) return { id: 'card_due_date_set', params: { ...on(title), to } };
      return { id: event.action, params: { ...on(title), from, to } };
    }
    case 'comment_created':
    case 'comment_edited':
    case 'comment_deleted':
    case 'comment_restored': {
      const { card } = event.particulars;
      return { id: event.action, params: baseOf(event, card.id, card.title) };
    }
    case 'webhook_created':
    case 'webhook_enabled':
    case 'webhook_secret_rotated':
    case 'webhook_deleted':
      return { id: event.action, params: on(event.particulars.host) };
    case 'webhook_updated':
      return { id: event.action, params: { ...on(event.particulars.to.host), from: event.particulars.from.host } };
    case 'webhook_disabled':
      return { id: event.action, params: { ...on(event.particulars.host), reason: event.particulars.reason } };
    case 'member_joined': {
      const { member, role } = event.particulars;
      return { id: event.action, params: { ...baseOf(event, member.id, member.name), role } };
    }
    case 'member_renamed': {
      const { memberId, from, to } = event.particulars;
      return { id: event.action, params: { ...baseOf(event, memberId, from), from, to } };
    }
    case 'member_role_changed': {
      const { member, to } = event.particulars;
      return { id: event.action, params: { ...baseOf(event, member.id, member.name), role: to } };
    }
    case 'member_removed': {
      const { member } = event.particulars;
      return { id: event.action, params: baseOf(event, member.id, member.name) };
    }
  }
}

/** The English sentence for a message, worded for `viewer`. */
export function renderSentence(sentence: Sentence, viewer: Viewer = {}): string {
  const p = sentence.params;
  const isMine = viewer.userId !== undefined && p.actorId === viewer.userId;
  const actor = isMine ? 'You' : p.actor;
  const isHere = viewer.contextId !== undefined && p.subjectId === viewer.contextId;
  /** The subject: "this …" in its own context, its quoted name elsewhere. */
  const it = (here: string, elsewhere: string): string => (isHere ? here : `${elsewhere} ${quote(p.subject)}`);
  /** Someone the actor did something to: "yourself" / "themselves", "you", or their name. */
  const whom = (id: string, name: string): string => {
    if (id === p.actorId) return isMine ? 'yourself' : 'themselves';
    return viewer.userId !== undefined && id === viewer.userId ? 'you' : name;
  };
  const renamed = (thing: string, from: string, to: string): string =>
    `${actor} renamed ${isHere ? 'this' : 'the'} ${thing} from ${quote(from)} to ${quote(to)}`;

  switch (sentence.id) {
    case 'event_refused':
      return `${renderSentence(sentence.inner, viewer)} — refused: ${sentence.params.reason}`;
    case 'unknown_change':
      return `${actor} made a change from a newer version`;
    case 'account_created':
      return `${actor} created the account ${quote(p.subject)}`;
    case 'board_created':
      return `${actor} created ${it('this board', 'the board')}`;
    case 'board_renamed':
      return renamed('board', sentence.params.from, sentence.params.to);
    case 'board_deleted':
      return `${actor} deleted ${it('this board', 'the board')}`;
    case 'column_created':
      return `${actor} added ${it('this column', 'the column')} to ${quote(sentence.params.board)}`;
    case 'column_renamed':
      return renamed('column', sentence.params.from, sentence.params.to);
    case 'column_moved':
      return `${actor} moved ${it('this column', 'the column')}`;
    case 'column_deleted':
      return `${actor} deleted ${it('this column', 'the column')}`;
    case 'column_restored':
      return `${actor} restored ${it('this column', 'the column')}`;
    case 'card_created':
      return `${actor} created ${it('this card', 'the card')} in ${sentence.params.column}`;
    case 'card_moved': {
      const { from, to } = sentence.params;
      return `${actor} moved ${isHere ? 'this' : quote(p.subject)} from ${from} to ${to}`;
    }
    case 'card_reordered':
      return `${actor} moved ${isHere ? 'this' : quote(p.subject)} within ${sentence.params.column}`;
    case 'card_renamed':
      return renamed('card', sentence.params.from, sentence.params.to);
    case 'card_description_changed':
      return `${actor} changed the description of ${it('this card', 'the card')}`;
    case 'card_description_removed':
      return `${actor} removed the description of ${it('this card', 'the card')}`;
    case 'card_closed':
      return `${actor} closed ${it('this card', 'the card')}`;
    case 'card_reopened':
      return `${actor} reopened ${it('this card', 'the card')}`;
    case 'card_assigned': {
      const { assignee, assigneeId } = sentence.params;
      return `${actor} assigned ${whom(assigneeId, assignee)} to ${it('this card', 'the card')}`;
    }
    case 'card_unassigned': {
      const { assignee, assigneeId } = sentence.params;
      return `${actor} unassigned ${whom(assigneeId, assignee)} from ${it('this card', 'the card')}`;
    }
    case 'card_tagged':
      return `${actor} added the tag ${quote(sentence.params.tag)} to ${it('this card', 'the card')}`;
    case 'card_untagged':
      return `${actor} removed the tag ${quote(sentence.params.tag)} from ${it('this card', 'the card')}`;
    case 'card_due_date_set':
      return `${actor} set the due date of ${it('this card', 'the card')} to ${sentence.params.to}`;
    case 'card_due_date_changed': {
      const { from, to } = sentence.params;
      return `${actor} changed the due date of ${it('this card', 'the card')} from ${from} to ${to}`;
    }
    case 'card_due_date_removed':
      return `${actor} removed the due date of ${it('this card', 'the card')}`;
    case 'card_deleted':
      return `${actor} deleted ${it('this card', 'the card')}`;
    case 'card_restored':
      return `${actor} restored ${it('this card', 'the card')}`;
    case 'comment_created':
      return `${actor} commented on ${it('this card', 'the card')}`;
    case 'comment_edited':
      return `${actor} edited a comment on ${it('this card', 'the card')}`;
    case 'comment_deleted':
      return `${actor} deleted a comment on ${it('this card', 'the card')}`;
    case 'comment_restored':
      return `${actor} restored a comment on ${it('this card', 'the card')}`;
    case 'webhook_created':
      return `${actor} added a webhook to ${p.subject}`;
    case 'webhook_updated':
      return sentence.params.from === p.subject
        ? `${actor} changed the settings of the webhook to ${p.subject}`
        : `${actor} moved the webhook from ${sentence.params.from} to ${p.subject}`;
    case 'webhook_enabled':
      return `${actor} enabled the webhook to ${p.subject}`;
    case 'webhook_disabled':
      return `${actor} disabled the webhook to ${p.subject}${DISABLE_REASONS[sentence.params.reason]}`;
    case 'webhook_secret_rotated':
      return `${actor} rotated the signing secret of the webhook to ${p.subject}`;
    case 'webhook_deleted':
      return `${actor} deleted the webhook to ${p.subject}`;
    case 'member_joined':
      return p.subjectId === p.actorId
        ? `${actor} joined as ${article(sentence.params.role)}`
        : `${actor} added ${whom(p.subjectId, p.subject)} as ${article(sentence.params.role)}`;
    case 'member_renamed':
      return p.subjectId === p.actorId
        ? `${quote(sentence.params.from)} is now called ${quote(sentence.params.to)}`
        : `${actor} renamed ${quote(sentence.params.from)} to ${quote(sentence.params.to)}`;
    case 'member_role_changed':
      return `${actor} made ${whom(p.subjectId, p.subject)} ${article(sentence.params.role)}`;
    case 'member_removed':
      return p.subjectId === p.actorId
        ? `${actor} left the account`
        : `${actor} removed ${whom(p.subjectId, p.subject)} from the account`;
  }
}

const DISABLE_REASONS = {
  admin: '',
  failing: ' after repeated failed deliveries',
  gone: ': the receiver answered that it is gone',
} as const;

function quote(text: string): string {
  return `“${text}”`;
}

function article(role: string): string {
  return role === 'admin' ? 'an admin' : `a ${role}`;
}
