import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  isPayrocApiError,
  isPayrocInvalidResponseError,
  isPayrocNetworkError,
  isPayrocTimeoutError,
} from '../../src/core/errors/index';
import { fetchHostedFieldsSession } from '../../src/core/fetchHostedFieldsSession';

const endpoint = 'http://shop.test/api/hosted-fields-session';
const inTenMinutes = () => new Date(Date.now() + 600_000).toISOString();
const reply = (overrides: Record<string, unknown> = {}) => ({
  processingTerminalId: '1234001',
  token: 'tok_abc',
  expiresAt: inTenMinutes(),
  libVersion: '1.7.0.261457',
  environment: 'test',
  serverTime: new Date().toISOString(),
  ...overrides,
});

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const respondWith = (resolver: Parameters<typeof http.post>[1]) => server.use(http.post(endpoint, resolver));

describe('fetchHostedFieldsSession', () => {
  it('POSTs the scenario (and secureTokenId) as JSON and returns the session', async () => {
    let received: { body: unknown; contentType: string | null } | undefined;
    respondWith(async ({ request }) => {
      received = { body: await request.json(), contentType: request.headers.get('content-type') };
      return HttpResponse.json(reply());
    });
    const session = await fetchHostedFieldsSession({ scenario: 'tokenization', secureTokenId: 'MREF_1' }, { endpoint });
    expect(received).toEqual({ body: { scenario: 'tokenization', secureTokenId: 'MREF_1' }, contentType: 'application/json' });
    expect(session).toMatchObject({ token: 'tok_abc', libVersion: '1.7.0.261457', environment: 'test', processingTerminalId: '1234001' });
  });

  it('sends no secureTokenId when there is none', async () => {
    let body: unknown;
    respondWith(async ({ request }) => {
      body = await request.json();
      return HttpResponse.json(reply());
    });
    await fetchHostedFieldsSession({ scenario: 'payment' }, { endpoint });
    expect(body).toEqual({ scenario: 'payment' });
  });

  it('turns an application/problem+json reply into a PayrocApiError with its fields', async () => {
    respondWith(() =>
      HttpResponse.json(
        {
          type: 'https://docs.payroc.com/api/errors#bad-request',
          title: 'Bad Request',
          status: 400,
          detail: 'scenario is invalid',
          errors: [{ parameter: 'scenario', detail: 'must be payment or tokenization', message: 'invalid' }],
        },
        { status: 400, headers: { 'content-type': 'application/problem+json' } },
      ),
    );
    const error = await fetchHostedFieldsSession({ scenario: 'payment' }, { endpoint }).catch((e: unknown) => e);
    expect(isPayrocApiError(error)).toBe(true);
    expect(error).toMatchObject({
      status: 400,
      title: 'Bad Request',
      detail: 'scenario is invalid',
      type: 'https://docs.payroc.com/api/errors#bad-request',
      errors: [{ parameter: 'scenario' }],
    });
  });

  it('keeps Retry-After of a 503', async () => {
    respondWith(() => new HttpResponse('busy', { status: 503, headers: { 'retry-after': '3' } }));
    const error = await fetchHostedFieldsSession({ scenario: 'payment' }, { endpoint }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'PayrocApiError', status: 503, retryAfterMs: 3000, body: 'busy' });
  });

  it('reports a network failure as PayrocNetworkError', async () => {
    respondWith(() => HttpResponse.error());
    await expect(fetchHostedFieldsSession({ scenario: 'payment' }, { endpoint })).rejects.toSatisfy(isPayrocNetworkError);
  });

  it('reports a slow endpoint as PayrocTimeoutError', async () => {
    respondWith(async () => {
      await delay(500);
      return HttpResponse.json(reply());
    });
    const error = await fetchHostedFieldsSession({ scenario: 'payment' }, { endpoint, timeoutMs: 50 }).catch((e: unknown) => e);
    expect(isPayrocTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ timeoutMs: 50 });
  });

  it("rejects with the caller's abort reason, not a network error, when aborted", async () => {
    respondWith(async () => {
      await delay(500);
      return HttpResponse.json(reply());
    });
    const controller = new AbortController();
    const request = fetchHostedFieldsSession({ scenario: 'payment' }, { endpoint, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('unmounted')), 10);
    await expect(request).rejects.toThrow('unmounted');
  });

  it.each([
    ['no token', { token: undefined }, /no valid token/],
    ['an empty token', { token: '' }, /no valid token/],
    ['an unparseable expiresAt', { expiresAt: 'tomorrow-ish' }, /no valid expiresAt/],
    ['an expiresAt already past', { expiresAt: new Date(Date.now() - 1000).toISOString() }, /expired/],
    ['no libVersion', { libVersion: undefined }, /no valid libVersion/],
    ['an unknown environment', { environment: 'staging' }, /no valid environment/],
    ['no processingTerminalId', { processingTerminalId: undefined }, /no valid processingTerminalId/],
    ['an unparseable serverTime', { serverTime: 'noon' }, /no valid serverTime/],
  ])('rejects a reply with %s as PayrocInvalidResponseError', async (_, overrides, message) => {
    respondWith(() => HttpResponse.json(reply(overrides)));
    const error = await fetchHostedFieldsSession({ scenario: 'payment' }, { endpoint }).catch((e: unknown) => e);
    expect(isPayrocInvalidResponseError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('judges "already expired" on the server clock, not the browser clock', async () => {
    // The browser is 20 minutes fast: by its clock the session is over, by the server's it has 10 minutes left.
    const serverNow = Date.now() - 20 * 60_000;
    respondWith(() =>
      HttpResponse.json(reply({ serverTime: new Date(serverNow).toISOString(), expiresAt: new Date(serverNow + 600_000).toISOString() })),
    );
    await expect(fetchHostedFieldsSession({ scenario: 'payment' }, { endpoint })).resolves.toMatchObject({ token: 'tok_abc' });
  });

  it('rejects an HTML page (e.g. a wrong endpoint that serves the app) as invalid', async () => {
    respondWith(() => HttpResponse.html('<!doctype html><p>app</p>'));
    await expect(fetchHostedFieldsSession({ scenario: 'payment' }, { endpoint })).rejects.toSatisfy(isPayrocInvalidResponseError);
  });
});
