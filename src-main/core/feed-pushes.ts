// Pushes from the event log: the core follows the events feed of every account session it opens, and once
// the projector has folded the new events it tells the renderer what changed (`board.changed` for each
// board the events name; `account.changed` when they concern the account, its members or its list of
// boards). Events from anywhere count: this device's commands, and later the replicator's pulls.
//
// Sessions come and go (switching accounts, restoring a backup opens a fresh one), so `watch` is called
// with every session the core opens; a new session of an account replaces the old one's subscription.
import type { Subscription } from 'rxjs';
import type { Push } from '../../shared/api';
import { NO_BOARD } from '../../shared/events';
import type { AccountSession } from '../store/store';

/** Events of these eventables change the account view or its list of boards. */
const ACCOUNT_EVENTABLES: ReadonlySet<string> = new Set(['account', 'board']);

export type FeedPushes = {
  /** Follows this session's events feed (again a no-op for a session already followed). */
  watch(session: AccountSession): void;
  /** Stops following every feed; nothing is pushed afterwards. */
  stop(): void;
};

export function createFeedPushes(send: (push: Push) => void): FeedPushes {
  const followed = new Map<string, { session: AccountSession; subscription: Subscription }>();
  let isStopped = false;

  function watch(session: AccountSession): void {
    if (isStopped) return;
    const accountId = session.account.accountId;
    const current = followed.get(accountId);
    if (current?.session === session) return;
    current?.subscription.unsubscribe();
    const events = session.account.collections.events.storageInstance;
    const subscription = events.changeStream().subscribe((bulk) => {
      const boardIds = new Set<string>();
      let isAccountChanged = false;
      for (const change of bulk.events) {
        const event = change.documentData;
        if (event.boardId !== NO_BOARD) boardIds.add(event.boardId);
        if (ACCOUNT_EVENTABLES.has(event.eventableType)) isAccountChanged = true;
      }
      if (boardIds.size === 0 && !isAccountChanged) return;
      void afterFold(session).then(() => {
        if (isStopped) return;
        for (const boardId of boardIds) send({ topic: 'board.changed', payload: { accountId, boardId } });
        if (isAccountChanged) send({ topic: 'account.changed', payload: { accountId } });
      });
    });
    followed.set(accountId, { session, subscription });
  }

  function stop(): void {
    isStopped = true;
    for (const { subscription } of followed.values()) subscription.unsubscribe();
    followed.clear();
  }

  return { watch, stop };
}

/**
 * Resolves once the projector has folded what the feed just announced. The projector follows the same
 * feed (it subscribed when the session opened, before us), so by the next microtask it is draining.
 */
async function afterFold(session: AccountSession): Promise<void> {
  await Promise.resolve();
  await session.projector.idle();
}
