// The page query that eventsNewestFirst sends without further conditions (`pagePlan`) is exactly what RxDB's
// normalizeMangoQuery and prepareQuery make of it: the same selector, sort, index, limit and query plan, for every
// index and every combination of bounds.
import { fillWithDefaultSettings, normalizeMangoQuery, prepareQuery, type MangoQuerySelector, type RxDocumentData, type RxJsonSchema } from 'rxdb';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../../shared/events';
import { eventsSchema } from '../../../../shared/model/schemas';
import { pagePlan, type EventIndexField } from '../../../../src-main/domain/queries/read';

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
