// Validators for events and particulars, compiled by ajv (code generation: Node only, never the
// renderer). Each schema is compiled once, on first use, and cached. The domain validates every event
// it builds before inserting it; the server validates every pushed event.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { AppError } from '../errors';
import { isKnownAction, type Action } from '../events/actions';
import { CATALOGUE, particularsSchema, type CurrentVersion, type ParticularsOf } from '../events/catalogue';
import { ENVELOPE_SCHEMA, envelopeProblems, type StoredEvent } from '../events/envelope';
import { isCalendarDate, utf8ByteLength } from '../events/text';

export type Validation<T> =
  | { ok: true; value: T }
  /** `errors`: one readable line per problem (`particulars.title: must NOT have more than 512 characters`). */
  | { ok: false; errors: string[]; message: string };

const ajv = new Ajv({ allErrors: true, strict: true, unicodeRegExp: true });

type KeywordValidate = ((schema: unknown, data: unknown) => boolean) & { errors?: Partial<ErrorObject>[] };

const maxUtf8Bytes: KeywordValidate = (limit, data) => {
  if (typeof limit !== 'number' || typeof data !== 'string') return true;
  if (utf8ByteLength(data) <= limit) return true;
  maxUtf8Bytes.errors = [{ keyword: 'maxUtf8Bytes', message: `must NOT be longer than ${limit} bytes of UTF-8`, params: { limit } }];
  return false;
};

const calendarDate: KeywordValidate = (isOn, data) => {
  if (isOn !== true || typeof data !== 'string' || isCalendarDate(data)) return true;
  calendarDate.errors = [{ keyword: 'calendarDate', message: 'must be a real calendar date (YYYY-MM-DD)', params: {} }];
  return false;
};

ajv.addKeyword({ keyword: 'maxUtf8Bytes', type: 'string', schemaType: 'number', errors: true, validate: maxUtf8Bytes });
ajv.addKeyword({ keyword: 'calendarDate', type: 'string', schemaType: 'boolean', errors: true, validate: calendarDate });

const compiled = new Map<string, ValidateFunction>();

/** The compiled validator for `schema` (cached under `key`); `T`: what the schema describes. */
function compiledFor<T>(key: string, schema: object): ValidateFunction<T> {
  const cached = compiled.get(key);
  if (cached !== undefined) return cached as ValidateFunction<T>;
  const validate = ajv.compile<T>(schema);
  compiled.set(key, validate);
  return validate;
}

/** Readable lines for ajv's errors, each prefixed with where in the value it is (`prefix.a.b`). */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined, prefix: string): string[] {
  const all = errors ?? [];
  // A nullable value that is neither null nor valid fails three ways ("must be null", "anyOf", and the
  // real reason): keep only the real reason where there is one.
  const isNullableNoise = (error: ErrorObject): boolean =>
    error.keyword === 'anyOf' || (error.keyword === 'type' && error.params['type'] === 'null');
  const isNoise = (error: ErrorObject): boolean =>
    isNullableNoise(error) &&
    all.some((other) => other.instancePath === error.instancePath && !isNullableNoise(other));
  const lines = all.filter((error) => !isNoise(error)).map((error) => {
    const path = error.instancePath === '' ? prefix : `${prefix}.${error.instancePath.slice(1).replaceAll('/', '.')}`;
    return `${path}: ${messageOf(error)}`;
  });
  return [...new Set(lines)];
}

function messageOf(error: ErrorObject): string {
  const params: Record<string, unknown> = error.params;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unexpected property '${String(params['additionalProperty'])}'`;
    case 'enum':
      return `must be one of ${JSON.stringify(params['allowedValues'])}`;
    case 'anyOf':
      return 'does not match any allowed shape';
    default:
      return error.message ?? `fails ${error.keyword}`;
  }
}

function failed<T>(errors: string[]): Validation<T> {
  return { ok: false, errors, message: errors.join('; ') };
}

/**
 * Checks particulars of `(action, v)` against that version's schema (old versions stay valid; the
 * fold upcasts them). An action or version this app does not know fails with one line saying so.
 */
export function validateParticulars<A extends Action>(
  action: A,
  v: CurrentVersion<A>,
  value: unknown,
): Validation<ParticularsOf<A>>;
export function validateParticulars(action: string, v: number, value: unknown): Validation<unknown>;
export function validateParticulars(action: string, v: number, value: unknown): Validation<unknown> {
  if (!isKnownAction(action)) return failed([`action: unknown action '${action}'`]);
  const schema = particularsSchema(action, v);
  if (schema === undefined) return failed([`v: unknown version ${v} of ${action} (this app knows 1 to ${CATALOGUE[action].current})`]);
  const validate = compiledFor(`${action}@${v}`, schema);
  if (validate(value)) return { ok: true, value };
  return failed(describeErrors(validate.errors, 'particulars'));
}

/**
 * Checks the envelope only (any action, any version, particulars any object): what may be stored and
 * replicated, also from a newer app.
 */
export function validateEnvelope(value: unknown): Validation<StoredEvent> {
  const validate = compiledFor<StoredEvent>('envelope', ENVELOPE_SCHEMA);
  if (validate(value)) return { ok: true, value };
  return failed(describeErrors(validate.errors, 'event'));
}

/**
 * Checks a whole event this app must understand (what the domain builds, what the server accepts):
 * the envelope, a known action and version, the envelope fields that depend on the action, and the
 * particulars.
 */
export function validateEvent(value: unknown): Validation<StoredEvent> {
  const envelope = validateEnvelope(value);
  if (!envelope.ok) return envelope;
  const event = envelope.value;
  const problems = envelopeProblems(event).map((problem) => `event: ${problem}`);
  const particulars = validateParticulars(event.action, event.v, event.particulars);
  const errors = [...problems, ...(particulars.ok ? [] : particulars.errors)];
  return errors.length === 0 ? envelope : failed(errors);
}

/** The value when valid; otherwise throws `AppError('invalid_input')` naming every problem. */
export function expectValid<T>(result: Validation<T>, what: string): T {
  if (result.ok) return result.value;
  throw new AppError('invalid_input', `Invalid ${what}: ${result.message}`, { errors: result.errors });
}
