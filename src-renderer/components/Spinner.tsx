import './spinner.css';

export type SpinnerProps = {
  size?: number;
  /** Read by screen readers (default "Loading…"). */
  label?: string;
  /** Inside a control that already says it is busy: no role, no label. */
  isDecorative?: boolean;
  className?: string;
};

export function Spinner({ size = 20, label = 'Loading…', isDecorative = false, className }: SpinnerProps) {
  const svg = (
    <svg className="tb-spinner__svg" width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" strokeOpacity="0.2" strokeWidth="2.5" />
      <path d="M21 12a9 9 0 0 0-9-9" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
    </svg>
  );
  if (isDecorative) return <span className={['tb-spinner', className].filter(Boolean).join(' ')}>{svg}</span>;
  return (
    <span role="status" className={['tb-spinner', className].filter(Boolean).join(' ')}>
      {svg}
      <span className="tb-visually-hidden">{label}</span>
    </span>
  );
}

/** A spinner centred in the space it is given, for a view that is loading. */
export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="tb-loading-state">
      <Spinner size={24} label={label} />
      <span className="tb-loading-state__text" aria-hidden="true">
        {label}
      </span>
    </div>
  );
}
