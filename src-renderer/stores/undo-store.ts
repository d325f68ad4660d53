// Undo of the last action: every change the person makes through the board or the card panel is
// remembered by its event id (`remember(entity)`: the entity a command answers carries `lastEventId`,
// the event that command just appended). `undo()` asks the core to record the compensating event
// (`event.undo`) and shows it in a toast; a `conflict` (someone changed it since) is explained. The
// compensation becomes the last action, so undoing again undoes the undo.
//
// Ctrl/Cmd+Z outside text fields and Edit ▸ Undo call `undoFromShortcut()`; inside a text field the
// browser's own undo runs instead (see `installUndoShortcut`).
import { create } from 'zustand';
import type { Failure } from '../../shared/api/contract';
import { renderSentence } from '../../shared/sentences';
import { api } from '../lib/api';
import { currentUserId } from './account-store';
import { toast } from './toast-store';

type UndoState = {
  /** The event the next undo would compensate, or null when there is nothing to undo. */
  eventId: string | null;
  isUndoing: boolean;
  /** Remember the last action: pass the entity a command answered, or an event id. */
  remember: (from: { lastEventId: string } | string) => void;
  forget: () => void;
  /** Undo the last action. Resolves true when something was undone. */
  undo: () => Promise<boolean>;
  /** Undo one given event (the toast's "Redo" undoes the undo it shows, whatever came after). */
  undoEvent: (eventId: string) => Promise<boolean>;
};

function explain(error: Failure): { message: string; detail?: string } {
  switch (error.code) {
    case 'conflict':
      return { message: 'Couldn’t undo: it has changed since', detail: error.message };
    case 'forbidden':
      return { message: 'You can’t undo this change', detail: error.message };
    case 'not_found':
      return { message: 'Couldn’t undo: it no longer exists', detail: error.message };
    default:
      return { message: 'Couldn’t undo', detail: error.message };
  }
}

export const useUndoStore = create<UndoState>()((set, get) => ({
  eventId: null,
  isUndoing: false,

  remember: (from) => set({ eventId: typeof from === 'string' ? from : from.lastEventId }),
  forget: () => set({ eventId: null }),

  undo: async () => {
    const { eventId } = get();
    if (eventId === null) {
      toast.info('Nothing to undo yet');
      return false;
    }
    return get().undoEvent(eventId);
  },

  undoEvent: async (eventId) => {
    if (get().isUndoing) return false;
    set({ isUndoing: true });
    const result = await api.call('event.undo', { eventId });
    if (!result.ok) {
      set({ isUndoing: false });
      const { message, detail } = explain(result.error);
      // A change that cannot be undone stays that way: don't offer it again.
      if (result.error.code !== 'unavailable' && result.error.code !== 'internal' && get().eventId === eventId) set({ eventId: null });
      toast.error(message, detail === undefined ? undefined : { detail });
      return false;
    }
    const { compensation } = result.value;
    const compensationId = compensation.event.id;
    set({ isUndoing: false, eventId: compensationId });
    const userId = currentUserId();
    const sentence = renderSentence(compensation.sentence, userId === undefined ? {} : { userId });
    toast.info(`Undone · ${sentence}`, {
      action: { label: 'Redo', onAction: () => void get().undoEvent(compensationId) },
    });
    return true;
  },
}));

/** Edit ▸ Undo or Ctrl/Cmd+Z: inside a text field, the field's own undo; elsewhere, undo the last action. */
export function undoFromShortcut(target: EventTarget | null, isTextEntry: (target: EventTarget | null) => boolean): void {
  if (isTextEntry(target)) {
    // The browser's own undo for typed text (the menu path has no key event to fall back on).
    document.execCommand('undo');
    return;
  }
  void useUndoStore.getState().undo();
}
