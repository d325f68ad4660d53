// Queries planned once per shape (storage-reads.ts) are exactly what RxDB's normalizeMangoQuery and prepareQuery
// make of the same query with its values in place: the same selector, sort, index, limit and plan.
import { fillWithDefaultSettings, normalizeMangoQuery, prepareQuery, type MangoQuery, type RxDocumentData, type RxJsonSchema } from 'rxdb';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../shared/events';
import type { Card, Comment } from '../../../shared/model';
import { cardsSchema, commentsSchema, eventsSchema } from '../../../shared/model/schemas';
import { cardCommentsQuery, columnCardsQuery } from '../../../src-main/domain/card-order';
import { entityLogQuery } from '../../../src-main/worker/projector';
import { preparedLike } from '../../../src-main/worker/storage-reads';

describe('preparedLike', () => {
  /** What findDocuments sends for the same query: RxDB's normalization and plan, `_deleted` pinned first. */
  function rxdbPrepared<T>(schema: RxJsonSchema<RxDocumentData<T>>, query: MangoQuery<T>) {
    const normalized = normalizeMangoQuery<T>(schema, { ...query, selector: { ...query.selector, _deleted: { $eq: false } } as MangoQuery<T>['selector'] });
    normalized.index!.unshift('_deleted');
    return prepareQuery(schema, normalized);
  }

  it("makes the query and plan RxDB makes of a column's cards, a card's comments and an entity's log, whatever the values", () => {
    const cards = fillWithDefaultSettings(cardsSchema as RxJsonSchema<Card>) as RxJsonSchema<RxDocumentData<Card>>;
    const comments = fillWithDefaultSettings(commentsSchema as RxJsonSchema<Comment>) as RxJsonSchema<RxDocumentData<Comment>>;
    const events = fillWithDefaultSettings(eventsSchema as RxJsonSchema<StoredEvent>) as RxJsonSchema<RxDocumentData<StoredEvent>>;
    const ids = ['0196b7e0-0000-7000-8000-000000000001', 'board-1', 'z', 'A_b-9'];
    let compared = 0;
    for (const a of ids) {
      for (const b of ids) {
        const values = { boardId: a, columnId: b };
        const real = columnCardsQuery((name) => values[name as keyof typeof values]);
        expect(preparedLike(cards, 'column-order', columnCardsQuery, values)).toEqual(rxdbPrepared(cards, real));
        compared++;
      }
      expect(preparedLike(comments, 'card-comments', cardCommentsQuery, { cardId: a })).toEqual(rxdbPrepared(comments, cardCommentsQuery(() => a)));
      expect(preparedLike(events, 'entity-log', entityLogQuery, { id: a })).toEqual(rxdbPrepared(events, entityLogQuery(() => a)));
      compared += 2;
    }
    expect(compared).toBe(ids.length * ids.length + 2 * ids.length);
  });
});
