import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  isPayrocApiError,
  isPayrocError,
  isPayrocTimeoutError,
  PayrocApiError,
  PayrocError,
  PayrocTimeoutError,
} from '../../src/core/errors/index';

describe('errors', () => {
  it('turns an RFC 7807 body into a typed error with every member', () => {
    const body = {
      type: 'https://docs.payroc.com/api/errors#bad-request',
      title: 'Bad Request',
      status: 400,
      detail: 'One or more validation errors occurred',
      instance: '/v1/processing-terminals/1234001/hosted-fields-sessions',
      errors: [{ parameter: 'libVersion', detail: 'Invalid libVersion', message: 'Invalid libVersion' }],
      resource: 'hosted-fields-sessions',
    };
    const error = new PayrocApiError(400, body);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('PayrocApiError');
    expect(error.status).toBe(400);
    expect(error.type).toBe(body.type);
    expect(error.title).toBe('Bad Request');
    expect(error.detail).toBe(body.detail);
    expect(error.instance).toBe(body.instance);
    expect(error.errors).toEqual(body.errors);
    expect(error.extensions).toEqual({ resource: 'hosted-fields-sessions' });
    expect(error.body).toBe(body);
    expect(error.message).toBe('Bad Request: One or more validation errors occurred');
  });

  it('falls back to the status line when the body is not a problem object', () => {
    const error = new PayrocApiError(502, '<html>Bad gateway</html>');
    expect(error.title).toBe('HTTP 502');
    expect(error.type).toBe('about:blank');
    expect(error.body).toBe('<html>Bad gateway</html>');
  });

  it('keeps the cause', () => {
    const cause = new Error('socket hang up');
    const error = new PayrocTimeoutError(5000, { cause });
    expect(error.cause).toBe(cause);
    // As with a native Error, `cause` is not enumerable, so JSON.stringify(error) and logs of it do not drag it along.
    expect(Object.keys(error)).not.toContain('cause');
    expect(error).toMatchObject({ name: 'PayrocTimeoutError', title: 'Request timed out', timeoutMs: 5000, type: 'about:blank' });
  });

  it('fills type and title when the caller leaves them out or passes undefined', () => {
    const error = new PayrocError('Something broke', { type: undefined, title: undefined, status: 502 });
    expect(error).toMatchObject({ type: 'about:blank', title: 'Something broke', status: 502, message: 'Something broke' });
  });

  it('guards work on errors from another realm, where instanceof fails', () => {
    // A plain object from another realm that carries the brand, as an error class instantiated there would.
    const foreign = runInNewContext(
      `const e = new Error('x'); e.name = 'PayrocTimeoutError'; e[Symbol.for('payroc-hosted-fields.error')] = true; e`,
    ) as unknown;
    expect(foreign instanceof PayrocTimeoutError).toBe(false);
    expect(isPayrocError(foreign)).toBe(true);
    expect(isPayrocTimeoutError(foreign)).toBe(true);
    expect(isPayrocApiError(foreign)).toBe(false);
    expect(isPayrocError(new Error('plain'))).toBe(false);
    expect(isPayrocError(null)).toBe(false);
  });
});
