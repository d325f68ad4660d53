import { afterEach, describe, expect, it } from 'vitest';
import { openDomainFixture, type DomainFixture } from '../../support/domain-fixtures';
import * as card from '../../../src-main/domain/card';

let fixture: DomainFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

describe('first run', () => {
  it('creates a local account whose first user is its admin, recorded as account_created', async () => {
    fixture = await openDomainFixture();
    const events = await fixture.events();
    expect(events.map((e) => e.action)).toEqual(['account_created']);
    const members = await fixture.session.account.collections.members.findOne(fixture.session.account.accountId).exec();
    expect(members?.members).toEqual([{ id: fixture.session.user.id, name: fixture.session.user.name, role: 'admin' }]);
  });

  it('refuses a card in an unknown column with not_found and records nothing', async () => {
    fixture = await openDomainFixture();
    const ctx = fixture.session.context();
    await expect(card.create(ctx, { boardId: 'nope', columnId: 'nope', title: 'A' })).rejects.toMatchObject({ code: 'not_found' });
    expect((await fixture.events()).length).toBe(1);
  });
});
