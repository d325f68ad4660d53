// A text field of the card panel backed by the card store's drafts: what is shown is the unsaved draft
// when there is one, else the saved value the core answered. Saving sends the command; on success the
// draft is forgotten (unless the person typed more meanwhile), on refusal it stays and the reason is
// explained, so nothing typed is lost.
import { useCallback, useState } from 'react';
import type { Failure, Result } from '../../../shared/api/contract';
import { useCardStore } from '../../stores/card-store';
import { explainRefusal } from './refusal';

export type Draft = {
  /** What the field shows. */
  value: string;
  /** True while it differs from the saved value. */
  isDirty: boolean;
  isSaving: boolean;
  /** The core's last refusal for this field (cleared by typing or a successful save). */
  error: Failure | null;
  /** Set what the person typed. */
  set: (text: string) => void;
  /** Forget the draft (show the saved value again). */
  discard: () => void;
  /** Send the draft, if any; resolves true when saved (or nothing to save). */
  save: () => Promise<boolean>;
};

export function useDraft(options: {
  cardId: string;
  key: string;
  saved: string;
  /** What the change is, for "Couldn't …" ("save the description"). */
  what: string;
  send: (text: string) => Promise<Result<unknown>>;
  /** A draft equal to the saved value after this normalisation is not a change (e.g. trim for titles). */
  normalize?: (text: string) => string;
}): Draft {
  const { cardId, key, saved, what, send, normalize } = options;
  const draft = useCardStore((state) => state.drafts[cardId]?.[key]);
  const setDraft = useCardStore((state) => state.setDraft);
  const [isSaving, setIsSaving] = useState(false);
  const [error, setError] = useState<Failure | null>(null);
  const same = useCallback((a: string, b: string) => (normalize ? normalize(a) === normalize(b) : a === b), [normalize]);

  const save = useCallback(async (): Promise<boolean> => {
    const text = useCardStore.getState().drafts[cardId]?.[key];
    if (text === undefined) return true;
    if (same(text, saved)) {
      setDraft(cardId, key, null);
      return true;
    }
    setIsSaving(true);
    const result = await send(text);
    setIsSaving(false);
    if (result.ok) {
      setError(null);
      // Typed more while it was saving: keep the newer text as the draft.
      if (useCardStore.getState().drafts[cardId]?.[key] === text) setDraft(cardId, key, null);
      return true;
    }
    setError(result.error);
    explainRefusal(what, result.error);
    return false;
  }, [cardId, key, saved, send, same, setDraft, what]);

  return {
    value: draft ?? saved,
    isDirty: draft !== undefined && !same(draft, saved),
    isSaving,
    error,
    set: (text) => {
      setError(null);
      setDraft(cardId, key, text);
    },
    discard: () => {
      setError(null);
      setDraft(cardId, key, null);
    },
    save,
  };
}
