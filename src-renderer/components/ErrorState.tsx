import type { ReactNode } from 'react';
import { Button } from './Button';
import { AlertIcon } from './icons';
import './states.css';

export type ErrorStateProps = {
  title?: string;
  /** What went wrong, in words a person understands (a Failure's message). */
  message: ReactNode;
  /** Offer "Try again". */
  onRetry?: () => void;
  retryLabel?: string;
  size?: 'compact' | 'regular';
};

/** What a view shows when it could not load. */
export function ErrorState({ title = 'Something went wrong', message, onRetry, retryLabel = 'Try again', size = 'regular' }: ErrorStateProps) {
  return (
    <div className={`tb-state tb-state--${size} tb-state--error`} role="alert">
      <div className="tb-state__icon tb-state__icon--error">
        <AlertIcon size={size === 'compact' ? 20 : 24} />
      </div>
      <h2 className="tb-state__title">{title}</h2>
      <div className="tb-state__description">{message}</div>
      {onRetry ? (
        <div className="tb-state__action">
          <Button onClick={onRetry}>{retryLabel}</Button>
        </div>
      ) : null}
    </div>
  );
}
