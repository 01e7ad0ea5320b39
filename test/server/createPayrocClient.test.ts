import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createMemoryTokenStore,
  createPayrocClient,
  HOSTED_FIELDS_SCRIPTS,
  isPayrocApiError,
  isPayrocConfigurationError,
  isPayrocInvalidResponseError,
  isPayrocNetworkError,
  isPayrocTimeoutError,
  isPayrocValidationError,
  PAYROC_ENVIRONMENTS,
  type PayrocClientOptions,
  type TokenStore,
} from '../../src/server';
import { isUuidV4 } from '../../src/core/validation';
import { fakePayroc, hang, problem, TEST_API_KEY, type Responder } from './support/fakePayroc';

const client = (payroc: ReturnType<typeof fakePayroc>, options: Partial<PayrocClientOptions> = {}) =>
  createPayrocClient({ apiKey: TEST_API_KEY, environment: 'test', fetch: payroc.fetch, ...options });

const caught = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
};

// Fake setTimeout and Date only. Before its first request a client hashes the token store key with Web Crypto, which
// runs on libuv's thread pool: that takes as many real event loop turns as the OS lets it (up to about a thousand on
// an idle machine, many more on a loaded one). So these tests wait for an event (a request received, a retry logged)
// or for the promise itself, never for a number of turns.
const useFakeClock = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
const realTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs the fake clock until `promise` settles: to the next timer when one is pending, else one real turn. */
async function settle<T>(promise: Promise<T>): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) {
    if (vi.getTimerCount() > 0) await vi.advanceTimersToNextTimerAsync();
    else await realTick();
  }
  return promise;
}

/** Answers like `responder`, and resolves `received` when the fake Payroc gets the request. */
function noticed(responder: Responder): { responder: Responder; received: Promise<void> } {
  let notice!: () => void;
  const received = new Promise<void>((resolve) => (notice = resolve));
  return {
    responder: (call, signal) => {
      notice();
      return responder(call, signal);
    },
    received,
  };
}

/** A logger whose warnings can be awaited: the client warns of a retry as it starts the wait before it. */
function warnings() {
  const lines: string[] = [];
  let waiting: Array<(line: string) => void> = [];
  const logger = {
    warn: (line: string) => {
      lines.push(line);
      for (const resolve of waiting) resolve(line);
      waiting = [];
    },
  };
  return { lines, logger, next: () => new Promise<string>((resolve) => waiting.push(resolve)) };
}

const session201 = (body: unknown): Responder => () => Response.json(body, { status: 201 });

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('createPayrocClient: configuration', () => {
  it.each([
    ['a missing apiKey', { apiKey: undefined }, /apiKey is required/],
    ['an empty apiKey', { apiKey: '  ' }, /apiKey is required/],
    ['an unknown environment', { environment: 'staging' }, /environment must be 'test' or 'production'/],
    ['a zero timeout', { timeoutMs: 0 }, /timeoutMs/],
    // setTimeout fires at once for a delay above 2^31 − 1 ms: every attempt would time out after 1 ms.
    ['a timeout above 2^31 − 1 ms', { timeoutMs: 2 ** 31 }, /^timeoutMs must be a positive number of milliseconds, at most 2147483647$/],
    ['an infinite timeout', { timeoutMs: Infinity }, /^timeoutMs must be a positive number of milliseconds, at most 2147483647$/],
    ['negative retries', { maxRetries: -1 }, /maxRetries/],
    ['fractional retries', { maxRetries: 1.5 }, /maxRetries/],
    ['a relative identityUrl', { identityUrl: '/authorize' }, /identityUrl must be an absolute/],
    ['a non-http apiUrl', { apiUrl: 'ftp://example.test/v1' }, /apiUrl must be an absolute/],
    ['an invalid libVersion', { libVersion: 'latest' }, /libVersion/],
    ['a negative margin', { tokenRefreshMarginMs: -5 }, /tokenRefreshMarginMs/],
    ['the API key as the token store key', { tokenStoreKey: TEST_API_KEY }, /tokenStoreKey must not be the API key/],
  ])('throws PayrocConfigurationError for %s', (_label, overrides, message) => {
    const error = (() => {
      try {
        createPayrocClient({ apiKey: TEST_API_KEY, environment: 'test', ...(overrides as Partial<PayrocClientOptions>) });
      } catch (thrown) {
        return thrown;
      }
      throw new Error('expected createPayrocClient to throw');
    })();
    expect(isPayrocConfigurationError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(TEST_API_KEY);
  });

  it.each([
    ['a line break', 'sk_live_abc\n123', 'U+000A at position 12'],
    ['a trailing newline', 'sk_live_abc123\n', 'U+000A at position 15'],
    ['a space', 'sk_live abc123', 'U+0020 at position 8'],
    ['a zero-width space', 'sk_live_\u200Babc123', 'U+200B at position 9'],
    ['curly quotes', '\u2019sk_live_abc123\u2019', 'U+2019 at position 1'],
    ['a NUL', 'sk_live_abc\u0000123', 'U+0000 at position 12'],
  ])('throws PayrocConfigurationError for an apiKey with %s, without the key in the error', (_label, apiKey, where) => {
    const payroc = fakePayroc();
    let error: unknown;
    try {
      client(payroc, { apiKey });
    } catch (thrown) {
      error = thrown;
    }
    expect(isPayrocConfigurationError(error)).toBe(true);
    expect((error as Error).message).toContain(`apiKey must be visible ASCII, as Payroc API keys are, but has ${where}:`);
    const everything = JSON.stringify([(error as Error).message, String((error as Error).stack), { ...(error as object) }]);
    expect(everything).not.toContain(apiKey);
    expect(everything).not.toContain(JSON.stringify(apiKey).slice(1, -1));
    expect(payroc.calls).toHaveLength(0);
  });

  it('accepts the longest timeout setTimeout can wait for', () => {
    expect(() => createPayrocClient({ apiKey: TEST_API_KEY, environment: 'test', timeoutMs: 2 ** 31 - 1 })).not.toThrow();
  });

  it('refuses to run where window and document exist, without touching the network', () => {
    const payroc = fakePayroc();
    vi.stubGlobal('window', {});
    vi.stubGlobal('document', {});
    expect(() => client(payroc)).toThrow(/runs on your server only/);
    expect(payroc.calls).toHaveLength(0);
  });

  it('runs where only window exists (Deno) and exposes environment and libVersion', () => {
    vi.stubGlobal('window', {});
    const payroc = client(fakePayroc(), { environment: 'production' });
    expect(payroc.environment).toBe('production');
    expect(payroc.libVersion).toBe(HOSTED_FIELDS_SCRIPTS.production.libVersion);
  });
});

describe('createHostedFieldsSession: the request', () => {
  it('gets a Bearer token with the API key, then POSTs exactly the documented request and returns the session', async () => {
    const payroc = fakePayroc();
    const session = await client(payroc).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' });

    const [identity, create, ...rest] = payroc.calls;
    expect(rest).toHaveLength(0);
    expect(identity).toMatchObject({ url: PAYROC_ENVIRONMENTS.test.identityUrl, method: 'POST', headers: { 'x-api-key': TEST_API_KEY } });
    expect(create!.url).toBe('https://api.uat.payroc.com/v1/processing-terminals/1234001/hosted-fields-sessions');
    expect(create!.method).toBe('POST');
    expect(create!.headers).toEqual({
      'content-type': 'application/json',
      authorization: 'Bearer bearer-1',
      'idempotency-key': expect.any(String),
    });
    expect(isUuidV4(create!.headers['idempotency-key'])).toBe(true);
    expect(JSON.parse(create!.body)).toEqual({ libVersion: '1.7.0.261457', scenario: 'payment' });
    expect(session).toEqual({
      processingTerminalId: '1234001',
      token: 'session-1',
      expiresAt: expect.any(String),
      libVersion: '1.7.0.261457',
      environment: 'test',
    });
  });

  it('uses production URLs and libVersion for environment production', async () => {
    const payroc = fakePayroc();
    const session = await client(payroc, { environment: 'production' }).createHostedFieldsSession({
      processingTerminalId: '1234001',
      scenario: 'tokenization',
      secureTokenId: 'MREF_0042',
    });
    expect(payroc.calls.map((call) => call.url)).toEqual([
      'https://identity.payroc.com/authorize',
      'https://api.payroc.com/v1/processing-terminals/1234001/hosted-fields-sessions',
    ]);
    expect(JSON.parse(payroc.calls[1]!.body)).toEqual({ libVersion: '1.7.0.261471', scenario: 'tokenization', secureTokenId: 'MREF_0042' });
    expect(session).toMatchObject({ libVersion: '1.7.0.261471', environment: 'production' });
  });

  it('encodes the terminal id into the path and honours identityUrl/apiUrl overrides and a per-call libVersion', async () => {
    const payroc = fakePayroc();
    const session = await client(payroc, { identityUrl: 'http://127.0.0.1:9/authorize', apiUrl: 'http://127.0.0.1:9/v1/' }).createHostedFieldsSession({
      processingTerminalId: 'ab/c d?9',
      scenario: 'payment',
      libVersion: '1.8.0-beta.12',
    });
    expect(payroc.calls.map((call) => call.url)).toEqual([
      'http://127.0.0.1:9/authorize',
      'http://127.0.0.1:9/v1/processing-terminals/ab%2Fc%20d%3F9/hosted-fields-sessions',
    ]);
    expect(session).toMatchObject({ processingTerminalId: 'ab/c d?9', libVersion: '1.8.0-beta.12' });
  });

  it('sends the caller’s Idempotency-Key', async () => {
    const payroc = fakePayroc();
    const idempotencyKey = '8e03978e-40d5-43e8-bc93-6894a57f9324';
    await client(payroc).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment', idempotencyKey });
    expect(payroc.sessionCalls()[0]!.headers['idempotency-key']).toBe(idempotencyKey);
  });

  it('generates a UUID v4 without global crypto (Node 18), via node:crypto', async () => {
    vi.stubGlobal('crypto', undefined);
    const payroc = fakePayroc();
    await client(payroc).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' });
    expect(isUuidV4(payroc.sessionCalls()[0]!.headers['idempotency-key'])).toBe(true);
  });

  it.each([
    ['processingTerminalId', { processingTerminalId: '123' }],
    ['processingTerminalId', { processingTerminalId: 'x'.repeat(51) }],
    ['scenario', { scenario: 'refund' }],
    ['secureTokenId', { secureTokenId: '' }],
    ['secureTokenId', { secureTokenId: 'x'.repeat(201) }],
    ['libVersion', { libVersion: '1.7' }],
    ['idempotencyKey', { idempotencyKey: 'not-a-uuid' }],
    ['idempotencyKey', { idempotencyKey: '8e03978e-40d5-13e8-bc93-6894a57f9324' }],
  ])('rejects an invalid %s before any request', async (field, overrides) => {
    const payroc = fakePayroc();
    const error = await caught(
      client(payroc).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment', ...(overrides as object) }),
    );
    expect(isPayrocValidationError(error)).toBe(true);
    expect(error).toMatchObject({ field, status: 400 });
    expect(payroc.calls).toHaveLength(0);
  });
});

describe('createHostedFieldsSession: the response', () => {
  it.each([
    ['no token', { processingTerminalId: '1234001', expiresAt: '2030-01-01T00:00:00Z' }, /no token/],
    ['an unparseable expiresAt', { processingTerminalId: '1234001', token: 't', expiresAt: 'in ten minutes' }, /expiresAt/],
    ['another terminal', { processingTerminalId: '9999001', token: 't', expiresAt: '2030-01-01T00:00:00Z' }, /another processing terminal/],
    ['an array', [], /not a JSON object/],
  ])('rejects a 201 with %s as PayrocInvalidResponseError', async (_label, body, message) => {
    const error = await caught(
      client(fakePayroc({ sessions: [session201(body)] })).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' }),
    );
    expect(isPayrocInvalidResponseError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('rejects a session whose expiresAt is already past on the client’s clock, without retrying', async () => {
    const now = Date.parse('2031-06-01T12:00:00.000Z');
    for (const expiresAt of ['2031-06-01T11:59:59.999Z', '2031-06-01T12:00:00.000Z', '2030-01-01T00:00:00+00:00']) {
      const payroc = fakePayroc({ sessions: [session201({ processingTerminalId: '1234001', token: 'stale', expiresAt })] });
      const error = await caught(client(payroc, { now: () => now }).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' }));
      expect(isPayrocInvalidResponseError(error)).toBe(true);
      expect(error).toMatchObject({ detail: expect.stringMatching(/expiresAt is already past/) });
      expect(payroc.sessionCalls()).toHaveLength(1);
    }
    const fresh = fakePayroc({ sessions: [session201({ processingTerminalId: '1234001', token: 'fresh', expiresAt: '2031-06-01T12:00:00.001Z' })] });
    await expect(
      client(fresh, { now: () => now }).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' }),
    ).resolves.toMatchObject({ token: 'fresh' });
  });

  it('rejects a 2xx other than 200/201 and a non-JSON 201', async () => {
    const noContent = client(fakePayroc({ sessions: [() => new Response(null, { status: 204 })] }));
    expect(isPayrocInvalidResponseError(await caught(noContent.createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' })))).toBe(true);
    const html = client(fakePayroc({ sessions: [() => new Response('<html>', { status: 201 })] }));
    expect(isPayrocInvalidResponseError(await caught(html.createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' })))).toBe(true);
  });

  it('turns an RFC 7807 problem into a PayrocApiError with every member, and does not retry a 400', async () => {
    const body = {
      type: 'https://docs.payroc.com/api/errors#bad-request',
      title: 'Bad Request',
      status: 400,
      detail: 'One or more validation errors occurred',
      instance: '/v1/processing-terminals/1234001/hosted-fields-sessions',
      errors: [{ parameter: 'libVersion', detail: 'Invalid libVersion', message: 'Invalid libVersion' }],
      traceId: 'abc',
    };
    const payroc = fakePayroc({ sessions: [() => Response.json(body, { status: 400, headers: { 'content-type': 'application/problem+json' } })] });
    const error = await caught(client(payroc).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' }));
    expect(isPayrocApiError(error)).toBe(true);
    expect(error).toMatchObject({
      status: 400,
      type: body.type,
      title: 'Bad Request',
      detail: body.detail,
      instance: body.instance,
      errors: body.errors,
      extensions: { traceId: 'abc' },
      body,
    });
    expect(payroc.sessionCalls()).toHaveLength(1);
  });

  it.each([403, 404, 406, 409, 415])('does not retry a %i', async (status) => {
    const payroc = fakePayroc({ sessions: [() => problem(status)] });
    const error = await caught(client(payroc).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' }));
    expect(error).toMatchObject({ name: 'PayrocApiError', status });
    expect(payroc.sessionCalls()).toHaveLength(1);
  });
});

describe('Bearer token', () => {
  it('serves 1,000 concurrent sessions with exactly one Identity call', async () => {
    const payroc = fakePayroc();
    const payrocClient = client(payroc);
    const sessions = await Promise.all(
      Array.from({ length: 1000 }, () => payrocClient.createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' })),
    );
    expect(sessions).toHaveLength(1000);
    expect(payroc.identityCalls()).toHaveLength(1);
    expect(new Set(payroc.sessionCalls().map((call) => call.headers.authorization))).toEqual(new Set(['Bearer bearer-1']));
  });

  it('reuses the token until the margin before expires_in, then renews it', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const payroc = fakePayroc({ expiresIn: 3600 });
    const payrocClient = client(payroc, { now: () => Date.now() });
    expect(await payrocClient.getBearerToken()).toBe('bearer-1');
    vi.advanceTimersByTime(3_539_000); // 61 s left: more than the 60 s margin
    expect(await payrocClient.getBearerToken()).toBe('bearer-1');
    vi.advanceTimersByTime(2_000); // 59 s left
    expect(await payrocClient.getBearerToken()).toBe('bearer-2');
    expect(payroc.identityCalls()).toHaveLength(2);
  });

  it('honours a custom tokenRefreshMarginMs', async () => {
    let clock = 1_000_000;
    const payroc = fakePayroc({ expiresIn: 600 });
    const payrocClient = client(payroc, { now: () => clock, tokenRefreshMarginMs: 300_000 });
    await payrocClient.getBearerToken();
    clock += 299_000;
    await payrocClient.getBearerToken();
    expect(payroc.identityCalls()).toHaveLength(1);
    clock += 2_000;
    await payrocClient.getBearerToken();
    expect(payroc.identityCalls()).toHaveLength(2);
  });

  it('serves a token whose expires_in is within the margin for half its life, and renews it before it expires', async () => {
    const start = 1_000_000;
    let clock = start;
    const payroc = fakePayroc({ expiresIn: 30, now: () => clock });
    const payrocClient = client(payroc, { now: () => clock }); // the default 60 s margin is longer than the token's life
    for (let session = 0; session < 5; session += 1) {
      await payrocClient.createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' });
      clock += 3_000;
    }
    expect(payroc.identityCalls()).toHaveLength(1);
    expect(new Set(payroc.sessionCalls().map((call) => call.headers.authorization))).toEqual(new Set(['Bearer bearer-1']));
    clock = start + 14_999; // 15 s left: more than half the 30 s life
    expect(await payrocClient.getBearerToken()).toBe('bearer-1');
    clock = start + 15_000; // half the life left: renewed while the old token still works
    expect(await payrocClient.getBearerToken()).toBe('bearer-2');
    expect(payroc.identityCalls()).toHaveLength(2);
  });

  it('does not cache a failed Identity call: the next caller tries again', async () => {
    const payroc = fakePayroc({ identity: [() => problem(500)] });
    const payrocClient = client(payroc, { maxRetries: 0 });
    const [first, second] = await Promise.allSettled([payrocClient.getBearerToken(), payrocClient.getBearerToken()]);
    expect(first).toMatchObject({ status: 'rejected', reason: { name: 'PayrocApiError', status: 500 } });
    expect(second).toMatchObject({ status: 'rejected', reason: { name: 'PayrocApiError', status: 500 } });
    expect(payroc.identityCalls()).toHaveLength(1); // the two concurrent callers shared the failed call
    await expect(payrocClient.getBearerToken()).resolves.toBe('bearer-2');
  });

  it('rejects an Identity reply without access_token or expires_in', async () => {
    for (const body of [{ expires_in: 3600 }, { access_token: 'a', expires_in: 0 }, { access_token: 'a' }]) {
      const error = await caught(client(fakePayroc({ identity: [() => Response.json(body)] })).getBearerToken());
      expect(isPayrocInvalidResponseError(error)).toBe(true);
    }
  });

  it('rejects an access_token that cannot be sent in a header, without caching it or putting it in the error', async () => {
    const payroc = fakePayroc({ identity: [() => Response.json({ access_token: 'bearer\nsecret-1', expires_in: 3600 })] });
    const payrocClient = client(payroc);
    const error = await caught(payrocClient.createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' }));
    expect(isPayrocInvalidResponseError(error)).toBe(true);
    expect(error).toMatchObject({ detail: 'Identity returned an access_token that cannot be sent in an HTTP header' });
    expect(JSON.stringify([(error as Error).message, String((error as Error).stack), { ...(error as object) }])).not.toMatch(/secret-1/);
    expect(payroc.sessionCalls()).toHaveLength(0);
    await expect(payrocClient.getBearerToken()).resolves.toBe('bearer-2');
  });

  it('after a 401 from the sessions API, discards the token, gets a new one and retries once with the same key', async () => {
    const payroc = fakePayroc({ sessions: [() => problem(401, { detail: 'The Bearer token has expired' })] });
    const session = await client(payroc).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' });
    expect(session.token).toBe('session-2');
    expect(payroc.identityCalls()).toHaveLength(2);
    const [first, second] = payroc.sessionCalls();
    expect([first!.headers.authorization, second!.headers.authorization]).toEqual(['Bearer bearer-1', 'Bearer bearer-2']);
    expect(second!.headers['idempotency-key']).toBe(first!.headers['idempotency-key']);
  });

  it('gives up after the second 401', async () => {
    const payroc = fakePayroc({ sessions: [() => problem(401), () => problem(401)] });
    const error = await caught(client(payroc).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' }));
    expect(error).toMatchObject({ name: 'PayrocApiError', status: 401 });
    expect(payroc.sessionCalls()).toHaveLength(2);
    expect(payroc.identityCalls()).toHaveLength(2);
  });

  it('does not restart the retry budget after a 401: maxRetries + 1 attempts at most, plus the one with a new token', async () => {
    useFakeClock();
    const payroc = fakePayroc({
      sessions: [() => problem(503), () => problem(503), () => problem(401), () => problem(503), () => problem(503), () => problem(503)],
    });
    const error = await settle(caught(client(payroc, { maxRetries: 2 }).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' })));
    expect(error).toMatchObject({ name: 'PayrocApiError', status: 503 });
    // Both retries were spent before the 401, so the request with the new token is the last one.
    expect(payroc.sessionCalls().map((call) => call.headers.authorization)).toEqual([
      'Bearer bearer-1',
      'Bearer bearer-1',
      'Bearer bearer-1',
      'Bearer bearer-2',
    ]);
  });

  it('keeps the retries a 401 did not use for the request with the new token', async () => {
    useFakeClock();
    const payroc = fakePayroc({ sessions: [() => problem(503), () => problem(401), () => problem(503)] });
    const log = warnings();
    const session = await settle(
      client(payroc, { maxRetries: 2, logger: log.logger }).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' }),
    );
    expect(session).toMatchObject({ token: 'session-4' });
    expect(log.lines).toEqual([
      expect.stringMatching(/^Payroc create session answered 503; retry 1 of 2 in \d+ ms$/),
      'Payroc rejected the Bearer token (401); requesting a new one and retrying once',
      expect.stringMatching(/^Payroc create session answered 503; retry 2 of 2 in \d+ ms$/),
    ]);
  });

  it('keeps the token in the tokenStore under a key that is not the API key; a second client sharing the store makes no Identity call', async () => {
    const entries = new Map<string, { token: string; expiresAt: number }>();
    const sets: Array<{ key: string; ttlMs: number | undefined }> = [];
    const shared: TokenStore = {
      get: async (key) => entries.get(key),
      set: async (key, value, ttlMs) => {
        sets.push({ key, ttlMs });
        entries.set(key, value);
      },
      delete: async (key) => {
        entries.delete(key);
      },
    };
    const first = fakePayroc();
    const second = fakePayroc();
    await client(first, { tokenStore: shared }).getBearerToken();
    await expect(client(second, { tokenStore: shared }).getBearerToken()).resolves.toBe('bearer-1');
    expect(second.identityCalls()).toHaveLength(0);
    expect(sets).toHaveLength(1);
    expect(sets[0]!.key).toMatch(/^payroc-hosted-fields:bearer:[0-9a-f]{64}$/);
    expect(sets[0]!.key).not.toContain(TEST_API_KEY);
    expect(sets[0]!.ttlMs).toBe(3_600_000);
  });

  it('deletes a rejected token from the store, and uses a caller-supplied store key', async () => {
    const store = createMemoryTokenStore();
    const deleted: string[] = [];
    const spying: TokenStore = { ...store, delete: (key) => (deleted.push(key), store.delete(key)) };
    const payroc = fakePayroc({ sessions: [() => problem(401)] });
    await client(payroc, { tokenStore: spying, tokenStoreKey: 'shop-a' }).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' });
    expect(deleted).toEqual(['shop-a']);
    expect(await store.get('shop-a')).toMatchObject({ token: 'bearer-2' });
  });

  it('keeps working when the token store fails', async () => {
    const warnings: string[] = [];
    const broken: TokenStore = {
      get: () => Promise.reject(new Error('redis down')),
      set: () => Promise.reject(new Error('redis down')),
      delete: () => undefined,
    };
    const payroc = fakePayroc();
    const payrocClient = client(payroc, { tokenStore: broken, logger: { warn: (m) => warnings.push(m), error: (m) => warnings.push(m) } });
    await expect(payrocClient.createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' })).resolves.toMatchObject({ token: 'session-1' });
    expect(warnings.join('\n')).toMatch(/token store/);
  });

  it('lets one caller abort its wait without failing the others sharing the Identity call', async () => {
    let release!: () => void;
    const identity = noticed(
      () => new Promise<Response>((resolve) => (release = () => resolve(Response.json({ access_token: 'shared', expires_in: 3600 })))),
    );
    const payroc = fakePayroc({ identity: [identity.responder] });
    const payrocClient = client(payroc);
    const controller = new AbortController();
    const impatient = payrocClient.getBearerToken({ signal: controller.signal });
    const patient = payrocClient.getBearerToken();
    await identity.received;
    expect(payroc.identityCalls()).toHaveLength(1);
    controller.abort(new Error('user left'));
    await expect(impatient).rejects.toThrow('user left');
    release();
    await expect(patient).resolves.toBe('shared');
  });
});

describe('retries', () => {
  it('retries 408, 429, 500, 502, 503 and 504 with the same Idempotency-Key, then succeeds', async () => {
    useFakeClock();
    for (const status of [408, 429, 500, 502, 503, 504]) {
      const payroc = fakePayroc({ sessions: [() => problem(status), () => problem(status)] });
      const session = await settle(client(payroc).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' }));
      expect(session).toMatchObject({ token: 'session-3' });
      const keys = payroc.sessionCalls().map((call) => call.headers['idempotency-key']);
      expect(keys).toHaveLength(3);
      expect(new Set(keys).size).toBe(1);
    }
  });

  it('stops after maxRetries and throws the last error', async () => {
    useFakeClock();
    const payroc = fakePayroc({ sessions: [() => problem(500), () => problem(500), () => problem(502)] });
    const error = await settle(caught(client(payroc).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' })));
    expect(error).toMatchObject({ name: 'PayrocApiError', status: 502 });
    expect(payroc.sessionCalls()).toHaveLength(3);
  });

  it('waits for Retry-After (seconds) before retrying a 429', async () => {
    useFakeClock();
    const payroc = fakePayroc({ sessions: [() => problem(429, {}, { 'retry-after': '3' })] });
    const log = warnings();
    const retrying = log.next();
    const promise = client(payroc, { logger: log.logger }).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' });
    // From here on only the fake clock moves the call on.
    expect(await retrying).toMatch(/answered 429; retry 1 of 2 in 3000 ms$/);
    await vi.advanceTimersByTimeAsync(2_999);
    expect(payroc.sessionCalls()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(payroc.sessionCalls()).toHaveLength(2);
    await expect(promise).resolves.toMatchObject({ token: 'session-2' });
  });

  it('does not retry when Retry-After is beyond the cap, and reports it', async () => {
    const payroc = fakePayroc({ sessions: [() => problem(503, {}, { 'retry-after': '120' })] });
    const error = await caught(client(payroc).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' }));
    expect(error).toMatchObject({ name: 'PayrocApiError', status: 503, retryAfterMs: 120_000 });
    expect(payroc.sessionCalls()).toHaveLength(1);
  });

  it('retries connection failures and reports PayrocNetworkError when they persist', async () => {
    useFakeClock();
    const refused: Responder = () => Promise.reject(new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') }));
    const recovers = fakePayroc({ sessions: [refused] });
    const ok = settle(client(recovers).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' }));
    await expect(ok).resolves.toMatchObject({ token: 'session-2' });

    const down = fakePayroc({ identity: [refused, refused, refused] });
    const error = await settle(caught(client(down).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' })));
    expect(isPayrocNetworkError(error)).toBe(true);
    expect(down.identityCalls()).toHaveLength(3);
  });

  it('times out each attempt after timeoutMs, retries, and reports PayrocTimeoutError', async () => {
    useFakeClock();
    const first = noticed(hang);
    const payroc = fakePayroc({ sessions: [first.responder, hang] });
    const log = warnings();
    const recovered = client(payroc, { timeoutMs: 1_000, logger: log.logger }).createHostedFieldsSession({
      processingTerminalId: '1234001',
      scenario: 'payment',
    });
    await first.received;
    await vi.advanceTimersByTimeAsync(999);
    expect(log.lines).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(log.lines).toEqual([expect.stringMatching(/^Payroc create session timed out; retry 1 of 2 in \d+ ms$/)]);
    // The second attempt gets its own 1 000 ms from when it is sent, after the backoff.
    await vi.advanceTimersToNextTimerAsync();
    expect(payroc.sessionCalls()).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(log.lines).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(log.lines).toEqual([expect.any(String), expect.stringMatching(/^Payroc create session timed out; retry 2 of 2 in \d+ ms$/)]);
    await expect(settle(recovered)).resolves.toMatchObject({ token: 'session-3' });

    const stuck = fakePayroc({ identity: [hang] });
    const error = await settle(caught(client(stuck, { timeoutMs: 500, maxRetries: 0 }).getBearerToken()));
    expect(isPayrocTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ timeoutMs: 500 });
  });

  it('times out a response whose body stalls', async () => {
    useFakeClock();
    const stalledBody: Responder = () =>
      new Response(new ReadableStream({ start: (controller) => controller.enqueue(new TextEncoder().encode('{"tok')) }), { status: 201 });
    const payroc = fakePayroc({ sessions: [stalledBody] });
    const error = await settle(
      caught(client(payroc, { timeoutMs: 1_000, maxRetries: 0 }).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' })),
    );
    expect(isPayrocTimeoutError(error)).toBe(true);
  });
});

describe('signal', () => {
  it('rejects with the reason and sends nothing when already aborted', async () => {
    const payroc = fakePayroc();
    const reason = new Error('cancelled');
    await expect(
      client(payroc).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment', signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    expect(payroc.calls).toHaveLength(0);
  });

  it('aborts a request in flight', async () => {
    const hanging = noticed(hang);
    const payroc = fakePayroc({ sessions: [hanging.responder] });
    const controller = new AbortController();
    const promise = client(payroc).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment', signal: controller.signal });
    await hanging.received;
    controller.abort(new Error('client went away'));
    await expect(promise).rejects.toThrow('client went away');
    expect(payroc.sessionCalls()).toHaveLength(1);
  });

  it('aborts the wait between retries at once', async () => {
    useFakeClock();
    const payroc = fakePayroc({ sessions: [() => problem(503, {}, { 'retry-after': '10' })] });
    const controller = new AbortController();
    const log = warnings();
    const waiting = log.next();
    const promise = client(payroc, { logger: log.logger }).createHostedFieldsSession({
      processingTerminalId: '1234001',
      scenario: 'payment',
      signal: controller.signal,
    });
    expect(await waiting).toMatch(/in 10000 ms$/);
    const abortedAt = Date.now();
    controller.abort(new Error('stop'));
    await expect(settle(promise)).rejects.toThrow('stop');
    // On the fake clock: a wait that ignored the signal would have run its 10 s before rejecting.
    expect(Date.now()).toBe(abortedAt);
    expect(payroc.sessionCalls()).toHaveLength(1);
  });
});

describe('secrets', () => {
  it('never puts the API key or Bearer token in an error or a log line, even when Payroc echoes them', async () => {
    useFakeClock();
    const logged: string[] = [];
    const logger = { warn: (message: string) => logged.push(message), error: (message: string) => logged.push(message) };
    const echoKey: Responder = (call) => problem(401, { detail: `Unknown key ${call.headers['x-api-key']}` });
    const echoBearer: Responder = (call) => problem(503, { detail: `Token ${call.headers.authorization} throttled` });

    const badKey = caught(client(fakePayroc({ identity: [echoKey] }), { logger }).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' }));
    const throttled = caught(
      client(fakePayroc({ sessions: [echoBearer, echoBearer, echoBearer] }), { logger }).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' }),
    );
    const errors = [await settle(badKey), await settle(throttled)] as Array<Error & { body: unknown }>;
    expect(errors.map((error) => error.name)).toEqual(['PayrocApiError', 'PayrocApiError']);
    const everything = JSON.stringify([errors.map((error) => [error.message, String(error.stack), error.body, { ...error }]), logged]);
    expect(everything).toContain('[redacted]');
    expect(everything).not.toContain(TEST_API_KEY);
    expect(everything).not.toContain('bearer-1');
    expect(logged.length).toBeGreaterThan(0);
  });

  it('does not let a fetch error that quotes a header carry the API key or Bearer token into the error', async () => {
    // A fetch wrapper, or a runtime with stricter header rules than Node's, that rejects a request it cannot build by
    // quoting the offending header value: the client must neither keep that error as the cause nor retry it.
    const quoting = (name: 'x-api-key' | 'authorization'): Responder => (call) =>
      Promise.reject(new Error('request failed', { cause: new TypeError(`Headers.append: "${call.headers[name]}" is an invalid header value.`) }));
    const identity = fakePayroc({ identity: [quoting('x-api-key')] });
    const sessions = fakePayroc({ sessions: [quoting('authorization')] });
    const errors = [
      await caught(client(identity).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' })),
      await caught(client(sessions).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' })),
    ] as Error[];
    expect(errors.map((error) => [isPayrocConfigurationError(error), error.cause])).toEqual([
      [true, undefined],
      [true, undefined],
    ]);
    expect(errors[0]!.message).toMatch(/^Payroc Identity: the request could not be built/);
    expect(errors[1]!.message).toMatch(/^Payroc create session: the request could not be built/);
    expect(JSON.stringify(errors.map((error) => [error.message, String(error.stack), { ...error }]))).not.toMatch(new RegExp(`${TEST_API_KEY}|bearer-1`));
    // Not a connection failure: retrying cannot help.
    expect([identity.identityCalls().length, sessions.sessionCalls().length]).toEqual([1, 1]);
  });

  it('redacts the API key and Bearer token when Payroc echoes them JSON-escaped, anywhere in the body', async () => {
    const apiKey = 'sk_live+ab/cd_9f8e7d6c';
    const escapeSlashAndPlus = (text: string) => text.replace(/\+/g, '\\u002B').replace(/\//g, '\\u002F');
    const escapeEvery = (text: string) => [...text].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    // Raw JSON text, as Payroc's serializer might write it: nothing in it matches the key or token byte for byte.
    const echo = (status: number, detail: string, member: string) =>
      new Response(`{"title":"Error ${status}","status":${status},"detail":"${detail}","errors":[{"detail":"${member}"}],"echo":{"${member}":true}}`, {
        status,
        headers: { 'content-type': 'application/problem+json' },
      });
    const badKey = fakePayroc({ identity: [() => echo(401, `Unknown API key ${escapeSlashAndPlus(apiKey)}`, escapeEvery(apiKey))] });
    const badBearer = fakePayroc({ sessions: [() => echo(403, `Token ${escapeEvery('bearer-1')} may not`, `Bearer ${escapeEvery('bearer-1')}`)] });

    const errors = [
      await caught(client(badKey, { apiKey }).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' })),
      await caught(client(badBearer, { apiKey }).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' })),
    ] as Array<Error & { detail: string; body: unknown }>;
    expect(errors.map((error) => [error.name, error.detail])).toEqual([
      ['PayrocApiError', 'Unknown API key [redacted]'],
      ['PayrocApiError', 'Token [redacted] may not'],
    ]);
    const everything = JSON.stringify(errors.map((error) => [error.message, String(error.stack), error.body, { ...error }]));
    expect(everything).not.toContain(apiKey);
    expect(everything).not.toContain('bearer-1');
  });
});

describe('review fixes', () => {
  it('never follows a redirect with the API key, and a throwing logger does not stop a retry', async () => {
    const { createPayrocClient } = await import('../../src/server/createPayrocClient');
    const inits: RequestInit[] = [];
    let sessionCalls = 0;
    const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
      inits.push(init ?? {});
      const url = String(input);
      if (url.endsWith('/authorize')) {
        return Response.json({ access_token: 'b', expires_in: 3600, scope: 's', token_type: 'Bearer' });
      }
      sessionCalls++;
      if (sessionCalls === 1) return Response.json({ title: 'busy' }, { status: 503 });
      return Response.json(
        { processingTerminalId: '1234001', token: 't', expiresAt: new Date(Date.now() + 600_000).toISOString() },
        { status: 201 },
      );
    }) as typeof fetch;
    const client = createPayrocClient({
      apiKey: 'sk_secret',
      environment: 'test',
      fetch: fetchImpl,
      logger: {
        warn: () => {
          throw new Error('log transport down');
        },
        error: () => {},
      },
    });
    const session = await client.createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' });
    expect(session.token).toBe('t');
    expect(sessionCalls).toBe(2);
    expect(inits.every((init) => init.redirect === 'error')).toBe(true);
  });
});

describe('a token store that never answers', () => {
  it('does not hang sessions: each store call is time-limited and then treated as failed', async () => {
    const { createPayrocClient } = await import('../../src/server/createPayrocClient');
    let identityCalls = 0;
    const fetchImpl = (async (input: RequestInfo | URL) => {
      if (String(input).endsWith('/authorize')) {
        identityCalls++;
        return Response.json({ access_token: 'b', expires_in: 3600, scope: 's', token_type: 'Bearer' });
      }
      return Response.json(
        { processingTerminalId: '1234001', token: 't', expiresAt: new Date(Date.now() + 600_000).toISOString() },
        { status: 201 },
      );
    }) as typeof fetch;
    const never = () => new Promise<never>(() => {});
    useFakeClock();
    const client = createPayrocClient({
      apiKey: 'sk_secret',
      environment: 'test',
      fetch: fetchImpl,
      timeoutMs: 300,
      tokenStore: { get: never, set: never, delete: never },
      logger: { warn: () => {}, error: () => {} },
    });
    const started = Date.now();
    const session = await settle(client.createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' }));
    expect(session.token).toBe('t');
    expect(identityCalls).toBe(1);
    // On the fake clock: at most one 300 ms limit for the store's get and one for its set.
    expect(Date.now() - started).toBeLessThanOrEqual(600);
  });
});

describe('logger', () => {
  const session = { processingTerminalId: '1234001', scenario: 'payment' } as const;
  // A store that fails the way real ones do, echoing what it was given: the Bearer token must still stay out of the log.
  const failingStore: TokenStore = {
    get: () => Promise.reject(new Error('redis down')),
    set: (key, value) => Promise.reject(new Error(`cannot write ${key}: ${JSON.stringify(value)}`)),
    delete: () => undefined,
  };

  it('reports token store failures at error level, without the store’s message, the API key or the Bearer token', async () => {
    const errors: string[] = [];
    const warnings: string[] = [];
    const payrocClient = client(fakePayroc(), {
      tokenStore: failingStore,
      logger: { warn: (message) => warnings.push(message), error: (message) => errors.push(message) },
    });
    await expect(payrocClient.createHostedFieldsSession(session)).resolves.toMatchObject({ token: 'session-1' });
    expect(errors).toEqual([
      'Payroc token store: get failed; requesting a new Bearer token',
      'Payroc token store: set failed; the new Bearer token is used but not cached',
    ]);
    expect(warnings).toEqual([]);
    expect(errors.join('\n')).not.toMatch(new RegExp(`${TEST_API_KEY}|bearer-1|redis down`));
  });

  it('says when the token store did not answer in time', async () => {
    const errors: string[] = [];
    const never = () => new Promise<never>(() => {});
    const payrocClient = client(fakePayroc(), {
      timeoutMs: 300,
      tokenStore: { get: never, set: never, delete: never },
      logger: { warn: () => {}, error: (message) => errors.push(message) },
    });
    await payrocClient.createHostedFieldsSession(session);
    expect(errors).toEqual([
      'Payroc token store: get did not answer within 300 ms; requesting a new Bearer token',
      'Payroc token store: set did not answer within 300 ms; the new Bearer token is used but not cached',
    ]);
  });

  it('sends token store failures to warn when the logger has no error method', async () => {
    const warnings: string[] = [];
    const payrocClient = client(fakePayroc(), { tokenStore: failingStore, logger: { warn: (message) => warnings.push(message) } });
    await payrocClient.createHostedFieldsSession(session);
    expect(warnings).toEqual([
      'Payroc token store: get failed; requesting a new Bearer token',
      'Payroc token store: set failed; the new Bearer token is used but not cached',
    ]);
  });

  it('still creates the session when logger.error throws', async () => {
    const error = vi.fn(() => {
      throw new Error('log transport down');
    });
    const payrocClient = client(fakePayroc(), { tokenStore: failingStore, logger: { warn: () => {}, error } });
    await expect(payrocClient.createHostedFieldsSession(session)).resolves.toMatchObject({ token: 'session-1' });
    expect(error).toHaveBeenCalledTimes(2);
  });
});
