// The RxDB schemas are checked by RxDB itself: dev-mode's schema checks, a real (memory) database with
// every collection, and RxDB's ajv validation of the documents the fold produces.
import { addRxPlugin, createRxDatabase, type RxDatabase } from 'rxdb';
import { RxDBDevModePlugin, checkSchema, disableWarnings } from 'rxdb/plugins/dev-mode';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../shared/events';
import { foldAll } from '../../../shared/fold';
import { ACCOUNT_COLLECTIONS, COLLECTION_NAMES, PROJECTION_COLLECTIONS } from '../../../shared/model';
import { makeEvent } from '../fixtures';

disableWarnings();
addRxPlugin(RxDBDevModePlugin);

let db: RxDatabase | undefined;

afterEach(async () => {
  await db?.remove();
  db = undefined;
});

async function openDatabase(): Promise<RxDatabase> {
  db = await createRxDatabase({
    name: `schemas-${Math.random().toString(36).slice(2)}`,
    storage: wrappedValidateAjvStorage({ storage: getRxStorageMemory() }),
    multiInstance: false,
  });
  await db.addCollections(ACCOUNT_COLLECTIONS);
  return db;
}

describe('account database schemas', () => {
  it('pass RxDB’s schema checks, the events schema at version 0', () => {
    for (const { schema } of Object.values(ACCOUNT_COLLECTIONS)) expect(() => checkSchema(schema)).not.toThrow();
    expect(ACCOUNT_COLLECTIONS.events.schema.version).toBe(0);
    expect(ACCOUNT_COLLECTIONS.events.schema.indexes).toEqual([
      ['accountId', 'hlc', 'id'],
      ['eventableId', 'hlc', 'id'],
      ['boardId', 'hlc', 'id'],
      ['creatorId', 'hlc', 'id'],
    ]);
    expect(Object.keys(ACCOUNT_COLLECTIONS).sort()).toEqual(Object.values(COLLECTION_NAMES).sort());
  });

  it('store every event of every action, a rejected one, and the projections the fold makes of them', async () => {
    const database = await openDatabase();
    const events = ACTIONS.map((action) => makeEvent(action));
    const rejected = { ...makeEvent('card_renamed'), rejection: { code: 'forbidden', message: 'No.', at: '2026-01-01T00:00:00.000Z' } };
    const newer = { ...makeEvent('card_closed'), action: 'card_archived', v: 4, particulars: { reason: 'old' } };
    const inserted = await database.collections['events']!.bulkInsert([...events, rejected, newer]);
    expect(inserted.error).toEqual([]);

    const projections = foldAll(events);
    for (const collection of PROJECTION_COLLECTIONS) {
      const docs = [...projections[collection].values()];
      expect(docs.length).toBeGreaterThan(0);
      const result = await database.collections[collection]!.bulkInsert(docs);
      expect(result.error).toEqual([]);
    }
    const closed = foldAll([makeEvent('card_created'), makeEvent('card_closed'), makeEvent('card_due_date_changed'), makeEvent('card_deleted')]).cards;
    const card = [...closed.values()][0];
    expect(card).toMatchObject({ isClosed: true, isDeleted: true, dueDate: '2026-03-31' });
    if (card === undefined) throw new Error('the fold made no card');
    await database.collections['cards']!.upsert(card);

    await database.collections['checkpoints']!.insert({ id: 'projector', checkpoint: { sequence: 42 }, updatedAt: '2026-01-01T00:00:00.000Z' });
    await database.collections['checkpoints']!.insert({ id: 'replicator', checkpoint: null, updatedAt: '2026-01-01T00:00:00.000Z' });

    const page = await database.collections['events']!.find({
      selector: { eventableId: events[10]!.eventableId },
      sort: [{ hlc: 'desc' }, { id: 'desc' }],
    }).exec();
    expect(page.length).toBeGreaterThan(1);
    expect(page.map((doc) => doc.get('hlc'))).toEqual([...page.map((doc) => doc.get('hlc') as string)].sort().reverse());
  });

  it('refuse an event without a boardId and an indexed string beyond its maxLength', async () => {
    const database = await openDatabase();
    const { boardId: _none, ...withoutBoard } = makeEvent('card_closed');
    await expect(database.collections['events']!.insert(withoutBoard)).rejects.toThrow();
    await expect(database.collections['events']!.insert({ ...makeEvent('card_closed'), eventableId: 'x'.repeat(65) })).rejects.toThrow();
    const card = foldAll([makeEvent('card_created')]).cards.values().next().value;
    if (card === undefined) throw new Error('the fold made no card');
    await expect(database.collections['cards']!.insert({ ...card, isClosed: 'yes' })).rejects.toThrow();
    await expect(database.collections['cards']!.insert({ ...card, closedBy: { id: 'u1' } })).rejects.toThrow();
    await expect(database.collections['cards']!.insert(card)).resolves.toBeDefined();
  });
});
