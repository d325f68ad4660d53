// An event's sentence worded for the person reading it (shared/sentences' English renderer, with due
// dates as the dates they name), split so the actor's name can stand out, plus whether it was refused
// (and why) or comes from a newer version. Pure: no React, no DOM.
import type { EventItem } from '../../../shared/model/views';
import { renderSentence, type Sentence, type Viewer } from '../../../shared/sentences';
import { calendarDateText } from '../../lib/relative-time';

/** Due dates in sentences as the date they name ("12 March 2025") rather than `2025-03-12`. */
export function withReadableDates(sentence: Sentence): Sentence {
  switch (sentence.id) {
    case 'card_due_date_set':
      return { ...sentence, params: { ...sentence.params, to: calendarDateText(sentence.params.to) } };
    case 'card_due_date_changed':
      return {
        ...sentence,
        params: { ...sentence.params, from: calendarDateText(sentence.params.from), to: calendarDateText(sentence.params.to) },
      };
    case 'card_due_date_removed':
      return { ...sentence, params: { ...sentence.params, from: calendarDateText(sentence.params.from) } };
    default:
      return sentence;
  }
}

export type WordedEvent = {
  /** Who did it, as the sentence names them ("You", "Ann"), when the sentence starts with them. */
  actor: string | null;
  /** The rest of the sentence (all of it when `actor` is null). */
  rest: string;
  /** The whole sentence, for screen readers and tests. */
  text: string;
  /** Why the server refused it (a refused event changed nothing). */
  refusedReason: string | null;
  isUnknown: boolean;
};

/** An event's sentence for `viewer`, split so the actor's name can stand out. */
export function wordEvent(item: EventItem, viewer: Viewer): WordedEvent {
  const outer = item.sentence;
  const isRefused = item.isRejected || outer.id === 'event_refused';
  const inner = outer.id === 'event_refused' ? outer.inner : outer;
  const refusedReason =
    outer.id === 'event_refused' ? outer.params.reason : isRefused ? (item.event.rejection?.message ?? 'no reason given') : null;
  const text = renderSentence(withReadableDates(inner), viewer);
  const p = inner.params;
  const actor = viewer.userId !== undefined && p.actorId === viewer.userId ? 'You' : p.actor;
  const startsWithActor = actor !== '' && text.startsWith(`${actor} `);
  return {
    actor: startsWithActor ? actor : null,
    rest: startsWithActor ? text.slice(actor.length) : text,
    text,
    refusedReason,
    isUnknown: item.isUnknown || inner.id === 'unknown_change',
  };
}

/** The id of the card an event is about (its own events and its comments'), if any. */
export function cardIdOf(item: EventItem): string | null {
  const type = item.event.eventableType;
  if (type === 'card') return item.event.eventableId;
  if (type === 'comment') {
    const inner = item.sentence.id === 'event_refused' ? item.sentence.inner : item.sentence;
    return inner.params.subjectId || null;
  }
  return null;
}
