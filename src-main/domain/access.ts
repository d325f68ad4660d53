// The one place that decides who may run a verb. It reads the account's members record (folded from the
// account's events, or the server's once published), never a role carried by the caller.
import type { RxDocumentData } from 'rxdb';
import { AppError } from '../../shared/errors';
import type { Member, MembersRecord } from '../../shared/model';
import { projectionCacheOf } from '../worker/projection-cache';
import { findEntity, type DomainContext } from './context';

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
  // Nearly always in the projection cache: no wait then.
  return authorizeNow(ctx, verb) ?? memberFor(ctx, verb, (await membersRecord(ctx))?.members);
}

/**
 * `authorize` from the projection cache alone, without waiting: the acting member, `forbidden`, or undefined when
 * the cache does not hold the members record (then `authorize`). Reads the cached record in place, no copy.
 */
export function authorizeNow(ctx: DomainContext, verb: string): Member | undefined {
  const { accountId } = ctx.account;
  const doc = projectionCacheOf(ctx.account).peek('members', accountId);
  if (doc === undefined) return undefined;
  const isLive = !doc._deleted && doc.accountId === accountId;
  return memberFor(ctx, verb, isLive ? (doc as unknown as RxDocumentData<MembersRecord>).members : undefined);
}

function memberFor(ctx: DomainContext, verb: string, members: readonly Member[] | undefined): Member {
  const actorId = ctx.actor.id;
  let member: Member | undefined;
  if (members) {
    for (const candidate of members) {
      if (candidate.id === actorId) {
        member = candidate;
        break;
      }
    }
  }
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
