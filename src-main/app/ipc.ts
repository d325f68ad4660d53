// Binds the page's bridge (preload.ts) to the core over the one channel pair of channels.ts.
//
// Every call is checked before anything else: it must come from the top frame of the app's own page
// (`app://trailboard/index.html`, own-page.ts). Anything else — another origin, a subframe, a frame that
// is gone — is refused with a `forbidden` result and a log line, and never reaches the core. What passes
// goes to the core as it came (the core parses every input) and its Result comes back; nothing throws
// across. The core's pushes go to every window showing the app's page.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { Push, ResultMessage } from '../../shared/api/contract';
import type { Logger } from '../../shared/node/logger';
import type { UncheckedCall } from '../core/client';
import { isCallId } from '../core/protocol';
import { CALL_CHANNEL, PUSH_CHANNEL, type PagePushMessage, type ShellPush } from './channels';
import { isOwnPage } from './own-page';

/** What the binding needs of the core (core/client.ts's CoreClient has it). */
export type CoreBridge = {
  call: UncheckedCall;
  onPush(listener: (push: Push) => void): () => void;
};

export type IpcOptions = {
  core: CoreBridge;
  logger: Logger;
  /** The web contents pushes may go to (each is checked to be showing the app's page). */
  pages: () => readonly WebContents[];
  /** Shows a file the core exported (audit log, diagnostics) in the system's file manager. */
  reveal?: ((path: string) => void) | undefined;
};

/** The part of an IPC event the sender check reads. */
export type CallEvent = Pick<IpcMainInvokeEvent, 'senderFrame'>;

/** Starts answering calls and forwarding pushes; returns the function that stops both. */
export function bindIpc(options: IpcOptions): () => void {
  ipcMain.handle(CALL_CHANNEL, (event, message: unknown) => answerCall(event, message, options));
  const stopPushes = options.core.onPush((push) => {
    for (const contents of options.pages()) sendToPage(contents, push);
  });
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    stopPushes();
  };
}

/** The URL of the frame that sent a message, or undefined when there is none (gone, or not a frame). */
export function senderUrl(event: CallEvent): string | undefined {
  try {
    const frame = event.senderFrame;
    return frame ? frame.url : undefined;
  } catch {
    return undefined; // "Render frame was disposed": the frame navigated away or closed meanwhile
  }
}

/** The sender for a log line: its frame's URL without query or fragment, and whether it is a subframe. */
function describeSender(event: CallEvent): string {
  const url = senderUrl(event);
  if (url === undefined) return 'no frame';
  let shown = url;
  try {
    const parsed = new URL(url);
    shown = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    // not a URL: logged as it is (the logger redacts secret-shaped parts)
  }
  let isSubframe = false;
  try {
    isSubframe = event.senderFrame?.parent != null;
  } catch {
    // gone meanwhile
  }
  return isSubframe ? `${shown} (subframe)` : shown;
}

/** True only for the top frame of the app's own page. */
export function isTrustedSender(event: CallEvent): boolean {
  try {
    const frame = event.senderFrame;
    return frame !== null && frame.parent === null && isOwnPage(frame.url);
  } catch {
    return false;
  }
}

/** Answers one message of the call channel: checks its sender and shape, then asks the core. */
export async function answerCall(event: CallEvent, message: unknown, options: Pick<IpcOptions, 'core' | 'logger' | 'reveal'>): Promise<ResultMessage> {
  const id = isRecord(message) && isCallId(message['id']) ? message['id'] : 0;
  if (!isTrustedSender(event)) {
    options.logger.warn('IPC call refused: it did not come from the app page', { channel: CALL_CHANNEL, sender: describeSender(event) });
    return { type: 'result', id, result: { ok: false, error: { code: 'forbidden', message: 'Only Trailboard’s own page may use the app.' } } };
  }
  if (!isRecord(message) || message['type'] !== 'call' || !isCallId(message['id']) || typeof message['command'] !== 'string') {
    options.logger.warn('IPC call refused: malformed message', { channel: CALL_CHANNEL });
    return { type: 'result', id, result: { ok: false, error: { code: 'invalid_input', message: 'The request was not understood.' } } };
  }
  const result = await options.core.call(message['command'], message['input']);
  if (result.ok && options.reveal && (message['command'] === 'audit.export' || message['command'] === 'diagnostics.export')) {
    const path = isRecord(result.value) ? result.value['path'] : undefined;
    if (typeof path === 'string') options.reveal(path);
  }
  return { type: 'result', id, result };
}

/** Sends a push to one web contents if it is (still) showing the app's page. */
export function sendToPage(contents: WebContents, push: Push | ShellPush): boolean {
  if (contents.isDestroyed() || !isOwnPage(contents.getURL())) return false;
  contents.send(PUSH_CHANNEL, { type: 'push', push } satisfies PagePushMessage);
  return true;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
