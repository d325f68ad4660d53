// Events written straight into the log, as a merge from another device or the server would bring them:
// orphaning moves, refused events, actions from a newer version, events sharing an hlc.
import { expect } from 'vitest';
import { instantFromMs, type StoredEvent } from '../../../../shared/events';
import { newId } from '../../../../shared/ids';
import type { DomainContext } from '../../../../src-main/domain/context';
import type { AccountSession } from '../../../../src-main/store/store';

type RawInput = Pick<StoredEvent, 'action' | 'eventableType' | 'eventableId' | 'particulars'> & Partial<StoredEvent>;

/** An event as `ctx`'s device would have made it, unchecked: any action, any particulars. */
export function rawEvent(ctx: DomainContext, input: RawInput): StoredEvent {
  const nowMs = ctx.now();
  return {
    id: newId(nowMs),
    v: 1,
    accountId: ctx.account.accountId,
    boardId: '',
    creatorId: ctx.actor.id,
    creatorName: ctx.actor.name,
    deviceId: ctx.deviceId,
    hlc: ctx.clock.tick(),
    createdAt: instantFromMs(nowMs),
    ...input,
  };
}

/** Inserts events into the log in one write and waits until the projector has taken them. */
export async function insertEvents(session: AccountSession, events: readonly StoredEvent[]): Promise<void> {
  const applied = events.map((event) => session.projector.whenApplied(event.id));
  const rows = events.map((event) => ({ document: { ...event, _deleted: false, _attachments: {}, _rev: '', _meta: { lwt: 0 } } }));
  const result = await session.account.collections.events.storageInstance.bulkWrite(rows, 'test-merge');
  expect(result.error).toEqual([]);
  await Promise.all(applied);
}
