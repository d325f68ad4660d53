// A small typed builder for the JSON Schemas of particulars, and a checker that walks them.
//
// Each builder returns a plain JSON Schema object (what ajv compiles in shared/node/validate.ts and what
// the server publishes) that also carries, at the type level only, the TypeScript type it describes:
// `Infer<typeof schema>`. So a particulars type and its schema cannot drift apart.
//
// `conforms(schema, value)` interprets the same schemas without generating code, so the fold and the
// sentences (which run in the renderer, whose CSP forbids ajv's code generation) can skip a malformed
// event instead of throwing. It understands exactly the keywords the builders emit, including the two
// of our own that the ajv validator registers too:
//   `maxUtf8Bytes`  the string's UTF-8 encoding is at most this many bytes;
//   `calendarDate`  the string is a real `YYYY-MM-DD` date.
import { codePointLength, isCalendarDate, utf8ByteLength } from './text';

declare const inferred: unique symbol;

export type JsonSchema = {
  readonly type?: 'string' | 'integer' | 'boolean' | 'object' | 'array' | 'null';
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly maxUtf8Bytes?: number;
  readonly calendarDate?: true;
  readonly enum?: readonly (string | number)[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: false;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: true;
  readonly anyOf?: readonly JsonSchema[];
  readonly description?: string;
};

/** A JSON Schema that describes values of type `T`. */
export type Schema<T> = JsonSchema & { readonly [inferred]?: T };
export type Infer<S> = S extends Schema<infer T> ? T : never;

type StringOptions = {
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  maxUtf8Bytes?: number;
  description?: string;
};

export function string(options: StringOptions = {}): Schema<string> {
  return { type: 'string', ...options };
}

/** One of the given strings. */
export function literal<const U extends string>(...values: readonly U[]): Schema<U> {
  return { type: 'string', enum: values };
}

export function integer(options: { minimum?: number; maximum?: number } = {}): Schema<number> {
  return { type: 'integer', ...options };
}

export function boolean(): Schema<boolean> {
  return { type: 'boolean' };
}

/** A `YYYY-MM-DD` calendar date. */
export function calendarDate(): Schema<string> {
  return { type: 'string', minLength: 10, maxLength: 10, pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', calendarDate: true };
}

type Shape = Record<string, Schema<unknown>>;
type ObjectOf<P extends Shape> = { [K in keyof P]: Infer<P[K]> };

/** An object with exactly these properties, all required, nothing else. */
export function object<const P extends Shape>(properties: P): Schema<ObjectOf<P>> {
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
}

export function array<T>(
  items: Schema<T>,
  options: { minItems?: number; maxItems?: number; uniqueItems?: true } = {},
): Schema<T[]> {
  return { type: 'array', items, ...options };
}

/** `T` or `null`. */
export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return { anyOf: [inner, { type: 'null' }] };
}

/** True when `value` satisfies `schema` (for the keywords above; unknown keywords are ignored). */
export function conforms(schema: JsonSchema, value: unknown): boolean {
  if (schema.anyOf !== undefined) return schema.anyOf.some((option) => conforms(option, value));
  switch (schema.type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return (
        typeof value === 'number' &&
        Number.isInteger(value) &&
        (schema.minimum === undefined || value >= schema.minimum) &&
        (schema.maximum === undefined || value <= schema.maximum) &&
        (schema.enum === undefined || schema.enum.includes(value))
      );
    case 'string':
      return typeof value === 'string' && conformsString(schema, value);
    case 'array':
      return Array.isArray(value) && conformsArray(schema, value);
    case 'object':
      return isRecord(value) && conformsObject(schema, value);
    case undefined:
      return true;
  }
}

const regexCache = new Map<string, RegExp>();

function regexFor(pattern: string): RegExp {
  let regex = regexCache.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(pattern, 'u'); // ajv's default (unicodeRegExp)
    regexCache.set(pattern, regex);
  }
  return regex;
}

function conformsString(schema: JsonSchema, value: string): boolean {
  if (schema.enum !== undefined && !schema.enum.includes(value)) return false;
  // Code points are between half the UTF-16 length and the UTF-16 length: count only when that matters.
  const { minLength, maxLength } = schema;
  if (maxLength !== undefined && value.length > maxLength && codePointLength(value) > maxLength) return false;
  if (minLength !== undefined && value.length / 2 < minLength && codePointLength(value) < minLength) return false;
  if (schema.pattern !== undefined && !regexFor(schema.pattern).test(value)) return false;
  if (schema.maxUtf8Bytes !== undefined && value.length * 3 > schema.maxUtf8Bytes && utf8ByteLength(value) > schema.maxUtf8Bytes) {
    return false;
  }
  if (schema.calendarDate === true && !isCalendarDate(value)) return false;
  return true;
}

function conformsArray(schema: JsonSchema, value: readonly unknown[]): boolean {
  if (schema.minItems !== undefined && value.length < schema.minItems) return false;
  if (schema.maxItems !== undefined && value.length > schema.maxItems) return false;
  const items = schema.items;
  if (items !== undefined && !value.every((item) => conforms(items, item))) return false;
  if (schema.uniqueItems === true) {
    // Items of our schemas are strings or small objects; JSON text identifies them.
    const seen = new Set(value.map((item) => JSON.stringify(item)));
    if (seen.size !== value.length) return false;
  }
  return true;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function conformsObject(schema: JsonSchema, record: Readonly<Record<string, unknown>>): boolean {
  const { properties, required, additionalProperties } = schema;
  if (properties === undefined && additionalProperties !== false) return true;
  for (const key of required ?? []) {
    if (!Object.hasOwn(record, key)) return false;
  }
  for (const key of Object.keys(record)) {
    const propertySchema = properties !== undefined && Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (propertySchema === undefined) {
      if (additionalProperties === false) return false;
    } else if (!conforms(propertySchema, record[key])) {
      return false;
    }
  }
  return true;
}
