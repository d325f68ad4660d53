// The page query that eventsNewestFirst sends without further conditions (`pagePlan`) is exactly what RxDB's
// normalizeMangoQuery and prepareQuery make of it: the same selector, sort, index, limit and query plan, for every
// index and every combination of bounds.
import {
  fillWithDefaultSettings,
  normalizeMangoQuery,
  prepareQuery,
  type MangoQuery,
  type MangoQuerySelector,
  type RxDocumentData,
  type RxJsonSchema,
} from 'rxdb';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../../shared/events';
import type { Card, Comment } from '../../../../shared/model';
import { cardsSchema, commentsSchema, eventsSchema } from '../../../../shared/model/schemas';
import { cardCommentsQuery, columnCardsQuery } from '../../../../src-main/domain/card-order';
import { pagePlan, preparedLike, type EventIndexField } from '../../../../src-main/domain/queries/read';

const schema = fillWithDefaultSettings(eventsSchema as RxJsonSchema<StoredEvent>) as RxJsonSchema<RxDocumentData<StoredEvent>>;

function rxdbPlan(field: EventIndexField, value: string, before: string | undefined, notBefore: string | undefined, limit: number) {
  const hlc: Record<string, string> = {};
  if (before !== undefined) hlc['$lte'] = before;
  if (notBefore !== undefined) hlc['$gte'] = notBefore;
  const selector: Record<string, unknown> = { [field]: value, _deleted: { $eq: false } };
  if (Object.keys(hlc).length > 0) selector['hlc'] = hlc;
  const normalized = normalizeMangoQuery<StoredEvent>(schema, {
    selector: selector as MangoQuerySelector<StoredEvent>,
    sort: [{ hlc: 'desc' }, { id: 'desc' }],
    index: [field, 'hlc', 'id'],
    limit,
  });
  normalized.index!.unshift('_deleted');
  return prepareQuery(schema, normalized);
}

describe('pagePlan', () => {
  const fields: EventIndexField[] = ['eventableId', 'boardId', 'accountId', 'creatorId'];
  const hlcs = ['1764147600000-0000-00000000000000aa', '1764147600000-0003-00000000000000ab', '1764150000000-0001-00000000000000aa'];
  const ids = ['0196b7e0-0000-7000-8000-000000000001', 'card-1', 'z'];

  it('makes the query and plan RxDB makes, for every index and bound, call after call', () => {
    let compared = 0;
    for (let round = 0; round < 2; round++) {
      for (const field of fields) {
        for (const value of ids) {
          for (const before of [undefined, ...hlcs]) {
            for (const notBefore of [undefined, hlcs[0]!]) {
              const limit = 1 + ((compared * 7) % 60);
              const ours = pagePlan(schema, field, value, { before: before === undefined ? undefined : { hlc: before, id: ids[0]! }, notBeforeHlc: notBefore }, limit);
              expect(ours).toEqual(rxdbPlan(field, value, before, notBefore, limit));
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBe(2 * fields.length * ids.length * (hlcs.length + 1) * 2);
  });
});

describe('preparedLike', () => {
  /** What findDocuments sends for the same query: RxDB's normalization and plan, `_deleted` pinned first. */
  function rxdbPrepared<T>(schema: RxJsonSchema<RxDocumentData<T>>, query: MangoQuery<T>) {
    const normalized = normalizeMangoQuery<T>(schema, { ...query, selector: { ...query.selector, _deleted: { $eq: false } } as MangoQuery<T>['selector'] });
    normalized.index!.unshift('_deleted');
    return prepareQuery(schema, normalized);
  }

  it("makes the query and plan RxDB makes of a column's cards and of a card's comments, whatever the values", () => {
    const cards = fillWithDefaultSettings(cardsSchema as RxJsonSchema<Card>) as RxJsonSchema<RxDocumentData<Card>>;
    const comments = fillWithDefaultSettings(commentsSchema as RxJsonSchema<Comment>) as RxJsonSchema<RxDocumentData<Comment>>;
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
      compared++;
    }
    expect(compared).toBe(ids.length * ids.length + ids.length);
  });
});
