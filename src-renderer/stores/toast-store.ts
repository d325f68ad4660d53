// Toasts: short messages at the bottom of the window. `toast.error(message)` for a change the core
// refused (the message comes from the core's Failure and is fit to show), `toast.info(message, { action })`
// for news with an optional button (Undo, Retry, Show). Anyone may call `toast`; <Toaster /> shows them.
import { create } from 'zustand';

export type ToastKind = 'info' | 'success' | 'error';
export type ToastAction = { label: string; onAction: () => void };
export type ToastOptions = {
  action?: ToastAction;
  /** A second line under the message. */
  detail?: string;
  /** How long it stays, in ms (0: until dismissed). Default 5 s, errors 8 s, with an action 8 s. */
  durationMs?: number;
};
export type Toast = {
  id: number;
  kind: ToastKind;
  message: string;
  detail?: string;
  action?: ToastAction;
  durationMs: number;
};

type ToastState = {
  toasts: Toast[];
  show: (kind: ToastKind, message: string, options?: ToastOptions) => number;
  dismiss: (id: number) => void;
  clear: () => void;
};

/** At most this many at once: older ones leave first. */
const MAX_TOASTS = 4;
let nextId = 1;

export const useToastStore = create<ToastState>()((set) => ({
  toasts: [],
  show: (kind, message, options = {}) => {
    const id = nextId++;
    const durationMs = options.durationMs ?? (kind === 'error' || options.action ? 8000 : 5000);
    const item: Toast = { id, kind, message, durationMs };
    if (options.detail !== undefined) item.detail = options.detail;
    if (options.action !== undefined) item.action = options.action;
    set((state) => ({ toasts: [...state.toasts, item].slice(-MAX_TOASTS) }));
    return id;
  },
  dismiss: (id) => set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) })),
  clear: () => set({ toasts: [] }),
}));

export const toast = {
  info: (message: string, options?: ToastOptions) => useToastStore.getState().show('info', message, options),
  success: (message: string, options?: ToastOptions) => useToastStore.getState().show('success', message, options),
  error: (message: string, options?: ToastOptions) => useToastStore.getState().show('error', message, options),
  dismiss: (id: number) => useToastStore.getState().dismiss(id),
};
