/**
 * An events-like collection for the scale benchmark: the envelope of DESIGN.md's events (UUIDv7 ids, the HLC
 * format of shared/hlc.ts), about 500 bytes of JSON per stored document, indexed by `hlc` and by
 * `[eventableId, hlc]`. Documents are a pure function of their position, so the storage under test and the raw
 * reference insert identical data without holding a million documents in memory.
 */
import type { RxDocumentData, RxJsonSchema } from 'rxdb';

export type BenchEvent = {
  id: string;
  accountId: string;
  action: string;
  eventableId: string;
  creatorId: string;
  hlc: string;
  createdAt: string;
  particulars: { title: string; columnId: string; position: string };
};

export const EVENTS_COLLECTION = 'events';

export const eventsSchema = {
  title: 'bench events',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 64 },
    accountId: { type: 'string', maxLength: 64 },
    action: { type: 'string' },
    eventableId: { type: 'string', maxLength: 64 },
    creatorId: { type: 'string' },
    hlc: { type: 'string', maxLength: 35 },
    createdAt: { type: 'string' },
    particulars: { type: 'object' },
  },
  required: ['id', 'accountId', 'action', 'eventableId', 'creatorId', 'hlc', 'createdAt', 'particulars'],
  indexes: ['hlc', ['eventableId', 'hlc']],
} as const satisfies RxJsonSchema<BenchEvent>;

const EPOCH_MS = Date.UTC(2024, 0, 1);
const CARDS = 20_000;
const BOARDS = 24;
const MEMBERS = 8;
const ACTIONS = ['card_created', 'card_moved', 'card_renamed', 'comment_added', 'card_assigned', 'label_added'];
const WORDS = ['plan', 'ship', 'review', 'fix', 'design', 'sprint', 'release', 'draft', 'budget', 'launch', 'notes'];

/** A stateless 32-bit integer hash (lowbias32), for deterministic pseudo-random fields. */
function hash32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

function hex8(value: number): string {
  return value.toString(16).padStart(8, '0');
}

/** A UUIDv7-shaped id: `ms` in the time field, the rest from `salt`. */
function uuid7(ms: number, salt: number): string {
  const time = ms.toString(16).padStart(12, '0');
  const a = hex8(hash32(salt));
  const b = hex8(hash32(salt ^ 0x5bd1e995));
  const c = hex8(hash32(salt + 0x27d4eb2f));
  const variant = '89ab'[hash32(salt + 7) & 3] ?? '8';
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${a.slice(0, 3)}-${variant}${a.slice(3, 6)}-${b}${c.slice(0, 4)}`;
}

const pool = (size: number, salt: number): string[] =>
  Array.from({ length: size }, (_, i) => uuid7(EPOCH_MS - 86_400_000 + i, salt * 1_000_003 + i));

let pools: { cards: string[]; members: string[]; columns: string[]; nodes: string[] } | undefined;

function getPools(): NonNullable<typeof pools> {
  pools ??= {
    cards: pool(CARDS, 1),
    members: pool(MEMBERS, 3),
    columns: pool(BOARDS * 5, 4),
    nodes: Array.from({ length: MEMBERS }, (_, i) => `${hex8(hash32(i + 11))}${hex8(hash32(i + 12))}`),
  };
  return pools;
}

export const ACCOUNT_ID = uuid7(EPOCH_MS - 86_400_000 * 2, 99);

/** Wall time of event `index`: four events per 10 ms, so HLC counters are used and order is by index. */
function wallMsOf(index: number): number {
  return EPOCH_MS + Math.floor(index / 4) * 10;
}

/** The HLC of event `index` (strictly increasing with `index`). */
export function hlcOf(index: number): string {
  const { nodes } = getPools();
  const node = nodes[hash32(index) % MEMBERS] ?? '0000000000000000';
  return `${String(wallMsOf(index)).padStart(13, '0')}-${(index % 4).toString(16).padStart(4, '0')}-${node}`;
}

export function makeEvent(index: number): BenchEvent {
  const { cards, members, columns } = getPools();
  const h = hash32(index * 2654435761);
  const ms = wallMsOf(index);
  const member = (h >>> 4) % MEMBERS;
  const words = `${WORDS[h % WORDS.length] ?? ''} ${WORDS[(h >>> 8) % WORDS.length] ?? ''} ${WORDS[(h >>> 16) % WORDS.length] ?? ''}`;
  return {
    id: uuid7(ms, index),
    accountId: ACCOUNT_ID,
    action: ACTIONS[h % ACTIONS.length] ?? 'card_moved',
    eventableId: cards[hash32(index + 0x9e3779b9) % CARDS] ?? '',
    creatorId: members[member] ?? '',
    hlc: hlcOf(index),
    createdAt: new Date(ms).toISOString(),
    particulars: {
      title: `${words} #${index}`,
      columnId: columns[(h >>> 3) % columns.length] ?? '',
      position: `a${(h % 46_656).toString(36)}`,
    },
  };
}

/** The document as RxDB hands it to a storage (as `bulkWrite` receives it from a collection insert). */
export function makeEventDocument(index: number, revisionToken: string): RxDocumentData<BenchEvent> {
  return {
    ...makeEvent(index),
    _deleted: false,
    _attachments: {},
    _rev: `1-${revisionToken}`,
    _meta: { lwt: 1_700_000_000_000 + index / 100 },
  };
}
