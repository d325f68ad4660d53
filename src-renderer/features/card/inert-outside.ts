// While a modal surface is open, everything else on the page is made `inert` (not focusable, not
// clickable, hidden from assistive technology), except what must stay usable beside it: the surface
// itself and the toasts (their Undo and Restore buttons). Elements on the way to a kept one are entered
// rather than made inert. Returns the undo.
export function inertOutside(keep: readonly Element[]): () => void {
  const changed: Element[] = [];
  const visit = (parent: Element): void => {
    for (const child of Array.from(parent.children)) {
      if (keep.includes(child)) continue;
      if (keep.some((kept) => child.contains(kept))) {
        visit(child);
        continue;
      }
      if (child.hasAttribute('inert') || child instanceof HTMLScriptElement || child instanceof HTMLStyleElement) continue;
      child.setAttribute('inert', '');
      changed.push(child);
    }
  };
  visit(document.body);
  return () => {
    for (const element of changed) element.removeAttribute('inert');
  };
}
