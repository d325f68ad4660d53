// A stand-in for the `electron` module (STYLE.md accepts one where no Electron binary exists): just
// enough of app, BrowserWindow, webContents, session, ipcMain, shell, protocol, screen, nativeTheme and
// Menu for src-main/app to run in plain Node, recording what the code under test did with them.
//
// Tests load it in place of electron with
//   vi.mock('electron', () => import('./electron-stand-in'));
// and import it themselves to drive events and read the records.
import type { IpcMainInvokeEvent, Session, WebContents } from 'electron';

type Handler = (...args: never[]) => unknown;

/** An event emitter that keeps its listeners where a test can call them. */
class Emitter {
  readonly listeners = new Map<string, Handler[]>();
  on(event: string, listener: Handler): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Handler): this {
    return this.on(event, listener);
  }
  /** Calls every listener of `event` with `args`; returns what they returned. */
  emit(event: string, ...args: unknown[]): unknown[] {
    return (this.listeners.get(event) ?? []).map((listener) => (listener as (...a: unknown[]) => unknown)(...args));
  }
}

/** What an event's `preventDefault` did. */
export type StandInEvent = { isDefaultPrevented: boolean; preventDefault(): void };
export function standInEvent(): StandInEvent {
  const event = {
    isDefaultPrevented: false,
    preventDefault() {
      event.isDefaultPrevented = true;
    },
  };
  return event;
}

export class StandInWebContents extends Emitter {
  url = '';
  isGone = false;
  sent: { channel: string; message: unknown }[] = [];
  undoCount = 0;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  /** What the focus probe (executeJavaScriptInIsolatedWorld) answers; an Error makes it reject. */
  probeAnswer: unknown = false;
  probes: { worldId: number; code: string }[] = [];

  getURL(): string {
    return this.url;
  }
  isDestroyed(): boolean {
    return this.isGone;
  }
  send(channel: string, message: unknown): void {
    this.sent.push({ channel, message: structuredClone(message) });
  }
  undo(): void {
    this.undoCount++;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  executeJavaScriptInIsolatedWorld(worldId: number, scripts: { code: string }[]): Promise<unknown> {
    for (const script of scripts) this.probes.push({ worldId, code: script.code });
    return this.probeAnswer instanceof Error ? Promise.reject(this.probeAnswer) : Promise.resolve(this.probeAnswer);
  }
}

let nextWindowId = 1;

export class BrowserWindow extends Emitter {
  static readonly created: BrowserWindow[] = [];
  static focused: BrowserWindow | undefined;
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.created.filter((window) => !window.isClosed);
  }
  static fromId(id: number): BrowserWindow | undefined {
    return BrowserWindow.created.find((window) => window.id === id);
  }
  static getFocusedWindow(): BrowserWindow | undefined {
    return BrowserWindow.focused;
  }

  readonly id = nextWindowId++;
  readonly options: Record<string, unknown>;
  readonly webContents = new StandInWebContents();
  loadedUrls: string[] = [];
  normalBounds = { x: 0, y: 0, width: 0, height: 0 };
  isMaximizedNow = false;
  isShown = false;
  isClosed = false;

  constructor(options: Record<string, unknown>) {
    super();
    this.options = structuredClone(options);
    const { x, y, width, height } = options;
    this.normalBounds = { x: Number(x ?? 0), y: Number(y ?? 0), width: Number(width ?? 800), height: Number(height ?? 600) };
    BrowserWindow.created.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrls.push(url);
    this.webContents.url = url;
    return Promise.resolve();
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { ...this.normalBounds };
  }
  isMaximized(): boolean {
    return this.isMaximizedNow;
  }
  maximize(): void {
    this.isMaximizedNow = true;
  }
  show(): void {
    this.isShown = true;
  }
  /** Closes it the way a person would: 'close', then 'closed'. */
  close(): void {
    this.emit('close', standInEvent());
    this.isClosed = true;
    this.emit('closed');
  }
}

export class StandInSession {
  headersListener: ((details: { url: string; responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders?: Record<string, string[]> }) => void) => void) | undefined;
  permissionRequestHandler: ((contents: unknown, permission: string, callback: (isGranted: boolean) => void, details: { requestingUrl: string; isMainFrame: boolean }) => void) | undefined;
  permissionCheckHandler: ((contents: unknown, permission: string, requestingOrigin: string, details: { requestingUrl?: string; isMainFrame: boolean }) => boolean) | undefined;
  protocolHandlers = new Map<string, (request: Request) => Response | Promise<Response>>();

  readonly webRequest = {
    onHeadersReceived: (listener: StandInSession['headersListener']) => {
      this.headersListener = listener;
    },
  };
  readonly protocol = {
    handle: (scheme: string, handler: (request: Request) => Response | Promise<Response>) => {
      this.protocolHandlers.set(scheme, handler);
    },
  };
  setPermissionRequestHandler(handler: StandInSession['permissionRequestHandler']): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: StandInSession['permissionCheckHandler']): void {
    this.permissionCheckHandler = handler;
  }
}

export const session = { defaultSession: new StandInSession() };

export const app = Object.assign(new Emitter(), {
  name: 'Trailboard',
  isPackaged: false,
  /** What getPath('userData') answers; a test sets it to a temporary folder. */
  userData: '/nonexistent/userData',
  isSandboxEnabled: false,
  hasSingleInstanceLock: true,
  lockRequests: 0,
  quitCount: 0,
  exitCodes: [] as number[],
  getPath: (name: string) => (name === 'userData' ? app.userData : `/nonexistent/${name}`),
  getVersion: () => '0.0.0-test',
  enableSandbox: () => {
    app.isSandboxEnabled = true;
  },
  requestSingleInstanceLock: () => {
    app.lockRequests++;
    return app.hasSingleInstanceLock;
  },
  whenReady: () => Promise.resolve(),
  quit: () => {
    app.quitCount++;
  },
  exit: (code = 0) => {
    app.exitCodes.push(code);
  },
});

export const dialog = {
  errors: [] as { title: string; content: string }[],
  showErrorBox(title: string, content: string): void {
    dialog.errors.push({ title, content });
  },
};

export const ipcMain = {
  handlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
  handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown): void {
    if (ipcMain.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    ipcMain.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    ipcMain.handlers.delete(channel);
  },
};

export const shell = {
  opened: [] as string[],
  revealed: [] as string[],
  openExternal(url: string): Promise<void> {
    shell.opened.push(url);
    return Promise.resolve();
  },
  showItemInFolder(path: string): void {
    shell.revealed.push(path);
  },
};

export const protocol = {
  privileged: [] as unknown[],
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    protocol.privileged.push(...schemes);
  },
};

export const screen = {
  workAreas: [{ x: 0, y: 0, width: 1920, height: 1080 }],
  getAllDisplays: () => screen.workAreas.map((workArea) => ({ workArea, bounds: workArea })),
};

export const nativeTheme = { shouldUseDarkColors: false };

export const Menu = {
  applied: undefined as unknown,
  buildFromTemplate: (template: unknown[]) => ({ template }),
  setApplicationMenu(menu: unknown): void {
    Menu.applied = menu;
  },
};

/** Puts every record back to its start, between tests. */
export function resetStandIn(): void {
  BrowserWindow.created.length = 0;
  BrowserWindow.focused = undefined;
  session.defaultSession = new StandInSession();
  app.listeners.clear();
  app.userData = '/nonexistent/userData';
  app.isSandboxEnabled = false;
  app.hasSingleInstanceLock = true;
  app.lockRequests = 0;
  app.quitCount = 0;
  app.exitCodes.length = 0;
  dialog.errors.length = 0;
  ipcMain.handlers.clear();
  shell.opened.length = 0;
  shell.revealed.length = 0;
  protocol.privileged.length = 0;
  screen.workAreas = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  nativeTheme.shouldUseDarkColors = false;
  Menu.applied = undefined;
}

// The code under test is typed against the real module; these hand it the stand-ins under those types.
export function asSession(stand: StandInSession): Session {
  return stand as unknown as Session;
}
export function asWebContents(stand: StandInWebContents): WebContents {
  return stand as unknown as WebContents;
}

/** An IPC event as sent by a frame at `url` (top frame unless `isSubframe`), or by no frame at all. */
export function ipcEvent(frame: { url: string; isSubframe?: boolean } | null): IpcMainInvokeEvent {
  const senderFrame = frame === null ? null : { url: frame.url, parent: frame.isSubframe ? { url: 'app://trailboard/index.html' } : null };
  return { senderFrame } as unknown as IpcMainInvokeEvent;
}
