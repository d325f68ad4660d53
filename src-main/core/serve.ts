// The serving loop both roles of the core thread share (the router and each account thread): each call
// message on the port is answered by `dispatch` with a result message (nothing throws across); a `close`
// message stops taking calls, lets the calls under way finish, runs `close`, says `closed` if that went
// cleanly, and closes the port so the thread can end.
import type { MessagePort } from 'node:worker_threads';
import type { Result } from '../../shared/api';
import { isAppError } from '../../shared/errors';
import type { Logger } from '../../shared/node/logger';
import { parseToThread, type FromThread } from './protocol';

export type ServeOptions = {
  logger: Logger;
  dispatch: (command: string, input: unknown) => Promise<Result<unknown>>;
  /** Closes what the thread holds once no call runs; resolves true when everything closed in order. */
  close: () => Promise<boolean>;
};

export function postTo(port: MessagePort): (message: FromThread) => void {
  return (message) => port.postMessage(message);
}

export function serveCalls(port: MessagePort, options: ServeOptions): void {
  const { logger } = options;
  const post = postTo(port);
  const running = new Set<Promise<void>>();
  let closing: Promise<void> | undefined;

  const answer = (id: number, result: Result<unknown>): void => {
    try {
      post({ type: 'result', id, result });
    } catch (error) {
      // An output that cannot be cloned is a bug in a handler: say so instead of leaving the call pending.
      logger.error('result could not be sent', { error: described(error) });
      post({ type: 'result', id, result: { ok: false, error: { code: 'internal', message: 'Trailboard could not send this answer. The details are in its log.' } } });
    }
  };

  const close = async (): Promise<void> => {
    await Promise.allSettled([...running]);
    let isClean = false;
    try {
      isClean = await options.close();
    } catch (error) {
      logger.error('could not close cleanly', { error: described(error) });
    }
    logger.close();
    // Only a clean close says so; the thread ends either way (its connections close with it).
    if (isClean) post({ type: 'closed' });
    port.close();
  };

  port.on('message', (raw: unknown) => {
    const message = parseToThread(raw);
    if (!message) {
      logger.warn('ignored an unreadable message');
      return;
    }
    if (message.type === 'close') {
      closing ??= close();
      return;
    }
    if (closing) {
      answer(message.id, { ok: false, error: { code: 'unavailable', message: 'Trailboard is shutting down.' } });
      return;
    }
    const done = options.dispatch(message.command, message.input).then((result) => answer(message.id, result));
    running.add(done);
    void done.finally(() => running.delete(done));
  });
}

/**
 * Ends a thread that could not start: logs why (with `fields`), tells the other side `failed` (an AppError keeps
 * its code, anything else is `unavailable`) and closes the port so the thread can end.
 */
export function failStart(port: MessagePort, logger: Logger, what: string, error: unknown, fields: Record<string, unknown> = {}): void {
  logger.error(what, { ...fields, error: described(error) });
  logger.close();
  postTo(port)({ type: 'failed', error: { code: isAppError(error) ? error.code : 'unavailable', message: messageOf(error) } });
  port.close();
}

export function described(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { value: String(error) };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
