import { describe, expect, it } from 'vitest';
import { isId, isUuidV7, newId } from '../../shared/ids';

describe('newId', () => {
  it('mints canonical UUIDv7s carrying the given time', () => {
    const id = newId(1_760_000_000_000);
    expect(isUuidV7(id)).toBe(true);
    expect(Number.parseInt(id.replace('-', '').slice(0, 12), 16)).toBe(1_760_000_000_000);
  });

  it('keeps increasing when the time repeats or goes backwards', () => {
    const ids = [newId(2_000_000_000_000), newId(2_000_000_000_000), newId(1_000), newId(2_000_000_000_000)];
    for (let i = 1; i < ids.length; i += 1) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(new Set(Array.from({ length: 1000 }, () => newId())).size).toBe(1000);
  });
});

describe('id checks', () => {
  it('accept our ids and other simple ones, refuse anything else', () => {
    expect(isId(newId())).toBe(true);
    expect(isId('system')).toBe(true);
    for (const bad of ['', 'a b', 'x'.repeat(65), 'ü', 'a/b', 7]) expect(isId(bad)).toBe(false);
    expect(isUuidV7('1b4e28ba-2fa1-4d2e-883f-0016d3cca427')).toBe(false);
    expect(isUuidV7(newId().toUpperCase())).toBe(false);
  });
});
