import { useId, useRef, useState } from 'react';
import type { ReactNode, RefObject } from 'react';
import { createPortal } from 'react-dom';
import { Button } from './Button';
import { IconButton } from './IconButton';
import { CloseIcon } from './icons';
import { useFocusTrap } from './focus';
import './dialog.css';

export type DialogProps = {
  isOpen: boolean;
  /** Called on Escape, on the close button and on a click on the backdrop. */
  onClose: () => void;
  title: string;
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons at the bottom, right-aligned (primary last). */
  footer?: ReactNode;
  /** What gets focus when it opens (default: the first field or button). */
  initialFocusRef?: RefObject<HTMLElement | null>;
  size?: 'sm' | 'md' | 'lg';
  /** `alertdialog` for confirmations that need an answer. */
  role?: 'dialog' | 'alertdialog';
  /** Make the dialog a form: Enter submits (the footer's submit button). */
  onSubmit?: () => void;
};

/**
 * A modal dialog: rendered over an overlay in a portal, Tab stays inside, Escape closes, and focus goes
 * back to the element that opened it.
 */
export function Dialog({
  isOpen,
  onClose,
  title,
  description,
  children,
  footer,
  initialFocusRef,
  size = 'md',
  role = 'dialog',
  onSubmit,
}: DialogProps) {
  if (!isOpen) return null;
  return createPortal(
    <DialogSurface
      onClose={onClose}
      title={title}
      description={description}
      footer={footer}
      initialFocusRef={initialFocusRef}
      size={size}
      role={role}
      onSubmit={onSubmit}
    >
      {children}
    </DialogSurface>,
    document.body,
  );
}

function DialogSurface({
  onClose,
  title,
  description,
  children,
  footer,
  initialFocusRef,
  size,
  role,
  onSubmit,
}: Omit<DialogProps, 'isOpen'>) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  useFocusTrap(ref, true, initialFocusRef);

  const body = (
    <>
      <header className="tb-dialog__header">
        <h2 id={titleId} className="tb-dialog__title">
          {title}
        </h2>
        <IconButton label="Close" icon={<CloseIcon />} size="sm" onClick={onClose} />
      </header>
      {description ? (
        <div id={descriptionId} className="tb-dialog__description">
          {description}
        </div>
      ) : null}
      {children ? <div className="tb-dialog__body">{children}</div> : null}
      {footer ? <footer className="tb-dialog__footer">{footer}</footer> : null}
    </>
  );

  return (
    <div
      className="tb-dialog-backdrop"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div
        ref={ref}
        role={role}
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description ? descriptionId : undefined}
        tabIndex={-1}
        className={`tb-dialog tb-dialog--${size}`}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            onClose();
          }
        }}
      >
        {onSubmit ? (
          <form
            className="tb-dialog__form"
            onSubmit={(event) => {
              event.preventDefault();
              onSubmit();
            }}
          >
            {body}
          </form>
        ) : (
          body
        )}
      </div>
    </div>
  );
}

export type ConfirmDialogProps = {
  isOpen: boolean;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  isDanger?: boolean;
  /** May be async: the confirm button shows progress until it settles; the dialog closes if it resolves true. */
  onConfirm: () => Promise<boolean> | boolean;
  onCancel: () => void;
};

/** A yes/no question. The safe answer (Cancel) has focus first. */
export function ConfirmDialog({
  isOpen,
  title,
  message,
  confirmLabel,
  cancelLabel = 'Cancel',
  isDanger = false,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [isBusy, setIsBusy] = useState(false);
  return (
    <Dialog
      isOpen={isOpen}
      onClose={() => {
        if (!isBusy) onCancel();
      }}
      title={title}
      description={message}
      role="alertdialog"
      size="sm"
      initialFocusRef={cancelRef}
      footer={
        <>
          <Button ref={cancelRef} variant="secondary" onClick={onCancel} disabled={isBusy}>
            {cancelLabel}
          </Button>
          <Button
            variant={isDanger ? 'danger' : 'primary'}
            isLoading={isBusy}
            onClick={async () => {
              setIsBusy(true);
              try {
                const isDone = await onConfirm();
                if (isDone) onCancel();
              } finally {
                setIsBusy(false);
              }
            }}
          >
            {confirmLabel}
          </Button>
        </>
      }
    />
  );
}
