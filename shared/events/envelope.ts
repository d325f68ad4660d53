// The event envelope: stable forever (the `events` RxDB schema stays at version 0). Particulars are
// validated per (action, v) by the domain and the server, not by the RxDB schema.
//
// Decisions:
// - `createdAt` is the creator's wall clock as an ISO 8601 UTC string with milliseconds
//   (`2025-01-31T09:30:00.000Z`): readable in exports and webhook payloads. Order comes from `hlc`.
// - `boardId` is '' (never null) for events about no board (account, member, account-wide webhook
//   events): RxDB indexes only required strings.
// - `rejection` is set only by the server, on a pushed event it refused: the same event plus
//   `{ code, message, at }`. The fold skips rejected events; the timeline shows "refused: …".
// - The `system` actor (creatorId 'system') is the server's; no client may use it.
import { ID_MAX_LENGTH, ID_PATTERN, UUID_V7_PATTERN } from '../ids';
import { HLC_PATTERN } from '../hlc';
import { ACTION_MAX_LENGTH, ACTION_PATTERN, isKnownAction, type Action, type EventableType } from './actions';
import {
  CATALOGUE,
  readParticulars,
  type CurrentVersion,
  type EventableTypeOf,
  type ParticularsOf,
} from './catalogue';
import { conforms, type JsonSchema } from './schema';
import { INSTANT_MAX_LENGTH, INSTANT_PATTERN, NAME_MAX_CHARS, REJECTION_MESSAGE_MAX_CHARS } from './text';

export const SYSTEM_ACTOR_ID = 'system';
/** An envelope field that names no board. */
export const NO_BOARD = '';

export type Rejection = {
  /** Usually an ErrorCode (`forbidden`, `invalid_input`, `conflict`…); a newer server may send others. */
  code: string;
  /** Human-readable reason, shown after "refused:". */
  message: string;
  /** When the server refused it (ISO instant). */
  at: string;
};

/** An event as stored and replicated: any action, any version (also ones this app does not know). */
export type StoredEvent = {
  id: string;
  v: number;
  accountId: string;
  action: string;
  eventableType: string;
  eventableId: string;
  boardId: string;
  creatorId: string;
  creatorName: string;
  deviceId: string;
  hlc: string;
  createdAt: string;
  particulars: Record<string, unknown>;
  rejection?: Rejection;
};

type EnvelopeOf<A extends Action> = Omit<StoredEvent, 'action' | 'v' | 'eventableType' | 'particulars'> & {
  action: A;
  v: CurrentVersion<A>;
  eventableType: EventableTypeOf<A>;
  particulars: ParticularsOf<A>;
};

/** A known event at its action's current version, narrowed by `action`. */
export type KnownEvent<A extends Action = Action> = A extends Action ? EnvelopeOf<A> : never;
/** Alias used by the domain: the events it builds. */
export type DomainEvent<A extends Action = Action> = KnownEvent<A>;

const idString = { type: 'string', minLength: 1, maxLength: ID_MAX_LENGTH, pattern: ID_PATTERN } as const;
const instant = { type: 'string', maxLength: INSTANT_MAX_LENGTH, pattern: INSTANT_PATTERN } as const;

export const REJECTION_SCHEMA = {
  type: 'object',
  properties: {
    code: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_]*$' },
    message: { type: 'string', minLength: 1, maxLength: REJECTION_MESSAGE_MAX_CHARS },
    at: instant,
  },
  required: ['code', 'message', 'at'],
  additionalProperties: false,
} as const satisfies JsonSchema;

/**
 * The envelope as a JSON Schema (stricter than the RxDB collection schema: patterns for ids, hlc and
 * times). Unknown actions, eventable types and newer versions pass: they are stored and replicated.
 */
export const ENVELOPE_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string', pattern: UUID_V7_PATTERN },
    v: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    accountId: idString,
    action: { type: 'string', maxLength: ACTION_MAX_LENGTH, pattern: ACTION_PATTERN },
    eventableType: { type: 'string', minLength: 1, maxLength: 32, pattern: '^[a-z][a-z_]*$' },
    eventableId: idString,
    boardId: { type: 'string', maxLength: ID_MAX_LENGTH, pattern: '^(?:[A-Za-z0-9_-]{1,64})?$' },
    creatorId: idString,
    creatorName: { type: 'string', minLength: 1, maxLength: NAME_MAX_CHARS },
    deviceId: idString,
    hlc: { type: 'string', pattern: HLC_PATTERN },
    createdAt: instant,
    particulars: { type: 'object' },
    rejection: REJECTION_SCHEMA,
  },
  required: [
    'id',
    'v',
    'accountId',
    'action',
    'eventableType',
    'eventableId',
    'boardId',
    'creatorId',
    'creatorName',
    'deviceId',
    'hlc',
    'createdAt',
    'particulars',
  ],
  additionalProperties: false,
} as const satisfies JsonSchema;

/** True when `value` has the envelope's shape (any action, any version). */
export function isStoredEvent(value: unknown): value is StoredEvent {
  return conforms(ENVELOPE_SCHEMA, value);
}

/**
 * Rules between envelope fields that a schema cannot say, for a known action: the eventable type is
 * the action's; account-level events are about the account itself and name no board; board events'
 * boardId is the board; column, card and comment events name their board. Empty when consistent.
 */
export function envelopeProblems(event: StoredEvent): string[] {
  if (!isKnownAction(event.action)) return [];
  const problems: string[] = [];
  const expected: EventableType = CATALOGUE[event.action].eventableType;
  if (event.eventableType !== expected) {
    problems.push(`eventableType must be '${expected}' for ${event.action}, not '${event.eventableType}'`);
  }
  switch (expected) {
    case 'account':
      if (event.eventableId !== event.accountId) problems.push('eventableId must be the accountId for account events');
      if (event.boardId !== NO_BOARD) problems.push('boardId must be empty for account events');
      break;
    case 'board':
      if (event.boardId !== event.eventableId) problems.push('boardId must be the board itself for board events');
      break;
    case 'column':
    case 'card':
    case 'comment':
      if (event.boardId === NO_BOARD) problems.push(`boardId is required for ${expected} events`);
      break;
    case 'webhook':
      break;
  }
  return problems;
}

/**
 * The event as a known event at the current particulars version (upcast if older), or undefined when
 * it must not be folded: rejected, not an envelope, an unknown action or a newer version, particulars
 * that do not fit, or inconsistent envelope fields. Pure and total.
 */
export function readEvent(value: unknown): KnownEvent | undefined {
  if (!isStoredEvent(value)) return undefined;
  return readStoredEvent(value);
}

/** `readEvent` for a value already known to have the envelope's shape (`isStoredEvent`): skips that check. */
export function readStoredEvent(value: StoredEvent): KnownEvent | undefined {
  if (value.rejection !== undefined) return undefined;
  if (!isKnownAction(value.action)) return undefined;
  if (envelopeProblems(value).length > 0) return undefined;
  const particulars = readParticulars(value.action, value.v, value.particulars);
  if (particulars === undefined) return undefined;
  const entry = CATALOGUE[value.action];
  // The catalogue checked `particulars` against the current schema of this action.
  const known: StoredEvent = { ...value, v: entry.current, particulars: particulars as Record<string, unknown> };
  return known as KnownEvent;
}
