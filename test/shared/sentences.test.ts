import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../shared/events';
import { describeEvent, renderSentence } from '../../shared/sentences';
import { ANN, BOB, CARD_ID, DOING, DONE, makeEvent } from './fixtures';

const onCard = { contextId: CARD_ID };

describe('describeEvent', () => {
  it('gives message ids and parameters, not English', () => {
    expect(describeEvent(makeEvent('card_moved', { particulars: { from: DOING, to: DONE } }))).toEqual({
      id: 'card_moved',
      params: { actor: 'Ann', actorId: ANN.id, subjectId: CARD_ID, subject: 'Fix login', from: 'Doing', to: 'Done' },
    });
  });

  it('describes every action with its own message id', () => {
    for (const action of ACTIONS) {
      const sentence = describeEvent(makeEvent(action));
      expect(sentence.id).not.toBe('unknown_change');
      expect(renderSentence(sentence)).toMatch(/^Ann /);
    }
  });

  it('never throws, also for values that are not events', () => {
    for (const value of [null, 7, 'x', {}, [], { ...makeEvent('card_closed'), particulars: null }]) {
      expect(describeEvent(value).id).toBe('unknown_change');
    }
  });
});

describe('renderSentence', () => {
  const render = (event: unknown, viewer = {}) => renderSentence(describeEvent(event), viewer);

  it('says "this" on the card’s own timeline and names the card elsewhere', () => {
    const moved = makeEvent('card_moved', { particulars: { from: DOING, to: DONE } });
    expect(render(moved, onCard)).toBe('Ann moved this from Doing to Done');
    expect(render(moved)).toBe('Ann moved “Fix login” from Doing to Done');
    expect(render(makeEvent('card_closed'), onCard)).toBe('Ann closed this card');
    expect(render(makeEvent('card_closed'))).toBe('Ann closed the card “Fix login”');
  });

  it('says "You" for the viewer’s own events and "you" when they are the one assigned', () => {
    expect(render(makeEvent('card_closed'), { ...onCard, userId: ANN.id })).toBe('You closed this card');
    expect(render(makeEvent('card_assigned', { particulars: { assignee: BOB } }), { ...onCard, userId: BOB.id })).toBe(
      'Ann assigned you to this card',
    );
    expect(render(makeEvent('card_assigned', { particulars: { assignee: ANN } }), onCard)).toBe('Ann assigned themselves to this card');
    expect(render(makeEvent('card_assigned', { particulars: { assignee: ANN } }), { ...onCard, userId: ANN.id })).toBe(
      'You assigned yourself to this card',
    );
  });

  it('uses the names the event recorded, not today’s', () => {
    const renamedLater = makeEvent('card_moved', { creatorName: 'Ann (old name)', particulars: { title: 'Old title', from: DOING, to: DONE } });
    expect(render(renamedLater)).toBe('Ann (old name) moved “Old title” from Doing to Done');
  });

  it('words the variants of one action differently', () => {
    expect(render(makeEvent('card_moved', { particulars: { from: DOING, to: DOING } }), onCard)).toBe('Ann moved this within Doing');
    expect(render(makeEvent('card_due_date_changed', { particulars: { from: null, to: '2026-03-31' } }), onCard)).toBe(
      'Ann set the due date of this card to 2026-03-31',
    );
    expect(render(makeEvent('card_due_date_changed', { particulars: { from: '2026-03-31', to: '2026-04-02' } }), onCard)).toBe(
      'Ann changed the due date of this card from 2026-03-31 to 2026-04-02',
    );
    expect(render(makeEvent('card_due_date_changed', { particulars: { from: '2026-03-31', to: null } }), onCard)).toBe(
      'Ann removed the due date of this card',
    );
    expect(render(makeEvent('card_description_changed', { particulars: { description: '' } }), onCard)).toBe(
      'Ann removed the description of this card',
    );
    expect(render(makeEvent('webhook_disabled', { creatorId: 'system', creatorName: 'Trailboard', particulars: { reason: 'failing' } }))).toBe(
      'Trailboard disabled the webhook to hooks.example.com after repeated failed deliveries',
    );
    expect(render(makeEvent('member_removed', { creatorId: BOB.id, creatorName: 'Bob', particulars: { member: BOB } }))).toBe('Bob left the account');
    expect(render(makeEvent('member_removed'))).toBe('Ann removed Bob from the account');
    expect(render(makeEvent('member_role_changed'))).toBe('Ann made Bob an admin');
  });

  it('says "this card" for comment events on the card’s timeline', () => {
    expect(render(makeEvent('comment_created'), onCard)).toBe('Ann commented on this card');
    expect(render(makeEvent('comment_created'))).toBe('Ann commented on the card “Fix login”');
  });

  it('shows a change from a newer version and a refused change for what they are', () => {
    const newer = { ...makeEvent('card_closed'), action: 'card_archived', particulars: {} };
    expect(render(newer, onCard)).toBe('Ann made a change from a newer version');
    const refused = {
      ...makeEvent('card_moved', { particulars: { from: DOING, to: DONE } }),
      rejection: { code: 'forbidden', message: 'only admins can move cards on this board', at: '2026-01-01T00:00:00.000Z' },
    };
    const sentence = describeEvent(refused);
    expect(sentence).toMatchObject({ id: 'event_refused', params: { reason: 'only admins can move cards on this board', code: 'forbidden' } });
    expect(renderSentence(sentence, onCard)).toBe('Ann moved this from Doing to Done — refused: only admins can move cards on this board');
  });

  it('never puts a time in a sentence (the renderer formats times with Intl)', () => {
    for (const action of ACTIONS) {
      const event = makeEvent(action);
      expect(renderSentence(describeEvent(event))).not.toContain(event.createdAt.slice(0, 10));
    }
  });
});
