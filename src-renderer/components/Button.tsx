import type { ComponentPropsWithRef, ReactNode } from 'react';
import { Spinner } from './Spinner';
import './button.css';

export type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger' | 'subtle';
export type ButtonSize = 'sm' | 'md' | 'lg';

export type ButtonProps = ComponentPropsWithRef<'button'> & {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Shows a spinner and blocks clicks (the button stays focusable and keeps its label for screen readers). */
  isLoading?: boolean;
  /** An icon before the label. */
  icon?: ReactNode;
  /** An icon or hint after the label (a chevron, a shortcut). */
  trailing?: ReactNode;
  isFullWidth?: boolean;
};

export function Button({
  variant = 'secondary',
  size = 'md',
  isLoading = false,
  icon,
  trailing,
  isFullWidth = false,
  className,
  children,
  type = 'button',
  disabled,
  onClick,
  ...rest
}: ButtonProps) {
  const classes = ['tb-button', `tb-button--${variant}`, `tb-button--${size}`];
  if (isFullWidth) classes.push('tb-button--full');
  if (isLoading) classes.push('is-loading');
  if (className) classes.push(className);
  return (
    <button
      type={type}
      className={classes.join(' ')}
      disabled={disabled}
      aria-busy={isLoading || undefined}
      onClick={isLoading ? (event) => event.preventDefault() : onClick}
      {...rest}
    >
      {isLoading ? <Spinner size={14} isDecorative /> : icon}
      {children !== undefined && <span className="tb-button__label">{children}</span>}
      {trailing}
    </button>
  );
}
