// The card's comments, oldest first: who wrote each and when, edit your own, delete (yours, or any as an
// admin) with a way back, and a box to add one (Ctrl/Cmd+Enter sends). Typed text lives in the card
// store's drafts, so a refusal or closing the panel loses none of it.
import { useCallback, useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { Comment, Member } from '../../../shared/model/entities';
import { COMMENT_MAX_BYTES, utf8ByteLength } from '../../../shared/events/text';
import { Avatar, Button, CommentIcon, Kbd, Menu, PencilIcon, TrashIcon } from '../../components';
import { absoluteTime, relativeTime } from '../../lib/relative-time';
import { useCardStore } from '../../stores/card-store';
import { toast } from '../../stores/toast-store';
import { explainRefusal } from './refusal';
import { leaveField } from './leave-field';
import { useDraft } from './use-draft';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const SEND_KEY = isMac ? '⌘' : 'Ctrl';

/** Restores a deleted comment (from the toast after deleting it, or from the history). */
export async function restoreComment(commentId: string): Promise<void> {
  const result = await useCardStore.getState().change('comment.restore', { commentId }, `restore:${commentId}`);
  if (result.ok) toast.success('Comment restored');
  else explainRefusal('restore the comment', result.error);
}

export function Comments({
  cardId,
  comments,
  me,
  isReadOnly,
  now,
}: {
  cardId: string;
  comments: readonly Comment[];
  me: Member | undefined;
  isReadOnly: boolean;
  now: number;
}) {
  const headingId = useId();
  return (
    <section className="tb-card-section" aria-labelledby={headingId}>
      <h3 id={headingId} className="tb-card-section__title">
        Comments
        {comments.length > 0 ? <span className="tb-card-section__count">{comments.length}</span> : null}
      </h3>
      {comments.length === 0 ? (
        <p className="tb-card-comments__empty">
          <CommentIcon size={16} />
          {isReadOnly ? 'No comments.' : 'No comments yet. Ask a question or leave a note for whoever picks this up.'}
        </p>
      ) : (
        <ol className="tb-card-comments" role="list">
          {comments.map((comment) => (
            <CommentItem key={comment.id} cardId={cardId} comment={comment} me={me} isReadOnly={isReadOnly} now={now} />
          ))}
        </ol>
      )}
      {isReadOnly ? null : <Composer cardId={cardId} me={me} />}
    </section>
  );
}

function CommentItem({
  cardId,
  comment,
  me,
  isReadOnly,
  now,
}: {
  cardId: string;
  comment: Comment;
  me: Member | undefined;
  isReadOnly: boolean;
  now: number;
}) {
  const change = useCardStore((state) => state.change);
  const key = `edit:${comment.id}`;
  const isEditing = useCardStore((state) => state.drafts[cardId]?.[key] !== undefined);
  const isDeleting = useCardStore((state) => state.pending[`delete:${comment.id}`] === true);
  const isMine = me !== undefined && comment.createdBy.id === me.id;
  const canDelete = isMine || me?.role === 'admin';

  async function remove() {
    const result = await change('comment.delete', { commentId: comment.id }, `delete:${comment.id}`);
    if (result.ok) {
      toast.info('Comment deleted', { action: { label: 'Restore', onAction: () => void restoreComment(comment.id) } });
    } else {
      explainRefusal('delete the comment', result.error);
    }
  }

  const menuItems = [
    ...(isMine
      ? [{ id: 'edit', label: 'Edit', icon: <PencilIcon />, onSelect: () => useCardStore.getState().setDraft(cardId, key, comment.body) }]
      : []),
    ...(canDelete ? [{ id: 'delete', label: 'Delete', icon: <TrashIcon />, isDanger: true, onSelect: () => void remove() }] : []),
  ];

  return (
    <li className={`tb-comment${isDeleting ? ' is-pending' : ''}`} data-comment-id={comment.id}>
      <Avatar name={comment.createdBy.name} size="md" isDecorative />
      <div className="tb-comment__main">
        <div className="tb-comment__head">
          <span className="tb-comment__author">
            {comment.createdBy.name}
            {isMine ? <span className="tb-comment__you"> (you)</span> : null}
          </span>
          <time className="tb-comment__time" dateTime={comment.createdAt} title={absoluteTime(comment.createdAt)}>
            {relativeTime(comment.createdAt, now)}
          </time>
          {comment.isEdited ? (
            <span className="tb-comment__edited" title={comment.editedAt ? `Edited ${absoluteTime(comment.editedAt)}` : undefined}>
              · edited
            </span>
          ) : null}
          {!isReadOnly && menuItems.length > 0 && !isEditing ? (
            <span className="tb-comment__menu">
              <Menu label={`Comment by ${comment.createdBy.name}: actions`} items={menuItems} minWidth={160} />
            </span>
          ) : null}
        </div>
        {isEditing ? <CommentEditor cardId={cardId} comment={comment} /> : <p className="tb-comment__body">{comment.body}</p>}
      </div>
    </li>
  );
}

function CommentEditor({ cardId, comment }: { cardId: string; comment: Comment }) {
  const change = useCardStore((state) => state.change);
  const setDraft = useCardStore((state) => state.setDraft);
  const key = `edit:${comment.id}`;
  const text = useCardStore((state) => state.drafts[cardId]?.[key]) ?? comment.body;
  const [isSaving, setIsSaving] = useState(false);
  const fieldId = useId();

  async function save() {
    if (text === comment.body) {
      setDraft(cardId, key, null);
      return;
    }
    setIsSaving(true);
    const result = await change('comment.edit', { commentId: comment.id, body: text }, key);
    setIsSaving(false);
    if (result.ok) setDraft(cardId, key, null);
    else explainRefusal('save your edit', result.error);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void save();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      // Escape cancels an untouched edit; changed text stays until Cancel is chosen.
      if (text === comment.body) setDraft(cardId, key, null);
    }
  }

  return (
    <div className="tb-comment-editor">
      <label htmlFor={fieldId} className="tb-visually-hidden">
        Edit your comment
      </label>
      <textarea
        id={fieldId}
        className="tb-comment-editor__input"
        value={text}
        rows={3}
        autoFocus
        onChange={(event) => setDraft(cardId, key, event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="tb-comment-editor__actions">
        <Button size="sm" variant="ghost" onClick={() => setDraft(cardId, key, null)} disabled={isSaving}>
          Cancel
        </Button>
        <Button size="sm" variant="primary" onClick={() => void save()} isLoading={isSaving}>
          Save
        </Button>
      </div>
    </div>
  );
}

function Composer({ cardId, me }: { cardId: string; me: Member | undefined }) {
  const change = useCardStore((state) => state.change);
  const send = useCallback((text: string) => change('comment.create', { cardId, body: text }, 'comment'), [change, cardId]);
  const draft = useDraft({ cardId, key: 'comment', saved: '', what: 'add your comment', send });
  const ref = useRef<HTMLTextAreaElement>(null);
  const fieldId = useId();
  const hintId = useId();
  const isEmpty = draft.value.trim() === '';
  const isTooLong = utf8ByteLength(draft.value) > COMMENT_MAX_BYTES;

  async function submit() {
    if (isEmpty || draft.isSaving) return;
    const isSaved = await draft.save();
    if (isSaved) ref.current?.focus();
  }

  return (
    <form
      className="tb-comment-composer"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {me ? <Avatar name={me.name} size="md" isDecorative /> : null}
      <div className="tb-comment-composer__main">
        <label htmlFor={fieldId} className="tb-visually-hidden">
          Add a comment
        </label>
        <textarea
          id={fieldId}
          ref={ref}
          className="tb-comment-composer__input"
          placeholder="Write a comment…"
          rows={2}
          value={draft.value}
          aria-describedby={hintId}
          aria-invalid={draft.error || isTooLong ? true : undefined}
          onChange={(event) => draft.set(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              void submit();
            } else if (event.key === 'Escape') {
              event.preventDefault();
              event.stopPropagation();
              leaveField(ref.current);
            }
          }}
        />
        <div className="tb-comment-composer__foot">
          <span id={hintId} className="tb-comment-composer__hint">
            {isTooLong ? (
              <span className="tb-card-field-error">Too long: a comment holds at most 64 KB of text.</span>
            ) : draft.error ? (
              <span className="tb-card-field-error">Not sent: {draft.error.message}</span>
            ) : (
              <>
                <Kbd>{SEND_KEY}</Kbd> <Kbd>Enter</Kbd> to send
              </>
            )}
          </span>
          <Button type="submit" size="sm" variant="primary" disabled={isEmpty || isTooLong} isLoading={draft.isSaving}>
            Comment
          </Button>
        </div>
      </div>
    </form>
  );
}
