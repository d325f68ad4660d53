// The card's history, newest first: every change to it and its comments in human sentences with the
// actor's name and a relative time; refused changes and changes from newer versions shown as such; older
// events a page at a time ("Show older").
import { useId } from 'react';
import type { Comment } from '../../../shared/model/entities';
import type { EventItem } from '../../../shared/model/views';
import type { Viewer } from '../../../shared/sentences';
import { Button, ErrorState } from '../../components';
import { useCardStore } from '../../stores/card-store';
import { EventListSkeleton, TimelineList } from '../activity/EventList';
import { restoreComment } from './Comments';

export function CardTimeline({
  viewer,
  now,
  liveComments,
  isReadOnly,
}: {
  viewer: Viewer;
  now: number;
  liveComments: readonly Comment[];
  isReadOnly: boolean;
}) {
  const timeline = useCardStore((state) => state.timeline);
  const loadOlder = useCardStore((state) => state.loadOlder);
  const reload = useCardStore((state) => state.reload);
  const pending = useCardStore((state) => state.pending);
  const headingId = useId();

  // A deleted comment can be restored from the newest event that deleted it, while it is still deleted.
  const live = new Set(liveComments.map((c) => c.id));
  const restorable = new Set<string>();
  const seen = new Set<string>();
  for (const item of timeline.items) {
    if (item.event.eventableType !== 'comment' || seen.has(item.event.eventableId)) continue;
    seen.add(item.event.eventableId);
    if (item.event.action === 'comment_deleted' && !item.isRejected && !live.has(item.event.eventableId)) restorable.add(item.event.id);
  }

  const renderActions = (item: EventItem) => {
    if (isReadOnly || !restorable.has(item.event.id)) return null;
    const commentId = item.event.eventableId;
    return (
      <Button
        size="sm"
        variant="ghost"
        className="tb-timeline__action"
        isLoading={pending[`restore:${commentId}`] === true}
        onClick={() => void restoreComment(commentId)}
      >
        Restore comment
      </Button>
    );
  };

  return (
    <section className="tb-card-section" aria-labelledby={headingId} aria-busy={timeline.status === 'loading'}>
      <h3 id={headingId} className="tb-card-section__title">
        History
      </h3>
      {timeline.status === 'loading' || timeline.status === 'idle' ? (
        <EventListSkeleton rows={3} label="Loading the card’s history…" />
      ) : timeline.status === 'error' ? (
        <ErrorState
          size="compact"
          title="The history didn’t load"
          message={timeline.error?.message ?? 'Trailboard could not read this card’s history.'}
          onRetry={() => void reload()}
        />
      ) : timeline.items.length === 0 ? (
        <p className="tb-card-comments__empty">No history yet.</p>
      ) : (
        <>
          <TimelineList items={timeline.items} viewer={viewer} now={now} label="Card history, newest first" renderActions={renderActions} />
          <div className="tb-more">
            {timeline.olderError ? <p className="tb-more__error">Older events didn’t load: {timeline.olderError.message}</p> : null}
            {timeline.nextCursor !== null ? (
              <Button size="sm" variant="secondary" isLoading={timeline.isLoadingOlder} onClick={() => void loadOlder()}>
                {timeline.olderError ? 'Try again' : 'Show older'}
              </Button>
            ) : (
              <p className="tb-more__end">That’s everything since this card was created.</p>
            )}
          </div>
        </>
      )}
    </section>
  );
}
