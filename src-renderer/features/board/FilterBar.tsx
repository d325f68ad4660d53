import { useEffect, useMemo, useRef, useState } from 'react';
import type { BoardFilters, BoardView, CardStatus } from '../../../shared/model/views';
import { Button, Kbd, Select, TextField } from '../../components';
import { CloseIcon, SearchIcon } from '../../components/icons';
import { useAccountStore } from '../../stores/account-store';
import { useBoardStore } from '../../stores/board-store';

const STATUSES: { value: CardStatus; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'open', label: 'Open' },
  { value: 'closed', label: 'Closed' },
];

/** Search and filters of the board (assignee, tag, open/closed). The core applies them. */
export function FilterBar({ view }: { view: BoardView | null }) {
  const filters = useBoardStore((state) => state.filters);
  const setFilters = useBoardStore((state) => state.setFilters);
  const clearFilters = useBoardStore((state) => state.clearFilters);
  const boardId = useBoardStore((state) => state.boardId);
  const members = useAccountStore((state) => state.current?.members ?? []);
  const [text, setText] = useState(filters.text ?? '');
  const searchRef = useRef<HTMLInputElement>(null);

  // Tags seen on this board so far (a tag filter hides the others; keep offering them).
  const seenTags = useRef(new Set<string>());
  const seenFor = useRef<string | null>(null);
  if (seenFor.current !== boardId) {
    seenTags.current = new Set();
    seenFor.current = boardId;
  }
  const tags = useMemo(() => {
    for (const column of view?.columns ?? []) for (const card of column.cards) for (const tag of card.tags) seenTags.current.add(tag);
    if (filters.tag) seenTags.current.add(filters.tag);
    return [...seenTags.current].sort((a, b) => a.localeCompare(b));
  }, [view, filters.tag]);

  // The search box follows the store (cleared filters, another board) ...
  useEffect(() => {
    setText(filters.text ?? '');
  }, [filters.text, boardId]);

  // ... and sends what is typed after a short pause.
  useEffect(() => {
    if ((filters.text ?? '') === text) return undefined;
    const timer = window.setTimeout(() => setFilters({ text }), 200);
    return () => window.clearTimeout(timer);
  }, [text, filters.text, setFilters]);

  // "/" focuses the search (outside text fields).
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target;
      if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      event.preventDefault();
      searchRef.current?.focus();
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const isFiltered = isFiltering(filters);
  const status = filters.status ?? 'all';

  return (
    <div className="tb-filters" role="search" aria-label="Search and filter cards">
      <TextField
        ref={searchRef}
        className="tb-filters__search"
        label="Search cards"
        isLabelHidden
        type="search"
        size="sm"
        placeholder="Search cards"
        leading={<SearchIcon size={14} />}
        trailing={<Kbd>/</Kbd>}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && text !== '') {
            event.preventDefault();
            setText('');
            setFilters({ text: '' });
          }
        }}
      />
      <div className="tb-segmented" role="radiogroup" aria-label="Show cards">
        {STATUSES.map((option) => (
          <button
            key={option.value}
            type="button"
            role="radio"
            aria-checked={status === option.value}
            tabIndex={status === option.value ? 0 : -1}
            className="tb-segmented__option"
            onClick={() => setFilters({ status: option.value })}
            onKeyDown={(event) => {
              if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
              event.preventDefault();
              const at = STATUSES.findIndex((s) => s.value === status);
              const next = STATUSES[(at + (event.key === 'ArrowRight' ? 1 : STATUSES.length - 1)) % STATUSES.length];
              if (!next) return;
              setFilters({ status: next.value });
              const group = event.currentTarget.parentElement;
              requestAnimationFrame(() => group?.querySelector<HTMLElement>('[aria-checked="true"]')?.focus());
            }}
          >
            {option.label}
          </button>
        ))}
      </div>
      <Select
        label="Assignee"
        isLabelHidden
        size="sm"
        className="tb-filters__select"
        value={filters.assigneeId ?? ''}
        onChange={(event) => setFilters({ assigneeId: event.target.value || undefined })}
        options={[{ value: '', label: 'Anyone' }, ...members.map((member) => ({ value: member.id, label: member.name }))]}
      />
      <Select
        label="Tag"
        isLabelHidden
        size="sm"
        className="tb-filters__select"
        value={filters.tag ?? ''}
        onChange={(event) => setFilters({ tag: event.target.value || undefined })}
        options={[{ value: '', label: 'Any tag' }, ...tags.map((tag) => ({ value: tag, label: tag }))]}
      />
      {isFiltered ? (
        <Button variant="ghost" size="sm" icon={<CloseIcon size={14} />} onClick={clearFilters}>
          Clear
        </Button>
      ) : null}
    </div>
  );
}

export function isFiltering(filters: BoardFilters): boolean {
  return Boolean(filters.assigneeId || filters.tag || (filters.status && filters.status !== 'all') || filters.text?.trim());
}
