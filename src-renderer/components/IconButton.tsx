import type { ComponentPropsWithRef, ReactNode } from 'react';
import './button.css';

export type IconButtonProps = Omit<ComponentPropsWithRef<'button'>, 'children' | 'aria-label'> & {
  /** What the button does, for screen readers and as its tooltip. Required: the button shows only an icon. */
  label: string;
  icon: ReactNode;
  variant?: 'ghost' | 'secondary' | 'danger' | 'primary';
  size?: 'sm' | 'md' | 'lg';
  /** Show the label as a native tooltip (default true). */
  hasTooltip?: boolean;
};

export function IconButton({
  label,
  icon,
  variant = 'ghost',
  size = 'md',
  hasTooltip = true,
  className,
  type = 'button',
  ...rest
}: IconButtonProps) {
  const classes = ['tb-icon-button', `tb-button--${variant}`, `tb-icon-button--${size}`];
  if (className) classes.push(className);
  return (
    <button type={type} className={classes.join(' ')} aria-label={label} title={hasTooltip ? label : undefined} {...rest}>
      {icon}
    </button>
  );
}
