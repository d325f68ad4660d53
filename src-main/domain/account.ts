// The account: created once, by its first admin (the person creating it on this device).
import { AppError } from '../../shared/errors';
import type { Account } from '../../shared/model';
import { commitEntity, findEntity, type DomainContext } from './context';
import { requireText } from './text';

/** Records `account_created`, naming the actor as the first admin. Refused if the account exists. */
export async function create(ctx: DomainContext, input: { name: string }): Promise<Account> {
  const name = requireText(input.name, 'account name');
  if (await findEntity(ctx, 'accounts', ctx.account.accountId)) {
    throw new AppError('conflict', 'This account already exists.');
  }
  return commitEntity(ctx, 'accounts', {
    action: 'account_created',
    eventableId: ctx.account.accountId,
    particulars: { account: { id: ctx.account.accountId, name }, admin: { id: ctx.actor.id, name: ctx.actor.name } },
  });
}
