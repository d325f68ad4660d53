import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent, ReactNode, Ref } from 'react';
import { createPortal } from 'react-dom';
import { IconButton } from './IconButton';
import { MoreIcon } from './icons';
import './menu.css';

export type MenuAction = {
  id: string;
  label: string;
  icon?: ReactNode;
  /** A hint on the right (a shortcut such as "⌘Z"). */
  hint?: string;
  onSelect: () => void;
  isDanger?: boolean;
  isDisabled?: boolean;
  /** Marks the current choice (radio-like menus: themes, accounts). */
  isChecked?: boolean;
};
export type MenuSeparator = { id: string; isSeparator: true };
export type MenuHeading = { id: string; heading: string };
export type MenuEntry = MenuAction | MenuSeparator | MenuHeading;

export type MenuTriggerProps = {
  ref: Ref<HTMLButtonElement>;
  id: string;
  'aria-haspopup': 'menu';
  'aria-expanded': boolean;
  'aria-controls': string | undefined;
  onClick: () => void;
  onKeyDown: (event: ReactKeyboardEvent<HTMLButtonElement>) => void;
};

export type MenuProps = {
  /** The accessible name of the default trigger (an icon button) and of the menu. */
  label: string;
  items: MenuEntry[];
  /** Replace the default "more" icon button. Spread the props onto a <button>. */
  renderTrigger?: (props: MenuTriggerProps) => ReactNode;
  icon?: ReactNode;
  align?: 'start' | 'end';
  triggerSize?: 'sm' | 'md';
  /** Minimum width of the popup in px. */
  minWidth?: number;
};

function isAction(entry: MenuEntry): entry is MenuAction {
  return 'onSelect' in entry;
}

type Position = { top: number; left: number; minWidth: number; isAbove: boolean };

/**
 * A menu button: the popup opens under the trigger (above when there is no room), arrows move between
 * items, Home/End jump, Escape or Tab closes it and focus returns to the trigger.
 */
export function Menu({ label, items, renderTrigger, icon, align = 'end', triggerSize = 'sm', minWidth = 200 }: MenuProps) {
  const [isOpen, setIsOpen] = useState(false);
  const [focusIndex, setFocusIndex] = useState(0);
  const [position, setPosition] = useState<Position | null>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const popupRef = useRef<HTMLDivElement>(null);
  const triggerId = useId();
  const menuId = useId();
  const actions = items.filter(isAction);
  const enabledIndexes = actions.flatMap((action, index) => (action.isDisabled ? [] : [index]));

  const close = useCallback((shouldFocusTrigger: boolean) => {
    setIsOpen(false);
    if (shouldFocusTrigger) triggerRef.current?.focus();
  }, []);

  const open = useCallback(
    (at: 'first' | 'last') => {
      const indexes = enabledIndexes;
      setFocusIndex((at === 'first' ? indexes[0] : indexes[indexes.length - 1]) ?? 0);
      setIsOpen(true);
    },
    [enabledIndexes],
  );

  useLayoutEffect(() => {
    if (!isOpen) return;
    const trigger = triggerRef.current;
    if (!trigger) return;
    const rect = trigger.getBoundingClientRect();
    const popupHeight = popupRef.current?.offsetHeight ?? 0;
    const popupWidth = Math.max(minWidth, popupRef.current?.offsetWidth ?? 0);
    const isAbove = rect.bottom + 4 + popupHeight > window.innerHeight - 8 && rect.top - 4 - popupHeight > 8;
    const top = isAbove ? rect.top - 4 - popupHeight : rect.bottom + 4;
    let left = align === 'end' ? rect.right - popupWidth : rect.left;
    left = Math.max(8, Math.min(left, window.innerWidth - popupWidth - 8));
    setPosition({ top, left, minWidth, isAbove });
  }, [isOpen, align, minWidth]);

  useEffect(() => {
    if (!isOpen || !position) return;
    const button = popupRef.current?.querySelector<HTMLButtonElement>(`[data-index="${focusIndex}"]`);
    button?.focus();
  }, [isOpen, position, focusIndex]);

  useEffect(() => {
    if (!isOpen) return undefined;
    function onPointerDown(event: PointerEvent) {
      const target = event.target;
      if (!(target instanceof Node)) return;
      if (popupRef.current?.contains(target) || triggerRef.current?.contains(target)) return;
      close(false);
    }
    function onResize() {
      close(false);
    }
    document.addEventListener('pointerdown', onPointerDown, true);
    window.addEventListener('resize', onResize);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown, true);
      window.removeEventListener('resize', onResize);
    };
  }, [isOpen, close]);

  function move(delta: 1 | -1) {
    if (enabledIndexes.length === 0) return;
    const at = enabledIndexes.indexOf(focusIndex);
    const next = enabledIndexes[(at + delta + enabledIndexes.length) % enabledIndexes.length];
    if (next !== undefined) setFocusIndex(next);
  }

  function onMenuKeyDown(event: ReactKeyboardEvent<HTMLDivElement>) {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        move(1);
        break;
      case 'ArrowUp':
        event.preventDefault();
        move(-1);
        break;
      case 'Home':
        event.preventDefault();
        setFocusIndex(enabledIndexes[0] ?? 0);
        break;
      case 'End':
        event.preventDefault();
        setFocusIndex(enabledIndexes[enabledIndexes.length - 1] ?? 0);
        break;
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        close(true);
        break;
      case 'Tab':
        event.preventDefault();
        close(true);
        break;
      default: {
        // Type-ahead: the first letter jumps to the next item starting with it.
        if (event.key.length === 1 && /\S/.test(event.key)) {
          const letter = event.key.toLowerCase();
          const after = [...enabledIndexes.filter((i) => i > focusIndex), ...enabledIndexes.filter((i) => i <= focusIndex)];
          const hit = after.find((i) => actions[i]?.label.toLowerCase().startsWith(letter));
          if (hit !== undefined) setFocusIndex(hit);
        }
      }
    }
  }

  const triggerProps: MenuTriggerProps = {
    ref: triggerRef,
    id: triggerId,
    'aria-haspopup': 'menu',
    'aria-expanded': isOpen,
    'aria-controls': isOpen ? menuId : undefined,
    onClick: () => (isOpen ? close(false) : open('first')),
    onKeyDown: (event) => {
      if (event.key === 'ArrowDown') {
        event.preventDefault();
        open('first');
      } else if (event.key === 'ArrowUp') {
        event.preventDefault();
        open('last');
      }
    },
  };

  let actionIndex = -1;
  return (
    <>
      {renderTrigger ? (
        renderTrigger(triggerProps)
      ) : (
        <IconButton {...triggerProps} label={label} icon={icon ?? <MoreIcon />} size={triggerSize} />
      )}
      {isOpen
        ? createPortal(
            <div
              ref={popupRef}
              id={menuId}
              role="menu"
              aria-labelledby={triggerId}
              className={`tb-menu${position?.isAbove ? ' is-above' : ''}`}
              style={{
                top: position?.top ?? -9999,
                left: position?.left ?? -9999,
                minWidth: position?.minWidth ?? minWidth,
                visibility: position ? 'visible' : 'hidden',
              }}
              onKeyDown={onMenuKeyDown}
            >
              {items.map((entry) => {
                if ('isSeparator' in entry) return <div key={entry.id} role="separator" className="tb-menu__separator" />;
                if ('heading' in entry) {
                  return (
                    <div key={entry.id} role="presentation" className="tb-menu__heading">
                      {entry.heading}
                    </div>
                  );
                }
                actionIndex += 1;
                const index = actionIndex;
                const isCheckable = entry.isChecked !== undefined;
                return (
                  <button
                    key={entry.id}
                    type="button"
                    role={isCheckable ? 'menuitemradio' : 'menuitem'}
                    aria-checked={isCheckable ? entry.isChecked : undefined}
                    data-index={index}
                    tabIndex={index === focusIndex ? 0 : -1}
                    disabled={entry.isDisabled}
                    className={`tb-menu__item${entry.isDanger ? ' is-danger' : ''}`}
                    onMouseEnter={() => {
                      if (!entry.isDisabled) setFocusIndex(index);
                    }}
                    onClick={() => {
                      close(true);
                      entry.onSelect();
                    }}
                  >
                    <span className="tb-menu__icon">{entry.icon ?? (entry.isChecked ? <Check /> : null)}</span>
                    <span className="tb-menu__label">{entry.label}</span>
                    {entry.hint ? <span className="tb-menu__hint">{entry.hint}</span> : null}
                  </button>
                );
              })}
            </div>,
            landmarkOf(triggerRef.current),
          )
        : null}
    </>
  );
}

/** The popup renders inside its trigger's landmark (main, nav…), so screen readers find it in the same region. */
function landmarkOf(trigger: HTMLElement | null): HTMLElement {
  return trigger?.closest<HTMLElement>('main, nav, aside, header[role="banner"], footer, [role="region"], [role="dialog"], [role="alertdialog"]') ?? document.body;
}

function Check() {
  return (
    <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M5 12.5l4.5 4.5L19 7.5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
