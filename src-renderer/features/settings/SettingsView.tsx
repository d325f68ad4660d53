// Settings: the colour theme; backups of the current account (take one now, restore one, with a
// confirmation that says what a restore does); the audit log export (a date range); and the diagnostics
// export (logs with secrets redacted). Each export says where the core wrote the file, offers to copy
// that path, and in a browser offers a download.
import { useEffect, useId, useState } from 'react';
import type { ReactNode } from 'react';
import type { BackupInfo, ExportedFile } from '../../../shared/api/contract';
import {
  ArchiveIcon,
  Badge,
  Button,
  ConfirmDialog,
  DownloadIcon,
  EmptyState,
  ErrorState,
  MoonIcon,
  SettingsIcon,
  SunIcon,
  TextField,
} from '../../components';
import { api } from '../../lib/api';
import { absoluteTime, byteSize, localToday, relativeTime, shortDateTime, startOfLocalDay } from '../../lib/relative-time';
import { useAccountStore } from '../../stores/account-store';
import { useSettingsStore } from '../../stores/settings-store';
import { useThemeStore, type ThemeChoice } from '../../stores/theme-store';
import { toast } from '../../stores/toast-store';
import { useNow } from '../activity/use-now';
import './settings.css';

export function SettingsView() {
  const headingId = useId();
  useEffect(() => {
    const store = useSettingsStore.getState();
    void store.loadBackups();
    return store.follow();
  }, []);

  return (
    <div className="tb-settings" data-testid="settings">
      <div className="tb-settings__inner">
        <header className="tb-settings__header">
          <h1 id={headingId} className="tb-settings__title">
            Settings
          </h1>
          <p className="tb-settings__subtitle">How Trailboard looks on this device, and your account’s safety nets.</p>
        </header>
        <Appearance />
        <Backups />
        <AuditExport />
        <Diagnostics />
      </div>
    </div>
  );
}

function Section({ title, description, children, action }: { title: string; description: ReactNode; children?: ReactNode; action?: ReactNode }) {
  const id = useId();
  return (
    <section className="tb-settings-section" aria-labelledby={id}>
      <div className="tb-settings-section__head">
        <div>
          <h2 id={id} className="tb-settings-section__title">
            {title}
          </h2>
          <div className="tb-settings-section__description">{description}</div>
        </div>
        {action ? <div className="tb-settings-section__action">{action}</div> : null}
      </div>
      {children ? <div className="tb-settings-section__body">{children}</div> : null}
    </section>
  );
}

// --- Appearance -------------------------------------------------------------------------------------

const THEMES: { value: ThemeChoice; label: string; icon: ReactNode; hint: string }[] = [
  { value: 'system', label: 'System', icon: <SettingsIcon size={16} />, hint: 'Follows your operating system' },
  { value: 'light', label: 'Light', icon: <SunIcon size={16} />, hint: 'Always light' },
  { value: 'dark', label: 'Dark', icon: <MoonIcon size={16} />, hint: 'Always dark' },
];

function Appearance() {
  const theme = useThemeStore((state) => state.theme);
  const setTheme = useThemeStore((state) => state.setTheme);
  const name = useId();
  return (
    <Section title="Appearance" description="Choose a theme. It is kept on this device.">
      <div className="tb-theme-choice" role="radiogroup" aria-label="Theme">
        {THEMES.map((option) => (
          <label key={option.value} className={`tb-theme-option${theme === option.value ? ' is-selected' : ''}`}>
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={theme === option.value}
              onChange={() => setTheme(option.value)}
              className="tb-theme-option__radio"
            />
            <span className="tb-theme-option__preview" aria-hidden="true">
              {option.value === 'system' ? (
                <>
                  <ThemeMiniature tone="light" />
                  <ThemeMiniature tone="dark" />
                </>
              ) : (
                <ThemeMiniature tone={option.value} />
              )}
            </span>
            <span className="tb-theme-option__label">
              {option.icon}
              {option.label}
            </span>
            <span className="tb-theme-option__hint">{option.hint}</span>
          </label>
        ))}
      </div>
    </Section>
  );
}

/** A tiny picture of the app in one theme: a sidebar and two cards. */
function ThemeMiniature({ tone }: { tone: 'light' | 'dark' }) {
  return (
    <span className={`tb-theme-mini tb-theme-mini--${tone}`}>
      <span />
      <span />
      <span />
    </span>
  );
}

// --- Backups ----------------------------------------------------------------------------------------

function Backups() {
  const store = useSettingsStore();
  const accountName = useAccountStore((state) => state.current?.account.name);
  const now = useNow();
  const [confirming, setConfirming] = useState<BackupInfo | null>(null);

  async function backUpNow() {
    const result = await store.backUpNow();
    if (result.ok) toast.success('Backup taken', { detail: `${shortDateTime(result.value.takenAt)} · ${byteSize(result.value.bytes)}` });
    else toast.error('Couldn’t take a backup', { detail: result.error.message });
  }

  async function restore(backup: BackupInfo): Promise<boolean> {
    const result = await store.restore(backup.id);
    if (!result.ok) {
      toast.error('Couldn’t restore the backup', { detail: result.error.message });
      return false;
    }
    toast.success('Backup restored', { detail: `Your data is as it was on ${shortDateTime(backup.takenAt)}.` });
    return true;
  }

  let body: ReactNode;
  if (store.backupsStatus === 'loading' || store.backupsStatus === 'idle') {
    body = (
      <div className="tb-settings-loading" role="status">
        <span className="tb-skeleton tb-skeleton--line" />
        <span className="tb-skeleton tb-skeleton--line" />
        <span className="tb-visually-hidden">Loading backups…</span>
      </div>
    );
  } else if (store.backupsStatus === 'error') {
    body = (
      <ErrorState
        size="compact"
        title="Backups didn’t load"
        message={store.backupsError?.message ?? 'Trailboard could not list the backups.'}
        onRetry={() => void store.loadBackups()}
      />
    );
  } else if (store.backups.length === 0) {
    body = (
      <EmptyState
        size="compact"
        headingLevel={3}
        icon={<ArchiveIcon size={20} />}
        title="No backups yet"
        description="Take one now, or wait for the daily one."
      />
    );
  } else {
    body = (
      <table className="tb-backups">
        <caption className="tb-visually-hidden">Backups of this account, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Taken</th>
            <th scope="col">Kind</th>
            <th scope="col" className="is-number">
              Size
            </th>
            <th scope="col">
              <span className="tb-visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {store.backups.map((backup) => (
            <tr key={backup.id}>
              <td>
                <time dateTime={backup.takenAt} title={absoluteTime(backup.takenAt)} className="tb-backups__when">
                  {shortDateTime(backup.takenAt)}
                </time>
                <span className="tb-backups__ago">{relativeTime(backup.takenAt, now)}</span>
              </td>
              <td>
                <Badge tone={backup.kind === 'manual' ? 'accent' : 'neutral'}>{backup.kind === 'manual' ? 'Manual' : 'Daily'}</Badge>
              </td>
              <td className="is-number">{byteSize(backup.bytes)}</td>
              <td className="tb-backups__actions">
                <Button
                  size="sm"
                  isLoading={store.restoringId === backup.id}
                  disabled={store.restoringId !== null && store.restoringId !== backup.id}
                  onClick={() => setConfirming(backup)}
                >
                  Restore<span className="tb-visually-hidden"> the backup of {shortDateTime(backup.takenAt)}</span>
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }

  return (
    <Section
      title="Backups"
      description={
        <>
          A backup is a snapshot of {accountName ? <strong>{accountName}</strong> : 'this account'} on this device. Trailboard takes
          one every day and keeps the last seven; the ones you take stay until you remove them.
        </>
      }
      action={
        <Button variant="primary" icon={<ArchiveIcon size={16} />} isLoading={store.isBackingUp} onClick={() => void backUpNow()}>
          Back up now
        </Button>
      }
    >
      {body}
      <ConfirmDialog
        isOpen={confirming !== null}
        title="Restore this backup?"
        message={
          confirming ? (
            <div className="tb-restore-explainer">
              <p>
                Everything in {accountName ? <strong>{accountName}</strong> : 'this account'} on this device goes back to how it was on{' '}
                <strong>{absoluteTime(confirming.takenAt)}</strong> ({relativeTime(confirming.takenAt, now)}). Boards, cards, comments and
                their history made since then will no longer show.
              </p>
              <p>
                Nothing is thrown away: before restoring, Trailboard keeps a copy of your current data beside it in its data folder.
              </p>
            </div>
          ) : null
        }
        confirmLabel="Restore backup"
        isDanger
        onConfirm={() => (confirming ? restore(confirming) : false)}
        onCancel={() => setConfirming(null)}
      />
    </Section>
  );
}

// --- Exports ----------------------------------------------------------------------------------------

function WrittenFile({ file, summary }: { file: ExportedFile; summary: ReactNode }) {
  const url = api.exportUrl(file);
  async function copy() {
    try {
      await navigator.clipboard.writeText(file.path);
      toast.success('Path copied');
    } catch {
      toast.error('Couldn’t copy the path', { detail: 'Select it and copy it by hand.' });
    }
  }
  return (
    <div className="tb-written" role="status">
      <p className="tb-written__summary">{summary}</p>
      <p className="tb-written__where">
        <span className="tb-written__label">Written to</span>
        <code className="tb-written__path">{file.path}</code>
      </p>
      <div className="tb-written__actions">
        <Button size="sm" onClick={() => void copy()}>
          Copy path
        </Button>
        {url ? (
          <a className="tb-button tb-button--secondary tb-button--sm" href={url} download={file.fileName}>
            <DownloadIcon size={14} />
            <span className="tb-button__label">Download</span>
          </a>
        ) : null}
      </div>
    </div>
  );
}

function AuditExport() {
  const isExporting = useSettingsStore((state) => state.isExportingAudit);
  const lastAudit = useSettingsStore((state) => state.lastAudit);
  const exportAudit = useSettingsStore((state) => state.exportAudit);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const today = localToday();
  const rangeError = from !== '' && to !== '' && from > to ? 'The end date is before the start date.' : null;

  async function run() {
    if (rangeError) return;
    const range: { from?: string; to?: string } = {};
    const start = from === '' ? undefined : startOfLocalDay(from);
    const end = to === '' ? undefined : startOfLocalDay(to, 1);
    if (start) range.from = start;
    if (end) range.to = end;
    const result = await exportAudit(range);
    if (result.ok) toast.success('Audit log exported', { detail: `${result.value.eventCount.toLocaleString()} events · ${result.value.fileName}` });
    else toast.error('Couldn’t export the audit log', { detail: result.error.message });
  }

  return (
    <Section
      title="Audit log"
      description="Every change recorded in this account, one event per line (JSON Lines), for auditors and your own records. Leave the dates empty for everything."
    >
      <form
        className="tb-audit-form"
        onSubmit={(event) => {
          event.preventDefault();
          void run();
        }}
      >
        <TextField label="From" type="date" value={from} max={to || today} onChange={(event) => setFrom(event.target.value)} />
        <TextField
          label="To (including)"
          type="date"
          value={to}
          min={from || undefined}
          error={rangeError}
          onChange={(event) => setTo(event.target.value)}
        />
        <Button type="submit" icon={<DownloadIcon size={16} />} isLoading={isExporting} disabled={rangeError !== null}>
          Export audit log
        </Button>
      </form>
      <p className="tb-settings-note">Dates are days in your time zone.</p>
      {lastAudit ? (
        <WrittenFile
          file={lastAudit}
          summary={
            <>
              <strong>{lastAudit.eventCount.toLocaleString()}</strong> {lastAudit.eventCount === 1 ? 'event' : 'events'} ·{' '}
              {byteSize(lastAudit.bytes)}
            </>
          }
        />
      ) : null}
    </Section>
  );
}

function Diagnostics() {
  const isExporting = useSettingsStore((state) => state.isExportingDiagnostics);
  const last = useSettingsStore((state) => state.lastDiagnostics);
  const exportDiagnostics = useSettingsStore((state) => state.exportDiagnostics);

  async function run() {
    const result = await exportDiagnostics();
    if (result.ok) toast.success('Diagnostics exported', { detail: result.value.fileName });
    else toast.error('Couldn’t export diagnostics', { detail: result.error.message });
  }

  return (
    <Section
      title="Diagnostics"
      description="A file to attach to a bug report: which versions run where, and Trailboard’s recent logs with passwords, tokens and secrets removed. It holds no card or comment text."
      action={
        <Button icon={<DownloadIcon size={16} />} isLoading={isExporting} onClick={() => void run()}>
          Export diagnostics
        </Button>
      }
    >
      {last ? <WrittenFile file={last} summary={<>Diagnostics · {byteSize(last.bytes)}</>} /> : null}
    </Section>
  );
}
