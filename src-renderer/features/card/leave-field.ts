// Leaving a text field with Enter or Escape: focus moves to the panel around it (so the field's blur
// saves it, and the next Escape closes the panel), never to nowhere.
export function leaveField(field: HTMLElement | null): void {
  if (!field) return;
  const panel = field.closest<HTMLElement>('[role="dialog"]');
  if (panel) panel.focus({ preventScroll: true });
  else field.blur();
}
