// The application menu against the stand-in electron module: the usual roles and shortcuts, and Edit ▸
// Undo undoing typing in a text field but asking the page to undo the last action anywhere else.
import { runInNewContext } from 'node:vm';
import type { MenuItemConstructorOptions } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PUSH_CHANNEL } from '../../../src-main/app/channels';
import { FOCUS_PROBE, installMenu, menuTemplate, undoFromMenu } from '../../../src-main/app/menu';
import { APP_PAGE_URL } from '../../../src-main/app/own-page';
import { asWebContents, BrowserWindow, Menu, resetStandIn, StandInWebContents } from './electron-stand-in';

vi.mock('electron', () => import('./electron-stand-in'));

beforeEach(() => resetStandIn());

function pageContents(probeAnswer: unknown): StandInWebContents {
  const contents = new StandInWebContents();
  contents.url = APP_PAGE_URL;
  contents.probeAnswer = probeAnswer;
  return contents;
}

function submenu(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  const menu = template.find((item) => item.label === label);
  if (!menu || !Array.isArray(menu.submenu)) throw new Error(`no ${label} menu`);
  return menu.submenu;
}

const roles = (items: MenuItemConstructorOptions[]) => items.map((item) => item.role ?? item.label ?? item.type);

describe('Edit ▸ Undo', () => {
  it('undoes typing when focus is in a text field, and tells the page nothing', async () => {
    const contents = pageContents(true);
    expect(await undoFromMenu(asWebContents(contents))).toBe('typing');
    expect(contents.undoCount).toBe(1);
    expect(contents.sent).toEqual([]);
    expect(contents.probes).toEqual([{ worldId: expect.any(Number), code: FOCUS_PROBE }]);
    expect(contents.probes[0]?.worldId).not.toBe(0); // never the page's own world
  });

  it('asks the page to undo the last action (push menu.undo) anywhere else', async () => {
    const contents = pageContents(false);
    expect(await undoFromMenu(asWebContents(contents))).toBe('action');
    expect(contents.undoCount).toBe(0);
    expect(contents.sent).toEqual([{ channel: PUSH_CHANNEL, message: { type: 'push', push: { topic: 'menu.undo', payload: {} } } }]);
  });

  it('takes a page that cannot answer the probe as not typing', async () => {
    const contents = pageContents(new Error('Script failed to execute'));
    expect(await undoFromMenu(asWebContents(contents))).toBe('action');
    expect(contents.undoCount).toBe(0);
  });

  it('is the menu item with the Ctrl/Cmd+Z shortcut, acting on the window it was used in', async () => {
    const undo = submenu(menuTemplate({ isMac: false, isPackaged: true, appName: 'Trailboard' }), 'Edit')[0];
    expect(undo).toMatchObject({ label: 'Undo', accelerator: 'CmdOrCtrl+Z' });
    const window = new BrowserWindow({});
    await window.loadURL(APP_PAGE_URL);
    undo?.click?.({} as never, window as never, {} as never);
    await vi.waitFor(() => expect(window.webContents.sent).toHaveLength(1));
    expect(window.webContents.sent[0]?.message).toMatchObject({ push: { topic: 'menu.undo' } });
  });
});

describe('the focus probe', () => {
  const probe = (activeElement: unknown): unknown => runInNewContext(FOCUS_PROBE, { document: { activeElement } });

  it('finds text fields and editable content', () => {
    expect(probe({ tagName: 'INPUT', type: 'text', readOnly: false, disabled: false })).toBe(true);
    expect(probe({ tagName: 'INPUT', type: 'search', readOnly: false, disabled: false })).toBe(true);
    expect(probe({ tagName: 'TEXTAREA', readOnly: false, disabled: false })).toBe(true);
    expect(probe({ tagName: 'DIV', isContentEditable: true })).toBe(true);
  });

  it('does not take buttons, checkboxes, read-only fields or nothing for text fields', () => {
    expect(probe({ tagName: 'BUTTON' })).toBe(false);
    expect(probe({ tagName: 'INPUT', type: 'checkbox', readOnly: false, disabled: false })).toBe(false);
    expect(probe({ tagName: 'INPUT', type: 'text', readOnly: true, disabled: false })).toBe(false);
    expect(probe({ tagName: 'TEXTAREA', readOnly: false, disabled: true })).toBe(false);
    expect(probe({ tagName: 'BODY', isContentEditable: false })).toBe(false);
    expect(probe(null)).toBe(false);
  });
});

describe('the menu', () => {
  it('has the usual edit roles and shortcuts on every platform', () => {
    for (const isMac of [false, true]) {
      expect(roles(submenu(menuTemplate({ isMac, isPackaged: true, appName: 'Trailboard' }), 'Edit'))).toEqual([
        'Undo',
        'redo',
        'separator',
        'cut',
        'copy',
        'paste',
        ...(isMac ? ['pasteAndMatchStyle'] : []),
        'delete',
        'separator',
        'selectAll',
      ]);
    }
  });

  it('has the app menu on macOS only, and developer tools only when not packaged', () => {
    const mac = menuTemplate({ isMac: true, isPackaged: true, appName: 'Trailboard' });
    expect(mac[0]?.label).toBe('Trailboard');
    expect(roles(submenu(mac, 'Trailboard'))).toContain('quit');
    const linux = menuTemplate({ isMac: false, isPackaged: true, appName: 'Trailboard' });
    expect(linux.map((item) => item.label)).toEqual(['File', 'Edit', 'View', 'Window']);
    expect(roles(submenu(linux, 'File'))).toEqual(['quit']);
    expect(roles(submenu(linux, 'View'))).not.toContain('toggleDevTools');
    expect(roles(submenu(menuTemplate({ isMac: false, isPackaged: false, appName: 'Trailboard' }), 'View'))).toContain('toggleDevTools');
  });

  it('is installed as the application menu', () => {
    installMenu({ isMac: false, isPackaged: true, appName: 'Trailboard' });
    expect(Menu.applied).toMatchObject({ template: expect.arrayContaining([expect.objectContaining({ label: 'Edit' })]) });
  });
});
