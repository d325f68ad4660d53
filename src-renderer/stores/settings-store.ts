// The settings view's state: the current account's backups (`backup.list`), and the commands that take a
// backup, restore one, export the audit log and export diagnostics, with what each is doing and the files
// the core wrote. Results come from the core as they are; refusals are returned for the view to explain.
import { create } from 'zustand';
import type { AuditExport, AuditExportInput, BackupInfo, CommandName, ExportedFile, Failure, InputOf, OutputOf, Result } from '../../shared/api/contract';
import { api } from '../lib/api';
import type { LoadStatus } from './card-store';

export type SettingsStore = {
  backups: BackupInfo[];
  backupsStatus: LoadStatus;
  backupsError: Failure | null;
  isBackingUp: boolean;
  /** The backup being restored, if one is. */
  restoringId: string | null;
  isExportingAudit: boolean;
  lastAudit: AuditExport | null;
  isExportingDiagnostics: boolean;
  lastDiagnostics: ExportedFile | null;
  loadBackups: () => Promise<void>;
  backUpNow: () => Promise<Result<BackupInfo>>;
  restore: (backupId: string) => Promise<Result<BackupInfo>>;
  exportAudit: (range: AuditExportInput) => Promise<Result<AuditExport>>;
  exportDiagnostics: () => Promise<Result<ExportedFile>>;
  /** Follows account changes (a restore elsewhere, a switch); returns the unsubscribe. */
  follow: () => () => void;
};

async function ask<C extends CommandName>(command: C, input: InputOf<C>): Promise<Result<OutputOf<C>>> {
  try {
    return await api.call(command, input);
  } catch (error) {
    const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
    return { ok: false, error: { code: 'unavailable', message: `Trailboard's core did not answer${detail}. Try again in a moment.` } };
  }
}

/** Newest first, as people look for the latest. */
function newestFirst(backups: BackupInfo[]): BackupInfo[] {
  return [...backups].sort((a, b) => Date.parse(b.takenAt) - Date.parse(a.takenAt));
}

export const useSettingsStore = create<SettingsStore>()((set, get) => {
  let listSeq = 0;
  return {
    backups: [],
    backupsStatus: 'idle',
    backupsError: null,
    isBackingUp: false,
    restoringId: null,
    isExportingAudit: false,
    lastAudit: null,
    isExportingDiagnostics: false,
    lastDiagnostics: null,

    async loadBackups() {
      const seq = ++listSeq;
      if (get().backupsStatus !== 'ready') set({ backupsStatus: 'loading', backupsError: null });
      const result = await ask('backup.list', {});
      if (seq !== listSeq) return;
      if (result.ok) set({ backups: newestFirst(result.value), backupsStatus: 'ready', backupsError: null });
      else set({ backupsStatus: 'error', backupsError: result.error });
    },

    async backUpNow() {
      set({ isBackingUp: true });
      const result = await ask('backup.create', {});
      set({ isBackingUp: false });
      if (result.ok) await get().loadBackups();
      return result;
    },

    async restore(backupId) {
      set({ restoringId: backupId });
      const result = await ask('backup.restore', { backupId });
      set({ restoringId: null });
      await get().loadBackups();
      return result;
    },

    async exportAudit(range) {
      set({ isExportingAudit: true });
      const result = await ask('audit.export', range);
      set(result.ok ? { isExportingAudit: false, lastAudit: result.value } : { isExportingAudit: false });
      return result;
    },

    async exportDiagnostics() {
      set({ isExportingDiagnostics: true });
      const result = await ask('diagnostics.export', {});
      set(result.ok ? { isExportingDiagnostics: false, lastDiagnostics: result.value } : { isExportingDiagnostics: false });
      return result;
    },

    follow() {
      // A restore or a switch to another account: list the (now current) account's backups again.
      return api.on('accounts.changed', () => void get().loadBackups());
    },
  };
});
