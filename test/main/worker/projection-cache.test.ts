// The projection cache (projection-cache.ts) against the storage: whatever writes the projections (the projector's
// folds, a server members record, a write beside them), a cached document is the stored one, a deleted one is
// found only with the deleted ones, and a read that a write overtook is not kept.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectionCollection } from '../../../shared/model';
import * as card from '../../../src-main/domain/card';
import * as comment from '../../../src-main/domain/comment';
import type { DomainContext } from '../../../src-main/domain/context';
import { projectionCacheOf } from '../../../src-main/worker/projection-cache';
import { addMember, openDomainFixture, seedBoard, type DomainFixture } from '../../support/domain-fixtures';

let f: DomainFixture;
let ctx: DomainContext;

beforeEach(async () => {
  f = await openDomainFixture();
  ctx = f.session.context();
});
afterEach(async () => {
  await f.close();
});

/** The cached documents of `ids` equal what a read of the storage itself returns (deleted ones included). */
async function expectCacheAsStored(collection: ProjectionCollection, ids: readonly string[]): Promise<void> {
  const stored = await f.session.account.collections[collection].storageInstance.findDocumentsById([...ids], true);
  const cached = await projectionCacheOf(f.session.account).findDocumentsById(collection, ids, true);
  expect(cached.length).toBe(ids.length);
  expect(new Map(cached.map((doc) => [doc.id, doc]))).toEqual(new Map(stored.map((doc) => [(doc as { id: string }).id, doc])));
}

describe('the projection cache', () => {
  it('holds each projection as stored, through the projector, writes beside it and a server members record', async () => {
    const { board, columns } = await seedBoard(ctx);
    const plan = await card.create(ctx, { boardId: board.id, columnId: columns[0]!.id, title: 'Plan' });
    const cache = projectionCacheOf(f.session.account);
    // Read once (and so cached), then changed by the projector, beside it, and deleted.
    await cache.findDocumentsById('cards', [plan.id], true);
    await card.move(ctx, plan.id, { toColumnId: columns[1]!.id });
    await card.tag(ctx, plan.id, 'launch');
    await expectCacheAsStored('cards', [plan.id]);
    const doc = await f.session.account.collections.cards.findOne(plan.id).exec();
    await doc!.incrementalPatch({ title: 'Patched beside the projector' });
    await expectCacheAsStored('cards', [plan.id]);
    const note = await comment.create(ctx, { cardId: plan.id, body: 'First' });
    await comment.edit(ctx, note.id, 'Second');
    await expectCacheAsStored('comments', [note.id]);
    // The server's members record replaces the folded one.
    await addMember(ctx, { id: 'user-bob', name: 'Bob' });
    await expectCacheAsStored('members', [f.session.account.accountId]);
    const members = await f.session.account.collections.members.findOne(f.session.account.accountId).exec();
    await members!.incrementalPatch({ source: 'server' } as never);
    await expectCacheAsStored('members', [f.session.account.accountId]);
    // Deleted (as a rebuild deletes what the fold no longer makes): found only with the deleted ones.
    await (await f.session.account.collections.cards.findOne(plan.id).exec())!.remove();
    await expectCacheAsStored('cards', [plan.id]);
    expect(await cache.findDocumentsById('cards', [plan.id], false)).toEqual([]);
    expect((await cache.findDocumentsById('cards', [plan.id], true)).map((d) => d._deleted)).toEqual([true]);
  });

  it('does not keep a read that a write overtook, and reads it again next time', async () => {
    const { board, columns } = await seedBoard(ctx);
    const plan = await card.create(ctx, { boardId: board.id, columnId: columns[0]!.id, title: 'Plan' });
    const cache = projectionCacheOf(f.session.account);
    cache.forget('cards');
    const storage = f.session.account.collections.cards.storageInstance;
    const [stored] = await storage.findDocumentsById([plan.id], false);
    // The read runs when `findDocumentsById` is called, the write right after it: the answer is the read's, but it
    // must not be kept.
    const reading = cache.findDocumentsById('cards', [plan.id], false);
    const writing = storage.bulkWrite([{ previous: stored!, document: { ...stored!, title: 'Written meanwhile' } }], 'test-beside');
    expect((await reading).map((d) => d.title)).toEqual(['Plan']);
    expect((await writing).error).toEqual([]);
    expect((await cache.findDocumentsById('cards', [plan.id], false)).map((d) => d.title)).toEqual(['Written meanwhile']);
  });

  it('answers for ids it has not seen, and for none, as the storage does', async () => {
    const cache = projectionCacheOf(f.session.account);
    expect(await cache.findDocumentsById('cards', ['no-such-card'], true)).toEqual([]);
    expect(await cache.findDocumentsById('boards', [], false)).toEqual([]);
  });
});
