// The current time for relative times ("3 minutes ago"), ticking so they stay true while shown. One timer
// serves every component that asks; it runs only while one is mounted.
import { useSyncExternalStore } from 'react';

const TICK_MS = 30_000;
const listeners = new Set<() => void>();
let now = Date.now();
let timer: number | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === undefined) {
    now = Date.now();
    timer = window.setInterval(() => {
      now = Date.now();
      for (const notify of listeners) notify();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      window.clearInterval(timer);
      timer = undefined;
    }
  };
}

function snapshot(): number {
  // Nobody was watching: catch up once (a stable value, as useSyncExternalStore needs).
  if (timer === undefined && Date.now() - now > TICK_MS) now = Date.now();
  return now;
}

/** Epoch ms, updated every 30 s while mounted. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, snapshot);
}
