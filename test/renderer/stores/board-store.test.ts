// Where a card dropped at an index goes, in the terms `card.move` takes (after one card, before one, or
// at the end of an empty column).
import { describe, expect, it } from 'vitest';
import { placementAt } from '../../../src-renderer/stores/board-store';

const siblings = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];

describe('placementAt', () => {
  it('places before the first card at index 0', () => {
    expect(placementAt(siblings, 0)).toEqual({ beforeCardId: 'a' });
  });

  it('places after the card before the index in the middle', () => {
    expect(placementAt(siblings, 1)).toEqual({ afterCardId: 'a' });
    expect(placementAt(siblings, 2)).toEqual({ afterCardId: 'b' });
  });

  it('places after the last card at or past the end, and nowhere in particular in an empty column', () => {
    expect(placementAt(siblings, 3)).toEqual({ afterCardId: 'c' });
    expect(placementAt(siblings, 10)).toEqual({ afterCardId: 'c' });
    expect(placementAt([], 0)).toEqual({});
  });
});
