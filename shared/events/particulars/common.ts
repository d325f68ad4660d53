// Building blocks of particulars. A reference to another thing always carries its id AND its display
// name at the time of the event: names change, history must not.
import { ID_PATTERN, ID_MAX_LENGTH } from '../../ids';
import { HASH_PATTERN } from '../hash';
import {
  COMMENT_MAX_BYTES,
  DESCRIPTION_MAX_BYTES,
  NAME_MAX_CHARS,
  POSITION_MAX_LENGTH,
  TAG_MAX_CHARS,
  TITLE_MAX_CHARS,
} from '../text';
import { literal, object, string, type Infer } from '../schema';

/** Not only whitespace. */
const HAS_TEXT = '\\S';

export const idSchema = string({ minLength: 1, maxLength: ID_MAX_LENGTH, pattern: ID_PATTERN });
/** A display name: 1-200 characters, not blank. */
export const nameSchema = string({ minLength: 1, maxLength: NAME_MAX_CHARS, pattern: HAS_TEXT });
/** A card title: 1-512 characters, not blank. */
export const titleSchema = string({ minLength: 1, maxLength: TITLE_MAX_CHARS, pattern: HAS_TEXT });
/** A card description: may be empty; at most 64 KiB of UTF-8. */
export const descriptionSchema = string({ maxLength: DESCRIPTION_MAX_BYTES, maxUtf8Bytes: DESCRIPTION_MAX_BYTES });
/** A comment body: not blank; at most 64 KiB of UTF-8. */
export const commentBodySchema = string({
  minLength: 1,
  maxLength: COMMENT_MAX_BYTES,
  maxUtf8Bytes: COMMENT_MAX_BYTES,
  pattern: HAS_TEXT,
});
/** A tag: 1-64 characters, no whitespace at either end, no line breaks. */
export const tagSchema = string({ minLength: 1, maxLength: TAG_MAX_CHARS, pattern: '^\\S(?:[^\\n\\r]*\\S)?$' });
/** A fractional order key (base62 digits, from fractional-indexing-jittered). */
export const positionSchema = string({ minLength: 1, maxLength: POSITION_MAX_LENGTH, pattern: '^[0-9A-Za-z]+$' });
/** `sha256:<hex>` (see hash.ts). */
export const hashSchema = string({ pattern: HASH_PATTERN });

/** A person, a board, a column: id and display name. */
export const refSchema = object({ id: idSchema, name: nameSchema });
export type Ref = Infer<typeof refSchema>;

/** A card: id and its title at the time. */
export const cardRefSchema = object({ id: idSchema, title: titleSchema });
export type CardRef = Infer<typeof cardRefSchema>;

export const ROLES = ['admin', 'member'] as const;
export const roleSchema = literal(...ROLES);
export type Role = Infer<typeof roleSchema>;
