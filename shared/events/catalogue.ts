// The event catalogue: for every action, what it is about (eventable type), its current particulars
// version, the JSON Schema of every version it ever had, and the upcasters that turn an old version
// into the next one. Readers (fold, sentences) always see the current version: `readParticulars`.
//
// To change an action's particulars: add `versions[n + 1]`, set `current: n + 1`, and add
// `upcasters[n]` (n -> n + 1). Never edit an existing version's schema: events in the log keep it.
import type { Action, EventableType } from './actions';
import type { Infer, JsonSchema } from './schema';
import { conforms } from './schema';
import { accountCreatedV1 } from './particulars/account';
import { boardCreatedV1, boardDeletedV1, boardRenamedV1 } from './particulars/board';
import {
  cardAssignedV1,
  cardClosedV1,
  cardCreatedV1,
  cardDeletedV1,
  cardDescriptionChangedV1,
  cardDueDateChangedV1,
  cardMovedV1,
  cardRenamedV1,
  cardReopenedV1,
  cardRestoredV1,
  cardTaggedV1,
  cardUnassignedV1,
  cardUntaggedV1,
} from './particulars/card';
import {
  columnCreatedV1,
  columnDeletedV1,
  columnMovedV1,
  columnRenamedV1,
  columnRestoredV1,
} from './particulars/column';
import { commentCreatedV1, commentDeletedV1, commentEditedV1, commentRestoredV1 } from './particulars/comment';
import { memberJoinedV1, memberRemovedV1, memberRenamedV1, memberRoleChangedV1 } from './particulars/member';
import {
  webhookCreatedV1,
  webhookDeletedV1,
  webhookDisabledV1,
  webhookEnabledV1,
  webhookSecretRotatedV1,
  webhookUpdatedV1,
} from './particulars/webhook';

/** Turns particulars of version n (already checked against `versions[n]`) into version n + 1. */
export type Upcaster = (particulars: unknown) => unknown;

export type CatalogueEntry = {
  readonly eventableType: EventableType;
  readonly current: number;
  readonly versions: Readonly<Record<number, JsonSchema>>;
  /** `upcasters[n]` reads version n and returns version n + 1. */
  readonly upcasters: Readonly<Record<number, Upcaster>>;
};

/** Any catalogue (the real one, or a synthetic one in tests of the upcasting mechanism). */
export type CatalogueLike = Readonly<Record<string, CatalogueEntry>>;

const none = {} as const;

export const CATALOGUE = {
  account_created: { eventableType: 'account', current: 1, versions: { 1: accountCreatedV1 }, upcasters: none },
  board_created: { eventableType: 'board', current: 1, versions: { 1: boardCreatedV1 }, upcasters: none },
  board_renamed: { eventableType: 'board', current: 1, versions: { 1: boardRenamedV1 }, upcasters: none },
  board_deleted: { eventableType: 'board', current: 1, versions: { 1: boardDeletedV1 }, upcasters: none },
  column_created: { eventableType: 'column', current: 1, versions: { 1: columnCreatedV1 }, upcasters: none },
  column_renamed: { eventableType: 'column', current: 1, versions: { 1: columnRenamedV1 }, upcasters: none },
  column_moved: { eventableType: 'column', current: 1, versions: { 1: columnMovedV1 }, upcasters: none },
  column_deleted: { eventableType: 'column', current: 1, versions: { 1: columnDeletedV1 }, upcasters: none },
  column_restored: { eventableType: 'column', current: 1, versions: { 1: columnRestoredV1 }, upcasters: none },
  card_created: { eventableType: 'card', current: 1, versions: { 1: cardCreatedV1 }, upcasters: none },
  card_moved: { eventableType: 'card', current: 1, versions: { 1: cardMovedV1 }, upcasters: none },
  card_renamed: { eventableType: 'card', current: 1, versions: { 1: cardRenamedV1 }, upcasters: none },
  card_description_changed: {
    eventableType: 'card',
    current: 1,
    versions: { 1: cardDescriptionChangedV1 },
    upcasters: none,
  },
  card_closed: { eventableType: 'card', current: 1, versions: { 1: cardClosedV1 }, upcasters: none },
  card_reopened: { eventableType: 'card', current: 1, versions: { 1: cardReopenedV1 }, upcasters: none },
  card_assigned: { eventableType: 'card', current: 1, versions: { 1: cardAssignedV1 }, upcasters: none },
  card_unassigned: { eventableType: 'card', current: 1, versions: { 1: cardUnassignedV1 }, upcasters: none },
  card_tagged: { eventableType: 'card', current: 1, versions: { 1: cardTaggedV1 }, upcasters: none },
  card_untagged: { eventableType: 'card', current: 1, versions: { 1: cardUntaggedV1 }, upcasters: none },
  card_due_date_changed: { eventableType: 'card', current: 1, versions: { 1: cardDueDateChangedV1 }, upcasters: none },
  card_deleted: { eventableType: 'card', current: 1, versions: { 1: cardDeletedV1 }, upcasters: none },
  card_restored: { eventableType: 'card', current: 1, versions: { 1: cardRestoredV1 }, upcasters: none },
  comment_created: { eventableType: 'comment', current: 1, versions: { 1: commentCreatedV1 }, upcasters: none },
  comment_edited: { eventableType: 'comment', current: 1, versions: { 1: commentEditedV1 }, upcasters: none },
  comment_deleted: { eventableType: 'comment', current: 1, versions: { 1: commentDeletedV1 }, upcasters: none },
  comment_restored: { eventableType: 'comment', current: 1, versions: { 1: commentRestoredV1 }, upcasters: none },
  webhook_created: { eventableType: 'webhook', current: 1, versions: { 1: webhookCreatedV1 }, upcasters: none },
  webhook_updated: { eventableType: 'webhook', current: 1, versions: { 1: webhookUpdatedV1 }, upcasters: none },
  webhook_enabled: { eventableType: 'webhook', current: 1, versions: { 1: webhookEnabledV1 }, upcasters: none },
  webhook_disabled: { eventableType: 'webhook', current: 1, versions: { 1: webhookDisabledV1 }, upcasters: none },
  webhook_secret_rotated: {
    eventableType: 'webhook',
    current: 1,
    versions: { 1: webhookSecretRotatedV1 },
    upcasters: none,
  },
  webhook_deleted: { eventableType: 'webhook', current: 1, versions: { 1: webhookDeletedV1 }, upcasters: none },
  member_joined: { eventableType: 'account', current: 1, versions: { 1: memberJoinedV1 }, upcasters: none },
  member_renamed: { eventableType: 'account', current: 1, versions: { 1: memberRenamedV1 }, upcasters: none },
  member_role_changed: { eventableType: 'account', current: 1, versions: { 1: memberRoleChangedV1 }, upcasters: none },
  member_removed: { eventableType: 'account', current: 1, versions: { 1: memberRemovedV1 }, upcasters: none },
} as const satisfies Record<Action, CatalogueEntry>;

type Catalogue = typeof CATALOGUE;

/** The particulars version this app writes for `A`. */
export type CurrentVersion<A extends Action> = Catalogue[A]['current'];

/** What events of `A` are about. */
export type EventableTypeOf<A extends Action> = Catalogue[A]['eventableType'];

/** Every version of every action: `ParticularsVersions['card_moved'][1]`. */
export type ParticularsVersions = {
  [A in Action]: { [V in keyof Catalogue[A]['versions']]: Infer<Catalogue[A]['versions'][V]> };
};

/** The particulars of `A` at its current version (what readers see after upcasting). */
export type ParticularsOf<A extends Action> = ParticularsVersions[A][CurrentVersion<A>];

export function currentVersion(action: Action): number {
  return CATALOGUE[action].current;
}

export function eventableTypeOf(action: Action): EventableType {
  return CATALOGUE[action].eventableType;
}

/** The JSON Schema of `(action, v)`, or undefined when this app does not know that pair. */
export function particularsSchema(action: string, v: number, catalogue: CatalogueLike = CATALOGUE): JsonSchema | undefined {
  if (!Object.hasOwn(catalogue, action)) return undefined;
  return catalogue[action]?.versions[v];
}

/**
 * The particulars of an `(action, v)` event at the action's current version: checked against the
 * schema of `v`, upcast step by step, checked against the current schema. Undefined when the action is
 * unknown, `v` is newer than this app knows, an upcaster is missing, or the particulars do not fit:
 * such an event is stored and shown, never folded. Never throws (an upcaster that throws counts as
 * "does not fit").
 */
export function readParticulars(
  action: string,
  v: number,
  particulars: unknown,
  catalogue: CatalogueLike = CATALOGUE,
): unknown {
  if (!Object.hasOwn(catalogue, action)) return undefined;
  const entry = catalogue[action];
  if (entry === undefined || !Number.isInteger(v) || v < 1 || v > entry.current) return undefined;
  const original = entry.versions[v];
  if (original === undefined || !conforms(original, particulars)) return undefined;
  let value = particulars;
  for (let at = v; at < entry.current; at += 1) {
    const upcaster = entry.upcasters[at];
    if (upcaster === undefined) return undefined;
    try {
      value = upcaster(value);
    } catch {
      return undefined;
    }
  }
  if (v === entry.current) return value;
  const target = entry.versions[entry.current];
  return target !== undefined && conforms(target, value) ? value : undefined;
}
