import { memo } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent, MouseEvent as ReactMouseEvent, Ref } from 'react';
import type { DraggableSyntheticListeners } from '@dnd-kit/core';
import type { BoardCard } from '../../../shared/model/views';
import { Avatar, Tag } from '../../components';
import { CalendarIcon, CheckCircleIcon, RecoverIcon } from '../../components/icons';
import { dueDateLabel, dueState } from '../../lib/relative-time';

export const CARD_HELP_ID = 'tb-card-help';

const MAX_TAGS = 3;
const MAX_PEOPLE = 3;

export type CardTileProps = {
  card: BoardCard;
  /** Being moved with the keyboard. */
  isLifted?: boolean;
  /** The pointer is dragging it (this is the placeholder left behind). */
  isDragSource?: boolean;
  /** Drawn under the pointer while dragging. */
  isOverlay?: boolean;
  /** The card panel shows it. */
  isOpen?: boolean;
  onOpen?: (cardId: string) => void;
  onKeyDown?: (event: ReactKeyboardEvent<HTMLDivElement>, card: BoardCard) => void;
  /** From dnd-kit: the node and its pointer listeners. */
  dragRef?: Ref<HTMLDivElement>;
  dragListeners?: DraggableSyntheticListeners;
};

/** A card on the board: title, tags, people, due date, closed and recovered states. */
export const CardTile = memo(function CardTile({
  card,
  isLifted = false,
  isDragSource = false,
  isOverlay = false,
  isOpen = false,
  onOpen,
  onKeyDown,
  dragRef,
  dragListeners,
}: CardTileProps) {
  const due = card.dueDate ? dueState(card.dueDate) : undefined;
  const dueText = card.dueDate ? dueDateLabel(card.dueDate) : null;
  const dueTone = card.isClosed ? 'done' : (due ?? 'later');
  const classes = ['tb-card'];
  if (card.isClosed) classes.push('is-closed');
  if (isLifted) classes.push('is-lifted');
  if (isDragSource) classes.push('is-drag-source');
  if (isOverlay) classes.push('is-overlay');
  if (isOpen) classes.push('is-open');
  const extraTags = card.tags.length - MAX_TAGS;
  const people = card.assignees.slice(0, MAX_PEOPLE);
  const hasMeta = card.tags.length > 0 || dueText !== null || card.assignees.length > 0;

  return (
    <div
      ref={dragRef}
      className={classes.join(' ')}
      data-card-id={card.id}
      role={isOverlay ? undefined : 'button'}
      tabIndex={isOverlay ? undefined : 0}
      aria-describedby={isOverlay ? undefined : CARD_HELP_ID}
      aria-pressed={isLifted || undefined}
      aria-hidden={isOverlay || undefined}
      {...dragListeners}
      onClick={(event: ReactMouseEvent<HTMLDivElement>) => {
        if (event.defaultPrevented) return;
        onOpen?.(card.id);
      }}
      onKeyDown={(event) => onKeyDown?.(event, card)}
    >
      {card.isRecovered ? (
        <span className="tb-card__recovered" title="Its column was deleted elsewhere; it is kept here so nothing is lost.">
          <RecoverIcon size={12} />
          Recovered
          <span className="tb-visually-hidden">:</span>
        </span>
      ) : null}
      <div className="tb-card__title">
        {card.isClosed ? <CheckCircleIcon size={14} className="tb-card__closed-icon" /> : null}
        <span>{card.title}</span>
        {card.isClosed ? <span className="tb-visually-hidden">, closed</span> : null}
      </div>
      {hasMeta ? (
        <div className="tb-card__meta">
          {card.tags.length > 0 ? <span className="tb-visually-hidden">, tags:</span> : null}
          {card.tags.slice(0, MAX_TAGS).map((tag) => (
            <Tag key={tag} name={tag} />
          ))}
          {extraTags > 0 ? (
            <span className="tb-card__more" title={card.tags.slice(MAX_TAGS).join(', ')}>
              +{extraTags}
              <span className="tb-visually-hidden"> more</span>
            </span>
          ) : null}
          {dueText !== null ? (
            <span className={`tb-card__due tb-card__due--${dueTone}`}>
              <CalendarIcon size={12} />
              <span className="tb-visually-hidden">, due </span>
              {dueText}
              {dueTone === 'overdue' ? <span className="tb-visually-hidden">, overdue</span> : null}
            </span>
          ) : null}
          {people.length > 0 ? (
            <span className="tb-card__people" title={card.assignees.map((p) => p.name).join(', ')}>
              <span className="tb-visually-hidden">, assigned to {card.assignees.map((p) => p.name).join(', ')}</span>
              {people.map((person) => (
                <Avatar key={person.id} name={person.name} size="sm" isDecorative />
              ))}
            </span>
          ) : null}
        </div>
      ) : null}
    </div>
  );
});
