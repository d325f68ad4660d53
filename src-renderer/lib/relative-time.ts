// Times and dates as the viewer reads them, through Intl only (no hand-made month names or plurals):
// - `relativeTime`: "3 minutes ago", "yesterday", "in 2 days" (Intl.RelativeTimeFormat), switching to a
//   calendar date once the time is more than a week away;
// - `absoluteTime`: the full date and time in the viewer's time zone, for tooltips and <time> titles;
// - due dates are plain calendar dates (`YYYY-MM-DD`, DESIGN.md "Renderer"): they have no time zone of
//   their own, so they are formatted as the date they name and compared with the viewer's local today.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** The viewer's locale(s): undefined lets Intl use the runtime's default (the OS / browser language). */
type Locales = Intl.LocalesArgument;

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function relativeFormat(locales: Locales): Intl.RelativeTimeFormat {
  const key = JSON.stringify(locales ?? null);
  let format = relativeFormats.get(key);
  if (!format) {
    format = new Intl.RelativeTimeFormat(locales, { numeric: 'auto', style: 'long' });
    relativeFormats.set(key, format);
  }
  return format;
}

function dateFormat(locales: Locales, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify([locales ?? null, options]);
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locales, options);
    dateFormats.set(key, format);
  }
  return format;
}

/**
 * How long ago (or how far ahead) `iso` is from `now`, in words: "now", "3 minutes ago", "yesterday",
 * "5 days ago"; further than a week, the date ("12 Mar", with the year when it is not this year's).
 * An unreadable time answers the empty string.
 */
export function relativeTime(iso: string, now: number = Date.now(), locales?: Locales): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  const delta = at - now;
  const distance = Math.abs(delta);
  const format = relativeFormat(locales);
  if (distance < 45 * SECOND) return format.format(0, 'second');
  if (distance < HOUR) return format.format(Math.round(delta / MINUTE), 'minute');
  if (distance < DAY) return format.format(Math.round(delta / HOUR), 'hour');
  if (distance < WEEK) {
    // Whole calendar days in the viewer's zone, so "yesterday" means the viewer's yesterday.
    const days = calendarDayNumber(new Date(at)) - calendarDayNumber(new Date(now));
    return format.format(days, 'day');
  }
  const sameYear = new Date(at).getFullYear() === new Date(now).getFullYear();
  return dateFormat(locales, sameYear ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' }).format(at);
}

/** The full date and time of `iso` in the viewer's time zone ("Tuesday 4 March 2025 at 09:30"). */
export function absoluteTime(iso: string, locales?: Locales): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  return dateFormat(locales, { dateStyle: 'full', timeStyle: 'short' }).format(at);
}

/** A short date and time ("4 Mar 2025, 09:30"), for lists such as backups. */
export function shortDateTime(iso: string, locales?: Locales): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  return dateFormat(locales, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

/** Days since an arbitrary epoch of the local calendar date of `date` (the viewer's time zone). */
function calendarDayNumber(date: Date): number {
  return Math.round(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()) / DAY);
}

// --- Due dates (calendar dates) ---------------------------------------------------------------------

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of a `YYYY-MM-DD` date (same epoch as `calendarDayNumber`), or undefined. */
function dueDayNumber(dueDate: string): number | undefined {
  const match = CALENDAR_DATE.exec(dueDate);
  if (!match) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(ms) ? undefined : Math.round(ms / DAY);
}

/** Today in the viewer's time zone as `YYYY-MM-DD` (what a date input's value looks like). */
export function localToday(now: Date = new Date()): string {
  return localDate(now);
}

/** The local calendar date of `date` as `YYYY-MM-DD`. */
export function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export type DueState = 'overdue' | 'today' | 'soon' | 'later';

/**
 * Where a due date stands for the viewer today, in their time zone: past it (`overdue`), today, within
 * the next 2 days (`soon`), or later. A closed card is never overdue: callers decide whether to ask.
 */
export function dueState(dueDate: string, now: Date = new Date()): DueState | undefined {
  const due = dueDayNumber(dueDate);
  if (due === undefined) return undefined;
  const today = calendarDayNumber(now);
  if (due < today) return 'overdue';
  if (due === today) return 'today';
  if (due - today <= 2) return 'soon';
  return 'later';
}

/** A due date in words: "Today", "Tomorrow", "Yesterday", else "Wed 12 Mar" (+ year when not this year). */
export function dueDateLabel(dueDate: string, now: Date = new Date(), locales?: Locales): string {
  const due = dueDayNumber(dueDate);
  if (due === undefined) return dueDate;
  const days = due - calendarDayNumber(now);
  if (Math.abs(days) <= 1) {
    const words = relativeFormat(locales).format(days, 'day');
    return words.charAt(0).toLocaleUpperCase() + words.slice(1);
  }
  // Formatted as the date it names: in UTC, the zone its day number was computed in.
  const sameYear = Number(dueDate.slice(0, 4)) === now.getFullYear();
  const options: Intl.DateTimeFormatOptions = sameYear
    ? { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }
    : { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' };
  return dateFormat(locales, options).format(due * DAY);
}

/** A calendar date `YYYY-MM-DD` in words for a sentence ("12 March 2025"), the date it names. */
export function calendarDateText(dueDate: string, locales?: Locales): string {
  const due = dueDayNumber(dueDate);
  if (due === undefined) return dueDate;
  return dateFormat(locales, { dateStyle: 'long', timeZone: 'UTC' }).format(due * DAY);
}

/**
 * The instant a local calendar date begins (`YYYY-MM-DD` at 00:00 in the viewer's zone) as an ISO string,
 * for ranges such as the audit export; `dayOffset` 1 gives the start of the next day (an exclusive end).
 */
export function startOfLocalDay(date: string, dayOffset = 0): string | undefined {
  const match = CALENDAR_DATE.exec(date);
  if (!match) return undefined;
  const local = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + dayOffset);
  return Number.isNaN(local.getTime()) ? undefined : local.toISOString();
}

/** A byte count in words ("2.4 MB"), with Intl's unit formatting. */
export function byteSize(bytes: number, locales?: Locales): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return new Intl.NumberFormat(locales, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: digits,
  }).format(value);
}

/**
 * The heading of a day in a list grouped by day: "Today", "Yesterday", else the date ("Monday 3 March",
 * with the year when it is not this year's), in the viewer's time zone.
 */
export function dayHeading(iso: string, now: number = Date.now(), locales?: Locales): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  const days = calendarDayNumber(new Date(at)) - calendarDayNumber(new Date(now));
  if (days === 0 || days === -1) {
    const words = relativeFormat(locales).format(days, 'day');
    return words.charAt(0).toLocaleUpperCase() + words.slice(1);
  }
  const sameYear = new Date(at).getFullYear() === new Date(now).getFullYear();
  const options: Intl.DateTimeFormatOptions = sameYear
    ? { weekday: 'long', day: 'numeric', month: 'long' }
    : { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' };
  return dateFormat(locales, options).format(at);
}

/** The local calendar day of an instant, as a key for grouping (`YYYY-MM-DD`). */
export function localDayKey(iso: string): string {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? '' : localDate(new Date(at));
}
