import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../shared/node/logger';
import { redact } from '../../../shared/node/redact';

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'trailboard-logger-'));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

function readLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('logger', () => {
  it('writes one JSON object per line to <dataDir>/logs/trailboard.log with time, level, msg and fields', () => {
    const log = createLogger({ dataDir });
    log.info('core started', { accounts: 2 });
    log.error('replication failed', { accountId: 'a1' });
    log.close();

    expect(log.path).toBe(join(dataDir, 'logs', 'trailboard.log'));
    const lines = readLines(log.path);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'core started', accounts: 2 });
    expect(lines[1]).toMatchObject({ level: 'error', msg: 'replication failed', accountId: 'a1' });
    expect(Object.keys(lines[0] ?? {}).slice(0, 3)).toEqual(['time', 'level', 'msg']);
    expect(Date.parse(String(lines[0]?.['time']))).not.toBeNaN();
    // Logs may hold personal data: readable by their owner only.
    expect(statSync(log.path).mode & 0o777).toBe(0o600);
  });

  it('skips lines below its level', () => {
    const log = createLogger({ dataDir, level: 'warn' });
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(log.isLevelEnabled('info')).toBe(false);
    expect(log.isLevelEnabled('error')).toBe(true);
    expect(readLines(log.path).map((l) => l['msg'])).toEqual(['w', 'e']);
  });

  it('binds fields in child loggers, the child winning over its parent and the line over both', () => {
    const log = createLogger({ dataDir, fields: { process: 'main', thread: 'main' } });
    const core = log.child({ thread: 'core', accountId: 'a1' });
    const projector = core.child({ consumer: 'projector' });
    projector.info('applied', { accountId: 'a2' });
    log.info('parent line');
    const [first, second] = readLines(log.path);
    expect(first).toMatchObject({ process: 'main', thread: 'core', consumer: 'projector', accountId: 'a2' });
    expect(second).toMatchObject({ process: 'main', thread: 'main' });
    expect(second).not.toHaveProperty('consumer');
  });

  it('never lets a field overwrite time, level or msg', () => {
    const log = createLogger({ dataDir });
    log.warn('real message', { msg: 'fake', level: 'debug', time: 'yesterday' });
    const [line] = readLines(log.path);
    expect(line).toMatchObject({ msg: 'real message', level: 'warn', 'field.msg': 'fake', 'field.level': 'debug', 'field.time': 'yesterday' });
  });

  it('rotates by size, keeping maxFiles older files with 1 the newest', () => {
    const log = createLogger({ dataDir, maxBytes: 1000, maxFiles: 3 });
    const written = 60;
    for (let i = 0; i < written; i += 1) log.info('line', { i, pad: 'x'.repeat(100) });
    log.close();

    const logs = join(dataDir, 'logs');
    expect(readdirSync(logs).sort()).toEqual(['trailboard.1.log', 'trailboard.2.log', 'trailboard.3.log', 'trailboard.log']);
    const files = ['trailboard.3.log', 'trailboard.2.log', 'trailboard.1.log', 'trailboard.log'].map((f) => join(logs, f));
    const kept = files.flatMap((f) => readLines(f).map((l) => l['i']));
    // Oldest to newest without gaps, ending at the last line written; every file within the bound.
    expect(kept.at(-1)).toBe(written - 1);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, k) => written - kept.length + k));
    expect(kept.length).toBeLessThan(written);
    for (const f of files) expect(readFileSync(f).length).toBeLessThanOrEqual(1000);
    expect(log.droppedLines).toBe(0);
  });

  it('follows a rotation done by another logger on the same file', () => {
    const a = createLogger({ dataDir, maxBytes: 400, fields: { w: 'a' } });
    const b = createLogger({ dataDir, maxBytes: 400, fields: { w: 'b' } });
    b.info('b before'); // b now holds the file open
    let i = 0;
    while (!existsSync(join(dataDir, 'logs', 'trailboard.1.log'))) a.info('a filler', { i: i++ });
    b.info('b after');
    // b noticed that a rotated the file and appended to the new one, after a's newest line.
    expect(readLines(a.path).map((l) => `${String(l['w'])}: ${String(l['msg'])}`)).toEqual(['a: a filler', 'b: b after']);
    expect(readLines(join(dataDir, 'logs', 'trailboard.1.log'))[0]).toMatchObject({ w: 'b', msg: 'b before' });
    a.close();
    b.close();
  });

  it('redacts secrets by key, nested and in arrays, case-insensitively, and by shape in strings', () => {
    const log = createLogger({ dataDir });
    log.info('webhook saved: secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, sent with Bearer abc.def.ghi', {
      endpoint: {
        id: 'w1',
        Secret: 'whsec_abc',
        signingSecrets: ['whsec_1', 'whsec_2'],
        webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXX',
        headers: { Authorization: 'Bearer abc', COOKIE: 'sid=1', 'X-Api-Key': 'k', accept: 'application/json' },
      },
      devices: [{ name: 'laptop', deviceToken: 'tok_123' }, { name: 'phone', refresh_token: { value: 'x' } }],
      password: 12345,
      hasToken: true,
      note: 'stream at /pull/stream?token=abc123&limit=10 failed',
    });
    const text = readFileSync(log.path, 'utf8');
    for (const secret of ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'abc.def.ghi', 'whsec_abc', 'whsec_1', 'T000', 'tok_123', 'sid=1', '12345', 'abc123']) {
      expect(text).not.toContain(secret);
    }
    const [line] = readLines(log.path);
    expect(line).toMatchObject({
      msg: 'webhook saved: secret whsec_[redacted], sent with Bearer [redacted]',
      endpoint: {
        id: 'w1',
        Secret: '[redacted]',
        signingSecrets: '[redacted]',
        webhookUrl: 'https://hooks.slack.com/[redacted]',
        headers: { Authorization: '[redacted]', COOKIE: '[redacted]', 'X-Api-Key': '[redacted]', accept: 'application/json' },
      },
      devices: [{ name: 'laptop', deviceToken: '[redacted]' }, { name: 'phone', refresh_token: '[redacted]' }],
      password: '[redacted]',
      hasToken: true,
      note: 'stream at /pull/stream?token=[redacted]&limit=10 failed',
    });
  });

  it('keeps only the origin of URLs in free text and drops their credentials', () => {
    expect(redact('POST https://hooks.zapier.com/hooks/catch/123/abc/ failed')).toBe('POST https://hooks.zapier.com/[redacted] failed');
    expect(redact('listening on http://127.0.0.1:4000/')).toBe('listening on http://127.0.0.1:4000/');
    expect(redact('db at https://admin:hunter2@db.example:5432/x')).toBe('db at https://[redacted]@db.example:5432/[redacted]');
    expect(redact({ url: '/accounts/a1/pull?checkpoint=5' })).toEqual({ url: '[redacted]' });
  });

  it('serialises errors with name, message, stack, own fields and cause, redacted', () => {
    const log = createLogger({ dataDir });
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const error = Object.assign(new TypeError('push failed for Bearer s3cr3t', { cause }), { status: 503, token: 't' });
    log.error('sync error', { err: error, nested: { errors: [new RangeError('bad hlc')] } });
    const [line] = readLines(log.path);
    expect(line?.['err']).toMatchObject({
      name: 'TypeError',
      message: 'push failed for Bearer [redacted]',
      status: 503,
      token: '[redacted]',
      cause: { name: 'Error', message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' },
    });
    const err = line?.['err'] as { stack?: unknown };
    expect(String(err.stack)).toContain('logger.test.ts');
    expect(String(err.stack)).not.toContain('s3cr3t');
    expect(line?.['nested']).toMatchObject({ errors: [{ name: 'RangeError', message: 'bad hlc' }] });
  });

  it('writes awkward values without throwing: cycles, bigints, dates, maps, bytes, long strings, throwing getters', () => {
    const log = createLogger({ dataDir, maxStringLength: 20 });
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    const hostile = {
      get boom(): string {
        throw new Error('getter exploded');
      },
    };
    log.info('odd values', {
      cyclic,
      big: 10n ** 20n,
      when: new Date(0),
      map: new Map<string, unknown>([['apiKey', 'k'], ['size', 3]]),
      bytes: new Uint8Array(16),
      long: 'y'.repeat(100),
      hostile,
      missing: undefined,
    });
    const [line] = readLines(log.path);
    expect(line).toMatchObject({
      cyclic: { name: 'loop', self: '[circular]' },
      big: '100000000000000000000',
      when: '1970-01-01T00:00:00.000Z',
      map: { apiKey: '[redacted]', size: 3 },
      bytes: '[16 bytes]',
      long: `${'y'.repeat(20)}…[80 more characters]`,
      hostile: { boom: '[unserializable]' },
    });
    expect(line).not.toHaveProperty('missing');
    expect(log.droppedLines).toBe(0);
  });

  it.skipIf(!existsSync('/dev/full'))('never throws on a full disk, counts dropped lines and reports them once it can write', () => {
    const logs = join(dataDir, 'logs');
    mkdirSync(logs);
    // /dev/full answers every write with ENOSPC: a real full disk, without filling one.
    symlinkSync('/dev/full', join(logs, 'trailboard.log'));
    const log = createLogger({ dataDir });
    expect(() => {
      log.info('one');
      log.child({ a: 1 }).error('two');
    }).not.toThrow();
    expect(log.droppedLines).toBe(2);

    rmSync(join(logs, 'trailboard.log'));
    log.info('three');
    const lines = readLines(log.path);
    expect(lines.map((l) => l['msg'])).toEqual(['log lines dropped', 'three']);
    expect(lines[0]).toMatchObject({ level: 'warn', dropped: 2 });
    expect(log.droppedLines).toBe(2);
  });

  it('never throws when the log folder cannot be created', () => {
    writeFileSync(join(dataDir, 'logs'), 'a file where the folder should be');
    const log = createLogger({ dataDir });
    expect(() => log.warn('nowhere to go', { err: new Error('x') })).not.toThrow();
    expect(log.droppedLines).toBe(1);
    expect(() => log.close()).not.toThrow();
  });
});
