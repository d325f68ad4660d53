// Building a new event: the one write a domain command makes.
import { newId } from '../ids';
import type { Action } from './actions';
import { CATALOGUE, type ParticularsOf } from './catalogue';
import { NO_BOARD, type KnownEvent } from './envelope';
import { instantFromMs } from './text';

export type Actor = { id: string; name: string };

export type NewEvent<A extends Action> = {
  action: A;
  accountId: string;
  eventableId: string;
  /** The board the event belongs to; omit (or '') for account-level events. */
  boardId?: string;
  actor: Actor;
  deviceId: string;
  /** From the device's clock: `clock.tick()`. */
  hlc: string;
  /** Wall clock in epoch ms, for `createdAt` and the id's time part. */
  nowMs: number;
  particulars: ParticularsOf<A>;
  /** Only for tests and imports that must keep a given id. */
  id?: string;
};

/**
 * The envelope for a new event at the action's current version. Does not validate: the domain runs
 * `validateEvent` (shared/node/validate.ts) on the result before inserting it.
 */
export function createEvent<A extends Action>(input: NewEvent<A>): KnownEvent<A> {
  const entry = CATALOGUE[input.action];
  const event = {
    id: input.id ?? newId(input.nowMs),
    v: entry.current,
    accountId: input.accountId,
    action: input.action,
    eventableType: entry.eventableType,
    eventableId: input.eventableId,
    boardId: input.boardId ?? NO_BOARD,
    creatorId: input.actor.id,
    creatorName: input.actor.name,
    deviceId: input.deviceId,
    hlc: input.hlc,
    createdAt: instantFromMs(input.nowMs),
    particulars: input.particulars,
  };
  // Distributing `A` over the union defeats inference here; each field above is exactly `A`'s.
  return event as KnownEvent<A>;
}
