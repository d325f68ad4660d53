// The columns of a board and every way of moving things on it: pointer drag and drop (@dnd-kit, a drop
// line shows where a card lands), keyboard moves (focus a card, Space to pick it up, arrows to move,
// Space to drop, Escape to cancel; the same for a column from its grip), each announced to screen
// readers. The board store sends the moves to the core; a refusal is explained in a toast.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import {
  DndContext,
  DragOverlay,
  MeasuringStrategy,
  PointerSensor,
  closestCenter,
  pointerWithin,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import type { Announcements, CollisionDetection, DragEndEvent, DragMoveEvent, DragStartEvent } from '@dnd-kit/core';
import { SortableContext, horizontalListSortingStrategy } from '@dnd-kit/sortable';
import type { BoardCard, BoardColumn as BoardColumnView } from '../../../shared/model/views';
import { Kbd } from '../../components';
import { useBoardStore } from '../../stores/board-store';
import { toast } from '../../stores/toast-store';
import { useUndoStore } from '../../stores/undo-store';
import { AddColumn } from './AddColumn';
import { BoardColumn, columnSortId } from './BoardColumn';
import type { CardDragData, ColumnDragData, ZoneDragData } from './BoardColumn';
import { CARD_HELP_ID, CardTile } from './CardTile';
import { locateCard, positionText, stepCard, withCardAt, withColumnAt } from './moves';
import type { CardLift, ColumnLift } from './moves';

type DragData = CardDragData | ColumnDragData | ZoneDragData;

function dataOf(value: unknown): DragData | undefined {
  if (typeof value !== 'object' || value === null || !('type' in value)) return undefined;
  const type: unknown = value.type;
  return type === 'card' || type === 'column' || type === 'zone' ? (value as DragData) : undefined;
}

/** Cards meet cards and column drop zones (the card under the pointer, else the nearest card of that column); columns meet columns. */
const collisions: CollisionDetection = (args) => {
  const active = dataOf(args.active.data.current);
  if (active?.type === 'column') {
    const columns = args.droppableContainers.filter((c) => dataOf(c.data.current)?.type === 'column');
    return closestCenter({ ...args, droppableContainers: columns });
  }
  const cardsAndZones = args.droppableContainers.filter((c) => dataOf(c.data.current)?.type !== 'column');
  const under = pointerWithin({ ...args, droppableContainers: cardsAndZones });
  const card = under.find((hit) => dataOf(hit.data?.droppableContainer.data.current)?.type === 'card');
  if (card) return [card];
  const zone = under.find((hit) => dataOf(hit.data?.droppableContainer.data.current)?.type === 'zone');
  if (!zone) return [];
  const zoneColumn = dataOf(zone.data?.droppableContainer.data.current)?.columnId;
  const cardsOfZone = cardsAndZones.filter((c) => {
    const data = dataOf(c.data.current);
    return data?.type === 'card' && data.columnId === zoneColumn;
  });
  const nearest = cardsOfZone.length > 0 ? closestCenter({ ...args, droppableContainers: cardsOfZone }) : [];
  return nearest.length > 0 ? [nearest[0]!, zone] : [zone];
};

type PointerDrop = { columnId: string; index: number };

/** A move the core refused: the board has put the card back; say so, and why. */
function explainRefusedMove(title: string, reason: string): void {
  toast.error(`Couldn’t move “${title}”`, { detail: `${reason} It’s back where it was.` });
}

export type Reveal = { cardId: string; seq: number };

export function BoardCanvas({
  columns,
  openCardId,
  onOpenCard,
  isFiltered,
}: {
  columns: BoardColumnView[];
  openCardId: string | null;
  onOpenCard: (cardId: string) => void;
  isFiltered: boolean;
}) {
  const moveCard = useBoardStore((state) => state.moveCard);
  const moveColumn = useBoardStore((state) => state.moveColumn);
  const renameColumn = useBoardStore((state) => state.renameColumn);
  const deleteColumn = useBoardStore((state) => state.deleteColumn);
  const createColumn = useBoardStore((state) => state.createColumn);
  const createCard = useBoardStore((state) => state.createCard);

  const [cardLift, setCardLift] = useState<CardLift | null>(null);
  const [columnLift, setColumnLift] = useState<ColumnLift | null>(null);
  const [reveal, setReveal] = useState<Reveal | null>(null);
  const revealSeq = useRef(0);
  const revealCard = useCallback((cardId: string) => {
    revealSeq.current += 1;
    setReveal({ cardId, seq: revealSeq.current });
  }, []);
  const [announcement, setAnnouncement] = useState('');
  const [dragCard, setDragCard] = useState<BoardCard | null>(null);
  const [dragColumnId, setDragColumnId] = useState<string | null>(null);
  const [drop, setDrop] = useState<PointerDrop | null>(null);
  const lastDragEnd = useRef(0);
  const scrollerRef = useRef<HTMLDivElement>(null);

  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 5 } }));

  // What is shown: the core's view, with a card or column being moved by keyboard where it would go.
  const shown = useMemo(() => {
    if (cardLift) return withCardAt(columns, cardLift.cardId, cardLift.columnId, cardLift.index);
    if (columnLift) return withColumnAt(columns, columnLift.columnId, columnLift.index);
    return columns;
  }, [columns, cardLift, columnLift]);

  const say = useCallback((text: string) => {
    // Re-announce identical text by toggling a trailing space.
    setAnnouncement((previous) => (previous === text ? `${text} ` : text));
  }, []);

  const openCard = useCallback(
    (cardId: string) => {
      if (Date.now() - lastDragEnd.current < 250) return;
      onOpenCard(cardId);
    },
    [onOpenCard],
  );

  // --- Keyboard moves of cards ---------------------------------------------------------------------
  // Picking up happens on the focused card. While a card is up, the keys are read at the window, so they
  // keep working while the card's row is re-rendered in another column and focus catches up with it.

  const shownRef = useRef(shown);
  shownRef.current = shown;
  const columnsRef = useRef(columns);
  columnsRef.current = columns;

  const onCardKeyDown = useCallback(
    (event: ReactKeyboardEvent<HTMLDivElement>, card: BoardCard) => {
      const current = shownRef.current;
      if (event.key === 'Enter') {
        event.preventDefault();
        openCard(card.id);
      } else if (event.key === ' ') {
        event.preventDefault();
        const at = locateCard(current, card.id);
        if (!at) return;
        setColumnLift(null);
        setCardLift({ cardId: card.id, title: card.title, fromColumnId: at.columnId, fromIndex: at.index, columnId: at.columnId, index: at.index });
        revealCard(card.id);
        say(
          `Picked up ${card.title}, ${positionText(current, card.id, at.columnId, at.index)}. Use the arrow keys to move it, Space to drop, Escape to cancel.`,
        );
      } else if (event.key.startsWith('Arrow')) {
        // Arrow keys move focus between cards: up and down in a column, left and right across columns.
        event.preventDefault();
        const at = locateCard(current, card.id);
        if (!at) return;
        const columnIndex = current.findIndex((c) => c.id === at.columnId);
        let target: BoardCard | undefined;
        if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
          target = current[columnIndex]?.cards[at.index + (event.key === 'ArrowDown' ? 1 : -1)];
        } else {
          const column = current[columnIndex + (event.key === 'ArrowLeft' ? -1 : 1)];
          target = column?.cards[Math.min(at.index, column.cards.length - 1)];
        }
        if (target) revealCard(target.id);
      }
    },
    [openCard, say, revealCard],
  );

  useEffect(() => {
    if (!cardLift) return undefined;
    const lift = cardLift;
    function onKeyDown(event: KeyboardEvent) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const current = shownRef.current;
      if (event.key === 'Escape' || event.key === 'Tab') {
        if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
        }
        setCardLift(null);
        if (event.key === 'Escape') revealCard(lift.cardId);
        say(`Move cancelled. ${lift.title} is back at ${positionText(columnsRef.current, lift.cardId, lift.fromColumnId, lift.fromIndex)}.`);
        return;
      }
      if (event.key === ' ' || event.key === 'Enter') {
        event.preventDefault();
        event.stopPropagation();
        setCardLift(null);
        if (lift.columnId === lift.fromColumnId && lift.index === lift.fromIndex) {
          say(`${lift.title} dropped where it was.`);
          revealCard(lift.cardId);
          return;
        }
        const where = positionText(current, lift.cardId, lift.columnId, lift.index);
        void moveCard(lift.cardId, lift.columnId, lift.index).then((result) => {
          if (result.ok) say(`Dropped ${lift.title} at ${where}.`);
          else {
            say(`${lift.title} could not be moved: ${result.error.message} It is back at ${positionText(columnsRef.current, lift.cardId, lift.fromColumnId, lift.fromIndex)}.`);
            explainRefusedMove(lift.title, result.error.message);
          }
          revealCard(lift.cardId);
        });
        return;
      }
      if (!['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
      event.preventDefault();
      event.stopPropagation();
      const step = stepCard(current, lift, event.key);
      if (!step) {
        say(`${lift.title} can’t go further that way.`);
        return;
      }
      setCardLift({ ...lift, ...step });
      revealCard(lift.cardId);
      say(`${lift.title}: ${positionText(current, lift.cardId, step.columnId, step.index)}.`);
    }
    // A click elsewhere puts the card back.
    function onPointerDown() {
      setCardLift(null);
      say(`Move cancelled. ${lift.title} is back where it was.`);
    }
    window.addEventListener('keydown', onKeyDown, true);
    window.addEventListener('pointerdown', onPointerDown, true);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      window.removeEventListener('pointerdown', onPointerDown, true);
    };
  }, [cardLift, moveCard, say, revealCard]);

  // A lifted card or column that leaves the board (another board, deleted elsewhere) is let go.
  useEffect(() => {
    if (cardLift && !locateCard(columns, cardLift.cardId)) setCardLift(null);
    if (columnLift && !columns.some((column) => column.id === columnLift.columnId)) setColumnLift(null);
  }, [columns, cardLift, columnLift]);

  // --- Keyboard moves of columns -------------------------------------------------------------------

  const focusGrip = useCallback((columnId: string) => {
    requestAnimationFrame(() => {
      scrollerRef.current?.querySelector<HTMLElement>(`[data-column-id="${globalThis.CSS.escape(columnId)}"] .tb-column__grip`)?.focus();
    });
  }, []);

  const dropColumn = useCallback(
    async (columnId: string, name: string, index: number) => {
      const all = columnsRef.current;
      const others = all.filter((c) => c.id !== columnId);
      const before = others[0];
      const after = others[index - 1];
      const place = index <= 0 && before ? { beforeColumnId: before.id } : after ? { afterColumnId: after.id } : {};
      const result = await moveColumn(columnId, place);
      if (result.ok) say(`Column ${name} is now column ${index + 1} of ${all.length}.`);
      else {
        say(`Column ${name} could not be moved: ${result.error.message}`);
        toast.error(`Couldn’t move the column “${name}”`, { detail: result.error.message });
      }
      focusGrip(columnId);
    },
    [moveColumn, say, focusGrip],
  );

  const onGripKeyDown = useCallback(
    (event: ReactKeyboardEvent<HTMLButtonElement>, column: BoardColumnView) => {
      if (event.key !== ' ' && event.key !== 'Enter') return;
      event.preventDefault();
      const all = columnsRef.current;
      const index = all.findIndex((c) => c.id === column.id);
      setCardLift(null);
      setColumnLift({ columnId: column.id, name: column.name, fromIndex: index, index });
      say(`Picked up column ${column.name}, column ${index + 1} of ${all.length}. Use the left and right arrow keys to move it, Space to drop, Escape to cancel.`);
    },
    [say],
  );

  useEffect(() => {
    if (!columnLift) return undefined;
    const lift = columnLift;
    function onKeyDown(event: KeyboardEvent) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const count = columnsRef.current.length;
      if (event.key === 'Escape' || event.key === 'Tab') {
        if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
          focusGrip(lift.columnId);
        }
        setColumnLift(null);
        say(`Move cancelled. Column ${lift.name} is back at column ${lift.fromIndex + 1}.`);
        return;
      }
      if (event.key === ' ' || event.key === 'Enter') {
        event.preventDefault();
        event.stopPropagation();
        setColumnLift(null);
        if (lift.index === lift.fromIndex) say(`Column ${lift.name} dropped where it was.`);
        else void dropColumn(lift.columnId, lift.name, lift.index);
        focusGrip(lift.columnId);
        return;
      }
      if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
      event.preventDefault();
      event.stopPropagation();
      const index = lift.index + (event.key === 'ArrowLeft' ? -1 : 1);
      if (index < 0 || index >= count) {
        say(`Column ${lift.name} can’t go further that way.`);
        return;
      }
      setColumnLift({ ...lift, index });
      say(`Column ${lift.name}: column ${index + 1} of ${count}.`);
      focusGrip(lift.columnId);
    }
    function onPointerDown() {
      setColumnLift(null);
      say(`Move cancelled. Column ${lift.name} is back where it was.`);
    }
    window.addEventListener('keydown', onKeyDown, true);
    window.addEventListener('pointerdown', onPointerDown, true);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      window.removeEventListener('pointerdown', onPointerDown, true);
    };
  }, [columnLift, say, dropColumn, focusGrip]);

  const onMoveBy = useCallback(
    (column: BoardColumnView, delta: -1 | 1) => {
      const all = columnsRef.current;
      const index = all.findIndex((c) => c.id === column.id) + delta;
      if (index < 0 || index >= all.length) return;
      void dropColumn(column.id, column.name, index);
    },
    [dropColumn],
  );

  // --- Column and card commands --------------------------------------------------------------------

  const onRename = useCallback(
    async (column: BoardColumnView, name: string) => {
      const result = await renameColumn(column.id, name);
      if (!result.ok) toast.error('Couldn’t rename the column', { detail: result.error.message });
      return result.ok;
    },
    [renameColumn],
  );

  const onDelete = useCallback(
    async (column: BoardColumnView) => {
      const result = await deleteColumn(column.id);
      if (!result.ok) {
        toast.error(`Couldn’t delete “${column.name}”`, { detail: result.error.message });
        return;
      }
      toast.info(`Deleted the column “${column.name}”`, {
        action: { label: 'Undo', onAction: () => void useUndoStore.getState().undo() },
      });
    },
    [deleteColumn],
  );

  const onAddCard = useCallback(
    async (columnId: string, title: string) => {
      const result = await createCard(columnId, title);
      if (!result.ok) toast.error('Couldn’t add the card', { detail: result.error.message });
      return result.ok;
    },
    [createCard],
  );

  const onAddColumn = useCallback(
    async (name: string) => {
      const result = await createColumn(name);
      if (!result.ok) toast.error('Couldn’t add the column', { detail: result.error.message });
      else requestAnimationFrame(() => scrollerRef.current?.scrollTo({ left: scrollerRef.current.scrollWidth }));
      return result.ok;
    },
    [createColumn],
  );

  // --- Pointer drag and drop -----------------------------------------------------------------------

  function dropFor(event: DragMoveEvent): PointerDrop | null {
    const over = event.over;
    const active = dataOf(event.active.data.current);
    if (!over || active?.type !== 'card') return null;
    const target = dataOf(over.data.current);
    if (!target) return null;
    const column = shown.find((c) => c.id === target.columnId);
    if (!column) return null;
    if (target.type === 'zone') return { columnId: column.id, index: column.cards.length };
    if (target.type !== 'card') return null;
    const index = column.cards.findIndex((c) => c.id === target.cardId);
    if (index < 0) return null;
    const rect = event.active.rect.current.translated;
    const isBelow = rect ? rect.top + rect.height / 2 > over.rect.top + over.rect.height / 2 : false;
    return { columnId: column.id, index: index + (isBelow ? 1 : 0) };
  }

  function onDragStart(event: DragStartEvent) {
    const data = dataOf(event.active.data.current);
    setCardLift(null);
    setColumnLift(null);
    if (data?.type === 'card') setDragCard(locateCard(shown, data.cardId)?.card ?? null);
    else if (data?.type === 'column') setDragColumnId(data.columnId);
  }

  function onDragMove(event: DragMoveEvent) {
    const next = dropFor(event);
    setDrop((previous) => (previous?.columnId === next?.columnId && previous?.index === next?.index ? previous : next));
  }

  function onDragEnd(event: DragEndEvent) {
    lastDragEnd.current = Date.now();
    const data = dataOf(event.active.data.current);
    // Where it lands is worked out from the final pointer position (the last move event can lag a frame).
    const target = dropFor(event) ?? drop;
    setDrop(null);
    setDragCard(null);
    setDragColumnId(null);
    if (data?.type === 'card' && target) {
      const from = locateCard(shown, data.cardId);
      if (!from) return;
      // The drop index counts the card itself when it stays in its column.
      const index = from.columnId === target.columnId && from.index < target.index ? target.index - 1 : target.index;
      if (from.columnId === target.columnId && from.index === index) return;
      const title = from.card.title;
      void moveCard(data.cardId, target.columnId, index).then((result) => {
        if (!result.ok) explainRefusedMove(title, result.error.message);
      });
    } else if (data?.type === 'column' && event.over) {
      const overData = dataOf(event.over.data.current);
      if (overData?.type !== 'column' || overData.columnId === data.columnId) return;
      const index = columns.findIndex((c) => c.id === overData.columnId);
      const column = columns.find((c) => c.id === data.columnId);
      if (column && index >= 0) void dropColumn(column.id, column.name, index);
    }
  }

  function onDragCancel() {
    lastDragEnd.current = Date.now();
    setDrop(null);
    setDragCard(null);
    setDragColumnId(null);
  }

  const announcements: Announcements = {
    onDragStart: ({ active }) => {
      const data = dataOf(active.data.current);
      if (data?.type === 'card') return `Picked up ${locateCard(shown, data.cardId)?.card.title ?? 'card'}.`;
      if (data?.type === 'column') return `Picked up column ${shown.find((c) => c.id === data.columnId)?.name ?? ''}.`;
      return undefined;
    },
    onDragOver: ({ over }) => {
      const target = over ? dataOf(over.data.current) : undefined;
      const column = target ? shown.find((c) => c.id === target.columnId) : undefined;
      return column ? `Over ${column.name}.` : undefined;
    },
    onDragEnd: ({ over }) => {
      const target = over ? dataOf(over.data.current) : undefined;
      const column = target ? shown.find((c) => c.id === target.columnId) : undefined;
      return column ? `Dropped in ${column.name}.` : 'Dropped.';
    },
    onDragCancel: () => 'Move cancelled.',
  };

  const columnIds = shown.map((column) => columnSortId(column.id));
  const dragColumn = dragColumnId ? shown.find((c) => c.id === dragColumnId) : undefined;

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collisions}
      measuring={{ droppable: { strategy: MeasuringStrategy.WhileDragging } }}
      onDragStart={onDragStart}
      onDragMove={onDragMove}
      onDragOver={onDragMove}
      onDragEnd={onDragEnd}
      onDragCancel={onDragCancel}
      accessibility={{ announcements, screenReaderInstructions: { draggable: '' } }}
    >
      <div className="tb-board__scroller" ref={scrollerRef}>
        <SortableContext items={columnIds} strategy={horizontalListSortingStrategy}>
          {shown.map((column, position) => (
            <BoardColumn
              key={column.id}
              column={column}
              position={position}
              columnCount={shown.length}
              liftedCardId={cardLift?.cardId ?? null}
              openCardId={openCardId}
              dragCardId={dragCard?.id ?? null}
              dropIndex={drop?.columnId === column.id ? drop.index : null}
              isColumnLifted={columnLift?.columnId === column.id}
              isFiltered={isFiltered}
              reveal={reveal}
              onOpenCard={openCard}
              onCardKeyDown={onCardKeyDown}
              onGripKeyDown={onGripKeyDown}
              onRename={onRename}
              onDelete={onDelete}
              onMoveBy={onMoveBy}
              onAddCard={onAddCard}
            />
          ))}
        </SortableContext>
        {!isFiltered ? <AddColumn onAdd={onAddColumn} /> : null}
      </div>
      <DragOverlay dropAnimation={null}>
        {dragCard ? <CardTile card={dragCard} isOverlay /> : null}
        {dragColumn ? (
          <div className="tb-column tb-column--overlay" aria-hidden="true">
            <div className="tb-column__header">
              <h2 className="tb-column__name">{dragColumn.name}</h2>
              <span className="tb-column__count">{dragColumn.cards.length}</span>
            </div>
          </div>
        ) : null}
      </DragOverlay>
      {cardLift || columnLift ? (
        <div className="tb-move-hint" aria-hidden="true">
          <span className="tb-move-hint__what">
            Moving {cardLift ? `“${cardLift.title}”` : `column “${columnLift?.name ?? ''}”`}
          </span>
          <span>
            <Kbd>{cardLift ? '←↑↓→' : '←→'}</Kbd> move
          </span>
          <span>
            <Kbd>Space</Kbd> drop
          </span>
          <span>
            <Kbd>Esc</Kbd> cancel
          </span>
        </div>
      ) : null}
      <p id={CARD_HELP_ID} className="tb-visually-hidden">
        Press Enter to open the card. Press Space to pick it up, then the arrow keys to move it and Space to drop it.
      </p>
      <p id="tb-column-help" className="tb-visually-hidden">
        Press Space to pick up the column, the left and right arrow keys to move it, and Space to drop it.
      </p>
      <div id="tb-board-announcer" className="tb-visually-hidden" role="status" aria-live="assertive" aria-atomic="true">
        {announcement}
      </div>
    </DndContext>
  );
}
