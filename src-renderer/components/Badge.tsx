import type { ReactNode } from 'react';
import './badge.css';

export type BadgeTone = 'neutral' | 'accent' | 'success' | 'warning' | 'danger' | 'info';

/** A small label: a state ("Closed", "Recovered", "Refused"), a count. */
export function Badge({ tone = 'neutral', icon, children, title }: { tone?: BadgeTone; icon?: ReactNode; children: ReactNode; title?: string }) {
  return (
    <span className={`tb-badge tb-badge--${tone}`} title={title}>
      {icon}
      {children}
    </span>
  );
}

/** A tag's colour: stable for the same text (one of eight). */
export function tagTone(tag: string): number {
  let hash = 0;
  for (let i = 0; i < tag.length; i++) hash = (hash * 31 + tag.charCodeAt(i)) | 0;
  return (Math.abs(hash) % 8) + 1;
}

/** A card's tag, coloured by its text. */
export function Tag({ name, onRemove }: { name: string; onRemove?: () => void }) {
  return (
    <span className={`tb-tag tb-tag--${tagTone(name)}`}>
      <span className="tb-tag__text">{name}</span>
      {onRemove ? (
        <button type="button" className="tb-tag__remove" aria-label={`Remove tag ${name}`} onClick={onRemove}>
          <svg width="10" height="10" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M6 6l12 12M18 6L6 18" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
          </svg>
        </button>
      ) : null}
    </span>
  );
}

/** Up to two initials of a name ("Ada Lovelace" -> "AL"). */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  if (words.length === 0) return '?';
  const first = Array.from(words[0] ?? '')[0] ?? '';
  const last = words.length > 1 ? (Array.from(words[words.length - 1] ?? '')[0] ?? '') : (Array.from(words[0] ?? '')[1] ?? '');
  return (first + last).toUpperCase();
}

/** A person's initials in a circle; the name is the accessible name and tooltip. */
export function Avatar({ name, size = 'md', isDecorative = false }: { name: string; size?: 'sm' | 'md' | 'lg'; isDecorative?: boolean }) {
  const tone = tagTone(name);
  if (isDecorative) {
    return (
      <span className={`tb-avatar tb-avatar--${size} tb-tag--${tone}`} aria-hidden="true">
        {initialsOf(name)}
      </span>
    );
  }
  return (
    <span className={`tb-avatar tb-avatar--${size} tb-tag--${tone}`} role="img" aria-label={name} title={name}>
      {initialsOf(name)}
    </span>
  );
}

/** A keyboard key in help text. */
export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="tb-kbd">{children}</kbd>;
}
