// The one IPC channel pair between the app's page and the main process, and what travels on it. Imported
// by the preload (bundled into dist/main/preload.cjs) and by ipc.ts; no electron import here.
//
//   trailboard:call   page -> main, `ipcRenderer.invoke` with a CallMessage; answered with a ResultMessage
//   trailboard:push   main -> page, a PushMessage: the core's pushes and the shell's own (below)
import type { PagePush, ShellPushTopic } from '../../shared/api/contract';

export type { ShellPush } from '../../shared/api/contract';

export const CHANNEL_PREFIX = 'trailboard:';
export const CALL_CHANNEL = `${CHANNEL_PREFIX}call`;
export const PUSH_CHANNEL = `${CHANNEL_PREFIX}push`;

/**
 * Pushes that come from the shell rather than the core are typed in the contract (`ShellPushes`, so the
 * page listens to them by name). `menu.undo`: Edit ▸ Undo (or its shortcut) was used while focus was not
 * in a text field; the page undoes the person's last action (`event.undo`).
 */
export const MENU_UNDO_TOPIC = 'menu.undo' satisfies ShellPushTopic;

/** What the page receives on the push channel: a push of the core or of the shell. */
export type PagePushMessage = { type: 'push'; push: PagePush };
