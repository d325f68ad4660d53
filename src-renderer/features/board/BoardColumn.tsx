import { memo, useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useDroppable } from '@dnd-kit/core';
import { SortableContext, useSortable } from '@dnd-kit/sortable';
import type { SortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { BoardCard, BoardColumn as BoardColumnView } from '../../../shared/model/views';
import { Menu } from '../../components';
import type { MenuEntry } from '../../components';
import { ChevronLeftIcon, ChevronRightIcon, GripIcon, PencilIcon, TrashIcon } from '../../components/icons';
import { CardTile } from './CardTile';
import { QuickAdd } from './QuickAdd';

/** Cards keep their place while the pointer drags: a line shows where the card will land. */
const noShift: SortingStrategy = () => null;

export const CARD_GAP = 8;
const ESTIMATED_CARD_HEIGHT = 60;

export type ColumnDragData = { type: 'column'; columnId: string };
export type CardDragData = { type: 'card'; columnId: string; cardId: string };
export type ZoneDragData = { type: 'zone'; columnId: string };

export const columnSortId = (columnId: string) => `column:${columnId}`;
export const zoneId = (columnId: string) => `zone:${columnId}`;

export type BoardColumnProps = {
  column: BoardColumnView;
  position: number;
  columnCount: number;
  /** The card moved with the keyboard (shown lifted) and the card open in the panel. */
  liftedCardId: string | null;
  openCardId: string | null;
  /** The card the pointer drags (its placeholder is dimmed). */
  dragCardId: string | null;
  /** Where a pointer drop would land in this column (an index among its shown cards), or null. */
  dropIndex: number | null;
  isColumnLifted: boolean;
  /** Filters are on: an empty column says "no matching cards". */
  isFiltered: boolean;
  /** Scroll this card into view (and focus it): after a keyboard move or when the panel closes. */
  reveal: { cardId: string; seq: number } | null;
  onOpenCard: (cardId: string) => void;
  onCardKeyDown: (event: ReactKeyboardEvent<HTMLDivElement>, card: BoardCard) => void;
  onGripKeyDown: (event: ReactKeyboardEvent<HTMLButtonElement>, column: BoardColumnView) => void;
  onRename: (column: BoardColumnView, name: string) => Promise<boolean>;
  onDelete: (column: BoardColumnView) => void;
  onMoveBy: (column: BoardColumnView, delta: -1 | 1) => void;
  onAddCard: (columnId: string, title: string) => Promise<boolean>;
};

export const BoardColumn = memo(function BoardColumn(props: BoardColumnProps) {
  const { column, position, columnCount, isColumnLifted, onGripKeyDown, onDelete, onMoveBy } = props;
  const headingId = useId();
  const [isRenaming, setIsRenaming] = useState(false);
  const gripRef = useRef<HTMLButtonElement>(null);
  const followEndRef = useRef(false);
  const menuRef = useRef<HTMLSpanElement>(null);
  const { setNodeRef, setActivatorNodeRef, listeners, transform, transition, isDragging } = useSortable({
    id: columnSortId(column.id),
    data: { type: 'column', columnId: column.id } satisfies ColumnDragData,
  });

  const items: MenuEntry[] = [
    { id: 'rename', label: 'Rename', icon: <PencilIcon />, onSelect: () => setIsRenaming(true) },
    { id: 'left', label: 'Move left', icon: <ChevronLeftIcon />, isDisabled: position === 0, onSelect: () => onMoveBy(column, -1) },
    {
      id: 'right',
      label: 'Move right',
      icon: <ChevronRightIcon />,
      isDisabled: position === columnCount - 1,
      onSelect: () => onMoveBy(column, 1),
    },
    { id: 'sep', isSeparator: true },
    { id: 'delete', label: 'Delete column', icon: <TrashIcon />, isDanger: true, onSelect: () => onDelete(column) },
  ];

  const classes = ['tb-column'];
  if (isDragging) classes.push('is-drag-source');
  if (isColumnLifted) classes.push('is-lifted');

  return (
    <section
      ref={setNodeRef}
      className={classes.join(' ')}
      aria-labelledby={headingId}
      data-column-id={column.id}
      style={{ transform: CSS.Translate.toString(transform), transition: transition ?? undefined }}
    >
      <header className="tb-column__header" ref={setActivatorNodeRef} {...listeners}>
        <button
          ref={gripRef}
          type="button"
          className="tb-column__grip"
          aria-label={`Move column ${column.name}`}
          aria-describedby="tb-column-help"
          aria-pressed={isColumnLifted || undefined}
          onKeyDown={(event) => onGripKeyDown(event, column)}
        >
          <GripIcon size={14} />
        </button>
        {isRenaming ? (
          <ColumnNameEditor
            name={column.name}
            onDone={async (name) => {
              const isDone = name === null || name === column.name ? true : await props.onRename(column, name);
              if (isDone) {
                setIsRenaming(false);
                // Back to where renaming started: the column's menu button.
                requestAnimationFrame(() => menuRef.current?.querySelector<HTMLElement>('button')?.focus());
              }
              return isDone;
            }}
          />
        ) : (
          <h2 id={headingId} className="tb-column__name" onDoubleClick={() => setIsRenaming(true)} title={column.name}>
            {column.name}
          </h2>
        )}
        {isRenaming ? (
          <span id={headingId} className="tb-visually-hidden">
            {column.name}
          </span>
        ) : null}
        <span className="tb-column__count">
          {column.cards.length}
          <span className="tb-visually-hidden">{column.cards.length === 1 ? ' card' : ' cards'}</span>
        </span>
        <span className="tb-column__menu" ref={menuRef}>
          <Menu label={`Actions for column ${column.name}`} items={items} />
        </span>
      </header>
      <ColumnCards {...props} followEndRef={followEndRef} />
      <QuickAdd
        columnId={column.id}
        columnName={column.name}
        onAdd={async (columnId, title) => {
          followEndRef.current = true;
          const isAdded = await props.onAddCard(columnId, title);
          if (!isAdded) followEndRef.current = false;
          return isAdded;
        }}
      />
    </section>
  );
});

function ColumnNameEditor({ name, onDone }: { name: string; onDone: (name: string | null) => Promise<boolean> }) {
  const [value, setValue] = useState(name);
  const [isBusy, setIsBusy] = useState(false);
  const ref = useRef<HTMLInputElement>(null);
  /** Set once Enter, Escape or leaving the field has answered: later blurs change nothing. */
  const isSettled = useRef(false);
  useLayoutEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);
  async function finish(next: string | null) {
    if (isSettled.current) return;
    isSettled.current = true;
    setIsBusy(true);
    const isDone = await onDone(next);
    setIsBusy(false);
    if (!isDone) {
      // Refused: the name typed stays, to fix it.
      isSettled.current = false;
      requestAnimationFrame(() => ref.current?.focus());
    }
  }
  return (
    <input
      ref={ref}
      className="tb-column__name-input"
      aria-label="Column name"
      value={value}
      maxLength={200}
      readOnly={isBusy}
      onChange={(event) => setValue(event.target.value)}
      onPointerDown={(event) => event.stopPropagation()}
      onKeyDown={(event) => {
        event.stopPropagation();
        if (event.key === 'Enter') {
          event.preventDefault();
          void finish(value.trim() === '' ? null : value.trim());
        } else if (event.key === 'Escape') {
          event.preventDefault();
          void finish(null);
        }
      }}
      onBlur={() => void finish(value.trim() === '' ? null : value.trim())}
    />
  );
}

/** The column's cards, virtualised: only the rows near the visible part are in the DOM. */
function ColumnCards({
  column,
  liftedCardId,
  openCardId,
  dragCardId,
  dropIndex,
  reveal,
  isFiltered,
  onOpenCard,
  onCardKeyDown,
  followEndRef,
}: BoardColumnProps & { followEndRef: { current: boolean } }) {
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const [isNear, setIsNear] = useState(true);
  const { setNodeRef: setZoneRef } = useDroppable({ id: zoneId(column.id), data: { type: 'zone', columnId: column.id } satisfies ZoneDragData });
  const cards = column.cards;
  const cardIds = cards.map((card) => card.id);
  const previousCount = useRef(cards.length);

  // Columns far outside the board's visible part render no rows at all.
  useEffect(() => {
    const node = scrollRef.current;
    if (!node || typeof IntersectionObserver === 'undefined') return undefined;
    const observer = new IntersectionObserver((entries) => {
      const entry = entries[entries.length - 1];
      if (entry) setIsNear(entry.isIntersecting);
    }, { rootMargin: '0px 320px 0px 320px' });
    observer.observe(node);
    return () => observer.disconnect();
  }, []);

  // The same function while the cards are the same: the virtualizer works out every row's place again
  // (a thousand in a long column) whenever it changes, and a column re-renders on every step of a
  // keyboard move.
  const getItemKey = useCallback((index: number) => cards[index]?.id ?? index, [cards]);
  const virtualizer = useVirtualizer({
    count: cards.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_CARD_HEIGHT,
    getItemKey,
    overscan: 4,
    gap: CARD_GAP,
    paddingStart: 2,
    paddingEnd: 4,
    enabled: isNear,
  });

  // A card added at the end with quick add: keep it in view.
  useEffect(() => {
    if (cards.length > previousCount.current && followEndRef.current) {
      virtualizer.scrollToIndex(cards.length - 1, { align: 'end' });
      followEndRef.current = false;
    }
    previousCount.current = cards.length;
  }, [cards.length, virtualizer, followEndRef]);

  // Keyboard moves ask for a card to be shown and focused (its row may not be rendered yet: try for a
  // few frames while the list scrolls to it).
  const cardsRef = useRef(cards);
  cardsRef.current = cards;
  useEffect(() => {
    if (reveal === null) return undefined;
    const cardId = reveal.cardId;
    const index = cardsRef.current.findIndex((card) => card.id === cardId);
    if (index < 0) return undefined;
    virtualizer.scrollToIndex(index, { align: 'auto' });
    let frame = 0;
    let tries = 0;
    const attempt = () => {
      const node = scrollRef.current?.querySelector<HTMLElement>(`[data-card-id="${cssEscape(cardId)}"]`);
      if (node) {
        if (document.activeElement !== node) node.focus({ preventScroll: true });
        return;
      }
      tries += 1;
      if (tries < 10) frame = requestAnimationFrame(attempt);
    };
    frame = requestAnimationFrame(attempt);
    return () => cancelAnimationFrame(frame);
  }, [reveal, virtualizer]);

  const rows = virtualizer.getVirtualItems();
  const total = virtualizer.getTotalSize();
  let indicatorTop: number | null = null;
  if (dropIndex !== null && isNear) {
    const measurements = virtualizer.measurementsCache;
    if (dropIndex < cards.length) indicatorTop = (measurements[dropIndex]?.start ?? 0) - CARD_GAP / 2;
    else {
      const last = measurements[cards.length - 1];
      indicatorTop = last ? last.end + CARD_GAP / 2 : 4;
    }
  }

  return (
    <div
      className={`tb-column__scroll${dropIndex !== null ? ' is-drop-target' : ''}`}
      ref={(node) => {
        scrollRef.current = node;
        setZoneRef(node);
      }}
      data-column-scroll={column.id}
    >
      {cards.length === 0 ? (
        <div className="tb-column__empty">{dropIndex !== null ? 'Drop here' : isFiltered ? 'No matching cards' : 'No cards yet'}</div>
      ) : (
        <SortableContext id={column.id} items={cardIds} strategy={noShift}>
          <div role="list" aria-label={`Cards in ${column.name}`} className="tb-column__list" style={{ height: total }}>
            {rows.map((row) => {
              const card = cards[row.index];
              if (!card) return null;
              return (
                <div
                  key={row.key}
                  role="listitem"
                  aria-setsize={cards.length}
                  aria-posinset={row.index + 1}
                  data-index={row.index}
                  ref={virtualizer.measureElement}
                  className="tb-column__row"
                  style={{ transform: `translateY(${row.start}px)` }}
                >
                  <SortableCard
                    card={card}
                    columnId={column.id}
                    isLifted={card.id === liftedCardId}
                    isOpen={card.id === openCardId}
                    isDragSource={card.id === dragCardId}
                    onOpenCard={onOpenCard}
                    onCardKeyDown={onCardKeyDown}
                  />
                </div>
              );
            })}
            {indicatorTop !== null ? <div className="tb-drop-indicator" style={{ transform: `translateY(${indicatorTop}px)` }} /> : null}
          </div>
        </SortableContext>
      )}
    </div>
  );
}

function cssEscape(value: string): string {
  return globalThis.CSS.escape(value);
}

const SortableCard = memo(function SortableCard({
  card,
  columnId,
  isLifted,
  isOpen,
  isDragSource,
  onOpenCard,
  onCardKeyDown,
}: {
  card: BoardCard;
  columnId: string;
  isLifted: boolean;
  isOpen: boolean;
  isDragSource: boolean;
  onOpenCard: (cardId: string) => void;
  onCardKeyDown: (event: ReactKeyboardEvent<HTMLDivElement>, card: BoardCard) => void;
}) {
  const { setNodeRef, listeners } = useSortable({
    id: card.id,
    data: { type: 'card', columnId, cardId: card.id } satisfies CardDragData,
  });
  return (
    <CardTile
      card={card}
      isLifted={isLifted}
      isOpen={isOpen}
      isDragSource={isDragSource}
      onOpen={onOpenCard}
      onKeyDown={onCardKeyDown}
      dragRef={setNodeRef}
      dragListeners={listeners}
    />
  );
});
