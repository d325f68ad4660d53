// Particulars of card events (eventable: the card; the envelope's boardId is its board). Each carries
// the card's title at the time (`title`, or `from`/`to` for a rename) so a feed line or a webhook
// payload reads on its own.
import { calendarDate, nullable, object, type Infer } from '../schema';
import { descriptionSchema, hashSchema, positionSchema, refSchema, tagSchema, titleSchema } from './common';

export const cardCreatedV1 = object({ title: titleSchema, column: refSchema, position: positionSchema });
export type CardCreatedV1 = Infer<typeof cardCreatedV1>;

/** Between columns (`from` and `to` differ) or within one (a reorder: same column, new position). */
export const cardMovedV1 = object({
  title: titleSchema,
  from: refSchema,
  to: refSchema,
  fromPosition: positionSchema,
  toPosition: positionSchema,
});
export type CardMovedV1 = Infer<typeof cardMovedV1>;

export const cardRenamedV1 = object({ from: titleSchema, to: titleSchema });
export type CardRenamedV1 = Infer<typeof cardRenamedV1>;

/** The new text in full and the hash of the old one (`hashText(old)`; the old text is in an earlier event). */
export const cardDescriptionChangedV1 = object({
  title: titleSchema,
  description: descriptionSchema,
  previousHash: hashSchema,
});
export type CardDescriptionChangedV1 = Infer<typeof cardDescriptionChangedV1>;

export const cardClosedV1 = object({ title: titleSchema, column: refSchema });
export type CardClosedV1 = Infer<typeof cardClosedV1>;

export const cardReopenedV1 = object({ title: titleSchema, column: refSchema });
export type CardReopenedV1 = Infer<typeof cardReopenedV1>;

export const cardAssignedV1 = object({ title: titleSchema, assignee: refSchema });
export type CardAssignedV1 = Infer<typeof cardAssignedV1>;

export const cardUnassignedV1 = object({ title: titleSchema, assignee: refSchema });
export type CardUnassignedV1 = Infer<typeof cardUnassignedV1>;

export const cardTaggedV1 = object({ title: titleSchema, tag: tagSchema });
export type CardTaggedV1 = Infer<typeof cardTaggedV1>;

export const cardUntaggedV1 = object({ title: titleSchema, tag: tagSchema });
export type CardUntaggedV1 = Infer<typeof cardUntaggedV1>;

/** Calendar dates `YYYY-MM-DD`; null for no due date. */
export const cardDueDateChangedV1 = object({
  title: titleSchema,
  from: nullable(calendarDate()),
  to: nullable(calendarDate()),
});
export type CardDueDateChangedV1 = Infer<typeof cardDueDateChangedV1>;

/** `column`: where the card was when deleted (a restore puts it back there). */
export const cardDeletedV1 = object({ title: titleSchema, column: refSchema });
export type CardDeletedV1 = Infer<typeof cardDeletedV1>;

export const cardRestoredV1 = object({ title: titleSchema, column: refSchema });
export type CardRestoredV1 = Infer<typeof cardRestoredV1>;
