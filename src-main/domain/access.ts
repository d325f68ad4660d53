// The one place that decides who may run a verb. It reads the account's members record (folded from the
// account's events, or the server's once published), never a role carried by the caller.
import type { RxDocumentData } from 'rxdb';
import { AppError } from '../../shared/errors';
import type { Member, MembersRecord } from '../../shared/model';
import { projectionCacheOf } from '../worker/projection-cache';
import { findEntity, isLiveHere, type DomainContext } from './context';

/** Verbs only an admin may run. Webhook and member verbs arrive with later issues and are listed here. */
export const ADMIN_VERBS: ReadonlySet<string> = new Set([
  'webhook.create',
  'webhook.update',
  'webhook.enable',
  'webhook.disable',
  'webhook.rotateSecret',
  'webhook.delete',
  'webhook.redeliver',
  'webhook.test',
  'member.invite',
  'member.rename',
  'member.changeRole',
  'member.remove',
]);

export function isAdminVerb(verb: string): boolean {
  return ADMIN_VERBS.has(verb);
}

/** The acting member, when they may run `verb`; `forbidden` (and nothing written) otherwise. */
export async function authorize(ctx: DomainContext, verb: string): Promise<Member> {
  // Nearly always in the projection cache: read there in place (no copy, no wait).
  return authorizeFromCache(ctx, verb) ?? memberFor(ctx, verb, (await membersRecord(ctx))?.members);
}

/** The acting member or `forbidden` from the cached members record; undefined when the cache does not hold it. */
function authorizeFromCache(ctx: DomainContext, verb: string): Member | undefined {
  const doc = projectionCacheOf(ctx.account).peek('members', ctx.account.accountId);
  if (doc === undefined) return undefined;
  return memberFor(ctx, verb, isLiveHere(ctx, doc) ? (doc as unknown as RxDocumentData<MembersRecord>).members : undefined);
}

function memberFor(ctx: DomainContext, verb: string, members: readonly Member[] | undefined): Member {
  const member = members?.find((candidate) => candidate.id === ctx.actor.id);
  if (!member) throw new AppError('forbidden', 'You are not a member of this account.');
  if (isAdminVerb(verb) && member.role !== 'admin') {
    throw new AppError('forbidden', 'Only an admin of this account can do that.');
  }
  return member;
}

/** The account's members record (the caller must not change it: the projection cache shares it). */
export async function membersRecord(ctx: DomainContext): Promise<MembersRecord | undefined> {
  return findEntity(ctx, 'members', ctx.account.accountId);
}
