// RxDB JSON schemas of one account's database: the `events` log, the projections and the consumers'
// checkpoints. Type-only import of rxdb: shared stays free of rxdb's runtime.
//
// - `events` is version 0 forever (DESIGN.md): fields may never change. Its schema checks shape and
//   lengths only; particulars are validated per (action, v) by the domain and the server.
// - Projections are a cache: when their shape changes, bump their version and rebuild by replay
//   (no migration strategies needed).
// - RxDB needs every indexed string to be required with a maxLength; all are.
import type { RxJsonSchema } from 'rxdb';
import type { StoredEvent } from '../events/envelope';
import { ACTION_MAX_LENGTH } from '../events/actions';
import { INSTANT_MAX_LENGTH, POSITION_MAX_LENGTH } from '../events/text';
import { ID_MAX_LENGTH } from '../ids';
import type { Account, Board, Card, Column, Comment, ConsumerCheckpoint, MembersRecord } from './entities';

/** Room for the HLC string (35 characters today). */
export const HLC_MAX_LENGTH = 48;

export const COLLECTION_NAMES = {
  events: 'events',
  accounts: 'accounts',
  members: 'members',
  boards: 'boards',
  columns: 'columns',
  cards: 'cards',
  comments: 'comments',
  checkpoints: 'checkpoints',
} as const;

export type CollectionName = (typeof COLLECTION_NAMES)[keyof typeof COLLECTION_NAMES];

const id = { type: 'string', maxLength: ID_MAX_LENGTH } as const;
const hlc = { type: 'string', maxLength: HLC_MAX_LENGTH } as const;
const instant = { type: 'string', maxLength: INSTANT_MAX_LENGTH } as const;
const nullableInstant = { type: ['string', 'null'], maxLength: INSTANT_MAX_LENGTH } as const;
const text = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;
const person = {
  type: 'object',
  properties: { id, name: text },
  required: ['id', 'name'],
  additionalProperties: false,
} as const;
const nullablePerson = { ...person, type: ['object', 'null'] } as const;
const foldVersion = { type: 'integer', minimum: 0, maximum: 1_000_000, multipleOf: 1 } as const;

const projectionMeta = {
  id,
  accountId: id,
  foldVersion,
  lastEventHlc: { type: 'string', maxLength: HLC_MAX_LENGTH },
  lastEventId: { type: 'string', maxLength: ID_MAX_LENGTH },
  updatedAt: instant,
} as const;
const projectionMetaRequired = ['id', 'accountId', 'foldVersion', 'lastEventHlc', 'lastEventId', 'updatedAt'] as const;

export const eventsSchema: RxJsonSchema<StoredEvent> = {
  title: 'events',
  description: 'The account event log: the only write a domain command makes.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    v: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    accountId: id,
    action: { type: 'string', maxLength: ACTION_MAX_LENGTH },
    eventableType: { type: 'string', maxLength: 32 },
    eventableId: id,
    boardId: id,
    creatorId: id,
    creatorName: text,
    deviceId: id,
    hlc,
    createdAt: instant,
    particulars: { type: 'object' },
    rejection: {
      type: 'object',
      properties: { code: { type: 'string', maxLength: 64 }, message: text, at: instant },
      required: ['code', 'message', 'at'],
    },
  },
  required: [
    'id',
    'v',
    'accountId',
    'action',
    'eventableType',
    'eventableId',
    'boardId',
    'creatorId',
    'creatorName',
    'deviceId',
    'hlc',
    'createdAt',
    'particulars',
  ],
  indexes: [
    ['accountId', 'hlc', 'id'],
    ['eventableId', 'hlc', 'id'],
    ['boardId', 'hlc', 'id'],
    ['creatorId', 'hlc', 'id'],
  ],
};

export const accountsSchema: RxJsonSchema<Account> = {
  title: 'accounts',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { ...projectionMeta, name: text, createdAt: instant, createdBy: person },
  required: [...projectionMetaRequired, 'name', 'createdAt', 'createdBy'],
};

export const membersSchema: RxJsonSchema<MembersRecord> = {
  title: 'members',
  description: 'One record per account (id = accountId): folded while unpublished, the server’s once published.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    ...projectionMeta,
    source: { type: 'string', enum: ['fold', 'server'] },
    members: {
      type: 'array',
      items: {
        type: 'object',
        properties: { id, name: text, role: { type: 'string', enum: ['admin', 'member'] } },
        required: ['id', 'name', 'role'],
        additionalProperties: false,
      },
    },
  },
  required: [...projectionMetaRequired, 'source', 'members'],
};

const deletion = { isDeleted: flag, deletedAt: nullableInstant, deletedBy: nullablePerson } as const;
const creation = { createdAt: instant, createdBy: person } as const;
const deletionRequired = ['isDeleted', 'deletedAt', 'deletedBy'] as const;
const creationRequired = ['createdAt', 'createdBy'] as const;

export const boardsSchema: RxJsonSchema<Board> = {
  title: 'boards',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { ...projectionMeta, name: text, ...deletion, ...creation },
  required: [...projectionMetaRequired, 'name', ...deletionRequired, ...creationRequired],
  indexes: [['isDeleted', 'id']],
};

export const columnsSchema: RxJsonSchema<Column> = {
  title: 'columns',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    ...projectionMeta,
    boardId: id,
    name: text,
    position: { type: 'string', maxLength: POSITION_MAX_LENGTH },
    ...deletion,
    ...creation,
  },
  required: [...projectionMetaRequired, 'boardId', 'name', 'position', ...deletionRequired, ...creationRequired],
  indexes: [['boardId', 'position', 'id']],
};

export const cardsSchema: RxJsonSchema<Card> = {
  title: 'cards',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    ...projectionMeta,
    boardId: id,
    columnId: id,
    title: text,
    description: text,
    position: { type: 'string', maxLength: POSITION_MAX_LENGTH },
    isClosed: flag,
    closedAt: nullableInstant,
    closedBy: nullablePerson,
    assignees: { type: 'array', items: person },
    tags: { type: 'array', items: text },
    dueDate: { type: ['string', 'null'], maxLength: 10 },
    ...deletion,
    ...creation,
  },
  required: [
    ...projectionMetaRequired,
    'boardId',
    'columnId',
    'title',
    'description',
    'position',
    'isClosed',
    'closedAt',
    'closedBy',
    'assignees',
    'tags',
    'dueDate',
    ...deletionRequired,
    ...creationRequired,
  ],
  indexes: [['boardId', 'columnId', 'position', 'id']],
};

export const commentsSchema: RxJsonSchema<Comment> = {
  title: 'comments',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    ...projectionMeta,
    cardId: id,
    boardId: id,
    body: text,
    isEdited: flag,
    editedAt: nullableInstant,
    ...deletion,
    createdAt: instant,
    createdHlc: hlc,
    createdBy: person,
  },
  required: [
    ...projectionMetaRequired,
    'cardId',
    'boardId',
    'body',
    'isEdited',
    'editedAt',
    ...deletionRequired,
    'createdAt',
    'createdHlc',
    'createdBy',
  ],
  indexes: [['cardId', 'createdHlc', 'id']],
};

export const checkpointsSchema: RxJsonSchema<ConsumerCheckpoint> = {
  title: 'checkpoints',
  description: 'Where each consumer of the events change feed has got to (id = consumer name).',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    checkpoint: { type: ['object', 'null'] },
    updatedAt: instant,
  },
  required: ['id', 'checkpoint', 'updatedAt'],
};

/** Every collection of an account database with its schema, for `db.addCollections`. */
export const ACCOUNT_COLLECTIONS = {
  [COLLECTION_NAMES.events]: { schema: eventsSchema },
  [COLLECTION_NAMES.accounts]: { schema: accountsSchema },
  [COLLECTION_NAMES.members]: { schema: membersSchema },
  [COLLECTION_NAMES.boards]: { schema: boardsSchema },
  [COLLECTION_NAMES.columns]: { schema: columnsSchema },
  [COLLECTION_NAMES.cards]: { schema: cardsSchema },
  [COLLECTION_NAMES.comments]: { schema: commentsSchema },
  [COLLECTION_NAMES.checkpoints]: { schema: checkpointsSchema },
} as const;

/** The projection collections the fold writes (everything but the log and the checkpoints). */
export const PROJECTION_COLLECTIONS = ['accounts', 'members', 'boards', 'columns', 'cards', 'comments'] as const;
export type ProjectionCollection = (typeof PROJECTION_COLLECTIONS)[number];
