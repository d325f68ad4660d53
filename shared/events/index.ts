// The event catalogue, in one import: `import { createEvent, readEvent, type KnownEvent } from '…/shared/events'`.
export * from './actions';
export * from './catalogue';
export * from './create';
export * from './envelope';
export * from './hash';
export { conforms, type Infer, type JsonSchema, type Schema } from './schema';
export * from './text';
export * from './particulars/common';
export * from './particulars/account';
export * from './particulars/board';
export * from './particulars/column';
export * from './particulars/card';
export * from './particulars/comment';
export * from './particulars/webhook';
export * from './particulars/member';
