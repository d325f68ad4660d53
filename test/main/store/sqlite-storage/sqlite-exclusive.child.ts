// Child process of bad-files.test.ts: another program (not Trailboard) holding a write transaction on a database
// file, e.g. a backup tool or the sqlite3 shell.
//
//   node sqlite-exclusive.child.mjs <file> wal|rollback
//
// wal:      keeps the file in WAL mode (as the storage leaves it) and holds BEGIN EXCLUSIVE with a pending write.
// rollback: first switches the file to a rollback journal, then holds BEGIN EXCLUSIVE with a pending write, which
//           locks readers out too.
// Prints `READY` once the transaction is open, then waits to be killed.
import { DatabaseSync } from 'node:sqlite';

const [file, mode] = process.argv.slice(2);
if (!file || (mode !== 'wal' && mode !== 'rollback')) throw new Error('usage: sqlite-exclusive.child.mjs <file> wal|rollback');
const db = new DatabaseSync(file);
if (mode === 'rollback') {
  const row = db.prepare('PRAGMA journal_mode = DELETE').get() as { journal_mode: string };
  if (row.journal_mode !== 'delete') throw new Error(`could not leave WAL mode: ${row.journal_mode}`);
}
db.exec('BEGIN EXCLUSIVE');
db.exec(`INSERT OR REPLACE INTO _trailboard_meta (key, value) VALUES ('held-by-another-program', 1)`);
process.stdout.write('READY\n');
setInterval(() => {}, 60_000);
