/**
 * A large, valid event log for one account, generated fast: every event is built with `createEvent` (the
 * domain's own envelope), ticks the store's clock, and has particulars that fit its action's schema and the
 * card's state (no untag of an absent tag, no reopen of an open card). Samples are checked with
 * `validateEvent`; the whole log folds with the real reducers.
 *
 * The log, in (hlc) order:
 * - the preamble: `bigBoards` boards of `boardCards` cards in 4 columns (the board-open benchmark), a board of
 *   `writeBoardCards` cards in 4 columns (the write and live-query benchmarks), a history board (1 column) and
 *   `fillerBoards` boards of 4 columns;
 * - then `timelineCards` cards with exactly `timelineEvents` events each (created, then a mix of card
 *   events), interleaved at random with filler: new cards on the filler boards, changes to them and comments.
 */
import { generateKeyBetween } from 'fractional-indexing-jittered';
import { createEvent, hashText, instantFromMs, type Action, type Actor, type KnownEvent, type ParticularsOf } from '../../../shared/events';
import type { Clock } from '../../../shared/hlc';
import { newId } from '../../../shared/ids';
import { validateEvent } from '../../../shared/node/validate';
import { seededRandom } from '../lib/measure';

export type LogPlan = {
  /** Events to generate (the account's log also holds its `account_created`). */
  readonly events: number;
  /** Boards of `boardCards` cards each (the board-open benchmark alternates between them). */
  readonly bigBoards: number;
  readonly boardCards: number;
  readonly writeBoardCards: number;
  readonly timelineCards: number;
  readonly timelineEvents: number;
  readonly fillerBoards: number;
};

export type Ref = { id: string; name: string };
export type BoardIds = { readonly id: string; readonly name: string; readonly columns: readonly Ref[] };

/** What the generated log contains, for the benchmarks to address. */
export type LogWorld = {
  readonly bigBoards: readonly BoardIds[];
  readonly writeBoard: BoardIds;
  readonly writeBoardCardIds: readonly string[];
  readonly timelineCardIds: readonly string[];
  readonly fillerBoards: readonly BoardIds[];
};

export type LogSource = {
  readonly world: LogWorld;
  /** How many events the preamble takes (they come first). */
  readonly preambleEvents: number;
  /** The next `count` events (fewer at the end); an empty array once all are out. */
  next(count: number): KnownEvent[];
  readonly generated: () => number;
};

type CardState = {
  id: string;
  title: string;
  board: BoardIds;
  column: Ref;
  position: string;
  isClosed: boolean;
  tags: string[];
  assignees: Ref[];
  dueDate: string | null;
  description: string;
};

const TAGS = ['bug', 'feature', 'urgent', 'ops', 'design', 'backend', 'frontend', 'later'];
const COLUMN_NAMES = ['Backlog', 'Doing', 'Review', 'Done'];

export function createLogSource(options: {
  plan: LogPlan;
  accountId: string;
  actor: Actor;
  deviceId: string;
  clock: Clock;
  now: () => number;
  seed?: number;
}): LogSource {
  const { plan, accountId, actor, deviceId, clock, now } = options;
  const random = seededRandom(options.seed ?? 7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const people: Ref[] = [{ id: actor.id, name: actor.name }];
  for (let i = 0; i < 6; i++) people.push({ id: newId(now()), name: `Teammate ${i + 1}` });

  const validatedActions = new Set<string>();
  let generated = 0;

  function make<A extends Action>(action: A, eventableId: string, boardId: string | undefined, particulars: ParticularsOf<A>): KnownEvent<A> {
    const nowMs = now();
    const event = createEvent<A>({ action, accountId, eventableId, boardId, actor, deviceId, hlc: clock.tick(), nowMs, particulars });
    generated++;
    // Every action once, then one event in 10,000: the generator must produce what the domain would accept.
    if (!validatedActions.has(action) || generated % 10_000 === 0) {
      validatedActions.add(action);
      const validation = validateEvent(event);
      if (!validation.ok) throw new Error(`generated an invalid ${action}: ${validation.message}`);
    }
    return event;
  }

  // Order keys: the next key at the end of each column (plain keys: the generator needs no jitter).
  const tails = new Map<string, string | null>();
  const nextPosition = (columnId: string): string => {
    const key = generateKeyBetween(tails.get(columnId) ?? null, null);
    tails.set(columnId, key);
    return key;
  };

  const preamble: KnownEvent[] = [];
  const boardEvents = (name: string, columnCount: number): BoardIds => {
    const id = newId(now());
    preamble.push(make('board_created', id, id, { name }));
    const columns: Ref[] = [];
    let position: string | null = null;
    for (let i = 0; i < columnCount; i++) {
      const column = { id: newId(now()), name: COLUMN_NAMES[i] ?? `Column ${i + 1}` };
      position = generateKeyBetween(position, null);
      preamble.push(make('column_created', column.id, id, { name: column.name, position, board: { id, name } }));
      columns.push(column);
    }
    return { id, name, columns };
  };
  const createCard = (board: BoardIds, column: Ref, title: string, into: KnownEvent[]): CardState => {
    const card: CardState = {
      id: newId(now()),
      title,
      board,
      column,
      position: nextPosition(column.id),
      isClosed: false,
      tags: [],
      assignees: [],
      dueDate: null,
      description: '',
    };
    into.push(make('card_created', card.id, board.id, { title, column, position: card.position }));
    return card;
  };

  const bigBoards: BoardIds[] = [];
  for (let b = 0; b < plan.bigBoards; b++) {
    const board = boardEvents(`Big board ${b + 1}`, 4);
    bigBoards.push(board);
    for (let i = 0; i < plan.boardCards; i++) {
      createCard(board, board.columns[i % board.columns.length]!, `Big board card ${i + 1}: check the release notes`, preamble);
    }
  }
  const writeBoard = boardEvents('Write board', 4);
  const writeBoardCardIds: string[] = [];
  for (let i = 0; i < plan.writeBoardCards; i++) {
    writeBoardCardIds.push(createCard(writeBoard, writeBoard.columns[i % 4]!, `Write board card ${i + 1}`, preamble).id);
  }
  const historyBoard = boardEvents('History board', 1);
  const fillerBoards: BoardIds[] = [];
  for (let i = 0; i < plan.fillerBoards; i++) fillerBoards.push(boardEvents(`Project ${i + 1}`, 4));
  const preambleEvents = preamble.length;

  const timelineCards: CardState[] = [];
  const timelineLeft: number[] = [];
  const timelineCardIds: string[] = [];
  for (let i = 0; i < plan.timelineCards; i++) {
    timelineCardIds.push(''); // filled when the card_created is generated
    timelineLeft.push(plan.timelineEvents);
  }
  let hotLeft = plan.timelineCards * plan.timelineEvents;
  let fillerLeft = Math.max(0, plan.events - preambleEvents - hotLeft);
  let hotCursor = 0;
  const fillerCards: CardState[] = [];

  function cardChange(card: CardState): KnownEvent {
    const roll = random();
    const envelope = { boardId: card.board.id };
    if (roll < 0.3 && card.board.columns.length > 1) {
      const to = pick(card.board.columns.filter((column) => column.id !== card.column.id));
      const toPosition = nextPosition(to.id);
      const event = make('card_moved', card.id, envelope.boardId, {
        title: card.title,
        from: card.column,
        to,
        fromPosition: card.position,
        toPosition,
      });
      card.column = to;
      card.position = toPosition;
      return event;
    }
    if (roll < 0.4) {
      const to = `${card.title.replace(/ \(v\d+\)$/, '')} (v${Math.floor(random() * 1000)})`;
      if (to !== card.title) {
        const event = make('card_renamed', card.id, envelope.boardId, { from: card.title, to });
        card.title = to;
        return event;
      }
    }
    if (roll < 0.55) {
      if (card.tags.length >= 3 || (card.tags.length > 0 && random() < 0.4)) {
        const tag = pick(card.tags);
        card.tags = card.tags.filter((t) => t !== tag);
        return make('card_untagged', card.id, envelope.boardId, { title: card.title, tag });
      }
      const tag = pick(TAGS.filter((t) => !card.tags.includes(t)));
      card.tags.push(tag);
      return make('card_tagged', card.id, envelope.boardId, { title: card.title, tag });
    }
    if (roll < 0.65) {
      card.isClosed = !card.isClosed;
      return make(card.isClosed ? 'card_closed' : 'card_reopened', card.id, envelope.boardId, { title: card.title, column: card.column });
    }
    if (roll < 0.75) {
      if (card.assignees.length >= 2 || (card.assignees.length > 0 && random() < 0.4)) {
        const assignee = pick(card.assignees);
        card.assignees = card.assignees.filter((a) => a.id !== assignee.id);
        return make('card_unassigned', card.id, envelope.boardId, { title: card.title, assignee });
      }
      const assignee = pick(people.filter((p) => !card.assignees.some((a) => a.id === p.id)));
      card.assignees.push(assignee);
      return make('card_assigned', card.id, envelope.boardId, { title: card.title, assignee });
    }
    if (roll < 0.85) {
      const day = 1 + Math.floor(random() * 28);
      const to = random() < 0.1 ? null : `2027-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      if (to !== card.dueDate) {
        const event = make('card_due_date_changed', card.id, envelope.boardId, { title: card.title, from: card.dueDate, to });
        card.dueDate = to;
        return event;
      }
    }
    const description = `Steps: open the board, move the card, check the timeline. Revision ${generated}.`;
    const event = make('card_description_changed', card.id, envelope.boardId, {
      title: card.title,
      description,
      previousHash: hashText(card.description),
    });
    card.description = description;
    return event;
  }

  function hotEvent(): KnownEvent {
    // Round-robin over the timeline cards that still need events.
    while (timelineLeft[hotCursor % plan.timelineCards] === 0) hotCursor++;
    const index = hotCursor % plan.timelineCards;
    hotCursor++;
    timelineLeft[index]!--;
    hotLeft--;
    const existing = timelineCards[index];
    if (!existing) {
      const into: KnownEvent[] = [];
      const card = createCard(historyBoard, historyBoard.columns[0]!, `Long-lived card ${index + 1}`, into);
      timelineCards[index] = card;
      timelineCardIds[index] = card.id;
      return into[0]!;
    }
    return cardChange(existing);
  }

  function fillerEvent(): KnownEvent {
    fillerLeft--;
    const roll = random();
    if (fillerCards.length < 20 || roll < 0.06) {
      const board = pick(fillerBoards.length > 0 ? fillerBoards : [historyBoard]);
      const into: KnownEvent[] = [];
      fillerCards.push(createCard(board, pick(board.columns), `Task ${fillerCards.length + 1} for ${board.name}`, into));
      return into[0]!;
    }
    const card = pick(fillerCards);
    if (roll < 0.12) {
      return make('comment_created', newId(now()), card.board.id, {
        card: { id: card.id, title: card.title },
        body: `Looked at this again on ${instantFromMs(now()).slice(0, 10)}; the fix is in review.`,
      });
    }
    return cardChange(card);
  }

  let preambleCursor = 0;
  return {
    world: { bigBoards, writeBoard, writeBoardCardIds, timelineCardIds, fillerBoards },
    preambleEvents,
    generated: () => generated,
    next(count) {
      const out: KnownEvent[] = [];
      while (out.length < count && preambleCursor < preamble.length) out.push(preamble[preambleCursor++]!);
      while (out.length < count && hotLeft + fillerLeft > 0) {
        const isHot = random() * (hotLeft + fillerLeft) < hotLeft;
        out.push(isHot ? hotEvent() : fillerEvent());
      }
      return out;
    },
  };
}
