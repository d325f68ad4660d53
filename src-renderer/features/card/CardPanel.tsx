// The card panel: a dialog sliding in from the right over the board, with the card's title, properties,
// description, comments and history. Focus moves into it when it opens and back to the card when it
// closes; Escape closes it (a field being edited takes the first Escape). Everything shown comes from the
// core through the card store; every change is a command whose refusal is explained in a toast.
import { useEffect, useId, useRef } from 'react';
import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';
import type { Card, Comment } from '../../../shared/model/entities';
import {
  AlertIcon,
  Badge,
  Button,
  CheckCircleIcon,
  CloseIcon,
  ErrorState,
  IconButton,
  Menu,
  RecoverIcon,
  TrashIcon,
  UndoIcon,
  useFocusTrap,
} from '../../components';
import { absoluteTime, relativeTime } from '../../lib/relative-time';
import { useAccountStore } from '../../stores/account-store';
import { useCardStore } from '../../stores/card-store';
import { toast } from '../../stores/toast-store';
import { useUndoStore } from '../../stores/undo-store';
import { useNow } from '../activity/use-now';
import { Assignees, DueDate, Tags } from './CardFields';
import { DescriptionEditor, TitleEditor } from './CardText';
import { CardTimeline } from './CardTimeline';
import { Comments } from './Comments';
import { inertOutside } from './inert-outside';
import { explainRefusal } from './refusal';
import './card-panel.css';

export type CardPanelProps = { cardId: string; onClose: () => void };

export function CardPanel({ cardId, onClose }: CardPanelProps) {
  const panelRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const status = useCardStore((state) => state.status);
  const view = useCardStore((state) => (state.cardId === cardId ? state.view : null));
  const error = useCardStore((state) => state.error);

  useEffect(() => {
    useCardStore.getState().open(cardId);
  }, [cardId]);

  useEffect(
    () => () => {
      useCardStore.getState().close();
      // Focus goes back to where it came from (useFocusTrap); if that element is gone (the board
      // re-rendered its card), to the card on the board.
      window.setTimeout(() => {
        const active = document.activeElement;
        if (active !== null && active !== document.body) return;
        const card = document.querySelector<HTMLElement>(`[data-card-id="${CSS.escape(cardId)}"]`);
        card?.focus();
      }, 0);
    },
    [cardId],
  );

  useFocusTrap(panelRef, true, panelRef);

  // A modal panel: the rest of the app is inert meanwhile (the toasts stay usable).
  useEffect(() => {
    const backdrop = panelRef.current?.parentElement;
    if (!backdrop) return undefined;
    return inertOutside([backdrop, ...Array.from(document.querySelectorAll('.tb-toaster'))]);
  }, []);

  // Keep focus in the panel when what had it goes away (a "Restore" button that disappears once the card
  // is restored, a field left with Escape): back to the panel itself, so Escape and Tab still work.
  useEffect(() => {
    const panel = panelRef.current;
    if (!panel) return undefined;
    let timer: number | undefined;
    function onFocusOut() {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        const active = document.activeElement;
        if (panel?.isConnected && (active === null || active === document.body)) panel.focus({ preventScroll: true });
      }, 0);
    }
    panel.addEventListener('focusout', onFocusOut);
    return () => {
      window.clearTimeout(timer);
      panel.removeEventListener('focusout', onFocusOut);
    };
  }, []);

  const title = view?.card.title ?? (status === 'error' ? 'Card not available' : 'Loading card…');

  return createPortal(
    <div
      className="tb-card-panel-backdrop"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div
        ref={panelRef}
        className="tb-card-panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        data-testid="card-panel"
        onKeyDown={(event) => {
          if (event.key === 'Escape' && !event.defaultPrevented) {
            event.preventDefault();
            onClose();
          }
        }}
      >
        <h2 id={titleId} className="tb-visually-hidden">
          {title}
        </h2>
        {view ? (
          <Loaded card={view.card} isRecovered={view.isRecovered} comments={view.comments} onClose={onClose} />
        ) : status === 'error' ? (
          <>
            <PanelBar onClose={onClose} />
            <ErrorState
              title={error?.code === 'not_found' ? 'This card isn’t here any more' : 'The card didn’t load'}
              message={error?.message ?? 'Trailboard could not read this card.'}
              onRetry={error?.code === 'not_found' ? undefined : () => useCardStore.getState().open(cardId)}
            />
          </>
        ) : (
          <>
            <PanelBar onClose={onClose} />
            <PanelSkeleton />
          </>
        )}
      </div>
    </div>,
    document.body,
  );
}

function PanelBar({ onClose, children }: { onClose: () => void; children?: ReactNode }) {
  return (
    <div className="tb-card-panel__bar">
      <div className="tb-card-panel__bar-start">{children}</div>
      <IconButton label="Close panel (Esc)" icon={<CloseIcon />} onClick={onClose} data-testid="card-panel-close" />
    </div>
  );
}

function PanelSkeleton() {
  return (
    <div className="tb-card-panel__scroll" aria-busy="true">
      <div className="tb-card-panel__content">
        <span className="tb-skeleton tb-skeleton--line" style={{ height: 22, width: '70%' }} />
        <span className="tb-skeleton tb-skeleton--line" style={{ width: '35%', marginTop: 10 }} />
        <div className="tb-card-props" style={{ marginTop: 24 }}>
          {[0, 1, 2].map((i) => (
            <span key={i} className="tb-skeleton tb-skeleton--line" style={{ width: `${60 - i * 12}%`, height: 14 }} />
          ))}
        </div>
        <span className="tb-skeleton tb-skeleton--line" style={{ height: 72, marginTop: 24 }} />
        <span className="tb-visually-hidden" role="status">
          Loading card…
        </span>
      </div>
    </div>
  );
}

function Loaded({
  card,
  isRecovered,
  comments,
  onClose,
}: {
  card: Card;
  isRecovered: boolean;
  comments: Comment[];
  onClose: () => void;
}) {
  const change = useCardStore((state) => state.change);
  const pending = useCardStore((state) => state.pending);
  const account = useAccountStore((state) => state.current);
  const now = useNow();
  const me = account?.me;
  const members = account?.members ?? [];
  const isDeleted = card.isDeleted;
  const viewer = me ? { userId: me.id, contextId: card.id } : { contextId: card.id };

  async function setClosed(isClosing: boolean) {
    const result = await change(isClosing ? 'card.close' : 'card.reopen', { cardId: card.id }, 'status');
    if (!result.ok) {
      explainRefusal(isClosing ? 'close the card' : 'reopen the card', result.error, () => void setClosed(isClosing));
      return;
    }
    toast.info(isClosing ? 'Card closed' : 'Card reopened', {
      action: { label: 'Undo', onAction: () => void useUndoStore.getState().undo() },
    });
  }

  async function remove() {
    const result = await change('card.delete', { cardId: card.id }, 'delete');
    if (!result.ok) {
      explainRefusal('delete the card', result.error);
      return;
    }
    toast.info('Card deleted', { detail: 'It no longer shows on the board.', action: { label: 'Restore', onAction: () => void restore() } });
  }

  async function restore() {
    const result = await change('card.restore', { cardId: card.id }, 'restore');
    if (result.ok) toast.success('Card restored');
    else explainRefusal('restore the card', result.error);
  }

  const statusBadge = isDeleted ? (
    <Badge tone="danger" icon={<TrashIcon size={12} />}>
      Deleted
    </Badge>
  ) : card.isClosed ? (
    <Badge tone="success" icon={<CheckCircleIcon size={12} />}>
      Closed
    </Badge>
  ) : (
    <Badge tone="accent">Open</Badge>
  );

  return (
    <>
      <PanelBar onClose={onClose}>
        {statusBadge}
        {isRecovered ? (
          <Badge tone="warning" icon={<RecoverIcon size={12} />} title="Its column was deleted; the board shows it in the first column">
            Recovered
          </Badge>
        ) : null}
        <span className="tb-card-panel__bar-actions">
          {isDeleted ? null : card.isClosed ? (
            <Button size="sm" icon={<UndoIcon size={14} />} isLoading={pending['status'] === true} onClick={() => void setClosed(false)}>
              Reopen
            </Button>
          ) : (
            <Button size="sm" icon={<CheckCircleIcon size={14} />} isLoading={pending['status'] === true} onClick={() => void setClosed(true)}>
              Close card
            </Button>
          )}
          <Menu
            label="More card actions"
            items={
              isDeleted
                ? [{ id: 'restore', label: 'Restore card', icon: <RecoverIcon />, onSelect: () => void restore() }]
                : [{ id: 'delete', label: 'Delete card', icon: <TrashIcon />, isDanger: true, onSelect: () => void remove() }]
            }
          />
        </span>
      </PanelBar>
      <div className="tb-card-panel__scroll">
        <div className="tb-card-panel__content">
          {isDeleted ? (
            <div className="tb-card-banner tb-card-banner--danger" role="note">
              <TrashIcon size={16} />
              <div className="tb-card-banner__text">
                <strong>This card is deleted.</strong> It no longer shows on the board.
                {card.deletedBy ? (
                  <>
                    {' '}
                    Deleted by {card.deletedBy.id === me?.id ? 'you' : card.deletedBy.name}
                    {card.deletedAt ? (
                      <>
                        {' · '}
                        <time dateTime={card.deletedAt} title={absoluteTime(card.deletedAt)}>
                          {relativeTime(card.deletedAt, now)}
                        </time>
                      </>
                    ) : null}
                    .
                  </>
                ) : null}{' '}
                Restore it to change it again.
              </div>
              <Button size="sm" variant="primary" isLoading={pending['restore'] === true} onClick={() => void restore()}>
                Restore card
              </Button>
            </div>
          ) : null}
          {isRecovered && !isDeleted ? (
            <div className="tb-card-banner tb-card-banner--warning" role="note">
              <AlertIcon size={16} />
              <div className="tb-card-banner__text">
                <strong>Recovered card.</strong> Its column was deleted while this card was being moved into it (here or on
                another device), so the board shows it in the first column. Move it where it belongs to settle it.
              </div>
            </div>
          ) : null}

          <TitleEditor cardId={card.id} title={card.title} isReadOnly={isDeleted} />
          <p className="tb-card-panel__meta">
            Created by {card.createdBy.id === me?.id ? 'you' : card.createdBy.name} ·{' '}
            <time dateTime={card.createdAt} title={absoluteTime(card.createdAt)}>
              {relativeTime(card.createdAt, now)}
            </time>
            {card.isClosed && card.closedAt ? (
              <>
                {' '}
                · Closed{card.closedBy ? ` by ${card.closedBy.id === me?.id ? 'you' : card.closedBy.name}` : ''}{' '}
                <time dateTime={card.closedAt} title={absoluteTime(card.closedAt)}>
                  {relativeTime(card.closedAt, now)}
                </time>
              </>
            ) : null}
          </p>

          <div className="tb-card-props">
            <Assignees cardId={card.id} assignees={card.assignees} members={members} meId={me?.id} isReadOnly={isDeleted} />
            <Tags cardId={card.id} tags={card.tags} isReadOnly={isDeleted} />
            <DueDate cardId={card.id} dueDate={card.dueDate} isClosed={card.isClosed} isReadOnly={isDeleted} now={now} />
          </div>

          <DescriptionEditor cardId={card.id} description={card.description} isReadOnly={isDeleted} />
          <Comments cardId={card.id} comments={comments} me={me} isReadOnly={isDeleted} now={now} />
          <CardTimeline viewer={viewer} now={now} liveComments={comments} isReadOnly={isDeleted} />
        </div>
      </div>
    </>
  );
}
