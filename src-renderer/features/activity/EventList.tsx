// Events as people read them, shared by the card's timeline and the board's activity feed: the sentence
// the core sent (worded by shared/sentences for this viewer: "You", "this card"), who did it, and when
// ("3 minutes ago", the full date in the tooltip). A refused event says it changed nothing and why; an
// event from a newer version of Trailboard says so.
import type { ReactNode } from 'react';
import type { EventItem } from '../../../shared/model/views';
import type { Viewer } from '../../../shared/sentences';
import { Avatar, Badge } from '../../components';
import { absoluteTime, dayHeading, localDayKey, relativeTime } from '../../lib/relative-time';
import { lookOf } from './event-kinds';
import { cardIdOf, wordEvent, type WordedEvent } from './word-event';
import './events.css';

function When({ iso, now }: { iso: string; now: number }) {
  return (
    <time className="tb-event__time" dateTime={iso} title={absoluteTime(iso)}>
      {relativeTime(iso, now)}
    </time>
  );
}

function Notes({ worded }: { worded: WordedEvent }) {
  if (worded.refusedReason === null && !worded.isUnknown) return null;
  return (
    <div className="tb-event__notes">
      {worded.refusedReason !== null ? (
        <p className="tb-event__refusal">
          <Badge tone="danger">Refused</Badge>
          <span>
            The server refused this change, so it changed nothing: <span className="tb-event__reason">{worded.refusedReason}</span>
          </span>
        </p>
      ) : null}
      {worded.isUnknown ? (
        <p className="tb-event__unknown">
          <Badge tone="info">Newer version</Badge>
          <span>Update Trailboard to see what this change did.</span>
        </p>
      ) : null}
    </div>
  );
}

function SentenceText({ worded }: { worded: WordedEvent }) {
  return (
    <span className={worded.refusedReason !== null ? 'tb-event__text is-refused' : 'tb-event__text'}>
      {worded.actor !== null ? <strong className="tb-event__actor">{worded.actor}</strong> : null}
      {worded.rest}
    </span>
  );
}

export type TimelineListProps = {
  items: readonly EventItem[];
  viewer: Viewer;
  now: number;
  label: string;
  /** Controls after an event's sentence (restore a deleted comment…). */
  renderActions?: (item: EventItem) => ReactNode;
};

/** A card's history: a vertical line of events, each with an icon for its kind. */
export function TimelineList({ items, viewer, now, label, renderActions }: TimelineListProps) {
  return (
    <ol className="tb-timeline" aria-label={label}>
      {items.map((item) => {
        const worded = wordEvent(item, viewer);
        const look = lookOf(worded.refusedReason !== null ? 'event_refused' : item.sentence.id);
        return (
          <li
            key={item.event.id}
            className={`tb-timeline__item${worded.refusedReason !== null ? ' is-refused' : ''}`}
            data-action={item.event.action}
          >
            <span className={`tb-event__icon tb-event__icon--${look.tone}`} aria-hidden="true">
              {look.icon(14)}
            </span>
            <div className="tb-timeline__body">
              <p className="tb-event__line">
                <SentenceText worded={worded} />{' '}
                <span className="tb-event__when">
                  <span className="tb-event__sep" aria-hidden="true">
                    ·{' '}
                  </span>
                  <When iso={item.event.createdAt} now={now} />
                </span>
              </p>
              <Notes worded={worded} />
              {renderActions ? renderActions(item) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

export type FeedListProps = {
  items: readonly EventItem[];
  viewer: Viewer;
  now: number;
  /** Offer to open the card an event is about. */
  onOpenCard?: (cardId: string) => void;
};

type DayGroup = { key: string; heading: string; items: EventItem[] };

function byDay(items: readonly EventItem[], now: number): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const item of items) {
    const key = localDayKey(item.event.createdAt);
    const last = groups[groups.length - 1];
    if (last && last.key === key) last.items.push(item);
    else groups.push({ key, heading: dayHeading(item.event.createdAt, now), items: [item] });
  }
  return groups;
}

/** A board's activity: events grouped by day, each with who did it. */
export function FeedList({ items, viewer, now, onOpenCard }: FeedListProps) {
  const groups = byDay(items, now);
  return (
    <div className="tb-feed">
      {groups.map((group) => (
        <div key={group.key} className="tb-feed__day">
          <h3 className="tb-feed__heading">{group.heading}</h3>
          <ul className="tb-feed__list" role="list">
            {group.items.map((item) => {
              const worded = wordEvent(item, viewer);
              const look = lookOf(worded.refusedReason !== null ? 'event_refused' : item.sentence.id);
              const cardId = onOpenCard ? cardIdOf(item) : null;
              const inner = item.sentence.id === 'event_refused' ? item.sentence.inner : item.sentence;
              return (
                <li
                  key={item.event.id}
                  className={`tb-feed__item${worded.refusedReason !== null ? ' is-refused' : ''}`}
                  data-action={item.event.action}
                >
                  <span className="tb-feed__who">
                    <Avatar name={inner.params.actor || '?'} size="md" isDecorative />
                    <span className={`tb-feed__kind tb-event__icon--${look.tone}`} aria-hidden="true">
                      {look.icon(10)}
                    </span>
                  </span>
                  <div className="tb-feed__body">
                    <p className="tb-event__line">
                      <SentenceText worded={worded} />
                    </p>
                    <p className="tb-feed__meta">
                      <When iso={item.event.createdAt} now={now} />
                      {cardId !== null && onOpenCard ? (
                        <>
                          <span aria-hidden="true">·</span>
                          <button type="button" className="tb-feed__open" onClick={() => onOpenCard(cardId)}>
                            Open card<span className="tb-visually-hidden"> “{inner.params.subject}”</span>
                          </button>
                        </>
                      ) : null}
                    </p>
                    <Notes worded={worded} />
                  </div>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </div>
  );
}

/** Placeholder rows while events load (the shape of the list to come, no motion when reduced). */
export function EventListSkeleton({ rows = 4, label = 'Loading history…' }: { rows?: number; label?: string }) {
  return (
    <div className="tb-skeleton-list" role="status" aria-label={label}>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="tb-skeleton-row" aria-hidden="true">
          <span className="tb-skeleton tb-skeleton--circle" />
          <span className="tb-skeleton-row__lines">
            <span className="tb-skeleton tb-skeleton--line" style={{ width: `${70 - ((i * 17) % 30)}%` }} />
            <span className="tb-skeleton tb-skeleton--line tb-skeleton--short" />
          </span>
        </div>
      ))}
    </div>
  );
}
