// The renderer's one link to the core: `api.call(command, input)` answers a Result (never throws), and
// `api.on(topic, listener)` follows a push. This is the ONLY renderer file that touches the bridge.
//
// - In Electron, the preload exposes `window.trailboard = { call, on }` (contextBridge) and this file only
//   wraps it.
// - In a browser (the web host, `npm run web`), it opens a WebSocket to `/api` on the page's own host,
//   authenticated by the token the host put in the page's address (`#token=…`; moved out of the address bar
//   into sessionStorage so it survives a reload but is not shown). Calls made while connecting wait for the
//   socket; calls waiting when the connection drops are answered `unavailable`; it reconnects with backoff
//   (a call made meanwhile reconnects at once). Pushes missed while disconnected are not replayed: listen
//   with `api.onConnection` and reload what you show when it says `connected` again.
//
// Types come from the contract (shared/api/contract.ts); the messages are its transport messages.
import {
  failed,
  type Call,
  type CallMessage,
  type CommandName,
  type InputOf,
  type OutputOf,
  type PageOn,
  type PagePushTopic,
  type PagePushes,
  type Result,
} from '../../shared/api';
import { isErrorCode } from '../../shared/errors';

/** `connecting` until the first connection opens; `disconnected` between a drop and the next connection. */
export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export type Api = {
  call: Call;
  /** A push of the core, or of the Electron shell (`menu.undo`; the web host sends none of those). */
  on: PageOn;
  /** Follows the state of the link to the core; the listener hears the current state at once. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  /**
   * Where the browser can download a file the core exported (`audit.export`, `diagnostics.export`), or
   * undefined when the shell offers the file itself (Electron).
   */
  exportUrl(file: { fileName: string }): string | undefined;
};

/** What Electron's preload exposes on `window.trailboard`. */
export type Bridge = {
  call(command: string, input: unknown): Promise<unknown>;
  on(topic: string, listener: (payload: unknown) => void): () => void;
};

/** The app's API, on whichever bridge this page has (chosen at the first use). */
export const api: Api = {
  call: (command, input) => current().call(command, input),
  on: (topic, listener) => current().on(topic, listener),
  onConnection: (listener) => current().onConnection(listener),
  exportUrl: (file) => current().exportUrl(file),
};

let chosen: Api | undefined;

function current(): Api {
  chosen ??= fromEnvironment();
  return chosen;
}

function fromEnvironment(): Api {
  const bridge: unknown = Reflect.get(globalThis, 'trailboard');
  if (isBridge(bridge)) return createBridgeApi(bridge);
  const token = takeToken();
  if (!token) {
    return createUnavailableApi('This page was opened without its access token: open the address the Trailboard web host printed.');
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return createWebSocketApi({
    url: `${scheme}//${location.host}/api?token=${encodeURIComponent(token)}`,
    exportBase: `${location.origin}/exports/`,
    token,
  });
}

const TOKEN_KEY = 'trailboard.token';

/** The token from the address's fragment (then removed from it), or the one this tab kept from before. */
function takeToken(): string | undefined {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const fromAddress = fragment.get('token');
  if (fromAddress) {
    fragment.delete('token');
    const rest = fragment.toString();
    history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
    try {
      sessionStorage.setItem(TOKEN_KEY, fromAddress);
    } catch {
      // storage refused (private mode): a reload will need the address again
    }
    return fromAddress;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

// --- Electron ---------------------------------------------------------------------------------------

function isBridge(value: unknown): value is Bridge {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof Reflect.get(value, 'call') === 'function' &&
    typeof Reflect.get(value, 'on') === 'function'
  );
}

export function createBridgeApi(bridge: Bridge): Api {
  async function call<C extends CommandName>(command: C, input: InputOf<C>): Promise<Result<OutputOf<C>>> {
    let answer: unknown;
    try {
      answer = await bridge.call(command, input);
    } catch {
      return failed('unavailable', 'Trailboard’s core did not answer. Try again; if it keeps failing, restart Trailboard.');
    }
    return isResult(answer) ? outputOf<C>(answer) : failed('internal', 'Trailboard’s core sent an answer this window cannot read.');
  }
  // The preload forwards the pushes (the core's and the shell's) for the topic asked for.
  const on: PageOn = (topic, listener) => bridge.on(topic, (payload) => deliver(listener as (payload: unknown) => void, payload));
  return {
    call,
    on,
    onConnection(listener) {
      listener('connected');
      return () => undefined;
    },
    exportUrl: () => undefined,
  };
}

// --- The web host's WebSocket -----------------------------------------------------------------------

export type SocketHandlers = {
  onOpen(): void;
  onMessage(text: string): void;
  /** After an error too: every socket that stops calls this once. */
  onClose(): void;
};

/** Opens a socket to `url` (the browser's WebSocket by default; tests pass another). */
export type SocketConnector = (url: string, handlers: SocketHandlers) => { send(text: string): void; close(): void };

export type WebSocketApiOptions = {
  /** `ws://HOST/api?token=…` */
  url: string;
  /** `http://HOST/exports/`, for `exportUrl`. */
  exportBase?: string;
  token?: string;
  connect?: SocketConnector;
  /** Reconnection delays: the first, doubled after each failure up to the longest (with jitter). */
  backoff?: { firstMs: number; longestMs: number };
};

export type WebSocketApi = Api & {
  /** Closes the socket for good; calls then answer `unavailable`. */
  close(): void;
};

const DEFAULT_BACKOFF = { firstMs: 250, longestMs: 5000 };

export function createWebSocketApi(options: WebSocketApiOptions): WebSocketApi {
  const connect = options.connect ?? browserSocket;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  /** Calls sent or waiting to be sent, by id. */
  const pending = new Map<number, (result: Result<unknown>) => void>();
  /** Messages of calls made before the socket opened. */
  let unsent: CallMessage[] = [];
  const pushListeners = new Map<string, Set<(payload: unknown) => void>>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  let socket: ReturnType<SocketConnector> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let nextId = 1;
  let isClosed = false;

  function setState(next: ConnectionState): void {
    if (state === next) return;
    state = next;
    for (const listener of [...stateListeners]) deliver(listener, next);
  }

  function open(): void {
    if (isClosed || socket) return;
    clearTimeout(retryTimer);
    retryTimer = undefined;
    let isOpen = false;
    let hasEnded = false;
    const handlers: SocketHandlers = {
      onOpen() {
        if (hasEnded) return;
        isOpen = true;
        failures = 0;
        setState('connected');
        const waiting = unsent;
        unsent = [];
        for (const message of waiting) transmit(message);
      },
      onMessage(text) {
        if (!hasEnded) receive(text);
      },
      onClose() {
        if (hasEnded) return;
        hasEnded = true;
        socket = undefined;
        if (!isOpen) failures++;
        dropPending(isOpen ? 'The connection to Trailboard was lost; reconnecting.' : 'Trailboard is not reachable; retrying.');
        if (isClosed) return;
        setState('disconnected');
        const delay = Math.min(backoff.longestMs, backoff.firstMs * 2 ** Math.max(0, failures - 1));
        retryTimer = setTimeout(open, delay * (0.75 + Math.random() * 0.5));
      },
    };
    try {
      socket = connect(options.url, handlers);
    } catch {
      handlers.onClose();
    }
  }

  function transmit(message: CallMessage): void {
    try {
      socket?.send(JSON.stringify(message));
    } catch {
      const answer = pending.get(message.id);
      pending.delete(message.id);
      answer?.(failed('invalid_input', `The input of “${message.command}” cannot be sent.`));
    }
  }

  function dropPending(message: string): void {
    const answers = [...pending.values()];
    pending.clear();
    unsent = [];
    for (const answer of answers) answer(failed('unavailable', message));
  }

  function receive(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (!isRecord(message)) return;
    if (message['type'] === 'result' && typeof message['id'] === 'number' && isResult(message['result'])) {
      const answer = pending.get(message['id']);
      pending.delete(message['id']);
      answer?.(message['result']);
    } else if (message['type'] === 'push' && isRecord(message['push'])) {
      const { topic, payload } = message['push'];
      if (typeof topic !== 'string' || !isRecord(payload)) return;
      for (const listener of [...(pushListeners.get(topic) ?? [])]) deliver(listener, payload);
    }
  }

  function call<C extends CommandName>(command: C, input: InputOf<C>): Promise<Result<OutputOf<C>>> {
    if (isClosed) return Promise.resolve(failed('unavailable', 'The connection to Trailboard is closed.'));
    // A call while waiting to retry retries now: the person is waiting for it.
    if (!socket) open();
    const id = nextId++;
    const message: CallMessage = { type: 'call', id, command, input };
    return new Promise((resolve) => {
      pending.set(id, (result) => resolve(outputOf<C>(result)));
      if (state === 'connected' && socket) transmit(message);
      else unsent.push(message);
    });
  }

  const on: PageOn = <T extends PagePushTopic>(topic: T, listener: (payload: PagePushes[T]) => void) => {
    // Payloads are the core's pushes for this topic (checked to be objects above).
    const untyped = listener as (payload: unknown) => void;
    let listeners = pushListeners.get(topic);
    if (!listeners) pushListeners.set(topic, (listeners = new Set()));
    listeners.add(untyped);
    return () => void listeners.delete(untyped);
  };

  function onConnection(listener: (state: ConnectionState) => void): () => void {
    stateListeners.add(listener);
    deliver(listener, state);
    return () => void stateListeners.delete(listener);
  }

  function exportUrl(file: { fileName: string }): string | undefined {
    if (!options.exportBase || !options.token) return undefined;
    return `${options.exportBase}${encodeURIComponent(file.fileName)}?token=${encodeURIComponent(options.token)}`;
  }

  function close(): void {
    isClosed = true;
    clearTimeout(retryTimer);
    socket?.close();
    socket = undefined;
    dropPending('The connection to Trailboard is closed.');
    setState('disconnected');
  }

  open();
  return { call, on, onConnection, exportUrl, close };
}

function browserSocket(url: string, handlers: SocketHandlers): { send(text: string): void; close(): void } {
  const socket = new WebSocket(url);
  socket.onopen = () => handlers.onOpen();
  socket.onmessage = (event) => {
    if (typeof event.data === 'string') handlers.onMessage(event.data);
  };
  socket.onclose = () => handlers.onClose();
  return { send: (text) => socket.send(text), close: () => socket.close() };
}

// --- Without a bridge -------------------------------------------------------------------------------

function createUnavailableApi(message: string): Api {
  return {
    call: () => Promise.resolve(failed('unavailable', message)),
    on: () => () => undefined,
    onConnection(listener) {
      listener('disconnected');
      return () => undefined;
    },
    exportUrl: () => undefined,
  };
}

// --- Helpers ----------------------------------------------------------------------------------------

/** The core answers each command with the contract's output for it; only the Result's shape is checked here. */
function outputOf<C extends CommandName>(result: Result<unknown>): Result<OutputOf<C>> {
  return result as Result<OutputOf<C>>;
}

function isResult(value: unknown): value is Result<unknown> {
  if (!isRecord(value)) return false;
  if (value['ok'] === true) return 'value' in value;
  const error = value['error'];
  return value['ok'] === false && isRecord(error) && isErrorCode(error['code']) && typeof error['message'] === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One listener's failure must not keep a push from the others. */
function deliver<T>(listener: (value: T) => void, value: T): void {
  try {
    listener(value);
  } catch (error) {
    if (typeof reportError === 'function') reportError(error);
    else console.error(error);
  }
}
