// The card's properties: who is assigned (picked from the account's members), its tags (added by name,
// removed one by one) and its due date (a calendar date; overdue in the viewer's time zone).
import { useCallback, useId, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import type { Member, PersonRef } from '../../../shared/model/entities';
import { TAG_MAX_CHARS } from '../../../shared/events/text';
import { Avatar, Badge, CalendarIcon, CloseIcon, IconButton, Menu, PlusIcon, Tag, TagIcon, UserIcon } from '../../components';
import { dueDateLabel, dueState } from '../../lib/relative-time';
import { useCardStore } from '../../stores/card-store';
import { explainRefusal } from './refusal';
import { useDraft } from './use-draft';

function Row({ label, icon, children, labelId }: { label: string; icon: ReactNode; children: ReactNode; labelId: string }) {
  return (
    <div className="tb-card-prop" role="group" aria-labelledby={labelId}>
      <span className="tb-card-prop__label" id={labelId}>
        {icon}
        {label}
      </span>
      <div className="tb-card-prop__value">{children}</div>
    </div>
  );
}

export function Assignees({
  cardId,
  assignees,
  members,
  meId,
  isReadOnly,
}: {
  cardId: string;
  assignees: readonly PersonRef[];
  members: readonly Member[];
  meId: string | undefined;
  isReadOnly: boolean;
}) {
  const change = useCardStore((state) => state.change);
  const pending = useCardStore((state) => state.pending);
  const labelId = useId();
  const assignedIds = new Set(assignees.map((a) => a.id));
  const candidates = members.filter((m) => !assignedIds.has(m.id));
  // "Me" first, then by name.
  candidates.sort((a, b) => (a.id === meId ? -1 : b.id === meId ? 1 : a.name.localeCompare(b.name)));

  async function assign(member: Member) {
    const result = await change('card.assign', { cardId, userId: member.id }, `assign:${member.id}`);
    if (!result.ok) explainRefusal(`assign ${member.name}`, result.error, () => void assign(member));
  }
  async function unassign(person: PersonRef) {
    const result = await change('card.unassign', { cardId, userId: person.id }, `unassign:${person.id}`);
    if (!result.ok) explainRefusal(`unassign ${person.name}`, result.error, () => void unassign(person));
  }

  return (
    <Row label="Assignees" icon={<UserIcon size={14} />} labelId={labelId}>
      <ul className="tb-card-people" role="list">
        {assignees.map((person) => (
          <li key={person.id} className={`tb-card-person${pending[`unassign:${person.id}`] ? ' is-pending' : ''}`}>
            <Avatar name={person.name} size="sm" isDecorative />
            <span className="tb-card-person__name">
              {person.name}
              {person.id === meId ? <span className="tb-card-person__you"> (you)</span> : null}
            </span>
            {isReadOnly ? null : (
              <button
                type="button"
                className="tb-card-person__remove"
                aria-label={`Unassign ${person.name}`}
                title={`Unassign ${person.name}`}
                onClick={() => void unassign(person)}
              >
                <CloseIcon size={12} />
              </button>
            )}
          </li>
        ))}
        {assignees.length === 0 && isReadOnly ? <li className="tb-card-prop__empty">Nobody</li> : null}
      </ul>
      {isReadOnly ? null : (
        <Menu
          label="Assign someone"
          align="start"
          minWidth={220}
          items={
            candidates.length === 0
              ? [{ id: 'none', label: members.length === 0 ? 'No members to assign' : 'Everyone is assigned', onSelect: () => undefined, isDisabled: true }]
              : [
                  { id: 'heading', heading: 'Assign to this card' },
                  ...candidates.map((member) => ({
                    id: member.id,
                    label: member.id === meId ? `${member.name} (you)` : member.name,
                    onSelect: () => void assign(member),
                  })),
                ]
          }
          renderTrigger={(props) => (
            <button {...props} type="button" className="tb-card-add">
              <PlusIcon size={14} />
              {assignees.length === 0 ? 'Assign' : <span className="tb-visually-hidden">Assign someone</span>}
            </button>
          )}
        />
      )}
    </Row>
  );
}

export function Tags({ cardId, tags, isReadOnly }: { cardId: string; tags: readonly string[]; isReadOnly: boolean }) {
  const change = useCardStore((state) => state.change);
  const labelId = useId();
  const inputId = useId();
  const [isAdding, setIsAdding] = useState(false);
  const send = useCallback((text: string) => change('card.tag', { cardId, tag: text.trim() }, 'tag'), [change, cardId]);
  const draft = useDraft({ cardId, key: 'tag', saved: '', what: 'add the tag', send, normalize: (text) => text.trim() });

  async function untag(tag: string) {
    const result = await change('card.untag', { cardId, tag }, `untag:${tag}`);
    if (!result.ok) explainRefusal(`remove the tag “${tag}”`, result.error, () => void untag(tag));
  }

  async function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
      event.preventDefault();
      if (draft.value.trim() !== '') await draft.save();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      if (draft.value === '') setIsAdding(false);
      else draft.discard();
    }
  }

  return (
    <Row label="Tags" icon={<TagIcon size={14} />} labelId={labelId}>
      <ul className="tb-card-tags" role="list">
        {tags.map((tag) => (
          <li key={tag}>
            <Tag name={tag} onRemove={isReadOnly ? undefined : () => void untag(tag)} />
          </li>
        ))}
        {tags.length === 0 && isReadOnly ? <li className="tb-card-prop__empty">None</li> : null}
      </ul>
      {isReadOnly ? null : isAdding || draft.value !== '' ? (
        <span className="tb-card-tag-input">
          <label htmlFor={inputId} className="tb-visually-hidden">
            New tag (Enter to add)
          </label>
          <input
            id={inputId}
            className="tb-card-tag-input__field"
            placeholder="Tag name, then Enter"
            maxLength={TAG_MAX_CHARS}
            value={draft.value}
            autoFocus
            aria-invalid={draft.error ? true : undefined}
            disabled={draft.isSaving}
            onChange={(event) => draft.set(event.target.value)}
            onKeyDown={(event) => void onKeyDown(event)}
            onBlur={() => {
              if (draft.value === '') setIsAdding(false);
            }}
          />
        </span>
      ) : (
        <button type="button" className="tb-card-add" onClick={() => setIsAdding(true)}>
          <PlusIcon size={14} />
          {tags.length === 0 ? 'Add tag' : <span className="tb-visually-hidden">Add a tag</span>}
        </button>
      )}
    </Row>
  );
}

const DUE_BADGES = {
  overdue: { tone: 'danger', text: 'Overdue' },
  today: { tone: 'warning', text: 'Due today' },
  soon: { tone: 'info', text: 'Due soon' },
} as const;

export function DueDate({
  cardId,
  dueDate,
  isClosed,
  isReadOnly,
  now,
}: {
  cardId: string;
  dueDate: string | null;
  isClosed: boolean;
  isReadOnly: boolean;
  now: number;
}) {
  const change = useCardStore((state) => state.change);
  const labelId = useId();
  const inputId = useId();
  const isSaving = useCardStore((state) => state.pending['dueDate'] === true);
  /** A date being typed (the input's own value), until it is committed. */
  const [typed, setTyped] = useState<string | null>(null);
  const value = typed ?? dueDate ?? '';

  async function commit(next: string | null) {
    setTyped(null);
    if (next === dueDate) return;
    const result = await change('card.setDueDate', { cardId, dueDate: next }, 'dueDate');
    if (!result.ok) {
      setTyped(next ?? '');
      explainRefusal(next === null ? 'remove the due date' : 'set the due date', result.error, () => void commit(next));
    }
  }

  const state = dueDate === null || isClosed ? undefined : dueState(dueDate, new Date(now));
  const badge = state === 'overdue' || state === 'today' || state === 'soon' ? DUE_BADGES[state] : undefined;

  return (
    <Row label="Due date" icon={<CalendarIcon size={14} />} labelId={labelId}>
      {isReadOnly ? (
        <span className="tb-card-prop__text">{dueDate ? dueDateLabel(dueDate, new Date(now)) : 'None'}</span>
      ) : (
        <span className="tb-card-due">
          <label htmlFor={inputId} className="tb-visually-hidden">
            Set the due date
          </label>
          <input
            id={inputId}
            type="date"
            className={`tb-card-due__input${badge ? ` is-${state}` : ''}`}
            value={value}
            disabled={isSaving}
            onChange={(event) => setTyped(event.target.value)}
            onBlur={() => {
              if (typed !== null) void commit(typed === '' ? null : typed);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                if (typed !== null) void commit(typed === '' ? null : typed);
              }
            }}
          />
          {dueDate !== null ? (
            <IconButton label="Remove the due date" icon={<CloseIcon size={14} />} size="sm" onClick={() => void commit(null)} />
          ) : null}
        </span>
      )}
      {badge && dueDate ? (
        <Badge tone={badge.tone} title={`Due ${dueDateLabel(dueDate, new Date(now))}, in your time zone`}>
          {badge.text}
        </Badge>
      ) : null}
    </Row>
  );
}
