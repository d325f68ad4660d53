// Focus helpers shared by Dialog, Menu and side panels: find what can take focus, keep Tab inside a
// container, and give focus back to whatever had it before a surface opened.
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { RefObject } from 'react';

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
  '[contenteditable="true"]',
].join(',');

/** The keyboard-focusable elements inside `root`, in tab order (visible ones only). */
export function focusableIn(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (el) => !el.hasAttribute('inert') && el.getClientRects().length > 0,
  );
}

/** True when the event target is a place where typing happens (inputs, text areas, editable content). */
export function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement) return true;
  if (target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file', 'image'].includes(target.type);
  }
  return false;
}

/**
 * While `isActive`: Tab and Shift+Tab cycle inside `containerRef`; focus moves in on activation (to
 * `initialFocusRef`, else the first field or button, else the container) and returns on deactivation to
 * the element that had it before (if it is still in the document).
 */
export function useFocusTrap(
  containerRef: RefObject<HTMLElement | null>,
  isActive: boolean,
  initialFocusRef?: RefObject<HTMLElement | null>,
): void {
  const openerRef = useRef<HTMLElement | null>(null);

  useLayoutEffect(() => {
    if (!isActive) return undefined;
    const active = document.activeElement;
    openerRef.current = active instanceof HTMLElement ? active : null;
    const container = containerRef.current;
    if (container && !container.contains(document.activeElement)) {
      const target = initialFocusRef?.current ?? focusableIn(container)[0] ?? container;
      target.focus();
    }
    return () => {
      const opener = openerRef.current;
      openerRef.current = null;
      // After React commits the close, put focus back where it came from.
      if (opener && opener.isConnected) {
        queueMicrotask(() => opener.focus());
      }
    };
    // initialFocusRef is a ref: reading it on activation is enough.
  }, [isActive, containerRef]);

  useEffect(() => {
    if (!isActive) return undefined;
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== 'Tab') return;
      const container = containerRef.current;
      if (!container) return;
      const items = focusableIn(container);
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) {
        event.preventDefault();
        container.focus();
        return;
      }
      const current = document.activeElement;
      if (event.shiftKey && (current === first || !container.contains(current))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (current === last || !container.contains(current))) {
        event.preventDefault();
        first.focus();
      }
    }
    document.addEventListener('keydown', onKeyDown, true);
    return () => document.removeEventListener('keydown', onKeyDown, true);
  }, [isActive, containerRef]);
}
