import { AppError } from '../../shared/errors';

/**
 * Trims a one-line text a person typed (title, name, tag) and refuses an empty one. Length caps are checked
 * with the particulars (validateEvent), so the message names the limit.
 */
export function requireText(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new AppError('invalid_input', `The ${what} must be text.`);
  const trimmed = value.trim();
  if (trimmed.length === 0) throw new AppError('invalid_input', `The ${what} cannot be empty.`);
  return trimmed;
}
