import { useEffect, useRef, useState } from 'react';
import type { Result } from '../../../shared/api/contract';
import { Button, Dialog, TextField } from '../../components';

export type NameDialogProps = {
  isOpen: boolean;
  title: string;
  description?: string;
  label: string;
  placeholder?: string;
  initialValue?: string;
  submitLabel: string;
  /** Sends the command. On failure the dialog stays open with the text kept and the reason shown. */
  onSubmit: (name: string) => Promise<Result<unknown>>;
  onClose: () => void;
};

/** Asks for one name (a new board, a renamed board). Nothing typed is lost when the core refuses it. */
export function NameDialog({ isOpen, title, description, label, placeholder, initialValue = '', submitLabel, onSubmit, onClose }: NameDialogProps) {
  const [value, setValue] = useState(initialValue);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (isOpen) {
      setValue(initialValue);
      setError(null);
      setIsBusy(false);
    }
  }, [isOpen, initialValue]);

  async function submit() {
    const name = value.trim();
    if (name === '') {
      setError('Enter a name.');
      inputRef.current?.focus();
      return;
    }
    setIsBusy(true);
    const result = await onSubmit(name);
    setIsBusy(false);
    if (result.ok) onClose();
    else {
      setError(result.error.message);
      inputRef.current?.focus();
    }
  }

  return (
    <Dialog
      isOpen={isOpen}
      onClose={onClose}
      title={title}
      description={description}
      size="sm"
      initialFocusRef={inputRef}
      onSubmit={() => void submit()}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" isLoading={isBusy}>
            {submitLabel}
          </Button>
        </>
      }
    >
      <TextField
        ref={inputRef}
        label={label}
        value={value}
        placeholder={placeholder}
        error={error}
        maxLength={200}
        autoComplete="off"
        onChange={(event) => {
          setValue(event.target.value);
          if (error) setError(null);
        }}
        onFocus={(event) => event.currentTarget.select()}
      />
    </Dialog>
  );
}
