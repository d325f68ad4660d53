// The closed set of error codes every layer speaks. Expected failures throw `AppError`; a plain `Error`
// is a bug. Across IPC and HTTP only `{ code, message }` travels (see `toErrorBody`).

export const ERROR_CODES = [
  'not_found',
  'invalid_input',
  'forbidden',
  'conflict',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Extra, machine-readable context. Never secrets, never another account's data. */
export type ErrorDetails = Readonly<Record<string, unknown>>;

export type ErrorBody = { code: ErrorCode; message: string; details?: ErrorDetails };

const ERROR_CODE_SET: ReadonlySet<string> = new Set(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && ERROR_CODE_SET.has(value);
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.code = code;
    this.details = details;
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/**
 * True for an `AppError`, also one that crossed a realm (a worker, a vm context) where `instanceof`
 * fails: it checks the shape, not the prototype.
 */
export function isAppError(value: unknown): value is AppError {
  if (value instanceof AppError) return true;
  if (typeof value !== 'object' || value === null) return false;
  return (
    'name' in value &&
    value.name === 'AppError' &&
    'code' in value &&
    isErrorCode(value.code) &&
    'message' in value &&
    typeof value.message === 'string'
  );
}

/**
 * What may leave the process for any thrown value: an `AppError` keeps its code and message; anything
 * else is a bug and becomes `internal` with a generic message (log the original with its stack first).
 */
export function toErrorBody(error: unknown): ErrorBody {
  if (isAppError(error)) {
    return error.details === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, details: error.details };
  }
  return { code: 'internal', message: 'Something went wrong inside Trailboard.' };
}
