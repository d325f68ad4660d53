import { Button, IconButton } from '../../components';
import { CloseIcon, PlusIcon } from '../../components/icons';
import { useInlineAdd } from './use-inline-add';

/** The "Add column" slot after the last column. The name typed stays when the core refuses it. */
export function AddColumn({ onAdd, isFirst = false }: { onAdd: (name: string) => Promise<boolean>; isFirst?: boolean }) {
  const { isOpen, value: name, setValue: setName, isBusy, inputRef, openerRef, submit, open, close } =
    useInlineAdd<HTMLInputElement>(onAdd);

  if (!isOpen) {
    return (
      <div className="tb-add-column">
        <button
          ref={openerRef}
          type="button"
          className="tb-add-column__open"
          onClick={open}
        >
          <PlusIcon size={16} />
          {isFirst ? 'Add a column' : 'Add column'}
        </button>
      </div>
    );
  }

  return (
    <form
      className="tb-add-column is-open"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <input
        ref={inputRef}
        className="tb-input"
        aria-label="New column name"
        placeholder="Column name"
        maxLength={200}
        value={name}
        onChange={(event) => setName(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            close();
          }
        }}
      />
      <div className="tb-add-column__actions">
        <Button type="submit" variant="primary" size="sm" isLoading={isBusy}>
          Add column
        </Button>
        <IconButton label="Close" icon={<CloseIcon />} size="sm" onClick={close} />
      </div>
    </form>
  );
}
