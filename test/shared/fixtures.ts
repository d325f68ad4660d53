// Test fixtures for shared/: one valid example of the particulars of every action, and an event
// builder that fills a consistent envelope.
import { CATALOGUE, type Action, type KnownEvent, type ParticularsOf, type StoredEvent } from '../../shared/events';
import { hashText } from '../../shared/events/hash';
import { formatHlc } from '../../shared/hlc';
import { newId } from '../../shared/ids';

export const ACCOUNT_ID = '0190a000-0000-7000-8000-000000000001';
export const BOARD_ID = '0190a000-0000-7000-8000-0000000000b1';
export const COLUMN_ID = '0190a000-0000-7000-8000-0000000000c1';
export const CARD_ID = '0190a000-0000-7000-8000-0000000000d1';
export const COMMENT_ID = '0190a000-0000-7000-8000-0000000000e1';
export const WEBHOOK_ID = '0190a000-0000-7000-8000-0000000000f1';
export const ANN = { id: 'user-ann', name: 'Ann' };
export const BOB = { id: 'user-bob', name: 'Bob' };
export const TODO = { id: '0190a000-0000-7000-8000-0000000000c0', name: 'To do' };
export const DOING = { id: COLUMN_ID, name: 'Doing' };
export const DONE = { id: '0190a000-0000-7000-8000-0000000000c2', name: 'Done' };
export const BOARD = { id: BOARD_ID, name: 'Roadmap' };
export const CARD = { id: CARD_ID, title: 'Fix login' };

export const GOOD_PARTICULARS: { [A in Action]: ParticularsOf<A> } = {
  account_created: { account: { id: ACCOUNT_ID, name: 'Acme' }, admin: ANN },
  board_created: { name: 'Roadmap' },
  board_renamed: { from: 'Roadmap', to: 'Roadmap 2026' },
  board_deleted: { name: 'Roadmap' },
  column_created: { name: 'Doing', position: 'a0', board: BOARD },
  column_renamed: { from: 'Doing', to: 'In progress' },
  column_moved: { name: 'Doing', fromPosition: 'a0', toPosition: 'a1' },
  column_deleted: { name: 'Doing' },
  column_restored: { name: 'Doing' },
  card_created: { title: 'Fix login', column: DOING, position: 'a0' },
  card_moved: { title: 'Fix login', from: DOING, to: DONE, fromPosition: 'a0', toPosition: 'a0V' },
  card_renamed: { from: 'Fix login', to: 'Fix the login page' },
  card_description_changed: { title: 'Fix login', description: 'Steps:\n1. …', previousHash: hashText('') },
  card_closed: { title: 'Fix login', column: DONE },
  card_reopened: { title: 'Fix login', column: DONE },
  card_assigned: { title: 'Fix login', assignee: BOB },
  card_unassigned: { title: 'Fix login', assignee: BOB },
  card_tagged: { title: 'Fix login', tag: 'bug' },
  card_untagged: { title: 'Fix login', tag: 'bug' },
  card_due_date_changed: { title: 'Fix login', from: null, to: '2026-03-31' },
  card_deleted: { title: 'Fix login', column: DOING },
  card_restored: { title: 'Fix login', column: DOING },
  comment_created: { card: CARD, body: 'Looks good to me' },
  comment_edited: { card: CARD, body: 'Looks good to me!', previousHash: hashText('Looks good to me') },
  comment_deleted: { card: CARD },
  comment_restored: { card: CARD },
  webhook_created: {
    host: 'hooks.example.com',
    urlHash: hashText('https://hooks.example.com/T0/B0/secret'),
    actions: ['card_moved', 'card_closed'],
    board: BOARD,
    isEnabled: true,
  },
  webhook_updated: {
    from: { host: 'hooks.example.com', urlHash: hashText('https://hooks.example.com/a'), actions: ['*'], board: null },
    to: { host: 'n8n.local:5678', urlHash: hashText('http://n8n.local:5678/b'), actions: ['*'], board: null },
  },
  webhook_enabled: { host: 'hooks.example.com' },
  webhook_disabled: { host: 'hooks.example.com', reason: 'failing' },
  webhook_secret_rotated: { host: 'hooks.example.com' },
  webhook_deleted: { host: 'hooks.example.com' },
  member_joined: { member: BOB, role: 'member' },
  member_renamed: { memberId: BOB.id, from: 'Bob', to: 'Robert' },
  member_role_changed: { member: BOB, from: 'member', to: 'admin' },
  member_removed: { member: BOB, role: 'member' },
};

/** The eventable a fixture event of `action` is about, and its boardId. */
export function defaultTarget(action: Action): { eventableId: string; boardId: string } {
  switch (CATALOGUE[action].eventableType) {
    case 'account':
      return { eventableId: ACCOUNT_ID, boardId: '' };
    case 'board':
      return { eventableId: BOARD_ID, boardId: BOARD_ID };
    case 'column':
      return { eventableId: COLUMN_ID, boardId: BOARD_ID };
    case 'card':
      return { eventableId: CARD_ID, boardId: BOARD_ID };
    case 'comment':
      return { eventableId: COMMENT_ID, boardId: BOARD_ID };
    case 'webhook':
      return { eventableId: WEBHOOK_ID, boardId: BOARD_ID };
  }
}

let sequence = 0;

/** An HLC at `wallMs` from a fixed test node. */
export function hlcAt(wallMs: number, counter = 0, nodeId = 'aaaaaaaaaaaaaaaa'): string {
  return formatHlc({ wallMs, counter, nodeId });
}

export type EventOverrides<A extends Action> = Partial<Omit<KnownEvent<A>, 'particulars'>> & {
  particulars?: Partial<ParticularsOf<A>>;
};

/** A valid event of `action` (fixture particulars, merged with `overrides.particulars`). */
export function makeEvent<A extends Action>(action: A, overrides: EventOverrides<A> = {}): KnownEvent<A> {
  sequence += 1;
  const wallMs = 1_760_000_000_000 + sequence;
  const { particulars, ...envelope } = overrides;
  const event: StoredEvent = {
    id: newId(wallMs),
    v: CATALOGUE[action].current,
    accountId: ACCOUNT_ID,
    action,
    eventableType: CATALOGUE[action].eventableType,
    ...defaultTarget(action),
    creatorId: ANN.id,
    creatorName: ANN.name,
    deviceId: 'device-1',
    hlc: hlcAt(wallMs),
    createdAt: new Date(wallMs).toISOString(),
    particulars: { ...GOOD_PARTICULARS[action], ...particulars },
    ...envelope,
  };
  return event as KnownEvent<A>;
}
