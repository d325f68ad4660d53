import { afterEach, describe, expect, it } from 'vitest';
import { isLongRun, loopCount } from './long';

const saved = process.env['TRAILBOARD_LONG'];

afterEach(() => {
  if (saved === undefined) delete process.env['TRAILBOARD_LONG'];
  else process.env['TRAILBOARD_LONG'] = saved;
});

describe('long-run loop counts', () => {
  it('uses the CI count unless TRAILBOARD_LONG=1', () => {
    delete process.env['TRAILBOARD_LONG'];
    expect(isLongRun()).toBe(false);
    expect(loopCount(20, 2000)).toBe(20);
    process.env['TRAILBOARD_LONG'] = '0';
    expect(loopCount(20, 2000)).toBe(20);
  });

  it('uses the long count when TRAILBOARD_LONG=1', () => {
    process.env['TRAILBOARD_LONG'] = '1';
    expect(isLongRun()).toBe(true);
    expect(loopCount(20, 2000)).toBe(2000);
  });
});
