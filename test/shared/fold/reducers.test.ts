import { describe, expect, it } from 'vitest';
import type { Action, KnownEvent } from '../../../shared/events';
import {
  arrivalOf,
  compareEvents,
  FOLD_VERSION,
  foldAll,
  foldEntity,
  projectionTargets,
  reduceAccount,
  reduceBoard,
  reduceCard,
  reduceColumn,
  reduceComment,
  reduceMembers,
  type Reducer,
} from '../../../shared/fold';
import {
  ACCOUNT_ID,
  ANN,
  BOARD_ID,
  BOB,
  CARD,
  CARD_ID,
  COLUMN_ID,
  COMMENT_ID,
  DOING,
  DONE,
  makeEvent,
  type EventOverrides,
} from '../fixtures';

const CAROL = { id: 'user-carol', name: 'Carol' };

/** Folds events in the order given (each made after the previous, so also in hlc order). */
function fold<E>(reducer: Reducer<E>, events: readonly unknown[]): E | undefined {
  return events.reduce<E | undefined>((entity, event) => reducer(entity, event), undefined);
}

function ev<A extends Action>(action: A, overrides: EventOverrides<A> = {}): KnownEvent<A> {
  return makeEvent(action, overrides);
}

const by = (person: { id: string; name: string }) => ({ creatorId: person.id, creatorName: person.name });

describe('reduceBoard', () => {
  it('creates, renames and deletes a board, remembering who deleted it and when', () => {
    const created = ev('board_created');
    const renamed = ev('board_renamed', { particulars: { from: 'Roadmap', to: 'Plans' } });
    const deleted = ev('board_deleted', { ...by(BOB), particulars: { name: 'Plans' } });
    expect(fold(reduceBoard, [created])).toEqual({
      id: BOARD_ID,
      accountId: ACCOUNT_ID,
      foldVersion: FOLD_VERSION,
      lastEventHlc: created.hlc,
      lastEventId: created.id,
      updatedAt: created.createdAt,
      name: 'Roadmap',
      isDeleted: false,
      deletedAt: null,
      deletedBy: null,
      createdAt: created.createdAt,
      createdBy: ANN,
    });
    expect(fold(reduceBoard, [created, renamed, deleted])).toMatchObject({
      name: 'Plans',
      isDeleted: true,
      deletedAt: deleted.createdAt,
      deletedBy: BOB,
      lastEventId: deleted.id,
      updatedAt: deleted.createdAt,
    });
  });

  it('keeps the first deletion when deleted twice, and ignores a second creation', () => {
    const first = ev('board_deleted');
    const second = ev('board_deleted', by(BOB));
    const board = fold(reduceBoard, [ev('board_created'), first, second, ev('board_created', { particulars: { name: 'Other' } })]);
    expect(board).toMatchObject({ name: 'Roadmap', deletedAt: first.createdAt, deletedBy: ANN });
  });
});

describe('reduceColumn', () => {
  it('creates a column on its board, renames, moves, deletes and restores it', () => {
    const created = ev('column_created');
    expect(fold(reduceColumn, [created])).toMatchObject({ id: COLUMN_ID, boardId: BOARD_ID, name: 'Doing', position: 'a0', isDeleted: false });
    const column = fold(reduceColumn, [
      created,
      ev('column_renamed', { particulars: { from: 'Doing', to: 'In progress' } }),
      ev('column_moved', { particulars: { fromPosition: 'a0', toPosition: 'Zz' } }),
      ev('column_deleted'),
    ]);
    expect(column).toMatchObject({ name: 'In progress', position: 'Zz', isDeleted: true, deletedBy: ANN });
    expect(fold(reduceColumn, [created, ev('column_deleted'), ev('column_restored')])).toMatchObject({ isDeleted: false, deletedAt: null, deletedBy: null });
  });

  it('treats restoring a column that is not deleted as a no-op', () => {
    const created = ev('column_created');
    const restored = ev('column_restored');
    expect(fold(reduceColumn, [created, restored])).toEqual({ ...fold(reduceColumn, [created]), lastEventHlc: restored.hlc, lastEventId: restored.id, updatedAt: restored.createdAt });
  });
});

describe('reduceCard', () => {
  const created = () => ev('card_created');

  it('creates a card in its column with empty fields', () => {
    const event = created();
    expect(fold(reduceCard, [event])).toEqual({
      id: CARD_ID,
      accountId: ACCOUNT_ID,
      foldVersion: FOLD_VERSION,
      lastEventHlc: event.hlc,
      lastEventId: event.id,
      updatedAt: event.createdAt,
      boardId: BOARD_ID,
      columnId: COLUMN_ID,
      title: 'Fix login',
      description: '',
      position: 'a0',
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
      createdBy: ANN,
    });
  });

  it('moves, renames and describes a card', () => {
    const card = fold(reduceCard, [
      created(),
      ev('card_moved', { particulars: { from: DOING, to: DONE, fromPosition: 'a0', toPosition: 'b1' } }),
      ev('card_renamed', { particulars: { from: 'Fix login', to: 'Fix the login page' } }),
      ev('card_description_changed', { particulars: { description: 'It fails on Safari.' } }),
    ]);
    expect(card).toMatchObject({ columnId: DONE.id, position: 'b1', title: 'Fix the login page', description: 'It fails on Safari.' });
  });

  it('closes once (a second close keeps the first) and reopens', () => {
    const close = ev('card_closed');
    const again = ev('card_closed', by(BOB));
    expect(fold(reduceCard, [created(), close, again])).toMatchObject({ isClosed: true, closedAt: close.createdAt, closedBy: ANN, lastEventId: again.id });
    expect(fold(reduceCard, [created(), close, ev('card_reopened')])).toMatchObject({ isClosed: false, closedAt: null, closedBy: null });
    expect(fold(reduceCard, [created(), ev('card_reopened')])).toMatchObject({ isClosed: false });
  });

  it('assigns people once each, in order, and unassigns them', () => {
    const card = fold(reduceCard, [
      created(),
      ev('card_assigned', { particulars: { assignee: BOB } }),
      ev('card_assigned', { particulars: { assignee: CAROL } }),
      ev('card_assigned', { particulars: { assignee: { id: BOB.id, name: 'Robert' } } }),
    ]);
    expect(card?.assignees).toEqual([BOB, CAROL]);
    const after = reduceCard(card, ev('card_unassigned', { particulars: { assignee: BOB } }));
    expect(after?.assignees).toEqual([CAROL]);
    expect(reduceCard(after, ev('card_unassigned', { particulars: { assignee: BOB } }))?.assignees).toEqual([CAROL]);
  });

  it('tags and untags, without duplicates', () => {
    const card = fold(reduceCard, [
      created(),
      ev('card_tagged', { particulars: { tag: 'bug' } }),
      ev('card_tagged', { particulars: { tag: 'ux' } }),
      ev('card_tagged', { particulars: { tag: 'bug' } }),
      ev('card_untagged', { particulars: { tag: 'ux' } }),
      ev('card_untagged', { particulars: { tag: 'never-there' } }),
    ]);
    expect(card?.tags).toEqual(['bug']);
  });

  it('sets, changes and removes the due date', () => {
    const set = fold(reduceCard, [created(), ev('card_due_date_changed', { particulars: { from: null, to: '2026-03-31' } })]);
    expect(set?.dueDate).toBe('2026-03-31');
    expect(reduceCard(set, ev('card_due_date_changed', { particulars: { from: '2026-03-31', to: null } }))?.dueDate).toBeNull();
  });

  it('deletes and restores, keeping its column and fields', () => {
    const deleted = fold(reduceCard, [created(), ev('card_tagged'), ev('card_deleted', by(BOB))]);
    expect(deleted).toMatchObject({ isDeleted: true, deletedBy: BOB, columnId: COLUMN_ID, tags: ['bug'] });
    expect(reduceCard(deleted, ev('card_restored'))).toMatchObject({ isDeleted: false, deletedAt: null, deletedBy: null, columnId: COLUMN_ID, tags: ['bug'] });
  });

  it('keeps a card moved into a column that is deleted later, with that columnId', () => {
    const events = [
      ev('column_created', { eventableId: DONE.id, particulars: { name: 'Done' } }),
      created(),
      ev('card_moved', { particulars: { from: DOING, to: DONE } }),
      ev('column_deleted', { eventableId: DONE.id, particulars: { name: 'Done' } }),
    ];
    const projections = foldAll(events);
    expect(projections.columns.get(DONE.id)?.isDeleted).toBe(true);
    expect(projections.cards.get(CARD_ID)).toMatchObject({ columnId: DONE.id, isDeleted: false });
  });
});

describe('reduceComment', () => {
  it('creates a comment on its card, edits, deletes and restores it', () => {
    const created = ev('comment_created');
    expect(fold(reduceComment, [created])).toMatchObject({
      id: COMMENT_ID,
      cardId: CARD.id,
      boardId: BOARD_ID,
      body: 'Looks good to me',
      isEdited: false,
      editedAt: null,
      createdHlc: created.hlc,
    });
    const edit = ev('comment_edited', { particulars: { body: 'LGTM' } });
    const edited = fold(reduceComment, [created, edit]);
    expect(edited).toMatchObject({ body: 'LGTM', isEdited: true, editedAt: edit.createdAt, createdHlc: created.hlc });
    const deleted = reduceComment(edited, ev('comment_deleted'));
    expect(deleted).toMatchObject({ isDeleted: true, body: 'LGTM' });
    expect(reduceComment(deleted, ev('comment_restored'))).toMatchObject({ isDeleted: false, deletedAt: null });
  });
});

describe('reduceAccount and reduceMembers', () => {
  it('creates the account with its first admin', () => {
    const created = ev('account_created');
    expect(fold(reduceAccount, [created])).toMatchObject({ id: ACCOUNT_ID, name: 'Acme', createdBy: ANN });
    expect(fold(reduceMembers, [created])).toMatchObject({ id: ACCOUNT_ID, source: 'fold', members: [{ ...ANN, role: 'admin' }] });
  });

  it('folds joins, renames, role changes and removals', () => {
    const members = fold(reduceMembers, [
      ev('account_created'),
      ev('member_joined', { particulars: { member: BOB, role: 'member' } }),
      ev('member_joined', { particulars: { member: CAROL, role: 'member' } }),
      ev('member_renamed', { particulars: { memberId: BOB.id, from: 'Bob', to: 'Robert' } }),
      ev('member_role_changed', { particulars: { member: CAROL, from: 'member', to: 'admin' } }),
      ev('member_removed', { particulars: { member: { ...ANN }, role: 'admin' } }),
    ]);
    expect(members?.members).toEqual([
      { id: BOB.id, name: 'Robert', role: 'member' },
      { ...CAROL, role: 'admin' },
    ]);
  });

  it('ignores a join of someone already in and changes to someone not in', () => {
    const base = fold(reduceMembers, [ev('account_created'), ev('member_joined', { particulars: { member: BOB, role: 'member' } })]);
    const after = [
      ev('member_joined', { particulars: { member: BOB, role: 'admin' } }),
      ev('member_renamed', { particulars: { memberId: 'user-nobody', from: 'X', to: 'Y' } }),
      ev('member_role_changed', { particulars: { member: CAROL, from: 'member', to: 'admin' } }),
      ev('member_removed', { particulars: { member: CAROL, role: 'member' } }),
    ].reduce((record, event) => reduceMembers(record, event), base);
    expect(after?.members).toEqual(base?.members);
  });

  it('leaves the account fields alone on member events, but records them as folded', () => {
    const created = ev('account_created');
    const joined = ev('member_joined');
    expect(fold(reduceAccount, [created, joined])).toEqual({ ...fold(reduceAccount, [created]), lastEventHlc: joined.hlc, lastEventId: joined.id, updatedAt: joined.createdAt });
  });
});

describe('every reducer', () => {
  const card = () => fold(reduceCard, [ev('card_created')]);

  it('returns nothing for events before the creation of its entity', () => {
    expect(reduceCard(undefined, ev('card_moved'))).toBeUndefined();
    expect(reduceBoard(undefined, ev('board_renamed'))).toBeUndefined();
    expect(reduceMembers(undefined, ev('member_joined'))).toBeUndefined();
  });

  it('changes nothing for rejected events, unknown actions, newer versions, malformed events or other eventables', () => {
    const existing = card();
    const closed = ev('card_closed');
    const ignored: unknown[] = [
      { ...closed, rejection: { code: 'forbidden', message: 'No.', at: '2026-01-01T00:00:00.000Z' } },
      { ...closed, action: 'card_archived' },
      { ...closed, v: 2 },
      { ...closed, particulars: {} },
      ev('card_closed', { eventableId: 'another-card' }),
      ev('card_closed', { accountId: 'another-account' }),
      ev('column_deleted', { eventableId: CARD_ID }),
      ev('board_deleted'),
      undefined,
      null,
      42,
      'card_closed',
      { action: 'card_closed' },
      [closed],
    ];
    for (const event of ignored) {
      expect(reduceCard(existing, event)).toBe(existing);
      expect(reduceCard(undefined, event)).toBeUndefined();
    }
  });

  it('folds the same event once', () => {
    const tagged = ev('card_tagged');
    const once = reduceCard(card(), tagged);
    expect(reduceCard(once, tagged)).toBe(once);
  });

  it('never throws, whatever it is given', () => {
    const existing = card();
    const weird: unknown[] = [
      { ...ev('card_closed'), particulars: null },
      { ...ev('card_closed'), particulars: { title: 'x', column: null } },
      Object.create(null),
      new Proxy({}, {}),
      { ...ev('card_closed'), hlc: 12 },
      { ...ev('card_closed'), toString: 'x' },
    ];
    for (const event of weird) {
      for (const reducer of [reduceCard, reduceBoard, reduceColumn, reduceComment, reduceAccount, reduceMembers] as Reducer<unknown>[]) {
        expect(() => reducer(undefined, event)).not.toThrow();
      }
      expect(() => reduceCard(existing, event)).not.toThrow();
    }
  });
});

describe('foldEntity', () => {
  it('sorts by (hlc, id) and drops repeated events before folding', () => {
    const events = [ev('card_created'), ev('card_closed'), ev('card_reopened'), ev('card_closed', by(BOB))];
    const expected = fold(reduceCard, events);
    const shuffled = [events[3], events[1], events[0], events[2], events[1]];
    expect(foldEntity(reduceCard, shuffled)).toEqual(expected);
    expect(expected).toMatchObject({ isClosed: true, closedBy: BOB });
  });

  it('breaks an hlc tie by event id', () => {
    const a = { hlc: 'h1', id: 'a' };
    const b = { hlc: 'h1', id: 'b' };
    expect(compareEvents(a, b)).toBe(-1);
    expect(compareEvents(b, a)).toBe(1);
    expect(compareEvents(a, { ...a })).toBe(0);
    expect(compareEvents({ hlc: 'h0', id: 'z' }, a)).toBe(-1);
  });
});

describe('projectionTargets', () => {
  it('names the projection documents of the event’s eventable only', () => {
    expect(projectionTargets(ev('card_moved'))).toEqual([{ collection: 'cards', id: CARD_ID }]);
    expect(projectionTargets(ev('member_joined'))).toEqual([
      { collection: 'accounts', id: ACCOUNT_ID },
      { collection: 'members', id: ACCOUNT_ID },
    ]);
    expect(projectionTargets(ev('comment_created'))).toEqual([{ collection: 'comments', id: COMMENT_ID }]);
    expect(projectionTargets(ev('webhook_created'))).toEqual([]);
    expect(projectionTargets({ ...ev('card_moved'), eventableType: 'gadget' })).toEqual([]);
    expect(projectionTargets({ ...ev('card_moved'), eventableType: 'constructor' })).toEqual([]);
    expect(projectionTargets(null)).toEqual([]);
  });
});

describe('arrivalOf', () => {
  const created = ev('card_created');
  const moved = ev('card_moved');
  const closed = ev('card_closed');
  const card = fold(reduceCard, [created, moved]);

  it('applies an event that sorts after the last folded one', () => {
    expect(arrivalOf(card, closed)).toBe('apply');
  });

  it('skips the last folded event, unknown actions, malformed events and rejected events never folded', () => {
    expect(arrivalOf(card, moved)).toBe('skip');
    expect(arrivalOf(card, { ...closed, action: 'card_archived' })).toBe('skip');
    expect(arrivalOf(card, { ...closed, particulars: {} })).toBe('skip');
    expect(arrivalOf(card, { ...closed, rejection: { code: 'forbidden', message: 'No.', at: closed.createdAt } })).toBe('skip');
    expect(arrivalOf(undefined, { ...closed, rejection: { code: 'forbidden', message: 'No.', at: closed.createdAt } })).toBe('skip');
    expect(arrivalOf(card, 'nonsense')).toBe('skip');
  });

  it('refolds for an event that sorts earlier, a folded event now rejected, another fold version or no projection yet', () => {
    expect(arrivalOf(card, created)).toBe('refold');
    expect(arrivalOf(card, { ...moved, rejection: { code: 'forbidden', message: 'No.', at: moved.createdAt } })).toBe('refold');
    expect(arrivalOf(card && { ...card, foldVersion: FOLD_VERSION - 1 }, closed)).toBe('refold');
    expect(arrivalOf(undefined, created)).toBe('refold');
    expect(arrivalOf(undefined, closed)).toBe('refold');
  });
});
