import { useState } from 'react';
import type { Board } from '../../../shared/model/entities';
import { ConfirmDialog, IconButton, Menu, Spinner } from '../../components';
import type { MenuEntry } from '../../components';
import { BoardIcon, MoonIcon, PencilIcon, PlusIcon, SettingsIcon, SunIcon, TrashIcon, UndoIcon } from '../../components/icons';
import { useBoardStore } from '../../stores/board-store';
import { useThemeStore } from '../../stores/theme-store';
import type { ThemeChoice } from '../../stores/theme-store';
import { toast } from '../../stores/toast-store';
import { useUndoStore } from '../../stores/undo-store';
import type { Route } from '../../App';
import { AccountSwitcher } from './AccountSwitcher';
import { NameDialog } from './NameDialog';
import './sidebar.css';

type Editing = { kind: 'create' } | { kind: 'rename'; board: Board } | null;

export function Sidebar({ route, onNavigate }: { route: Route; onNavigate: (route: Route) => void }) {
  const boards = useBoardStore((state) => state.boards);
  const boardsStatus = useBoardStore((state) => state.boardsStatus);
  const boardsError = useBoardStore((state) => state.boardsError);
  const boardId = useBoardStore((state) => state.boardId);
  const selectBoard = useBoardStore((state) => state.selectBoard);
  const createBoard = useBoardStore((state) => state.createBoard);
  const renameBoard = useBoardStore((state) => state.renameBoard);
  const deleteBoard = useBoardStore((state) => state.deleteBoard);
  const loadBoards = useBoardStore((state) => state.loadBoards);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Board | null>(null);

  return (
    <nav className="tb-sidebar" aria-label="Boards and accounts">
      <div className="tb-sidebar__top">
        <AccountSwitcher />
      </div>

      <div className="tb-sidebar__section">
        <div className="tb-sidebar__heading">
          <h2 id="tb-boards-heading">Boards</h2>
          <IconButton label="New board" icon={<PlusIcon />} size="sm" onClick={() => setEditing({ kind: 'create' })} />
        </div>
        {boardsStatus === 'loading' && boards.length === 0 ? (
          <div className="tb-sidebar__note">
            <Spinner size={14} label="Loading boards…" /> <span aria-hidden="true">Loading boards…</span>
          </div>
        ) : boardsStatus === 'error' ? (
          <div className="tb-sidebar__note tb-sidebar__note--error" role="alert">
            <span>{boardsError?.message ?? 'Boards could not be loaded.'}</span>
            <button type="button" className="tb-link-button" onClick={() => void loadBoards()}>
              Try again
            </button>
          </div>
        ) : boards.length === 0 ? (
          <div className="tb-sidebar__note">No boards yet.</div>
        ) : (
          <ul role="list" className="tb-board-list" aria-labelledby="tb-boards-heading">
            {boards.map((board) => {
              const isCurrent = board.id === boardId && route !== 'settings';
              const items: MenuEntry[] = [
                { id: 'rename', label: 'Rename…', icon: <PencilIcon />, onSelect: () => setEditing({ kind: 'rename', board }) },
                { id: 'sep', isSeparator: true },
                { id: 'delete', label: 'Delete board…', icon: <TrashIcon />, isDanger: true, onSelect: () => setDeleting(board) },
              ];
              return (
                <li key={board.id} className={`tb-board-item${isCurrent ? ' is-current' : ''}`}>
                  <button
                    type="button"
                    className="tb-row-button tb-board-item__button"
                    aria-current={isCurrent ? 'page' : undefined}
                    onClick={() => {
                      selectBoard(board.id);
                      if (route === 'settings') onNavigate('board');
                    }}
                  >
                    <BoardIcon size={16} className="tb-board-item__icon" />
                    <span className="tb-board-item__name">{board.name}</span>
                  </button>
                  <span className="tb-board-item__menu">
                    <Menu label={`Actions for board ${board.name}`} items={items} align="start" />
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </div>

      <div className="tb-sidebar__bottom">
        <UndoButton />
        <button
          type="button"
          className={`tb-row-button tb-nav-item${route === 'settings' ? ' is-current' : ''}`}
          aria-current={route === 'settings' ? 'page' : undefined}
          onClick={() => onNavigate(route === 'settings' ? 'board' : 'settings')}
        >
          <SettingsIcon size={16} />
          <span>Settings</span>
        </button>
        <ThemeMenu />
      </div>

      <NameDialog
        isOpen={editing?.kind === 'create'}
        title="New board"
        description="A board holds columns of cards for one project or team."
        label="Board name"
        placeholder="e.g. Product launch"
        submitLabel="Create board"
        onClose={() => setEditing(null)}
        onSubmit={async (name) => {
          const result = await createBoard(name);
          if (result.ok) onNavigate('board');
          return result;
        }}
      />
      <NameDialog
        isOpen={editing?.kind === 'rename'}
        title="Rename board"
        label="Board name"
        initialValue={editing?.kind === 'rename' ? editing.board.name : ''}
        submitLabel="Rename"
        onClose={() => setEditing(null)}
        onSubmit={(name) => (editing?.kind === 'rename' ? renameBoard(editing.board.id, name) : Promise.resolve({ ok: true, value: null }))}
      />
      <ConfirmDialog
        isOpen={deleting !== null}
        title={`Delete “${deleting?.name ?? ''}”?`}
        message="The board and its columns and cards leave your sidebar for everyone in this account. Its history stays in the audit log. This can’t be undone."
        confirmLabel="Delete board"
        isDanger
        onCancel={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return true;
          const result = await deleteBoard(deleting.id);
          if (!result.ok) {
            toast.error('Couldn’t delete the board', { detail: result.error.message });
            return false;
          }
          toast.info(`Deleted “${deleting.name}”`);
          return true;
        }}
      />
    </nav>
  );
}

function UndoButton() {
  const eventId = useUndoStore((state) => state.eventId);
  const isUndoing = useUndoStore((state) => state.isUndoing);
  const undo = useUndoStore((state) => state.undo);
  const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
  return (
    <button type="button" className="tb-row-button tb-nav-item" disabled={eventId === null || isUndoing} onClick={() => void undo()}>
      <UndoIcon size={16} />
      <span>Undo</span>
      <kbd className="tb-nav-item__hint">{isMac ? '⌘Z' : 'Ctrl+Z'}</kbd>
    </button>
  );
}

const THEME_LABELS: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

function ThemeMenu() {
  const theme = useThemeStore((state) => state.theme);
  const setTheme = useThemeStore((state) => state.setTheme);
  const items: MenuEntry[] = (['system', 'light', 'dark'] as const).map((choice) => ({
    id: choice,
    label: THEME_LABELS[choice],
    isChecked: theme === choice,
    onSelect: () => setTheme(choice),
  }));
  return (
    <Menu
      label="Theme"
      items={items}
      align="start"
      minWidth={160}
      renderTrigger={(props) => (
        <button type="button" className="tb-row-button tb-nav-item" {...props}>
          {theme === 'dark' ? <MoonIcon size={16} /> : <SunIcon size={16} />}
          <span>Theme</span>
          <span className="tb-nav-item__hint">{THEME_LABELS[theme]}</span>
        </button>
      )}
    />
  );
}
