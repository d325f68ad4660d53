// Pages the index answers alone are read with LIMIT and OFFSET written into the statement (a table keeps a
// bounded number of those statements; past it, pages bind LIMIT and OFFSET). Both ways must give the same
// documents: 40 limits x 2 skips x both directions go past the bound, each compared with the expected slice.
import { createRxDatabase, type RxJsonSchema } from 'rxdb';
import { describe, expect, it } from 'vitest';
import { getRxStorageSQLite } from '../../../../src-main/store/sqlite-storage';
import { useCleanups } from './durability-harness';

type Note = { id: string; rank: number };

const noteSchema: RxJsonSchema<Note> = {
  version: 0,
  type: 'object',
  primaryKey: 'id',
  properties: {
    id: { type: 'string', maxLength: 20 },
    rank: { type: 'integer', minimum: 0, maximum: 1000, multipleOf: 1 },
  },
  required: ['id', 'rank'],
  indexes: ['rank'],
};

const { cleanups, tempFolder } = useCleanups();

describe('pages answered by the index', () => {
  it('give the same documents with literal and with bound LIMIT/OFFSET, in both directions', async () => {
    const db = await createRxDatabase({ name: 'pages', storage: getRxStorageSQLite({ path: tempFolder('pages') }), multiInstance: false });
    cleanups.push(() => db.close().then(() => undefined));
    const { notes } = await db.addCollections({ notes: { schema: noteSchema } });
    if (!notes) throw new Error('no collection');
    const all = Array.from({ length: 60 }, (_, i) => ({ id: `n${String(i).padStart(3, '0')}`, rank: (i * 37) % 101 }));
    await notes.bulkInsert(all);
    const ascending = [...all].sort((a, b) => a.rank - b.rank || a.id.localeCompare(b.id)).map((note) => note.id);
    const descending = [...all].sort((a, b) => b.rank - a.rank || b.id.localeCompare(a.id)).map((note) => note.id);
    let checked = 0;
    for (let limit = 1; limit <= 40; limit++) {
      for (const skip of [0, 3]) {
        for (const direction of ['asc', 'desc'] as const) {
          const found = await notes
            .find({ selector: { rank: { $gte: 0 } }, sort: [{ rank: direction }, { id: direction }], limit, skip })
            .exec();
          const expected = (direction === 'asc' ? ascending : descending).slice(skip, skip + limit);
          expect(found.map((note) => note.id)).toEqual(expected);
          checked++;
        }
      }
    }
    expect(checked).toBe(160);
  });
});
