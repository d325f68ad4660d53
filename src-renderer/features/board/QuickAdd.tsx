import { Button, IconButton } from '../../components';
import { CloseIcon, PlusIcon } from '../../components/icons';
import { useInlineAdd } from './use-inline-add';

/**
 * "Add a card" at the bottom of a column: Enter adds and keeps the field open and focused for the next
 * one; Escape closes it. A refused title stays in the field (the toast says why).
 */
export function QuickAdd({
  columnId,
  columnName,
  onAdd,
}: {
  columnId: string;
  columnName: string;
  onAdd: (columnId: string, title: string) => Promise<boolean>;
}) {
  const { isOpen, value: title, setValue: setTitle, isBusy, inputRef, openerRef, submit, open, close } =
    useInlineAdd<HTMLTextAreaElement>((text) => onAdd(columnId, text));

  if (!isOpen) {
    return (
      <div className="tb-quick-add">
        <button
          ref={openerRef}
          type="button"
          className="tb-row-button tb-quick-add__open"
          onClick={open}
        >
          <PlusIcon size={14} />
          <span>
            Add a card<span className="tb-visually-hidden"> to {columnName}</span>
          </span>
          {title.trim() !== '' ? <span className="tb-quick-add__draft">draft</span> : null}
        </button>
      </div>
    );
  }

  return (
    <form
      className="tb-quick-add is-open"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <textarea
        ref={inputRef}
        className="tb-quick-add__input"
        aria-label={`New card title in ${columnName}`}
        placeholder="Card title"
        rows={2}
        maxLength={500}
        value={title}
        aria-busy={isBusy || undefined}
        onChange={(event) => setTitle(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            void submit();
          } else if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            close();
          }
        }}
      />
      <div className="tb-quick-add__actions">
        <Button type="submit" variant="primary" size="sm" isLoading={isBusy}>
          Add card
        </Button>
        <IconButton label="Close" icon={<CloseIcon />} size="sm" onClick={close} />
        <span className="tb-quick-add__hint" aria-hidden="true">
          ↵ to add
        </span>
      </div>
    </form>
  );
}
