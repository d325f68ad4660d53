/**
 * What the ui benchmarks put into every page before its own scripts run (`page.addInitScript(installProbe, …)`):
 * `window.__tbProbe`, which
 * - watches the app's WebSocket (a subclass installed as `window.WebSocket`): each call sent (command, boardId) and
 *   the moment its result message arrives, taken in a listener that runs before the app's own handler, so before
 *   the result is even parsed: that moment is when "the board's data reached the renderer" (also set as the
 *   performance mark `tb:board-data`), and the time of the first paint after it (`paintAfter`);
 * - tells when a selector first shows on screen: checked at each animation frame, the frame that first matches
 *   is painted before the task posted from that frame runs, whose time is taken as the paint;
 * - arms a keyboard drop: the timestamp of the next Space keydown (the input) and the paint that shows the card
 *   where it was dropped.
 * A selector given at install is watched from the page's first frame (`watched()`).
 * All times are `performance.now()` of the page. This function is serialized into the page: it must not use
 * anything from this module's scope.
 */

export type ProbeCall = {
  readonly id: number;
  readonly command: string;
  readonly boardId: string | null;
  readonly sentAt: number;
  receivedAt: number | null;
  /** The first paint after the result arrived (for `board.get`). */
  paintAfter: number | null;
};

export type DropTiming = { readonly input: number; readonly paint: number };

export type Probe = {
  readonly calls: ProbeCall[];
  /** Calls sent and not answered yet. */
  pending(): number;
  /** performance.now() of the last call sent or answered. */
  lastActivity(): number;
  /** Resolves with the paint time of the first frame, from now on, whose DOM matches `selector`. */
  paintWhen(selector: string): Promise<number>;
  /**
   * Resolves with the time of the first DOM change, from now on, after which `selector` matches (a MutationObserver:
   * it runs once the task or microtask that changed the DOM, React's commit with its layout effects, is over).
   */
  commitWhen(selector: string): Promise<number>;
  /** Resolves after the next frame has been painted, with that time. */
  nextPaint(): Promise<number>;
  /** From the next Space keydown: its timestamp and the paint of the first frame that matches `selector`. */
  armDrop(selector: string): Promise<DropTiming>;
  /** Elements in the document. */
  nodes(): number;
  /** The last `board.get` answer's length in characters and the median time of 5 JSON.parse of it, ms. */
  parseLastBoard(): { chars: number; ms: number };
  /** The paint time of the first frame that matched the `watch` selector given at install, or null until then. */
  watched(): number | null;
};

export type ProbeOptions = {
  /** Stored as the app's last board, so that it opens this one. */
  readonly lastBoardId: string | null;
  /** A selector watched from the page's first frame (for a cold start, where nothing can arm it in time). */
  readonly watch: string | null;
};

export function installProbe(options: ProbeOptions): void {
  if (options.lastBoardId !== null) {
    try {
      window.localStorage.setItem('trailboard.lastBoard', options.lastBoardId);
    } catch {
      // the app then opens its first board
    }
  }
  const calls: ProbeCall[] = [];
  const byId = new Map<number, ProbeCall>();
  let lastActivity = performance.now();
  let lastBoardText = '';

  /** Resolves with the time of a task posted from the next animation frame: that frame has been painted. */
  function afterFrame(check: () => boolean): Promise<number> {
    return new Promise((resolve) => {
      const onFrame = (): void => {
        if (!check()) {
          requestAnimationFrame(onFrame);
          return;
        }
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          channel.port1.close();
          resolve(performance.now());
        };
        channel.port2.postMessage(0);
      };
      requestAnimationFrame(onFrame);
    });
  }

  const Native = window.WebSocket;
  class WatchedSocket extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (event: MessageEvent) => {
        const receivedAt = performance.now();
        if (typeof event.data !== 'string') return;
        // The host writes `{"type":"result","id":N,...`: read the id without parsing a large answer.
        const match = /^\{"type":"result","id":(\d+),/.exec(event.data.slice(0, 64));
        if (!match) return;
        const call = byId.get(Number(match[1]));
        if (!call) return;
        call.receivedAt = receivedAt;
        lastActivity = receivedAt;
        if (call.command === 'board.get') {
          lastBoardText = event.data;
          performance.mark('tb:board-data', { startTime: receivedAt, detail: { boardId: call.boardId } });
          void afterFrame(() => true).then((paint) => {
            call.paintAfter = paint;
          });
        }
      });
    }

    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      if (typeof data === 'string') {
        try {
          const message: unknown = JSON.parse(data);
          if (typeof message === 'object' && message !== null && 'id' in message && 'command' in message) {
            const input = 'input' in message ? message.input : undefined;
            const boardId = typeof input === 'object' && input !== null && 'boardId' in input && typeof input.boardId === 'string' ? input.boardId : null;
            const call: ProbeCall = {
              id: Number(message.id),
              command: String(message.command),
              boardId,
              sentAt: performance.now(),
              receivedAt: null,
              paintAfter: null,
            };
            calls.push(call);
            byId.set(call.id, call);
            lastActivity = call.sentAt;
          }
        } catch {
          // not a call: not ours to follow
        }
      }
      super.send(data);
    }
  }
  window.WebSocket = WatchedSocket;

  let watched: number | null = null;
  const watch = options.watch;
  if (watch !== null) {
    void afterFrame(() => document.querySelector(watch) !== null).then((paint) => {
      watched = paint;
    });
  }

  const probe: Probe = {
    calls,
    pending: () => calls.filter((call) => call.receivedAt === null).length,
    lastActivity: () => lastActivity,
    paintWhen: (selector) => afterFrame(() => document.querySelector(selector) !== null),
    commitWhen: (selector) =>
      new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          if (document.querySelector(selector) === null) return;
          observer.disconnect();
          resolve(performance.now());
        });
        observer.observe(document, { childList: true, subtree: true });
      }),
    nextPaint: () => afterFrame(() => true),
    armDrop: (selector) =>
      new Promise((resolve) => {
        const onKeyDown = (event: KeyboardEvent): void => {
          if (event.key !== ' ') return;
          window.removeEventListener('keydown', onKeyDown, true);
          const input = event.timeStamp;
          void afterFrame(() => document.querySelector(selector) !== null).then((paint) => resolve({ input, paint }));
        };
        window.addEventListener('keydown', onKeyDown, true);
      }),
    nodes: () => document.querySelectorAll('*').length,
    watched: () => watched,
    parseLastBoard: () => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        JSON.parse(lastBoardText);
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      return { chars: lastBoardText.length, ms: times[2] ?? Number.NaN };
    },
  };
  Reflect.set(window, '__tbProbe', probe);
}
