import { useId } from 'react';
import type { ComponentPropsWithRef, ReactNode } from 'react';
import './field.css';

type FieldChrome = {
  /** The visible label (or, with isLabelHidden, the accessible name only). */
  label: string;
  isLabelHidden?: boolean;
  /** Help under the field. */
  hint?: ReactNode;
  /** An error under the field; marks it aria-invalid. */
  error?: string | null;
  /** An icon inside the field, before the text. */
  leading?: ReactNode;
  /** A hint inside the field, after the text (a shortcut key). Decorative. */
  trailing?: ReactNode;
  size?: 'sm' | 'md';
  className?: string;
};

export type TextFieldProps = FieldChrome & Omit<ComponentPropsWithRef<'input'>, 'size' | 'className'>;
export type TextAreaFieldProps = FieldChrome & Omit<ComponentPropsWithRef<'textarea'>, 'className'>;

function describedBy(hintId: string, errorId: string, hint: ReactNode, error: string | null | undefined): string | undefined {
  const ids = [error ? errorId : null, hint ? hintId : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function Chrome({
  id,
  label,
  isLabelHidden,
  hint,
  error,
  className,
  children,
}: FieldChrome & { id: string; children: ReactNode }) {
  return (
    <div className={['tb-field', error ? 'has-error' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label htmlFor={id} className={isLabelHidden ? 'tb-visually-hidden' : 'tb-field__label'}>
        {label}
      </label>
      {children}
      {error ? (
        <p id={`${id}-error`} className="tb-field__error">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={`${id}-hint`} className="tb-field__hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled single-line text input. */
export function TextField({ label, isLabelHidden, hint, error, leading, trailing, size = 'md', className, id, ...rest }: TextFieldProps) {
  const autoId = useId();
  const fieldId = id ?? autoId;
  return (
    <Chrome id={fieldId} label={label} isLabelHidden={isLabelHidden} hint={hint} error={error} className={className}>
      <div className={`tb-input-wrap tb-input-wrap--${size}${leading ? ' has-leading' : ''}${trailing ? ' has-trailing' : ''}`}>
        {leading ? <span className="tb-input-wrap__leading">{leading}</span> : null}
        {trailing ? (
          <span className="tb-input-wrap__trailing" aria-hidden="true">
            {trailing}
          </span>
        ) : null}
        <input
          id={fieldId}
          className="tb-input"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(`${fieldId}-hint`, `${fieldId}-error`, hint, error)}
          {...rest}
        />
      </div>
    </Chrome>
  );
}

/** A labelled multi-line text input. */
export function TextAreaField({ label, isLabelHidden, hint, error, leading: _leading, trailing: _trailing, className, id, rows = 4, ...rest }: TextAreaFieldProps) {
  const autoId = useId();
  const fieldId = id ?? autoId;
  return (
    <Chrome id={fieldId} label={label} isLabelHidden={isLabelHidden} hint={hint} error={error} className={className}>
      <textarea
        id={fieldId}
        rows={rows}
        className="tb-input tb-textarea"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(`${fieldId}-hint`, `${fieldId}-error`, hint, error)}
        {...rest}
      />
    </Chrome>
  );
}

export type SelectOption = { value: string; label: string };
export type SelectProps = FieldChrome & Omit<ComponentPropsWithRef<'select'>, 'size' | 'className'> & { options: SelectOption[] };

/** A labelled native select, styled like the text fields. */
export function Select({ label, isLabelHidden, hint, error, leading, trailing: _trailing, size = 'md', className, id, options, ...rest }: SelectProps) {
  const autoId = useId();
  const fieldId = id ?? autoId;
  return (
    <Chrome id={fieldId} label={label} isLabelHidden={isLabelHidden} hint={hint} error={error} className={className}>
      <div className={`tb-input-wrap tb-input-wrap--${size} tb-select-wrap${leading ? ' has-leading' : ''}`}>
        {leading ? <span className="tb-input-wrap__leading">{leading}</span> : null}
        <select
          id={fieldId}
          className="tb-input tb-select"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(`${fieldId}-hint`, `${fieldId}-error`, hint, error)}
          {...rest}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <svg className="tb-select-wrap__chevron" width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M6 9l6 6 6-6" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </div>
    </Chrome>
  );
}
