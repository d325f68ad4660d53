// Events worded for the person reading them: the actor's name (or "You") set apart, "this" for the card
// whose timeline it is, refused events with the server's reason, unknown ones as from a newer version,
// due dates as the dates they name.
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../../shared/events/envelope';
import type { EventItem } from '../../../../shared/model/views';
import type { Sentence } from '../../../../shared/sentences';
import { cardIdOf, wordEvent } from '../../../../src-renderer/features/activity/word-event';

const ANN = { id: 'ann', name: 'Ann' };
const ME = 'me';
const CARD = 'card-1';

function item(sentence: Sentence, over: Partial<StoredEvent> = {}, flags: Partial<EventItem> = {}): EventItem {
  const event: StoredEvent = {
    id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    v: 1,
    accountId: 'acct',
    action: 'card_moved',
    eventableType: 'card',
    eventableId: CARD,
    boardId: 'board',
    creatorId: sentence.params.actorId,
    creatorName: sentence.params.actor,
    deviceId: 'device',
    hlc: '0000000000000:0000:device',
    createdAt: '2026-03-10T12:00:00.000Z',
    particulars: {},
    ...over,
  };
  return { event, sentence, isRejected: event.rejection !== undefined, isUnknown: false, ...flags };
}

const base = { actor: ANN.name, actorId: ANN.id, subjectId: CARD, subject: 'Fix login' };
const moved: Sentence = { id: 'card_moved', params: { ...base, from: 'Doing', to: 'Done' } };

describe('wordEvent', () => {
  it('names the actor apart from the rest, and says "this" in the card’s own timeline', () => {
    const worded = wordEvent(item(moved), { userId: ME, contextId: CARD });
    expect(worded).toMatchObject({ actor: 'Ann', rest: ' moved this from Doing to Done', refusedReason: null, isUnknown: false });
    expect(worded.text).toBe('Ann moved this from Doing to Done');
  });

  it('says "You" for the viewer’s own events and names the card elsewhere', () => {
    const mine: Sentence = { id: 'card_moved', params: { ...moved.params, actor: 'Me', actorId: ME } };
    expect(wordEvent(item(mine), { userId: ME }).text).toBe('You moved “Fix login” from Doing to Done');
    expect(wordEvent(item(mine), { userId: ME }).actor).toBe('You');
  });

  it('shows a refused event as what it tried, with the server’s reason', () => {
    const refused: Sentence = {
      id: 'event_refused',
      params: { ...base, reason: 'Only an admin of this account can do that.', code: 'forbidden' },
      inner: moved,
    };
    const rejection = { code: 'forbidden', message: 'Only an admin of this account can do that.', at: '2026-03-10T12:00:01.000Z' };
    const worded = wordEvent(item(refused, { rejection }), { contextId: CARD });
    expect(worded.text).toBe('Ann moved this from Doing to Done');
    expect(worded.refusedReason).toBe('Only an admin of this account can do that.');
  });

  it('shows an action from a newer version as such', () => {
    const unknown: Sentence = { id: 'unknown_change', params: base };
    const worded = wordEvent(item(unknown, { action: 'card_estimated' }, { isUnknown: true }), { contextId: CARD });
    expect(worded.text).toBe('Ann made a change from a newer version');
    expect(worded.isUnknown).toBe(true);
  });

  it('writes due dates as the dates they name', () => {
    const due: Sentence = { id: 'card_due_date_changed', params: { ...base, from: '2026-03-12', to: '2026-04-01' } };
    const text = wordEvent(item(due, { action: 'card_due_date_changed' }), { contextId: CARD }).text;
    expect(text).not.toContain('2026-03-12');
    expect(text).toMatch(/^Ann changed the due date of this card from .*12.* to .*1.*2026$/);
  });
});

describe('cardIdOf', () => {
  it('finds the card of a card event and of a comment event, and none for a column', () => {
    expect(cardIdOf(item(moved))).toBe(CARD);
    const comment: Sentence = { id: 'comment_created', params: base };
    expect(cardIdOf(item(comment, { eventableType: 'comment', eventableId: 'comment-9', action: 'comment_created' }))).toBe(CARD);
    const column: Sentence = { id: 'column_created', params: { ...base, subjectId: 'col', subject: 'Doing', board: 'B' } };
    expect(cardIdOf(item(column, { eventableType: 'column', eventableId: 'col', action: 'column_created' }))).toBeNull();
  });
});
