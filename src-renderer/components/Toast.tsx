import { useEffect, useRef, useState } from 'react';
import { useToastStore } from '../stores/toast-store';
import type { Toast } from '../stores/toast-store';
import { AlertIcon, CheckCircleIcon, CloseIcon, InfoIcon } from './icons';
import './toast.css';

/**
 * Where toasts appear (render once, in the app shell). Errors are announced assertively (role=alert),
 * the rest politely. A toast pauses its timer while hovered or focused.
 */
export function Toaster() {
  const toasts = useToastStore((state) => state.toasts);
  return (
    <section className="tb-toaster" aria-label="Notifications">
      <div className="tb-toaster__region" role="status" aria-live="polite" aria-relevant="additions">
        {toasts
          .filter((t) => t.kind !== 'error')
          .map((t) => (
            <ToastItem key={t.id} toast={t} />
          ))}
      </div>
      <div className="tb-toaster__region" role="alert" aria-live="assertive" aria-relevant="additions">
        {toasts
          .filter((t) => t.kind === 'error')
          .map((t) => (
            <ToastItem key={t.id} toast={t} />
          ))}
      </div>
    </section>
  );
}

function ToastItem({ toast }: { toast: Toast }) {
  const dismiss = useToastStore((state) => state.dismiss);
  const [isPaused, setIsPaused] = useState(false);
  const remaining = useRef(toast.durationMs);
  const startedAt = useRef(0);

  useEffect(() => {
    if (toast.durationMs === 0 || isPaused) return undefined;
    startedAt.current = Date.now();
    const timer = window.setTimeout(() => dismiss(toast.id), remaining.current);
    return () => {
      window.clearTimeout(timer);
      remaining.current = Math.max(1000, remaining.current - (Date.now() - startedAt.current));
    };
  }, [toast.id, toast.durationMs, isPaused, dismiss]);

  const Icon = toast.kind === 'error' ? AlertIcon : toast.kind === 'success' ? CheckCircleIcon : InfoIcon;
  return (
    <div
      className={`tb-toast tb-toast--${toast.kind}`}
      onMouseEnter={() => setIsPaused(true)}
      onMouseLeave={() => setIsPaused(false)}
      onFocus={() => setIsPaused(true)}
      onBlur={() => setIsPaused(false)}
    >
      <span className="tb-toast__icon">
        <Icon size={18} />
      </span>
      <div className="tb-toast__text">
        <p className="tb-toast__message">{toast.message}</p>
        {toast.detail ? <p className="tb-toast__detail">{toast.detail}</p> : null}
      </div>
      {toast.action ? (
        <button
          type="button"
          className="tb-toast__action"
          onClick={() => {
            toast.action?.onAction();
            dismiss(toast.id);
          }}
        >
          {toast.action.label}
        </button>
      ) : null}
      <button type="button" className="tb-toast__close" aria-label="Dismiss notification" onClick={() => dismiss(toast.id)}>
        <CloseIcon size={14} />
      </button>
    </div>
  );
}
