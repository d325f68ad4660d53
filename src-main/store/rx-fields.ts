import type { RxDocumentData } from 'rxdb';

/** The fields RxDB adds to every stored document. */
export const RX_DOCUMENT_FIELDS = ['_deleted', '_attachments', '_rev', '_meta'] as const;

/**
 * A stored document without RxDB's own fields (`_rev`, `_meta`, `_deleted`, `_attachments`): the entity or event
 * as the domain and the fold know it. Object rest: about three times faster than copying key by key.
 */
export function withoutRxFields<T>(doc: RxDocumentData<T> | T): T {
  const { _rev, _meta, _deleted, _attachments, ...plain } = doc as RxDocumentData<T>;
  return plain as T;
}
