import { useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { Badge, Button, EmptyState, ErrorState } from '../../components';
import { ActivityIcon, BoardIcon, PlusIcon, RecoverIcon } from '../../components/icons';
import { useBoardStore } from '../../stores/board-store';
import { toast } from '../../stores/toast-store';
import { BoardCanvas } from './BoardCanvas';
import { FilterBar, isFiltering } from './FilterBar';
import { NameDialog } from './NameDialog';
import './board.css';

export type BoardTab = 'board' | 'activity';

const STARTER_COLUMNS = ['To do', 'Doing', 'Done'];

export function BoardScreen({
  tab,
  onTabChange,
  onOpenCard,
  openCardId,
  renderActivity,
}: {
  tab: BoardTab;
  onTabChange: (tab: BoardTab) => void;
  onOpenCard: (cardId: string) => void;
  openCardId: string | null;
  renderActivity: (boardId: string) => ReactNode;
}) {
  const boards = useBoardStore((state) => state.boards);
  const boardsStatus = useBoardStore((state) => state.boardsStatus);
  const boardId = useBoardStore((state) => state.boardId);
  const view = useBoardStore((state) => state.view);
  const viewStatus = useBoardStore((state) => state.viewStatus);
  const viewError = useBoardStore((state) => state.viewError);
  const filters = useBoardStore((state) => state.filters);
  const refresh = useBoardStore((state) => state.refresh);
  const createBoard = useBoardStore((state) => state.createBoard);
  const [isCreating, setIsCreating] = useState(false);

  if (boardsStatus !== 'ready' && boards.length === 0) {
    return boardsStatus === 'error' ? null : <BoardSkeleton />;
  }

  if (boards.length === 0 || boardId === null) {
    return (
      <div className="tb-board tb-board--empty">
        <EmptyState
          icon={<BoardIcon size={28} />}
          title="Plan your first board"
          description="Boards hold columns of cards for a project or a team. Everything you change is recorded, so you can always see who did what and undo your last step."
          action={
            <Button variant="primary" size="lg" icon={<PlusIcon />} onClick={() => setIsCreating(true)}>
              Create a board
            </Button>
          }
        />
        <NameDialog
          isOpen={isCreating}
          title="New board"
          description="A board holds columns of cards for one project or team."
          label="Board name"
          placeholder="e.g. Product launch"
          submitLabel="Create board"
          onClose={() => setIsCreating(false)}
          onSubmit={createBoard}
        />
      </div>
    );
  }

  const board = boards.find((b) => b.id === boardId);
  const name = view?.board.name ?? board?.name ?? '';
  const cardCount = view ? view.columns.reduce((sum, column) => sum + column.cards.length, 0) : null;
  const isFiltered = isFiltering(filters);

  return (
    <div className="tb-board">
      <header className="tb-board__header">
        <div className="tb-board__title-row">
          <div className="tb-board__title">
            <h1>{name}</h1>
            {cardCount !== null && view && view.columns.length > 0 ? (
              <span className="tb-board__summary">
                {view?.columns.length ?? 0} {view?.columns.length === 1 ? 'column' : 'columns'} · {cardCount}{' '}
                {isFiltered ? 'matching' : ''} {cardCount === 1 ? 'card' : 'cards'}
              </span>
            ) : null}
          </div>
          <Tabs tab={tab} onChange={onTabChange} />
        </div>
        {tab === 'board' && !(view && view.columns.length === 0) ? <FilterBar view={view} /> : null}
      </header>
      <div
        className="tb-board__body"
        role="tabpanel"
        id={`tb-tabpanel-${tab}`}
        aria-labelledby={`tb-tab-${tab}`}
      >
        {tab === 'activity' ? (
          renderActivity(boardId)
        ) : viewStatus === 'error' ? (
          <ErrorState title="This board couldn’t be loaded" message={viewError?.message ?? 'Unknown error.'} onRetry={() => void refresh()} />
        ) : !view ? (
          <BoardSkeleton isBodyOnly />
        ) : view.columns.length === 0 ? (
          <NoColumns unplaced={view.unplacedCards.length} />
        ) : (
          <>
            {view.unplacedCards.length > 0 ? <UnplacedNotice count={view.unplacedCards.length} /> : null}
            {isFiltered && cardCount === 0 ? <NoMatches /> : null}
            <BoardCanvas columns={view.columns} openCardId={openCardId} onOpenCard={onOpenCard} isFiltered={isFiltered} />
          </>
        )}
      </div>
    </div>
  );
}

function Tabs({ tab, onChange }: { tab: BoardTab; onChange: (tab: BoardTab) => void }) {
  const tabs: { id: BoardTab; label: string; icon: ReactNode }[] = [
    { id: 'board', label: 'Board', icon: <BoardIcon size={14} /> },
    { id: 'activity', label: 'Activity', icon: <ActivityIcon size={14} /> },
  ];
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  return (
    <div className="tb-tabs" role="tablist" aria-label="Board views">
      {tabs.map((item, index) => (
        <button
          key={item.id}
          ref={(node) => {
            refs.current[index] = node;
          }}
          id={`tb-tab-${item.id}`}
          type="button"
          role="tab"
          aria-selected={tab === item.id}
          aria-controls={`tb-tabpanel-${item.id}`}
          tabIndex={tab === item.id ? 0 : -1}
          className="tb-tabs__tab"
          onClick={() => onChange(item.id)}
          onKeyDown={(event) => {
            if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
            event.preventDefault();
            const next = tabs[(index + 1) % tabs.length];
            if (!next) return;
            onChange(next.id);
            refs.current[(index + 1) % tabs.length]?.focus();
          }}
        >
          {item.icon}
          {item.label}
        </button>
      ))}
    </div>
  );
}

function NoColumns({ unplaced }: { unplaced: number }) {
  const createColumn = useBoardStore((state) => state.createColumn);
  const [isBusy, setIsBusy] = useState(false);
  const [isNaming, setIsNaming] = useState(false);

  async function addStarters() {
    setIsBusy(true);
    for (const name of STARTER_COLUMNS) {
      const result = await createColumn(name);
      if (!result.ok) {
        toast.error(`Couldn’t add the column “${name}”`, { detail: result.error.message });
        break;
      }
    }
    setIsBusy(false);
  }

  return (
    <div className="tb-board__center">
      <EmptyState
        icon={<BoardIcon size={28} />}
        title="Set up your columns"
        description={
          unplaced > 0
            ? `${unplaced} recovered ${unplaced === 1 ? 'card is' : 'cards are'} waiting for a column. Add one to see ${unplaced === 1 ? 'it' : 'them'}.`
            : 'Columns are the stages your work moves through. Start with a simple flow or name your own.'
        }
        action={
          <>
            <Button variant="primary" isLoading={isBusy} onClick={() => void addStarters()}>
              Add To do, Doing, Done
            </Button>
            <Button icon={<PlusIcon />} onClick={() => setIsNaming(true)}>
              Name a column
            </Button>
          </>
        }
      />
      <NameDialog
        isOpen={isNaming}
        title="New column"
        label="Column name"
        placeholder="e.g. Backlog"
        submitLabel="Add column"
        onClose={() => setIsNaming(false)}
        onSubmit={(name) => createColumn(name)}
      />
    </div>
  );
}

function NoMatches() {
  const clearFilters = useBoardStore((state) => state.clearFilters);
  return (
    <div className="tb-board__notice" role="status">
      <span>No cards match these filters.</span>
      <button type="button" className="tb-link-button" onClick={clearFilters}>
        Clear filters
      </button>
    </div>
  );
}

function UnplacedNotice({ count }: { count: number }) {
  return (
    <div className="tb-board__notice tb-board__notice--warning" role="status">
      <Badge tone="warning" icon={<RecoverIcon size={12} />}>
        Recovered
      </Badge>
      <span>
        {count} {count === 1 ? 'card was' : 'cards were'} recovered from deleted columns.
      </span>
    </div>
  );
}

/** Shown while a board loads: the shape of columns and cards, quietly. */
function BoardSkeleton({ isBodyOnly = false }: { isBodyOnly?: boolean }) {
  const columns = [4, 2, 3];
  const body = (
    <div className="tb-skeleton" aria-hidden="true">
      {columns.map((count, i) => (
        <div key={i} className="tb-skeleton__column">
          <div className="tb-skeleton__line tb-skeleton__line--header" />
          {Array.from({ length: count }, (_, j) => (
            <div key={j} className="tb-skeleton__card">
              <div className="tb-skeleton__line" />
              <div className="tb-skeleton__line tb-skeleton__line--short" />
            </div>
          ))}
        </div>
      ))}
    </div>
  );
  return (
    <div className={isBodyOnly ? 'tb-board__loading' : 'tb-board'} role="status" aria-label="Loading the board">
      {isBodyOnly ? null : (
        <header className="tb-board__header">
          <div className="tb-skeleton__line tb-skeleton__line--title" />
        </header>
      )}
      {body}
    </div>
  );
}
