// Makes a value safe to write to a log: secrets removed by key and by shape, errors spelled out, cycles
// and depth bounded, long strings cut. Pure; never throws.
//
// By key (case-insensitive, anywhere in a nested object or array), the value becomes "[redacted]"
// whatever it is, except booleans (`hasToken: true` tells nothing): keys containing secret, token,
// password, passwd, passphrase, authorization, cookie, credential, signature, api key (apikey, api_key,
// api-key), private key, or whsec.
//
// URLs under keys ending in url, uri or href (`url`, `webhookUrl`, `endpoint_uri`) keep only their origin
// ("https://hooks.slack.com/[redacted]"): a webhook URL from Slack or Zapier is a secret in itself, and the
// host is what a reader needs. Log a request's route, not its URL, when the path matters.
//
// By shape, in every string (messages, error messages and stacks included): `whsec_…` signing secrets,
// `Bearer …` and `Basic …` credentials, the path, query and user part of every http(s)/ws(s) URL (the
// origin stays), and the values of query parameters named like a secret in relative paths
// (`/pull/stream?token=…`).

export const redactedText = '[redacted]';

const secretKey = /secret|token|passw(or)?d|passphrase|authorization|cookie|credential|signature|api[-_]?key|private[-_]?key|whsec/i;
const urlKey = /(url|uri|href)$/i;
const absoluteUrl = /\b((?:https?|wss?):\/\/)([^\s/?#@]*@)?([^\s/?#"'<>]+)([/?#][^\s"'<>]*)?/gi;

const secretShapes: ReadonlyArray<readonly [RegExp, (match: string, ...groups: string[]) => string]> = [
  [/whsec_[A-Za-z0-9+/=_-]+/g, () => `whsec_${redactedText}`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, (_m, scheme = '') => `${scheme} ${redactedText}`],
  [
    absoluteUrl,
    (_m, scheme = '', userinfo, host = '', rest) =>
      `${scheme}${userinfo ? `${redactedText}@` : ''}${host}${rest && rest !== '/' ? `/${redactedText}` : (rest ?? '')}`,
  ],
  [
    /([?&][a-z0-9_-]*(?:token|secret|passw(?:or)?d|signature|sig|key|code|auth)[a-z0-9_-]*=)[^&#\s"']*/gi,
    (_m, name = '') => `${name}${redactedText}`,
  ],
];

export type RedactOptions = {
  /** Strings longer than this are cut, with a note of how much was dropped. */
  maxStringLength?: number;
  /** Objects nested deeper than this become "[too deep]". */
  maxDepth?: number;
};

export function isSecretKey(key: string): boolean {
  return secretKey.test(key);
}

/** Removes secret-shaped parts of a string (see the module comment). */
export function redactString(text: string, maxLength = Number.POSITIVE_INFINITY): string {
  let out = text;
  for (const [pattern, replace] of secretShapes) out = out.replace(pattern, replace);
  if (out.length > maxLength) out = `${out.slice(0, maxLength)}…[${out.length - maxLength} more characters]`;
  return out;
}

/** The origin of an absolute URL, the rest redacted; anything else entirely redacted. */
function redactUrl(value: string): string {
  const url = URL.parse(value);
  return url && url.origin !== 'null' ? `${url.origin}/${redactedText}` : redactedText;
}

/** A JSON-ready copy of `value` with secrets removed; `undefined` for values JSON would drop. */
export function redact(value: unknown, options: RedactOptions = {}): unknown {
  const maxStringLength = options.maxStringLength ?? 8192;
  const maxDepth = options.maxDepth ?? 10;
  const ancestors = new Set<object>();

  function visit(v: unknown, depth: number): unknown {
    if (typeof v !== 'object' || v === null) return visitPrimitive(v);
    if (ancestors.has(v)) return '[circular]';
    if (depth >= maxDepth) return '[too deep]';
    ancestors.add(v);
    try {
      return visitObject(v, depth);
    } catch {
      return '[unserializable]';
    } finally {
      ancestors.delete(v);
    }
  }

  function visitPrimitive(v: unknown): unknown {
    switch (typeof v) {
      case 'string':
        return redactString(v, maxStringLength);
      case 'number':
        return Number.isFinite(v) ? v : String(v);
      case 'boolean':
        return v;
      case 'bigint':
      case 'symbol':
        return v.toString();
      default:
        return v === null ? null : undefined; // undefined and functions are left out, as JSON does
    }
  }

  /** Each property read on its own, so one throwing getter spoils only its own value. */
  function visitProperties(obj: object, keys: readonly string[], depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      let safe: unknown;
      try {
        const item: unknown = Reflect.get(obj, key);
        if (typeof item === 'boolean') safe = item;
        else if (isSecretKey(key)) safe = item === undefined ? undefined : redactedText;
        else if (typeof item === 'string' && urlKey.test(key)) safe = redactUrl(item);
        else safe = visit(item, depth + 1);
      } catch {
        safe = '[unserializable]';
      }
      if (safe !== undefined) out[key] = safe;
    }
    return out;
  }

  function visitObject(obj: object, depth: number): unknown {
    if (obj instanceof Error) return serializeError(obj, depth);
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
    if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer) return `[${obj.byteLength} bytes]`;
    if (Array.isArray(obj)) return obj.map((item) => visit(item, depth + 1) ?? null);
    if (obj instanceof Map) {
      const plain = Object.fromEntries([...obj].map(([key, item]: [unknown, unknown]) => [String(key), item]));
      return visitProperties(plain, Object.keys(plain), depth);
    }
    if (obj instanceof Set) return [...obj].map((item) => visit(item, depth + 1) ?? null);
    if (obj instanceof URL) return redactUrl(obj.href);
    if ('toJSON' in obj && typeof obj.toJSON === 'function') {
      const json: unknown = obj.toJSON();
      return json === obj ? visitProperties(obj, Object.keys(obj), depth) : visit(json, depth);
    }
    return visitProperties(obj, Object.keys(obj), depth);
  }

  function serializeError(error: Error, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {
      name: visit(error.name, depth + 1),
      message: visit(error.message, depth + 1),
    };
    if (error.stack !== undefined) out['stack'] = visit(error.stack, depth + 1);
    // Own enumerable properties such as `code`, `status` or `errno`, with the same key rules.
    const ownKeys = Object.keys(error).filter((key) => !(key in out) && key !== 'cause');
    Object.assign(out, visitProperties(error, ownKeys, depth));
    if (error.cause !== undefined) out['cause'] = visit(error.cause, depth + 1);
    if (error instanceof AggregateError) out['errors'] = visit(error.errors, depth + 1);
    return out;
  }

  try {
    return visit(value, 0);
  } catch {
    return '[unserializable]';
  }
}
