// Writing a small file whole or not at all: the text goes to a temporary file beside it, which is then renamed
// over it, so a reader (or the next start after a crash) sees the old file or the new one, never half of one.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';

/**
 * Replaces `path` with `text` atomically. The temporary file is named for this process AND thread, so two
 * threads writing the same file at once never share (and tear) one; it is removed again if the write fails.
 */
export function writeFileAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}-${threadId}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
