import { useRef, useState } from 'react';

/**
 * The state of an inline "add" form behind an opener button (AddColumn, QuickAdd): the text typed, whether
 * the form is open and busy. `submit` sends the trimmed text (an empty one, or one while busy, only focuses
 * the field), clears it when added and keeps it when refused, then focuses the field for the next one;
 * `close` hands focus back to the opener.
 */
export function useInlineAdd<T extends HTMLInputElement | HTMLTextAreaElement>(onAdd: (text: string) => Promise<boolean>) {
  const [isOpen, setIsOpen] = useState(false);
  const [value, setValue] = useState('');
  const [isBusy, setIsBusy] = useState(false);
  const inputRef = useRef<T>(null);
  const openerRef = useRef<HTMLButtonElement>(null);

  async function submit() {
    const text = value.trim();
    if (text === '' || isBusy) {
      inputRef.current?.focus();
      return;
    }
    setIsBusy(true);
    const isAdded = await onAdd(text);
    setIsBusy(false);
    if (isAdded) setValue('');
    // Focus stays for the next one (or to fix this one).
    requestAnimationFrame(() => inputRef.current?.focus());
  }

  function open() {
    setIsOpen(true);
    requestAnimationFrame(() => inputRef.current?.focus());
  }

  function close() {
    setIsOpen(false);
    requestAnimationFrame(() => openerRef.current?.focus());
  }

  return { isOpen, value, setValue, isBusy, inputRef, openerRef, submit, open, close };
}
