// The account and its members record, both folded from the account's events (eventableId = accountId).
import type { Account, Member, MembersRecord } from '../model/entities';
import { authorOf, createReducer } from './reducer';

const unchanged = <E>(entity: E): E => entity;

export const reduceAccount = createReducer<'account', 'account_created', Account>({
  eventableType: 'account',
  creation: 'account_created',
  create: (event) => ({
    name: event.particulars.account.name,
    createdAt: event.createdAt,
    createdBy: authorOf(event),
  }),
  handlers: {
    member_joined: unchanged,
    member_renamed: unchanged,
    member_role_changed: unchanged,
    member_removed: unchanged,
  },
});

/**
 * Members of an account never published: `account_created` names the first admin; joins, renames,
 * role changes and removals follow. A join of someone already in, or a change to someone not in, is a
 * no-op. (Keeping at least one admin is a rule of the commands, not of the fold.)
 */
export const reduceMembers = createReducer<'account', 'account_created', MembersRecord>({
  eventableType: 'account',
  creation: 'account_created',
  create: (event) => ({
    source: 'fold',
    members: [{ id: event.particulars.admin.id, name: event.particulars.admin.name, role: 'admin' }],
  }),
  handlers: {
    member_joined: (record, event) => {
      const { member, role } = event.particulars;
      if (record.members.some((m) => m.id === member.id)) return record;
      return { ...record, members: [...record.members, { id: member.id, name: member.name, role }] };
    },
    member_renamed: (record, event) =>
      updateMember(record, event.particulars.memberId, (m) => ({ ...m, name: event.particulars.to })),
    member_role_changed: (record, event) =>
      updateMember(record, event.particulars.member.id, (m) => ({ ...m, role: event.particulars.to })),
    member_removed: (record, event) => {
      const id = event.particulars.member.id;
      if (!record.members.some((m) => m.id === id)) return record;
      return { ...record, members: record.members.filter((m) => m.id !== id) };
    },
  },
});

function updateMember(record: MembersRecord, id: string, change: (member: Member) => Member): MembersRecord {
  if (!record.members.some((m) => m.id === id)) return record;
  return { ...record, members: record.members.map((m) => (m.id === id ? change(m) : m)) };
}
