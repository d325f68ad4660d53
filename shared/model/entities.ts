// The projections: entities folded from events by shared/fold. The projector (src-main/worker) is
// their only writer; they are a cache of the log and can be rebuilt from it at any time.
//
// Times are ISO instants taken from the events' `createdAt` (the author's wall clock); order comes
// from `hlc`. Every projection carries:
// - `foldVersion`: the FOLD_VERSION that produced it (a different one means: rebuild by replay);
// - `lastEventHlc` / `lastEventId`: the last event folded into it, in (hlc, id) order. An event that
//   sorts before it arrived out of order, and the entity is refolded (see `arrivalOf` in shared/fold).
import type { Role } from '../events/particulars/common';

/** A person as events name them: id and display name at the time. */
export type PersonRef = { id: string; name: string };

export type ProjectionMeta = {
  id: string;
  accountId: string;
  foldVersion: number;
  lastEventHlc: string;
  lastEventId: string;
  /** `createdAt` of the last event folded into it. */
  updatedAt: string;
};

export type Account = ProjectionMeta & {
  name: string;
  createdAt: string;
  createdBy: PersonRef;
};

export type Member = { id: string; name: string; role: Role };

/**
 * Who belongs to an account and with what role: one record per account (`id` = accountId). For an
 * account never published it is folded from the account's events (`source: 'fold'`); once published,
 * the server's record is pulled and replaces it (`source: 'server'`, `lastEventHlc`/`lastEventId` '',
 * and the projector no longer writes it). Role checks read this record, never a role the caller claims.
 */
export type MembersRecord = ProjectionMeta & {
  source: 'fold' | 'server';
  members: Member[];
};

export type Board = ProjectionMeta & {
  name: string;
  isDeleted: boolean;
  deletedAt: string | null;
  deletedBy: PersonRef | null;
  createdAt: string;
  createdBy: PersonRef;
};

export type Column = ProjectionMeta & {
  boardId: string;
  name: string;
  /** Fractional order key within the board; ties broken by id. */
  position: string;
  isDeleted: boolean;
  deletedAt: string | null;
  deletedBy: PersonRef | null;
  createdAt: string;
  createdBy: PersonRef;
};

/**
 * A card. `columnId` is kept as the events set it, also when that column is deleted or unknown
 * (a merge can move a card into a column deleted elsewhere): the board query shows such a card in the
 * board's first column, flagged "recovered"; the fold never loses it.
 */
export type Card = ProjectionMeta & {
  boardId: string;
  columnId: string;
  title: string;
  description: string;
  /** Fractional order key within the column; ties broken by id. */
  position: string;
  isClosed: boolean;
  closedAt: string | null;
  closedBy: PersonRef | null;
  /** In the order they were assigned. */
  assignees: PersonRef[];
  /** In the order they were added. */
  tags: string[];
  /** `YYYY-MM-DD` or null. */
  dueDate: string | null;
  isDeleted: boolean;
  deletedAt: string | null;
  deletedBy: PersonRef | null;
  createdAt: string;
  createdBy: PersonRef;
};

export type Comment = ProjectionMeta & {
  cardId: string;
  boardId: string;
  body: string;
  isEdited: boolean;
  editedAt: string | null;
  isDeleted: boolean;
  deletedAt: string | null;
  deletedBy: PersonRef | null;
  createdAt: string;
  /** The hlc of `comment_created`: comments of a card are listed in this order. */
  createdHlc: string;
  createdBy: PersonRef;
};

/**
 * Where a consumer of the events change feed (projector, replicator, relay, notifier) has got to.
 * `checkpoint` is whatever the storage's change feed hands out (opaque JSON here).
 */
export type ConsumerCheckpoint = {
  id: string;
  checkpoint: Record<string, unknown> | null;
  updatedAt: string;
};
