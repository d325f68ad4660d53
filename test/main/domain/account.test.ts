import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor, StoredEvent } from '../../../shared/events';
import { newId } from '../../../shared/ids';
import * as account from '../../../src-main/domain/account';
import type { DomainContext } from '../../../src-main/domain/context';
import { openAccountDb } from '../../../src-main/store/account-db';
import { openStore, type Store } from '../../../src-main/store/store';
import { Projector } from '../../../src-main/worker/projector';
import { createTestClock, eventsOf, expectOneEvent, expectRefused, openDomainFixture } from '../../support/domain-fixtures';

describe('account.create', () => {
  let dir: string;
  let store: Store;
  let ctx: DomainContext;
  let events: () => Promise<StoredEvent[]>;
  let closeAccount: () => Promise<void>;
  const ann: Actor = { id: 'ann', name: 'Ann' };

  // A fresh account database with its projector and no event yet, as `store.createAccount` prepares it.
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tb-account-'));
    const clock = createTestClock();
    store = await openStore({ dataDir: dir, now: clock.now });
    const db = await openAccountDb(store.storage, newId(clock.now()));
    const projector = new Projector(db);
    await projector.start();
    ctx = { account: db, actor: ann, deviceId: store.deviceId, clock: store.clock, now: store.now, projector };
    events = () => eventsOf({ account: db });
    closeAccount = async () => {
      await projector.stop();
      await db.db.close();
    };
  });
  afterEach(async () => {
    await closeAccount();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the account with the actor as its first admin and records account_created', async () => {
    const accountId = ctx.account.accountId;
    const { result, event } = await expectOneEvent({ events }, () => account.create(ctx, { name: '  Acme  ' }));
    expect(result).toMatchObject({ id: accountId, accountId, name: 'Acme', createdBy: ann });
    expect(event).toMatchObject({
      action: 'account_created',
      eventableType: 'account',
      eventableId: accountId,
      accountId,
      boardId: '',
      creatorId: 'ann',
      creatorName: 'Ann',
    });
    expect(event.particulars).toEqual({ account: { id: accountId, name: 'Acme' }, admin: ann });
    const members = await ctx.account.collections.members.findOne(accountId).exec();
    expect(members?.members).toEqual([{ id: 'ann', name: 'Ann', role: 'admin' }]);
  });

  it.each([
    ['an empty name', { name: '' }],
    ['a blank name', { name: '   ' }],
    ['a name of 201 characters', { name: 'a'.repeat(201) }],
    ['a name that is not text', { name: 12 }],
    ['no name', {}],
  ])('refuses %s with invalid_input and records nothing', async (_name, input) => {
    await expectRefused({ events }, () => account.create(ctx, input as never), 'invalid_input');
    expect(await events()).toEqual([]);
  });

  it('refuses an actor whose id is not an id with invalid_input and records nothing', async () => {
    const odd = { ...ctx, actor: { id: 'not an id', name: 'Odd' } };
    await expectRefused({ events }, () => account.create(odd, { name: 'Acme' }), 'invalid_input');
    expect(await events()).toEqual([]);
  });

  it('refuses to create an account twice with conflict', async () => {
    await account.create(ctx, { name: 'Acme' });
    await expectRefused({ events }, () => account.create(ctx, { name: 'Acme again' }), 'conflict');
    expect((await events()).map((e) => e.action)).toEqual(['account_created']);
  });
});

describe('store.createAccount', () => {
  it('creates an account database whose only event is account_created, naming the person as admin', async () => {
    const fixture = await openDomainFixture({ newAccount: { name: 'Acme', userName: ' Ann ' } });
    try {
      const events = await fixture.events();
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'account_created',
        accountId: fixture.session.account.accountId,
        particulars: {
          account: { id: fixture.session.account.accountId, name: 'Acme' },
          admin: { id: fixture.session.user.id, name: 'Ann' },
        },
      });
      expect(fixture.store.listAccountIds()).toEqual([fixture.session.account.accountId]);
    } finally {
      await fixture.close();
    }
  });

  it('refuses an invalid name with invalid_input and leaves no account behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-account-'));
    const store = await openStore({ dataDir: dir, now: createTestClock().now });
    try {
      await expect(store.createAccount({ name: ' ', userName: 'Ann' })).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(store.createAccount({ name: 'x'.repeat(201), userName: 'Ann' })).rejects.toMatchObject({ code: 'invalid_input' });
      expect(store.listAccountIds()).toEqual([]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
