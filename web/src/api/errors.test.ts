import { describe, expect, it } from 'vitest';
import { json } from '../test/fakeFetch';
import { ApiError, errorFromResponse, parseRetryAfter, toFormErrors } from './errors';

describe('errorFromResponse', () => {
  it('keeps the server code, message and field', async () => {
    const err = await errorFromResponse(
      json(409, { error: { code: 'conflict', message: 'This email is already registered', field: 'email' } }),
    );
    expect(err).toMatchObject({ status: 409, code: 'conflict', message: 'This email is already registered', field: 'email' });
  });

  it('reads Retry-After on 429', async () => {
    const err = await errorFromResponse(json(429, { error: { code: 'rate_limited', message: 'Slow down' } }, { 'Retry-After': '30' }));
    expect(err.code).toBe('rate_limited');
    expect(err.retryAfter).toBe(30);
  });

  it('falls back to a code from the status when the body is not our error shape', async () => {
    const err = await errorFromResponse(new Response('<html>Bad gateway</html>', { status: 404 }));
    expect(err.code).toBe('not_found');
    expect(err.field).toBeUndefined();
    const other = await errorFromResponse(new Response('', { status: 502 }));
    expect(other.code).toBe('bad_response');
  });
});

describe('parseRetryAfter', () => {
  it('accepts delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120')).toBe(120);
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:10 GMT', now)).toBe(10);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
});

describe('toFormErrors', () => {
  it('puts a validation error under its field', () => {
    const err = new ApiError(400, 'validation_failed', 'Username must be 3 to 32 characters', 'username');
    expect(toFormErrors(err, ['username', 'email'])).toEqual({
      fields: { username: 'Username must be 3 to 32 characters' },
      general: null,
    });
  });

  it('puts an error for a field the form does not show above the form', () => {
    const err = new ApiError(400, 'validation_failed', 'Bad time zone', 'timeZone');
    expect(toFormErrors(err, ['title'])).toEqual({ fields: {}, general: 'Bad time zone' });
  });

  it('turns rate limiting into a message with the wait', () => {
    const err = new ApiError(429, 'rate_limited', 'Too many requests', undefined, 42);
    expect(toFormErrors(err).general).toMatch(/42 seconds/);
  });

  it('gives a generic message for non-API errors', () => {
    const out = toFormErrors(new Error('boom'));
    expect(out.fields).toEqual({});
    expect(out.general).toMatch(/went wrong/);
  });
});
