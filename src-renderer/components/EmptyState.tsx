import type { ReactNode } from 'react';
import './states.css';

export type EmptyStateProps = {
  /** A large, quiet illustration or icon. */
  icon?: ReactNode;
  title: string;
  description?: ReactNode;
  /** The call to action (usually one primary Button). */
  action?: ReactNode;
  /** `compact` for small places (an empty column, an empty list in a panel). */
  size?: 'compact' | 'regular';
  /** Heading level of the title (default 2). */
  headingLevel?: 2 | 3 | 4;
};

/** What a view shows when there is nothing yet: what it is for, and how to start. */
export function EmptyState({ icon, title, description, action, size = 'regular', headingLevel = 2 }: EmptyStateProps) {
  const Heading = `h${headingLevel}` as const;
  return (
    <div className={`tb-state tb-state--${size}`}>
      {icon ? <div className="tb-state__icon">{icon}</div> : null}
      <Heading className="tb-state__title">{title}</Heading>
      {description ? <div className="tb-state__description">{description}</div> : null}
      {action ? <div className="tb-state__action">{action}</div> : null}
    </div>
  );
}
