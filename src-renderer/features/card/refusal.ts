// How the card panel explains a change the core refused: a toast saying what could not be done and the
// core's reason (its messages are written for people). The text the person typed stays where it was.
import type { Failure } from '../../../shared/api/contract';
import { toast } from '../../stores/toast-store';

export function explainRefusal(what: string, error: Failure, retry?: () => void): void {
  const options = retry ? { detail: error.message, action: { label: 'Try again', onAction: retry } } : { detail: error.message };
  toast.error(`Couldn’t ${what}`, options);
}
