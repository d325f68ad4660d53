// The application menu: the usual roles and shortcuts of each platform, and an Edit ▸ Undo that does the
// right thing in both places it can be used from:
//   - focus in a text field: it undoes typing (what the `undo` role does);
//   - anywhere else: it tells the page (push `menu.undo`), which undoes the person's last action through
//     the core (`event.undo`, recording the compensating event).
// The page also handles Ctrl/Cmd+Z itself outside text fields (the web host has no menu); it cancels that
// key event, and a cancelled key event never reaches the menu, so one key press undoes once.
import { BrowserWindow, Menu, type MenuItemConstructorOptions, type WebContents } from 'electron';
import { MENU_UNDO_TOPIC } from './channels';
import { sendToPage } from './ipc';

/** The isolated world the focus probe runs in: not the page's, not the preload's (999). */
const PROBE_WORLD_ID = 1071;

/** Evaluates (in the page, isolated from its scripts) to true when focus is in a field that takes text. */
export const FOCUS_PROBE = `(() => {
  const element = document.activeElement;
  if (!element) return false;
  if (element.isContentEditable) return true;
  if (element.tagName === 'TEXTAREA') return !element.readOnly && !element.disabled;
  if (element.tagName !== 'INPUT') return false;
  const textTypes = ['text', 'search', 'email', 'url', 'tel', 'password', 'number'];
  return textTypes.includes(element.type) && !element.readOnly && !element.disabled;
})()`;

/** Whether focus in `contents` is in a text field. A page that cannot answer is taken as "no". */
export async function isEditingText(contents: WebContents): Promise<boolean> {
  try {
    return (await contents.executeJavaScriptInIsolatedWorld(PROBE_WORLD_ID, [{ code: FOCUS_PROBE }])) === true;
  } catch {
    return false;
  }
}

/** Edit ▸ Undo: undoes typing in a text field, else asks the page to undo the last action. */
export async function undoFromMenu(contents: WebContents): Promise<'typing' | 'action'> {
  if (await isEditingText(contents)) {
    contents.undo();
    return 'typing';
  }
  sendToPage(contents, { topic: MENU_UNDO_TOPIC, payload: {} });
  return 'action';
}

export type MenuOptions = {
  isMac: boolean;
  /** Developer tools are offered only when running from source. */
  isPackaged: boolean;
  appName: string;
};

export function menuTemplate({ isMac, isPackaged, appName }: MenuOptions): MenuItemConstructorOptions[] {
  const undo: MenuItemConstructorOptions = {
    label: 'Undo',
    accelerator: 'CmdOrCtrl+Z',
    click: (_item, window) => {
      const contents = window ? BrowserWindow.fromId(window.id)?.webContents : BrowserWindow.getFocusedWindow()?.webContents;
      if (contents) void undoFromMenu(contents);
    },
  };
  const appMenu: MenuItemConstructorOptions[] = isMac
    ? [
        {
          label: appName,
          submenu: [
            { role: 'about' },
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];
  return [
    ...appMenu,
    { label: 'File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    {
      label: 'Edit',
      submenu: [
        undo,
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        ...(isMac ? [{ role: 'pasteAndMatchStyle' } satisfies MenuItemConstructorOptions] : []),
        { role: 'delete' },
        { type: 'separator' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(isPackaged ? [] : [{ role: 'forceReload' } satisfies MenuItemConstructorOptions, { role: 'toggleDevTools' } satisfies MenuItemConstructorOptions]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Window',
      submenu: isMac
        ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
        : [{ role: 'minimize' }, { role: 'close' }],
    },
  ];
}

export function installMenu(options: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(options)));
}
