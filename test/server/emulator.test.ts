// The server entry against the Payroc emulator over real HTTP on 127.0.0.1: what the docs say Payroc accepts and rejects.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryTokenStore,
  createPayrocClient,
  createSessionHandler,
  isPayrocApiError,
  isPayrocNetworkError,
  type PayrocClientOptions,
} from '../../src/server';
import { createPayrocEmulator, DEFAULT_EMULATOR_API_KEY } from '../../src/testing/createPayrocEmulator';

const emulator = createPayrocEmulator({ processingTerminalIds: ['1234001', '1234002'] });
beforeAll(() => emulator.listen());
afterEach(() => emulator.reset());
afterAll(() => emulator.close());

const client = (options: Partial<PayrocClientOptions> = {}) =>
  createPayrocClient({
    apiKey: DEFAULT_EMULATOR_API_KEY,
    environment: 'test',
    identityUrl: emulator.identityUrl,
    apiUrl: emulator.apiUrl,
    ...options,
  });
const routeCount = (route: string) => emulator.requests.filter((request) => request.route === route).length;

describe('createPayrocClient against the emulator', () => {
  it('creates a session Payroc accepts, with the environment’s libVersion', async () => {
    const session = await client().createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' });
    expect(session).toMatchObject({ processingTerminalId: '1234001', libVersion: '1.7.0.261457', environment: 'test' });
    expect(emulator.sessions).toEqual([expect.objectContaining({ token: session.token, libVersion: '1.7.0.261457', scenario: 'payment' })]);
    expect(Date.parse(session.expiresAt)).toBeGreaterThan(Date.now());
    expect(emulator.requests.map((request) => [request.route, request.status])).toEqual([
      ['identity', 200],
      ['sessions', 201],
    ]);
  });

  it('serves 1,000 concurrent sessions with one Identity call', async () => {
    const payroc = client();
    await Promise.all(Array.from({ length: 1000 }, () => payroc.createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' })));
    expect(routeCount('identity')).toBe(1);
    expect(routeCount('sessions')).toBe(1000);
  }, 30_000);

  it('retries a 503 with the same Idempotency-Key, which the emulator accepts once', async () => {
    emulator.injectFault({ route: 'sessions', status: 503, headers: { 'retry-after': '0' } });
    const session = await client().createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'tokenization', secureTokenId: 'MREF_7' });
    const keys = emulator.requests.filter((request) => request.route === 'sessions').map((request) => request.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(emulator.sessions.map((s) => s.token)).toEqual([session.token]);
  });

  it('retries a dropped connection', async () => {
    emulator.injectFault({ route: 'identity', drop: true });
    await expect(client().getBearerToken()).resolves.toEqual(expect.any(String));
    expect(routeCount('identity')).toBe(2);
  });

  it('reports a dropped connection that persists as PayrocNetworkError', async () => {
    emulator.injectFault({ route: 'identity', drop: true, times: 3 });
    const error = await client({ maxRetries: 1 }).getBearerToken().catch((thrown: unknown) => thrown);
    expect(isPayrocNetworkError(error)).toBe(true);
  });

  it('renews a Bearer token the API rejects (401) and retries once', async () => {
    const tokenStore = createMemoryTokenStore();
    await tokenStore.set('shop', { token: 'revoked-token', expiresAt: Date.now() + 3_600_000 });
    const session = await client({ tokenStore, tokenStoreKey: 'shop' }).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' });
    expect(session.token).toEqual(expect.any(String));
    expect(emulator.requests.map((request) => [request.route, request.status])).toEqual([
      ['sessions', 401],
      ['identity', 200],
      ['sessions', 201],
    ]);
  });

  it('surfaces a wrong API key as a 401 PayrocApiError that does not contain the key', async () => {
    const apiKey = 'sk_wrong_0123456789abcdef';
    const error = await client({ apiKey }).createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' }).catch((thrown: unknown) => thrown);
    expect(isPayrocApiError(error) && error.status).toBe(401);
    expect(JSON.stringify([String(error), (error as { body: unknown }).body])).not.toContain(apiKey);
    expect(routeCount('sessions')).toBe(0);
  });

  it('surfaces a terminal the key may not use as a 403 PayrocApiError, not retried', async () => {
    const error = await client().createHostedFieldsSession({ processingTerminalId: '7777001', scenario: 'payment' }).catch((thrown: unknown) => thrown);
    expect(isPayrocApiError(error) && error.status).toBe(403);
    expect(routeCount('sessions')).toBe(1);
  });
});

describe('createSessionHandler against the emulator', () => {
  const post = (body: string) =>
    new Request('http://shop.test/api/hosted-fields-session', { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('answers the browser with a session the emulator issued', async () => {
    const handler = createSessionHandler({ client: client(), processingTerminalId: '1234002' });
    const response = await handler(post('{"scenario":"payment"}'));
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ processingTerminalId: '1234002', libVersion: '1.7.0.261457', environment: 'test' });
    expect(emulator.sessions.map((session) => session.token)).toEqual([body.token]);
  });

  it('answers 503 with Retry-After when Payroc keeps throttling beyond the retry cap', async () => {
    emulator.injectFault({ route: 'sessions', status: 429, headers: { 'retry-after': '45' } });
    const handler = createSessionHandler({ client: client(), processingTerminalId: '1234001' });
    const response = await handler(post('{"scenario":"payment"}'));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('45');
  });

  it('answers 504 when Payroc is too slow on every attempt', async () => {
    emulator.injectFault({ route: 'sessions', delayMs: 400, times: 2 });
    const handler = createSessionHandler({ client: client({ timeoutMs: 100, maxRetries: 1 }), processingTerminalId: '1234001' });
    const response = await handler(post('{"scenario":"payment"}'));
    expect(response.status).toBe(504);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
