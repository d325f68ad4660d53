export type SQLiteStorageErrorCode = 'locked' | 'corrupt' | 'unavailable' | 'invalid_document';

/** An error of the storage itself (not a write conflict): always names the file or folder concerned. */
export class SQLiteStorageError extends Error {
  readonly code: SQLiteStorageErrorCode;
  readonly path: string;

  constructor(code: SQLiteStorageErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SQLiteStorageError';
    this.code = code;
    this.path = path;
  }
}

type SqliteNativeError = Error & { errcode?: number; errstr?: string };

const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_READONLY = 8;
const SQLITE_IOERR = 10;
const SQLITE_CORRUPT = 11;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;
const SQLITE_NOTADB = 26;

/** Turns an error thrown by node:sqlite into a SQLiteStorageError that names `path`; other errors pass through. */
export function describeSqliteError(error: unknown, path: string, doing: string): unknown {
  if (error instanceof SQLiteStorageError || !(error instanceof Error)) return error;
  const native = error as SqliteNativeError;
  const primary = typeof native.errcode === 'number' ? native.errcode & 0xff : undefined;
  const detail = native.errstr ?? native.message;
  switch (primary) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return new SQLiteStorageError(
        'corrupt',
        path,
        `The database file ${path} is damaged or is not a Trailboard database (${detail}) while ${doing}. ` +
          'It was left untouched; restore it from a backup.',
        { cause: error },
      );
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return new SQLiteStorageError(
        'locked',
        path,
        `The database file ${path} is locked by another connection or process (${detail}) while ${doing}.`,
        { cause: error },
      );
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
      return new SQLiteStorageError(
        'unavailable',
        path,
        `The database file ${path} cannot be used (${detail}) while ${doing}. Check that the folder exists, ` +
          'is writable and that the disk has space.',
        { cause: error },
      );
    default:
      return error;
  }
}
