// The card's title (edited in place: Enter saves, Escape puts it back) and its description (a text area
// saved on blur or Ctrl/Cmd+Enter). Both keep what was typed when the core refuses it.
import { useCallback, useLayoutEffect, useRef } from 'react';
import type { KeyboardEvent, ReactNode, RefObject } from 'react';
import { Button } from '../../components';
import { useCardStore } from '../../stores/card-store';
import { leaveField } from './leave-field';
import { useDraft } from './use-draft';

const trim = (text: string) => text.trim();

/** Grows a text area to fit its text (no inner scroll bar for a few lines). */
function useAutoHeight(ref: RefObject<HTMLTextAreaElement | null>, value: string, minRows = 1) {
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = 'auto';
    const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 20;
    el.style.height = `${Math.max(el.scrollHeight, minRows * lineHeight)}px`;
  }, [ref, value, minRows]);
}

export function TitleEditor({ cardId, title, isReadOnly }: { cardId: string; title: string; isReadOnly: boolean }) {
  const change = useCardStore((state) => state.change);
  const send = useCallback((text: string) => change('card.rename', { cardId, title: text }, 'title'), [change, cardId]);
  const draft = useDraft({ cardId, key: 'title', saved: title, what: 'rename the card', send, normalize: trim });
  const ref = useRef<HTMLTextAreaElement>(null);
  useAutoHeight(ref, draft.value);

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      leaveField(ref.current);
    } else if (event.key === 'Escape') {
      // Put the title back, and stay in the panel.
      event.preventDefault();
      event.stopPropagation();
      draft.discard();
      leaveField(ref.current);
    }
  }

  return (
    <div className={`tb-card-title${draft.error ? ' has-error' : ''}`}>
      <textarea
        ref={ref}
        className="tb-card-title__input"
        aria-label="Card title"
        rows={1}
        value={draft.value}
        readOnly={isReadOnly}
        aria-invalid={draft.error ? true : undefined}
        aria-describedby={draft.error ? `${cardId}-title-error` : undefined}
        spellCheck
        onChange={(event) => draft.set(event.target.value.replace(/\r?\n/g, ' '))}
        onBlur={() => void draft.save()}
        onKeyDown={onKeyDown}
      />
      {draft.error ? (
        <p id={`${cardId}-title-error`} className="tb-card-field-error">
          Not saved: {draft.error.message}
        </p>
      ) : null}
    </div>
  );
}

export function DescriptionEditor({ cardId, description, isReadOnly }: { cardId: string; description: string; isReadOnly: boolean }) {
  const change = useCardStore((state) => state.change);
  const send = useCallback((text: string) => change('card.describe', { cardId, description: text }, 'description'), [change, cardId]);
  const draft = useDraft({ cardId, key: 'description', saved: description, what: 'save the description', send });
  const ref = useRef<HTMLTextAreaElement>(null);
  useAutoHeight(ref, draft.value, 3);
  const statusId = `${cardId}-description-status`;

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void draft.save();
    } else if (event.key === 'Escape') {
      // Leave the field (saving on blur) rather than close the panel with it focused.
      event.preventDefault();
      event.stopPropagation();
      leaveField(ref.current);
    }
  }

  let status: ReactNode = null;
  if (draft.isSaving) status = <span>Saving…</span>;
  else if (draft.error) {
    status = (
      <span className="tb-card-description__error">
        Not saved: {draft.error.message}
        <Button size="sm" variant="ghost" onClick={() => void draft.save()}>
          Try again
        </Button>
        <Button size="sm" variant="ghost" onClick={draft.discard}>
          Discard changes
        </Button>
      </span>
    );
  } else if (draft.isDirty) status = <span>Unsaved · saves when you leave the field or press Ctrl+Enter</span>;

  return (
    <div className="tb-card-description">
      <label htmlFor={`${cardId}-description`} className="tb-card-section__title">
        Description
      </label>
      <textarea
        id={`${cardId}-description`}
        ref={ref}
        className="tb-card-description__input"
        placeholder={isReadOnly ? 'No description' : 'Add a description…'}
        value={draft.value}
        readOnly={isReadOnly}
        aria-invalid={draft.error ? true : undefined}
        aria-describedby={status ? statusId : undefined}
        onChange={(event) => draft.set(event.target.value)}
        onBlur={(event) => {
          // Moving to the description's own buttons (Try again, Discard) is not leaving it.
          if (event.relatedTarget instanceof Node && event.currentTarget.parentElement?.contains(event.relatedTarget)) return;
          void draft.save();
        }}
        onKeyDown={onKeyDown}
      />
      <p id={statusId} className="tb-card-description__status" aria-live="polite">
        {status}
      </p>
    </div>
  );
}
