import { describe, expect, it } from 'vitest';
import { AppError, ERROR_CODES, isAppError, isErrorCode, toErrorBody } from '../../shared/errors';

describe('AppError', () => {
  it('carries a code, a message and optional details', () => {
    const error = new AppError('not_found', 'No such card.', { cardId: 'c1' });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'AppError', code: 'not_found', message: 'No such card.', details: { cardId: 'c1' } });
    expect(error.toBody()).toEqual({ code: 'not_found', message: 'No such card.', details: { cardId: 'c1' } });
    expect(new AppError('conflict', 'Changed meanwhile.').toBody()).toEqual({ code: 'conflict', message: 'Changed meanwhile.' });
  });

  it('is recognised also after crossing a realm (structured clone keeps only the shape)', () => {
    const cloned: unknown = structuredClone({ name: 'AppError', code: 'forbidden', message: 'Admins only.' });
    expect(isAppError(new AppError('forbidden', 'Admins only.'))).toBe(true);
    expect(isAppError(cloned)).toBe(true);
    expect(isAppError(new Error('boom'))).toBe(false);
    expect(isAppError({ name: 'AppError', code: 'teapot', message: 'x' })).toBe(false);
    expect(isAppError(null)).toBe(false);
  });

  it('has exactly the closed set of codes', () => {
    expect([...ERROR_CODES]).toEqual(['not_found', 'invalid_input', 'forbidden', 'conflict', 'unavailable', 'internal']);
    expect(isErrorCode('conflict')).toBe(true);
    expect(isErrorCode('bad_request')).toBe(false);
  });

  it('turns anything thrown into a body that leaks nothing of a bug', () => {
    expect(toErrorBody(new AppError('invalid_input', 'Title too long.'))).toEqual({ code: 'invalid_input', message: 'Title too long.' });
    const body = toErrorBody(new TypeError("Cannot read properties of undefined (reading 'secret')"));
    expect(body.code).toBe('internal');
    expect(body.message).not.toContain('secret');
    expect(toErrorBody('a string').code).toBe('internal');
  });
});
