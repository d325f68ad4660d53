// The board's activity feed: everything that happened on the board, newest first and grouped by day, in
// the same sentences as a card's history; filtered by kind of change and by person; older events a page
// at a time. It follows the core's pushes, so changes made elsewhere appear as they happen.
import { useEffect, useId, useMemo } from 'react';
import type { ReactNode } from 'react';
import type { ActivityFilters } from '../../../shared/api/contract';
import { ActivityIcon, Button, EmptyState, ErrorState, FilterIcon, Select } from '../../components';
import { useAccountStore } from '../../stores/account-store';
import { useActivityStore } from '../../stores/activity-store';
import { EventListSkeleton, FeedList } from './EventList';
import { ACTION_GROUPS } from './event-kinds';
import { useNow } from './use-now';
import './activity.css';

export type ActivityFeedProps = {
  boardId: string;
  /** Offers "Open card" on events about a card. */
  onOpenCard?: (cardId: string) => void;
};

const ALL = '';

/** Which action group the filters name (the feed only ever sets whole groups). */
function groupOf(filters: ActivityFilters): string {
  if (!filters.actions || filters.actions.length === 0) return ALL;
  const wanted = [...filters.actions].sort().join(',');
  return ACTION_GROUPS.find((group) => [...group.actions].sort().join(',') === wanted)?.id ?? ALL;
}

export function ActivityFeed({ boardId, onOpenCard }: ActivityFeedProps) {
  const headingId = useId();
  const store = useActivityStore();
  const account = useAccountStore((state) => state.current);
  const now = useNow();

  useEffect(() => {
    useActivityStore.getState().open(boardId);
    return () => useActivityStore.getState().close();
  }, [boardId]);

  const me = account?.me;
  const viewer = me ? { userId: me.id } : {};
  const group = groupOf(store.filters);
  const person = store.filters.creatorId ?? ALL;
  const isFiltered = group !== ALL || person !== ALL;

  const people = useMemo(() => {
    const members = [...(account?.members ?? [])].sort((a, b) =>
      a.id === me?.id ? -1 : b.id === me?.id ? 1 : a.name.localeCompare(b.name),
    );
    return [
      { value: ALL, label: 'Everyone' },
      ...members.map((member) => ({ value: member.id, label: member.id === me?.id ? `${member.name} (you)` : member.name })),
    ];
  }, [account?.members, me?.id]);

  function setFilters(next: { group?: string; person?: string }) {
    const nextGroup = next.group ?? group;
    const nextPerson = next.person ?? person;
    const filters: ActivityFilters = {};
    const actions = ACTION_GROUPS.find((g) => g.id === nextGroup)?.actions;
    if (actions) filters.actions = [...actions];
    if (nextPerson !== ALL) filters.creatorId = nextPerson;
    store.setFilters(filters);
  }

  const clear = () => store.setFilters({});

  let body: ReactNode;
  if (store.status === 'loading' || store.status === 'idle') {
    body = <EventListSkeleton rows={6} label="Loading activity…" />;
  } else if (store.status === 'error') {
    body = (
      <ErrorState
        title="The activity didn’t load"
        message={store.error?.message ?? 'Trailboard could not read this board’s activity.'}
        onRetry={() => useActivityStore.getState().open(boardId)}
      />
    );
  } else if (store.items.length === 0) {
    body = isFiltered ? (
      <EmptyState
        icon={<FilterIcon size={24} />}
        title="Nothing matches these filters"
        description="No change on this board is of that kind or by that person yet."
        action={<Button onClick={clear}>Show all activity</Button>}
      />
    ) : (
      <EmptyState
        icon={<ActivityIcon size={24} />}
        title="No activity yet"
        description="Changes to this board, its columns, cards and comments will show up here as they happen."
      />
    );
  } else {
    body = (
      <>
        <FeedList items={store.items} viewer={viewer} now={now} onOpenCard={onOpenCard} />
        <div className="tb-more">
          {store.olderError ? <p className="tb-more__error">Older activity didn’t load: {store.olderError.message}</p> : null}
          {store.nextCursor !== null ? (
            <Button size="sm" isLoading={store.isLoadingOlder} onClick={() => void store.loadOlder()}>
              {store.olderError ? 'Try again' : 'Show older'}
            </Button>
          ) : (
            <p className="tb-more__end">{isFiltered ? 'No older matching activity.' : 'That’s everything since this board was created.'}</p>
          )}
        </div>
      </>
    );
  }

  return (
    <section className="tb-activity" aria-labelledby={headingId} data-testid="activity-feed">
      <div className="tb-activity__inner">
        <header className="tb-activity__header">
          <div className="tb-activity__titles">
            <h2 id={headingId} className="tb-activity__title">
              Activity
            </h2>
            <p className="tb-activity__subtitle">Everything that happened on this board, newest first.</p>
          </div>
          <div className="tb-activity__filters" role="group" aria-label="Filter activity">
            <Select
              label="Kind of change"
              size="sm"
              value={group}
              options={[{ value: ALL, label: 'All changes' }, ...ACTION_GROUPS.map((g) => ({ value: g.id, label: g.label }))]}
              onChange={(event) => setFilters({ group: event.target.value })}
            />
            <Select label="Made by" size="sm" value={person} options={people} onChange={(event) => setFilters({ person: event.target.value })} />
            {isFiltered ? (
              <Button size="sm" variant="ghost" onClick={clear} className="tb-activity__clear">
                Clear filters
              </Button>
            ) : null}
          </div>
        </header>
        <div className="tb-activity__body" aria-busy={store.status === 'loading'}>
          {body}
        </div>
      </div>
    </section>
  );
}
