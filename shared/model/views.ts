// Read models: what the core's queries answer (a board with its columns and cards, a card with its
// comments, pages of events with their sentences). Plain serializable data, so the same shapes cross
// the MessagePort, the IPC bridge and the web host's WebSocket, and the renderer can use these types.
import type { StoredEvent } from '../events/envelope';
import type { Sentence } from '../sentences';
import type { Board, Card, Column, Comment } from './entities';

/** Which cards a board shows: open ones, closed ones, or both. */
export const CARD_STATUSES = ['open', 'closed', 'all'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

/** Filters of the board query; every one given must match (AND). */
export type BoardFilters = {
  /** Only cards this person is assigned to. */
  assigneeId?: string;
  /** Only cards with exactly this tag. */
  tag?: string;
  /** Open, closed or all cards (default `all`). */
  status?: CardStatus;
  /** Case-insensitive substring of the title or the description (surrounding blanks ignored). */
  text?: string;
};

/**
 * What the board shows of a card: a board may hold thousands, so it carries only what a tile, the filters
 * and a move need (the card panel reads the whole card with `card.get`). `isRecovered`: its column is
 * deleted or unknown (a merge moved it into a column deleted elsewhere), so the board shows it in its first
 * live column; its own `columnId` still names the column its events set.
 */
export type BoardCard = Pick<Card, 'id' | 'columnId' | 'title' | 'position' | 'isClosed' | 'assignees' | 'tags' | 'dueDate'> & {
  isRecovered: boolean;
};

/** The board's view of `card`. */
export function boardCardOf(card: Card, isRecovered: boolean): BoardCard {
  return {
    id: card.id,
    columnId: card.columnId,
    title: card.title,
    position: card.position,
    isClosed: card.isClosed,
    assignees: card.assignees,
    tags: card.tags,
    dueDate: card.dueDate,
    isRecovered,
  };
}

/** A live column and its cards in board order (position, then id), filtered. */
export type BoardColumn = Column & { cards: BoardCard[] };

export type BoardView = {
  board: Board;
  /** Live columns in board order (position, then id). */
  columns: BoardColumn[];
  /**
   * Recovered cards of a board that has no live column at all to show them in (usually empty). Never
   * dropped: they appear here until a column exists.
   */
  unplacedCards: BoardCard[];
  /** The filters applied, as the query understood them. */
  filters: Required<Pick<BoardFilters, 'status'>> & Omit<BoardFilters, 'status'>;
};

export type CardView = {
  /** The card, also when it is deleted (`isDeleted`), so the card panel can offer to restore it. */
  card: Card;
  /** Its column is deleted or unknown: the board shows it in its first live column. */
  isRecovered: boolean;
  /** Live comments, oldest first (by the hlc of their creation, then id). */
  comments: Comment[];
};

/**
 * One event in a timeline or an activity feed, with its sentence (message id and parameters, worded by
 * the renderer). `isRejected`: the server refused it (it changed nothing; the sentence says why).
 * `isUnknown`: an action or version this app does not know (shown as "a change from a newer version").
 */
export type EventItem = {
  event: StoredEvent;
  sentence: Sentence;
  isRejected: boolean;
  isUnknown: boolean;
};

/**
 * One page of a newest-first list. `nextCursor`: pass it back to get the next (older) page; null when
 * this page is the last. Cursors are opaque strings.
 */
export type Page<T> = { items: T[]; nextCursor: string | null };

export type PageRequest = {
  /** From the previous page's `nextCursor`; absent for the newest page. */
  cursor?: string | null;
  /** How many items at most (1 to `PAGE_LIMIT_MAX`). */
  limit: number;
};

export type ActivityRequest = PageRequest & {
  /** Only these actions (also ones this app does not know). */
  actions?: readonly string[];
  /** Only events by this person. */
  creatorId?: string;
};

/** The largest page any query answers. */
export const PAGE_LIMIT_MAX = 500;
