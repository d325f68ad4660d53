// Particulars of comment events (eventable: the comment; the envelope's boardId is its card's board).
// `card` names the card the comment is on, with its title at the time.
import { object, type Infer } from '../schema';
import { cardRefSchema, commentBodySchema, hashSchema } from './common';

export const commentCreatedV1 = object({ card: cardRefSchema, body: commentBodySchema });
export type CommentCreatedV1 = Infer<typeof commentCreatedV1>;

/** The new body in full and the hash of the old one (`hashText(old)`). */
export const commentEditedV1 = object({ card: cardRefSchema, body: commentBodySchema, previousHash: hashSchema });
export type CommentEditedV1 = Infer<typeof commentEditedV1>;

export const commentDeletedV1 = object({ card: cardRefSchema });
export type CommentDeletedV1 = Infer<typeof commentDeletedV1>;

export const commentRestoredV1 = object({ card: cardRefSchema });
export type CommentRestoredV1 = Infer<typeof commentRestoredV1>;
