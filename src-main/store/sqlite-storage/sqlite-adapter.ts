import type * as NodeSqlite from 'node:sqlite';

export type DatabaseSync = NodeSqlite.DatabaseSync;
export type StatementSync = NodeSqlite.StatementSync;

let cached: typeof NodeSqlite | undefined;

/**
 * The one place that loads `node:sqlite`. It is built into Node 24 and the Electron releases that embed it, but
 * has been missing or behind a flag in others: fail at start-up with a message a person can act on.
 */
export function loadNodeSqlite(): typeof NodeSqlite {
  if (cached) return cached;
  let loaded: typeof NodeSqlite | undefined;
  try {
    loaded = process.getBuiltinModule('node:sqlite') as typeof NodeSqlite | undefined;
  } catch {
    loaded = undefined;
  }
  if (!loaded || typeof loaded.DatabaseSync !== 'function') {
    const runtime = process.versions.electron
      ? `Electron ${process.versions.electron} (Node ${process.versions.node})`
      : `Node ${process.versions.node}`;
    throw new Error(
      `Trailboard needs the built-in node:sqlite module, which ${runtime} does not provide. ` +
        'Run it with Node 24 or later (or an Electron release built on Node 24).',
    );
  }
  cached = loaded;
  return loaded;
}

/** Runs `fn` inside one SQLite write transaction; rolls back if it throws. */
export function inTransaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  let result: T;
  try {
    result = fn();
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
  db.exec('COMMIT');
  return result;
}
