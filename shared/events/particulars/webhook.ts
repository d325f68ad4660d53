// Particulars of webhook endpoint events (eventable: the endpoint; the envelope's boardId is its board
// scope, '' for the whole account). The URL is a secret in itself and the signing secret is one: events
// carry only the URL's host and `hashText(url)`; both live in the endpoint's config record.
import { array, boolean, literal, nullable, object, string, type Infer } from '../schema';
import { hashSchema, refSchema } from './common';

/** A URL's host as `URL.host` gives it: name or address, optional port (`hooks.example.com:8443`, `[::1]:9000`). */
export const hostSchema = string({ minLength: 1, maxLength: 261, pattern: '^[A-Za-z0-9.\\-\\[\\]:]+$' });

/** Subscribed actions: action names (also ones this version does not know), or `*` for all. */
export const subscribedActionsSchema = array(string({ minLength: 1, maxLength: 64, pattern: '^(\\*|[a-z][a-z0-9_]*)$' }), {
  minItems: 1,
  maxItems: 64,
  uniqueItems: true,
});

/** What an endpoint's public configuration looks like in events. `board`: its board scope, or null. */
export const webhookConfigSchema = object({
  host: hostSchema,
  urlHash: hashSchema,
  actions: subscribedActionsSchema,
  board: nullable(refSchema),
});
export type WebhookConfig = Infer<typeof webhookConfigSchema>;

export const webhookCreatedV1 = object({
  host: hostSchema,
  urlHash: hashSchema,
  actions: subscribedActionsSchema,
  board: nullable(refSchema),
  isEnabled: boolean(),
});
export type WebhookCreatedV1 = Infer<typeof webhookCreatedV1>;

/** The public configuration before and after (a URL change shows as a new host and/or hash). */
export const webhookUpdatedV1 = object({ from: webhookConfigSchema, to: webhookConfigSchema });
export type WebhookUpdatedV1 = Infer<typeof webhookUpdatedV1>;

export const webhookEnabledV1 = object({ host: hostSchema });
export type WebhookEnabledV1 = Infer<typeof webhookEnabledV1>;

export const WEBHOOK_DISABLE_REASONS = ['admin', 'failing', 'gone'] as const;

/**
 * `admin`: an admin turned it off; `failing`: the relay gave up after repeated failures over days;
 * `gone`: the receiver answered 410.
 */
export const webhookDisabledV1 = object({ host: hostSchema, reason: literal(...WEBHOOK_DISABLE_REASONS) });
export type WebhookDisabledV1 = Infer<typeof webhookDisabledV1>;

/** A new signing secret (never in the event); both are used while the rotation lasts. */
export const webhookSecretRotatedV1 = object({ host: hostSchema });
export type WebhookSecretRotatedV1 = Infer<typeof webhookSecretRotatedV1>;

export const webhookDeletedV1 = object({ host: hostSchema });
export type WebhookDeletedV1 = Infer<typeof webhookDeletedV1>;
