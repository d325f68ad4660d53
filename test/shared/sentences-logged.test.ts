import { describe, expect, it } from 'vitest';
import { ACTIONS, type StoredEvent } from '../../shared/events';
import { describeEvent, describeLoggedEvent } from '../../shared/sentences';
import { makeEvent } from './fixtures';

describe('wording events read back from the log', () => {
  it('words every accepted current-version event exactly as the fully checked path does', () => {
    for (const action of ACTIONS) {
      const event = makeEvent(action) as StoredEvent;
      expect(describeLoggedEvent(event), action).toEqual(describeEvent(event));
    }
  });

  it('words refused, unknown and older-version events through the checked path', () => {
    const accepted = makeEvent('card_closed') as StoredEvent;
    const refused: StoredEvent = { ...accepted, rejection: { code: 'forbidden', message: 'No', at: accepted.createdAt } };
    const unknown: StoredEvent = { ...accepted, action: 'card_teleported' };
    const newer: StoredEvent = { ...accepted, v: 99 };
    for (const event of [refused, unknown, newer]) expect(describeLoggedEvent(event)).toEqual(describeEvent(event));
    expect(describeLoggedEvent(unknown).id).toBe('unknown_change');
  });

  it('never throws on particulars that do not fit, whatever the action', () => {
    for (const action of ACTIONS) {
      const event = { ...(makeEvent(action) as StoredEvent), particulars: {} };
      expect(() => describeLoggedEvent(event), action).not.toThrow();
    }
  });
});
