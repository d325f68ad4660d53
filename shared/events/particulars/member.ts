// Particulars of member events (eventable: the account; eventableId = accountId). For an account
// never published these fold into its members record; once published the server's record replaces it.
import { object, type Infer } from '../schema';
import { idSchema, nameSchema, refSchema, roleSchema } from './common';

export const memberJoinedV1 = object({ member: refSchema, role: roleSchema });
export type MemberJoinedV1 = Infer<typeof memberJoinedV1>;

export const memberRenamedV1 = object({ memberId: idSchema, from: nameSchema, to: nameSchema });
export type MemberRenamedV1 = Infer<typeof memberRenamedV1>;

export const memberRoleChangedV1 = object({ member: refSchema, from: roleSchema, to: roleSchema });
export type MemberRoleChangedV1 = Infer<typeof memberRoleChangedV1>;

/** `role`: the role they had. A member may remove themselves (leaving). */
export const memberRemovedV1 = object({ member: refSchema, role: roleSchema });
export type MemberRemovedV1 = Infer<typeof memberRemovedV1>;
