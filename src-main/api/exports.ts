// Files the core writes for the person to keep (audit log, diagnostics): `<dataDir>/exports/<stem>-<time>.<ext>`,
// never overwriting an earlier one. The shell offers them (Electron: save or show in folder; web host: download).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileStamp } from '../store/backup';
import type { Store } from '../store/store';

export const EXPORTS_FOLDER = 'exports';

/** A free path for a new export file named after `stem` and the store's clock. */
export function exportPath(store: Store, stem: string, extension: string): string {
  const folder = join(store.dataDir, EXPORTS_FOLDER);
  mkdirSync(folder, { recursive: true });
  const base = `${stem}-${fileStamp(store.now())}`;
  for (let n = 1; ; n++) {
    const path = join(folder, n === 1 ? `${base}.${extension}` : `${base}~${n}.${extension}`);
    if (!existsSync(path)) return path;
  }
}
