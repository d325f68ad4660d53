// Particulars of column events (eventable: the column; the envelope's boardId is its board).
import { object, type Infer } from '../schema';
import { nameSchema, positionSchema, refSchema } from './common';

export const columnCreatedV1 = object({ name: nameSchema, position: positionSchema, board: refSchema });
export type ColumnCreatedV1 = Infer<typeof columnCreatedV1>;

export const columnRenamedV1 = object({ from: nameSchema, to: nameSchema });
export type ColumnRenamedV1 = Infer<typeof columnRenamedV1>;

/** The column's order key before and after. */
export const columnMovedV1 = object({ name: nameSchema, fromPosition: positionSchema, toPosition: positionSchema });
export type ColumnMovedV1 = Infer<typeof columnMovedV1>;

export const columnDeletedV1 = object({ name: nameSchema });
export type ColumnDeletedV1 = Infer<typeof columnDeletedV1>;

export const columnRestoredV1 = object({ name: nameSchema });
export type ColumnRestoredV1 = Infer<typeof columnRestoredV1>;
