// The JSON log of the main process, the core and the server: one JSON object per line in
// `<dataDir>/logs/<name>.log`, rotated by size to `<name>.1.log` … `<name>.<maxFiles>.log` (1 is the
// newest), secrets redacted (see redact.ts).
//
// Writes are synchronous appends, so a line is on disk (in the OS's hands) when the call returns and
// nothing is lost when the process dies. Logging never throws into its caller: a line that cannot be
// serialised or written (full disk, missing permissions) is counted in `droppedLines`, and the next line
// that does get written is preceded by a `log lines dropped` warning with the count.
//
// Several loggers may share one file (the main thread and the core's worker thread, say): before each
// line the logger checks that the path still names the file it holds open, and reopens it when another
// writer has rotated it.
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { redact, redactString } from './redact';

export const logLevels = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof logLevels)[number];
export type LogFields = Readonly<Record<string, unknown>>;

export type LoggerOptions = {
  /** The data folder; the log goes to `<dataDir>/logs/`. */
  dataDir: string;
  /** File name without extension. Default `trailboard`. */
  name?: string;
  /** Lines below this level are skipped. Default `info`. */
  level?: LogLevel;
  /** A file is rotated before a line would take it past this size. Default 5 MiB. */
  maxBytes?: number;
  /** Rotated files kept besides the current one. Default 5. */
  maxFiles?: number;
  /** String values longer than this are cut. Default 8192 characters. */
  maxStringLength?: number;
  /** Fields written on every line. */
  fields?: LogFields;
};

export type Logger = {
  /** The file lines go to. */
  readonly path: string;
  /** Lines that could not be written since the logger was created (shared with child loggers). */
  readonly droppedLines: number;
  isLevelEnabled(level: LogLevel): boolean;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger writing to the same file with `fields` added to every line (they win over the parent's). */
  child(fields: LogFields): Logger;
  /** Closes the file. A later line opens it again. */
  close(): void;
};

const reservedKeys = new Set(['time', 'level', 'msg']);
const levelRank: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

export const defaultMaxBytes = 5 * 1024 * 1024;
export const defaultMaxFiles = 5;

export function createLogger(options: LoggerOptions): Logger {
  const sink = new FileSink(options);
  const minRank = levelRank[options.level ?? 'info'];
  const maxStringLength = options.maxStringLength ?? 8192;
  return makeLogger(sink, minRank, maxStringLength, { ...options.fields });
}

function makeLogger(sink: FileSink, minRank: number, maxStringLength: number, bound: LogFields): Logger {
  function write(level: LogLevel, msg: string, fields: LogFields | undefined): void {
    if (levelRank[level] < minRank) return;
    let line: string;
    try {
      line = formatLine(level, msg, { ...bound, ...fields }, maxStringLength);
    } catch {
      sink.countDropped();
      return;
    }
    sink.write(line);
  }
  return {
    path: sink.path,
    get droppedLines() {
      return sink.droppedLines;
    },
    isLevelEnabled: (level) => levelRank[level] >= minRank,
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (fields) => makeLogger(sink, minRank, maxStringLength, { ...bound, ...fields }),
    close: () => sink.close(),
  };
}

function formatLine(level: LogLevel, msg: string, fields: LogFields, maxStringLength: number): string {
  const record: Record<string, unknown> = {
    time: new Date().toISOString(),
    level,
    msg: redactString(String(msg), maxStringLength),
  };
  const safe = redact(fields, { maxStringLength });
  if (safe && typeof safe === 'object') {
    for (const [key, value] of Object.entries(safe)) {
      // A field never overwrites time, level or msg; it is kept beside them.
      record[reservedKeys.has(key) ? `field.${key}` : key] = value;
    }
  }
  return `${JSON.stringify(record)}\n`;
}

class FileSink {
  readonly path: string;
  droppedLines = 0;
  private readonly dir: string;
  private readonly name: string;
  private readonly maxBytes: number;
  private readonly maxFiles: number;
  private fd: number | undefined;
  private fdIno = -1;
  private unreportedDrops = 0;

  constructor(options: LoggerOptions) {
    this.dir = join(options.dataDir, 'logs');
    this.name = options.name ?? 'trailboard';
    this.path = join(this.dir, `${this.name}.log`);
    this.maxBytes = Math.max(1, options.maxBytes ?? defaultMaxBytes);
    this.maxFiles = Math.max(0, Math.floor(options.maxFiles ?? defaultMaxFiles));
  }

  countDropped(): void {
    this.droppedLines += 1;
    this.unreportedDrops += 1;
  }

  write(line: string): void {
    const bytes = Buffer.from(line, 'utf8');
    try {
      if (this.unreportedDrops > 0) {
        const note = formatLine('warn', 'log lines dropped', { dropped: this.unreportedDrops }, 100);
        this.append(Buffer.from(note, 'utf8'));
        this.unreportedDrops = 0;
      }
      this.append(bytes);
    } catch {
      this.countDropped();
      this.close();
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // already gone; nothing to release
    }
    this.fd = undefined;
  }

  private append(bytes: Buffer): void {
    const size = this.openedSize();
    if (size > 0 && size + bytes.length > this.maxBytes) {
      this.rotate();
      this.openedSize();
    }
    const fd = this.fd;
    if (fd === undefined) throw new Error('log file not open');
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
  }

  /** Opens the file if needed (or again, if another writer rotated it) and returns its size. */
  private openedSize(): number {
    const onDisk = statSync(this.path, { throwIfNoEntry: false });
    if (this.fd !== undefined && onDisk && onDisk.ino === this.fdIno) return onDisk.size;
    this.close();
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.fd = openSync(this.path, 'a', 0o600);
    const opened = fstatSync(this.fd);
    this.fdIno = opened.ino;
    return opened.size;
  }

  private rotate(): void {
    this.close();
    const rotated = (n: number) => join(this.dir, `${this.name}.${n}.log`);
    if (this.maxFiles === 0) {
      rmSync(this.path, { force: true });
      return;
    }
    rmSync(rotated(this.maxFiles), { force: true });
    for (let n = this.maxFiles - 1; n >= 1; n -= 1) {
      try {
        renameSync(rotated(n), rotated(n + 1));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    try {
      renameSync(this.path, rotated(1));
    } catch (error) {
      // Another writer rotated it a moment ago.
      if (!isNotFound(error)) throw error;
    }
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
