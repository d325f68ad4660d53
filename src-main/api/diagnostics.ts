// "Export diagnostics" (DESIGN.md, "Safety nets"): one JSON Lines file a person can attach to a bug report.
// The first line says what ran where (versions, platform, how many accounts); the lines after it are the
// newest part of each log file in `<dataDir>/logs/`, oldest file first. Every line is redacted again on the
// way out (the logger already redacts what it writes; this also covers lines older versions wrote), and no
// event, card or comment text is included: only what the logs hold.
import { closeSync, openSync, readdirSync, readSync, statSync, writeFileSync } from 'node:fs';
import { arch, platform, release } from 'node:os';
import { basename, join } from 'node:path';
import type { ExportedFile } from '../../shared/api';
import type { Logger } from '../../shared/node/logger';
import { redact, redactString } from '../../shared/node/redact';
import type { Store } from '../store/store';
import { exportPath } from './exports';

/** How much of each log file goes in (its newest part). */
export const LOG_TAIL_BYTES = 2 * 1024 * 1024;

export function exportDiagnostics(store: Store, logger?: Logger): ExportedFile {
  const path = exportPath(store, 'diagnostics', 'jsonl');
  const about = {
    kind: 'about',
    generatedAt: new Date(store.now()).toISOString(),
    versions: { ...process.versions },
    platform: platform(),
    osRelease: release(),
    arch: arch(),
    deviceId: store.deviceId,
    accounts: store.listAccountIds().length,
    droppedLogLines: logger?.droppedLines ?? 0,
  };
  const lines = [JSON.stringify(about)];
  const logsDir = join(store.dataDir, 'logs');
  for (const file of logFilesOldestFirst(logsDir)) {
    for (const line of tailLines(join(logsDir, file), LOG_TAIL_BYTES)) lines.push(redactedLine(file, line));
  }
  writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
  return { fileName: basename(path), path, bytes: statSync(path).size };
}

/** `name.log` after its rotated `name.N.log` (N = 1 is the newest rotated one). */
function logFilesOldestFirst(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.log'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const age = (name: string): number => Number(/\.(\d+)\.log$/.exec(name)?.[1] ?? 0);
  return names.sort((a, b) => age(b) - age(a) || a.localeCompare(b));
}

/** The whole lines within the last `maxBytes` of the file. */
function tailLines(path: string, maxBytes: number): string[] {
  const fd = openSync(path, 'r');
  try {
    const size = statSync(path).size;
    const start = Math.max(0, size - maxBytes);
    const buffer = Buffer.alloc(size - start);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, start + read);
      if (n === 0) break;
      read += n;
    }
    const lines = buffer.subarray(0, read).toString('utf8').split('\n');
    if (start > 0) lines.shift(); // cut mid-line
    return lines.filter((line) => line.trim().length > 0);
  } finally {
    closeSync(fd);
  }
}

function redactedLine(file: string, line: string): string {
  try {
    const safe = redact(JSON.parse(line));
    if (typeof safe === 'object' && safe !== null && !Array.isArray(safe)) return JSON.stringify({ file, ...safe });
  } catch {
    // not JSON: redacted as text below
  }
  return JSON.stringify({ file, text: redactString(line, 8192) });
}
