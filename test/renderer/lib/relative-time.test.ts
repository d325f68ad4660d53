// Times and due dates as the viewer reads them: relative times through Intl, due dates compared with the
// viewer's own calendar day (their time zone), date ranges turned into instants at local midnight.
import { afterEach, describe, expect, it } from 'vitest';
import {
  byteSize,
  dayHeading,
  dueDateLabel,
  dueState,
  localToday,
  relativeTime,
  startOfLocalDay,
} from '../../../src-renderer/lib/relative-time';

const originalTz = process.env['TZ'];
function inZone(zone: string): void {
  process.env['TZ'] = zone;
}
afterEach(() => {
  if (originalTz === undefined) delete process.env['TZ'];
  else process.env['TZ'] = originalTz;
});

const at = (iso: string) => Date.parse(iso);

describe('relativeTime', () => {
  const now = at('2026-03-10T12:00:00.000Z');

  it('says now for the last few seconds, then minutes and hours', () => {
    expect(relativeTime('2026-03-10T11:59:30.000Z', now, 'en')).toBe('now');
    expect(relativeTime('2026-03-10T11:57:00.000Z', now, 'en')).toBe('3 minutes ago');
    expect(relativeTime('2026-03-10T10:00:00.000Z', now, 'en')).toBe('2 hours ago');
    expect(relativeTime('2026-03-10T14:00:00.000Z', now, 'en')).toBe('in 2 hours');
  });

  it('counts days by the viewer’s calendar, so yesterday is their yesterday', () => {
    inZone('UTC');
    // 26 hours earlier is the previous calendar day in UTC...
    expect(relativeTime('2026-03-09T10:00:00.000Z', at('2026-03-10T12:00:00.000Z'), 'en')).toBe('yesterday');
    expect(relativeTime('2026-03-07T12:00:00.000Z', now, 'en')).toBe('3 days ago');
    // ...while late in the evening in Auckland (UTC+13) the same instants fall on other local days.
    inZone('Pacific/Auckland');
    expect(relativeTime('2026-03-09T09:00:00.000Z', at('2026-03-10T12:00:00.000Z'), 'en')).toBe('2 days ago');
  });

  it('gives the date once it is more than a week away, with the year when it is another year', () => {
    inZone('UTC');
    expect(relativeTime('2026-02-01T12:00:00.000Z', now, 'en-GB')).toBe('1 Feb');
    expect(relativeTime('2025-12-24T12:00:00.000Z', now, 'en-GB')).toBe('24 Dec 2025');
  });

  it('answers nothing for an unreadable time', () => {
    expect(relativeTime('not a time', now, 'en')).toBe('');
  });
});

describe('due dates', () => {
  it('is overdue from the day after the due date in the viewer’s own time zone', () => {
    const instant = new Date('2026-11-25T12:00:00.000Z');
    inZone('America/New_York'); // 07:00 on the 25th
    expect(localToday(instant)).toBe('2026-11-25');
    expect(dueState('2026-11-25', instant)).toBe('today');
    expect(dueState('2026-11-24', instant)).toBe('overdue');
    inZone('Pacific/Auckland'); // 01:00 on the 26th
    expect(localToday(instant)).toBe('2026-11-26');
    expect(dueState('2026-11-25', instant)).toBe('overdue');
    expect(dueState('2026-11-27', instant)).toBe('soon');
    expect(dueState('2026-12-20', instant)).toBe('later');
  });

  it('reads a malformed date as no state', () => {
    expect(dueState('25/11/2026')).toBeUndefined();
  });

  it('labels a due date as the day it names, whatever the time zone', () => {
    const instant = new Date('2026-11-25T12:00:00.000Z');
    for (const zone of ['Pacific/Honolulu', 'UTC', 'Pacific/Kiritimati']) {
      inZone(zone);
      const today = localToday(instant);
      expect(dueDateLabel(today, instant, 'en')).toBe('Today');
      // Never shifted to the previous or next day by the zone.
      expect(dueDateLabel('2026-03-12', instant, 'en-GB')).toBe('Thu 12 Mar');
      expect(dueDateLabel('2027-01-05', instant, 'en-GB')).toBe('5 Jan 2027');
    }
  });
});

describe('startOfLocalDay', () => {
  it('is local midnight of the date, and of the next day for an inclusive end', () => {
    inZone('Pacific/Auckland');
    expect(startOfLocalDay('2026-11-26')).toBe('2026-11-25T11:00:00.000Z');
    expect(startOfLocalDay('2026-11-26', 1)).toBe('2026-11-26T11:00:00.000Z');
    inZone('UTC');
    expect(startOfLocalDay('2026-12-31', 1)).toBe('2027-01-01T00:00:00.000Z');
    expect(startOfLocalDay('yesterday')).toBeUndefined();
  });
});

describe('dayHeading and byteSize', () => {
  it('names today and yesterday, else the date', () => {
    inZone('UTC');
    const now = at('2026-03-10T12:00:00.000Z');
    expect(dayHeading('2026-03-10T01:00:00.000Z', now, 'en')).toBe('Today');
    expect(dayHeading('2026-03-09T23:00:00.000Z', now, 'en')).toBe('Yesterday');
    expect(dayHeading('2026-03-02T10:00:00.000Z', now, 'en-GB')).toBe('Monday 2 March');
  });

  it('words sizes with Intl units', () => {
    expect(byteSize(512, 'en')).toBe('512 bytes');
    expect(byteSize(356_352, 'en')).toBe('356 kB');
    expect(byteSize(2_400_000, 'en')).toBe('2.4 MB');
  });
});
