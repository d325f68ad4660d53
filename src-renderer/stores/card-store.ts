// The open card panel's view state: the card as the core answers it (`card.get`), its timeline pages
// (`card.timeline`), and what is loading or failed. Everything shown comes from the core: a change is
// sent as a command, and on success the card and the newest timeline page are asked for again (the
// core's `board.changed` push does the same for changes made elsewhere: another window, undo, sync).
// The store never computes a domain result; a refused command comes back as a Result for the caller to
// explain, with whatever the person typed still in their field. A change that succeeds becomes the one
// Edit ▸ Undo compensates (undo-store).
import { create } from 'zustand';
import type { CommandName, Failure, InputOf, OutputOf, Result } from '../../shared/api/contract';
import type { CardView, EventItem } from '../../shared/model/views';
import { api } from '../lib/api';
import { appendUnique, ask, coalescedReload, mergeRefreshed, refreshLimit } from './paging';
import { useUndoStore } from './undo-store';

/** Timeline events per page ("Show older" asks for the next one). */
export const TIMELINE_PAGE_SIZE = 25;

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export type TimelineState = {
  items: EventItem[];
  /** Pass to `card.timeline` for the next, older page; null when the oldest event is shown. */
  nextCursor: string | null;
  status: LoadStatus;
  error: Failure | null;
  isLoadingOlder: boolean;
  olderError: Failure | null;
};

/** The commands the card panel sends (the ones that change a card or its comments). */
export type CardCommand = Extract<
  CommandName,
  | 'card.rename'
  | 'card.describe'
  | 'card.close'
  | 'card.reopen'
  | 'card.assign'
  | 'card.unassign'
  | 'card.tag'
  | 'card.untag'
  | 'card.setDueDate'
  | 'card.delete'
  | 'card.restore'
  | 'comment.create'
  | 'comment.edit'
  | 'comment.delete'
  | 'comment.restore'
>;

/**
 * Text typed into the panel and not yet saved, per card: kept here (not in the fields) so that a refused
 * change, closing the panel or opening another card loses nothing. Keys: `title`, `description`,
 * `comment` (the new comment), `tag`, `edit:<commentId>` (a comment being edited).
 */
export type CardDrafts = Record<string, string>;

export type CardStore = {
  cardId: string | null;
  view: CardView | null;
  status: LoadStatus;
  error: Failure | null;
  timeline: TimelineState;
  /** Commands sent and not yet answered, by a key the panel chooses (a field, a comment id). */
  pending: Record<string, true>;
  /** Unsaved text by card id (survives closing the panel). */
  drafts: Record<string, CardDrafts>;
  /** Keeps `text` as the unsaved `key` of `cardId`; null forgets it (saved or discarded). */
  setDraft: (cardId: string, key: string, text: string | null) => void;
  /** Opens `cardId`: loads it and its newest events, and follows the core's pushes until `close`. */
  open: (cardId: string) => void;
  close: () => void;
  /** Asks the core again for the card and the timeline events shown so far. */
  reload: () => Promise<void>;
  loadOlder: () => Promise<void>;
  /**
   * Sends a change. Answers the core's Result (a refusal is the caller's to explain); on success the
   * card and its timeline are read again. `pendingKey` marks the change as in flight meanwhile.
   */
  change: <C extends CardCommand>(command: C, input: InputOf<C>, pendingKey?: string) => Promise<Result<OutputOf<C>>>;
};

const EMPTY_TIMELINE: TimelineState = {
  items: [],
  nextCursor: null,
  status: 'idle',
  error: null,
  isLoadingOlder: false,
  olderError: null,
};

export const useCardStore = create<CardStore>()((set, get) => {
  /** Bumped on every open/close: answers for an older card are dropped. */
  let session = 0;
  let unsubscribe: (() => void) | undefined;

  async function loadCard(forSession: number, cardId: string): Promise<void> {
    const result = await ask('card.get', { cardId });
    if (forSession !== session) return;
    if (result.ok) set({ view: result.value, status: 'ready', error: null });
    // A card that was shown and is now gone (a restore, a switch) becomes an error; a failed refresh of a
    // card still there keeps what is shown.
    else if (get().view === null || result.error.code === 'not_found') set({ view: null, status: 'error', error: result.error });
  }

  async function loadNewest(forSession: number, cardId: string): Promise<void> {
    const shown = get().timeline.items.length;
    const limit = refreshLimit(shown, TIMELINE_PAGE_SIZE);
    const result = await ask('card.timeline', { cardId, limit });
    if (forSession !== session) return;
    const timeline = get().timeline;
    if (result.ok) {
      set({ timeline: { ...timeline, ...mergeRefreshed(shown, timeline, result.value), status: 'ready', error: null } });
    } else if (timeline.status !== 'ready') {
      set({ timeline: { ...timeline, status: 'error', error: result.error } });
    }
  }

  async function reloadOnce(): Promise<void> {
    const { cardId } = get();
    if (cardId === null) return;
    const forSession = session;
    await Promise.all([loadCard(forSession, cardId), loadNewest(forSession, cardId)]);
  }

  /** One reload at a time; a request arriving meanwhile runs once more after it. */
  const reload = coalescedReload(reloadOnce);

  function follow(): () => void {
    const offBoard = api.on('board.changed', ({ boardId }) => {
      if (get().view?.card.boardId === boardId) void reload();
    });
    // A restore or an account switch may replace everything: read the card again (or say it is gone).
    const offAccounts = api.on('accounts.changed', () => void reload());
    // Pushes missed while the link to the core was down are not replayed: read again on reconnecting.
    let wasDown = false;
    const offConnection = api.onConnection((state) => {
      if (state === 'disconnected') wasDown = true;
      else if (state === 'connected' && wasDown) {
        wasDown = false;
        void reload();
      }
    });
    return () => {
      offBoard();
      offAccounts();
      offConnection();
    };
  }

  return {
    cardId: null,
    view: null,
    status: 'idle',
    error: null,
    timeline: EMPTY_TIMELINE,
    pending: {},
    drafts: {},

    setDraft(cardId, key, text) {
      const drafts = get().drafts;
      const { [key]: _old, ...others } = drafts[cardId] ?? {};
      const forCard: CardDrafts = text === null ? others : { ...others, [key]: text };
      const { [cardId]: _card, ...otherCards } = drafts;
      set({ drafts: Object.keys(forCard).length === 0 ? otherCards : { ...otherCards, [cardId]: forCard } });
    },

    open(cardId) {
      if (get().cardId === cardId && get().status !== 'error') return;
      session += 1;
      unsubscribe?.();
      unsubscribe = follow();
      set({ cardId, view: null, status: 'loading', error: null, timeline: { ...EMPTY_TIMELINE, status: 'loading' }, pending: {} });
      const forSession = session;
      void loadCard(forSession, cardId);
      void loadNewest(forSession, cardId);
    },

    close() {
      session += 1;
      unsubscribe?.();
      unsubscribe = undefined;
      set({ cardId: null, view: null, status: 'idle', error: null, timeline: EMPTY_TIMELINE, pending: {} });
    },

    reload,

    async loadOlder() {
      const { cardId, timeline } = get();
      if (cardId === null || timeline.nextCursor === null || timeline.isLoadingOlder) return;
      const forSession = session;
      set({ timeline: { ...timeline, isLoadingOlder: true, olderError: null } });
      const result = await ask('card.timeline', { cardId, cursor: timeline.nextCursor, limit: TIMELINE_PAGE_SIZE });
      if (forSession !== session) return;
      const now = get().timeline;
      set({
        timeline: result.ok
          ? { ...now, items: appendUnique(now.items, result.value.items), nextCursor: result.value.nextCursor, isLoadingOlder: false }
          : { ...now, isLoadingOlder: false, olderError: result.error },
      });
    },

    async change(command, input, pendingKey) {
      const key = pendingKey ?? command;
      set({ pending: { ...get().pending, [key]: true } });
      const result = await ask(command, input);
      const { [key]: _done, ...rest } = get().pending;
      set({ pending: rest });
      if (result.ok) {
        // The card or comment answered carries the event just appended: Undo compensates it.
        useUndoStore.getState().remember(result.value);
        await reload();
      }
      return result;
    },
  };
});
