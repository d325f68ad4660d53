// Particulars of board events (eventable: the board; the envelope's boardId is the board too).
import { object, type Infer } from '../schema';
import { nameSchema } from './common';

export const boardCreatedV1 = object({ name: nameSchema });
export type BoardCreatedV1 = Infer<typeof boardCreatedV1>;

export const boardRenamedV1 = object({ from: nameSchema, to: nameSchema });
export type BoardRenamedV1 = Infer<typeof boardRenamedV1>;

/** `name`: the board's name when it was deleted. */
export const boardDeletedV1 = object({ name: nameSchema });
export type BoardDeletedV1 = Infer<typeof boardDeletedV1>;
