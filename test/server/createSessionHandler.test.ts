import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createPayrocClient,
  createSessionHandler,
  PayrocApiError,
  PayrocNetworkError,
  PayrocTimeoutError,
  isPayrocConfigurationError,
  isPayrocInvalidResponseError,
  type PayrocClient,
  type SessionHandlerOptions,
} from '../../src/server';
import { fakePayroc, problem, TEST_API_KEY } from './support/fakePayroc';

const URL_ = 'http://shop.test/api/hosted-fields-session';
/** The body limit the issue fixes: 16 KiB. A literal, so that a changed limit fails these tests. */
const SIXTEEN_KIB = 16_384;
const NOW = Date.parse('2026-03-01T12:00:00.000Z');

const post = (body: BodyInit | null, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  new Request(URL_, { method: 'POST', headers, body, ...(body instanceof ReadableStream && { duplex: 'half' }) } as RequestInit);
const postJson = (value: unknown) => post(JSON.stringify(value));

function setup(overrides: Partial<SessionHandlerOptions> = {}, payroc = fakePayroc()) {
  const errors: unknown[] = [];
  const client = createPayrocClient({ apiKey: TEST_API_KEY, environment: 'test', fetch: payroc.fetch, maxRetries: 0 });
  const handler = createSessionHandler({
    client,
    processingTerminalId: '1234001',
    onError: (error) => {
      errors.push(error);
    },
    now: () => NOW,
    ...overrides,
  });
  return { handler, payroc, errors };
}

async function expectProblem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.headers.get('cache-control')).toBe('no-store');
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, type: expect.stringMatching(/^urn:payroc-hosted-fields:/), title: expect.any(String), detail: expect.any(String) });
  return body;
}

afterEach(() => vi.restoreAllMocks());

describe('createSessionHandler: success', () => {
  it('answers 200 JSON with the session, the script version, the environment and serverTime, not cacheable', async () => {
    const { handler, payroc } = setup();
    const response = await handler(postJson({ scenario: 'payment' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      processingTerminalId: '1234001',
      token: 'session-1',
      expiresAt: expect.any(String),
      libVersion: '1.7.0.261457',
      environment: 'test',
      serverTime: '2026-03-01T12:00:00.000Z',
    });
    expect(JSON.parse(payroc.sessionCalls()[0]!.body)).toEqual({ libVersion: '1.7.0.261457', scenario: 'payment' });
  });

  it.each([1, 200])('accepts a %i-character secureTokenId', async (length) => {
    const { handler, payroc } = setup();
    const secureTokenId = 'x'.repeat(length);
    const response = await handler(postJson({ scenario: 'tokenization', secureTokenId }));
    expect(response.status).toBe(200);
    expect(JSON.parse(payroc.sessionCalls()[0]!.body)).toMatchObject({ secureTokenId });
  });

  it('passes secureTokenId through and accepts a charset parameter', async () => {
    const { handler, payroc } = setup();
    const response = await handler(post(JSON.stringify({ scenario: 'tokenization', secureTokenId: 'MREF_1' }), { 'content-type': 'Application/JSON; charset=utf-8' }));
    expect(response.status).toBe(200);
    expect(JSON.parse(payroc.sessionCalls()[0]!.body)).toEqual({ libVersion: '1.7.0.261457', scenario: 'tokenization', secureTokenId: 'MREF_1' });
  });

  it('asks processingTerminalId(request) for the terminal', async () => {
    const { handler, payroc } = setup({ processingTerminalId: async (request) => `shop-${request.headers.get('x-shop')}` });
    const request = postJson({ scenario: 'payment' });
    request.headers.set('x-shop', '42');
    const response = await handler(request);
    expect(await response.json()).toMatchObject({ processingTerminalId: 'shop-42' });
    expect(payroc.sessionCalls()[0]!.url).toContain('/processing-terminals/shop-42/');
  });
});

describe('createSessionHandler: bad requests', () => {
  it.each(['GET', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'])('answers %s with 405 and Allow: POST', async (method) => {
    const { handler, payroc } = setup();
    const response = await handler(new Request(URL_, { method }));
    expect(response.headers.get('allow')).toBe('POST');
    await expectProblem(response, 405);
    expect(payroc.calls).toHaveLength(0);
  });

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['form data', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['no content type', {}],
  ])('answers %s with 415', async (_label, headers) => {
    const { handler } = setup();
    await expectProblem(await handler(post('{"scenario":"payment"}', headers)), 415);
  });

  it.each([
    ['malformed JSON', '{"scenario":', 'body'],
    ['an empty body', '', 'body'],
    ['a JSON array', '[]', 'body'],
    ['JSON null', 'null', 'body'],
    ['a JSON string', '"payment"', 'body'],
    ['a missing scenario', '{}', 'scenario'],
    ['an unknown scenario', '{"scenario":"refund"}', 'scenario'],
    ['a numeric scenario', '{"scenario":1}', 'scenario'],
    ['an empty secureTokenId', '{"scenario":"payment","secureTokenId":""}', 'secureTokenId'],
    ['a null secureTokenId', '{"scenario":"payment","secureTokenId":null}', 'secureTokenId'],
    ['a long secureTokenId', JSON.stringify({ scenario: 'payment', secureTokenId: 'x'.repeat(201) }), 'secureTokenId'],
    ['a terminal chosen by the browser', '{"scenario":"payment","processingTerminalId":"9999001"}', 'processingTerminalId'],
    ['a libVersion chosen by the browser', '{"scenario":"payment","libVersion":"1.0.0.1"}', 'libVersion'],
    ['a prototype key', '{"scenario":"payment","__proto__":{"x":1}}', '__proto__'],
  ])('answers %s with 400 naming the field, without calling Payroc', async (_label, body, field) => {
    const { handler, payroc } = setup();
    const problemBody = await expectProblem(await handler(post(body)), 400);
    expect(problemBody.detail).toContain(field);
    expect(problemBody.errors).toEqual(expect.arrayContaining([expect.objectContaining({ parameter: field })]));
    expect(payroc.calls).toHaveLength(0);
  });

  it('answers invalid UTF-8 with 400', async () => {
    const { handler } = setup();
    await expectProblem(await handler(post(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))), 400);
  });

  it('answers 413 from Content-Length alone, without reading the body', async () => {
    const { handler } = setup();
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const request = post(body, { 'content-type': 'application/json', 'content-length': String(SIXTEEN_KIB + 1) });
    await expectProblem(await handler(request), 413);
    expect(pulled).toBeLessThanOrEqual(1); // the stream's own first pull, nothing read by the handler
  });

  it('answers 413 to an endless body without Content-Length, after reading a little over 16 KiB', async () => {
    const { handler } = setup();
    let sent = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1000;
        controller.enqueue(new TextEncoder().encode(' '.repeat(1000)));
      },
      cancel() {
        cancelled = true;
      },
    });
    await expectProblem(await handler(post(endless)), 413);
    expect(cancelled).toBe(true);
    expect(sent).toBeLessThan(SIXTEEN_KIB + 5_000);
  });

  describe.each([
    ['with Content-Length', true],
    ['streamed without Content-Length', false],
  ])('a body %s', (_label, declared) => {
    const padded = (bytes: number) => {
      const json = '{"scenario":"payment"}';
      const text = json + ' '.repeat(bytes - json.length);
      return post(text, { 'content-type': 'application/json', ...(declared && { 'content-length': String(bytes) }) });
    };

    it('is accepted at exactly 16 KiB (whitespace-padded JSON)', async () => {
      const { handler } = setup();
      expect((await handler(padded(16_384))).status).toBe(200);
    });

    it('is answered 413 at 16 KiB + 1 byte, without calling Payroc', async () => {
      const { handler, payroc } = setup();
      const body = await expectProblem(await handler(padded(16_385)), 413);
      expect(body.detail).toBe('The request body must be at most 16384 bytes');
      expect(payroc.calls).toHaveLength(0);
    });
  });

  it('answers 408 when the body stalls', async () => {
    const { handler } = setup({ bodyTimeoutMs: 50 });
    const stalled = new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(new TextEncoder().encode('{"scen')) });
    await expectProblem(await handler(post(stalled)), 408);
  });

  it('answers 400 when the body stream errors', async () => {
    const { handler } = setup();
    const broken = new ReadableStream<Uint8Array>({ pull: (controller) => controller.error(new Error('socket reset')) });
    await expectProblem(await handler(post(broken)), 400);
  });
});

describe('createSessionHandler: authorize', () => {
  it('answers 403 when authorize returns false, or anything but true, without calling Payroc', async () => {
    for (const verdict of [false, 'yes', 1, undefined]) {
      const { handler, payroc } = setup({ authorize: () => verdict as boolean });
      await expectProblem(await handler(postJson({ scenario: 'payment' })), 403);
      expect(payroc.calls).toHaveLength(0);
    }
  });

  it('answers 403 when authorize throws, and reports the error', async () => {
    const failure = new Error('session store down');
    const { handler, errors } = setup({ authorize: async () => Promise.reject(failure) });
    await expectProblem(await handler(postJson({ scenario: 'payment' })), 403);
    expect(errors).toEqual([failure]);
  });

  it('gives authorize the request, and goes on when it says true', async () => {
    const seen: string[] = [];
    const { handler } = setup({ authorize: (request) => (seen.push(request.headers.get('cookie') ?? ''), true) });
    const request = postJson({ scenario: 'payment' });
    request.headers.set('cookie', 'sid=abc');
    expect((await handler(request)).status).toBe(200);
    expect(seen).toEqual(['sid=abc']);
  });
});

describe('createSessionHandler: failures upstream', () => {
  it('answers 502 when processingTerminalId() throws or returns an invalid id, and reports it', async () => {
    const broken = setup({ processingTerminalId: () => Promise.reject(new Error('db down')) });
    await expectProblem(await broken.handler(postJson({ scenario: 'payment' })), 502);
    expect(broken.errors).toEqual([new Error('db down')]);
    for (const value of ['', '12', undefined, 42]) {
      const invalid = setup({ processingTerminalId: () => value as string });
      await expectProblem(await invalid.handler(postJson({ scenario: 'payment' })), 502);
      expect(isPayrocConfigurationError(invalid.errors[0])).toBe(true);
      expect(invalid.payroc.calls).toHaveLength(0);
    }
  });

  it('turns a Payroc error into a sanitised 502 and gives onError the full error', async () => {
    const payroc = fakePayroc({ sessions: [() => problem(403, { detail: 'Terminal 1234001 belongs to merchant Acme Ltd' })] });
    const { handler, errors } = setup({}, payroc);
    const response = await handler(postJson({ scenario: 'payment' }));
    const body = await expectProblem(response, 502);
    expect(JSON.stringify(body)).not.toMatch(/Acme|1234001/);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(PayrocApiError);
    expect((errors[0] as PayrocApiError).detail).toContain('Acme');
  });

  it('answers a sanitised 502 when Payroc sends a session that has already expired, and gives onError the reason', async () => {
    const expired = { processingTerminalId: '1234001', token: 'stale-session', expiresAt: new Date(Date.now() - 1_000).toISOString() };
    const payroc = fakePayroc({ sessions: [() => Response.json(expired, { status: 201 })] });
    const { handler, errors } = setup({}, payroc);
    const response = await handler(postJson({ scenario: 'payment' }));
    const body = await expectProblem(response, 502);
    expect(body).toMatchObject({ type: 'urn:payroc-hosted-fields:session-failed', detail: 'Payroc did not create a session' });
    expect(JSON.stringify(body)).not.toContain('stale-session');
    expect(errors).toHaveLength(1);
    expect(isPayrocInvalidResponseError(errors[0])).toBe(true);
    expect(errors[0]).toMatchObject({ detail: expect.stringMatching(/expiresAt is already past/) });
    expect(payroc.sessionCalls()).toHaveLength(1);
  });

  it.each([
    ['Payroc throttling with Retry-After', 503, new PayrocApiError(429, {}, { retryAfterMs: 30_000 }), '30'],
    ['Payroc unavailable without Retry-After', 503, new PayrocApiError(503, {}), null],
    ['Payroc gateway timeout', 504, new PayrocApiError(504, {}), null],
    ['a timeout', 504, new PayrocTimeoutError(15_000), null],
    ['a connection failure', 502, new PayrocNetworkError('Could not reach Payroc'), null],
    ['an unexpected throw', 502, new RangeError('boom'), null],
    ['a thrown non-error', 502, 'a string', null],
  ])('maps %s to %i', async (_label, status, thrown, retryAfter) => {
    const client: PayrocClient = {
      environment: 'test',
      libVersion: '1.7.0.261457',
      getBearerToken: async () => 'unused',
      createHostedFieldsSession: async () => {
        throw thrown;
      },
    };
    const errors: unknown[] = [];
    const handler = createSessionHandler({ client, processingTerminalId: '1234001', onError: (error) => void errors.push(error) });
    const response = await handler(postJson({ scenario: 'payment' }));
    await expectProblem(response, status);
    expect(response.headers.get('retry-after')).toBe(retryAfter);
    expect(errors).toEqual([thrown]);
  });

  it('never shows the API key, even when Identity rejects it', async () => {
    const payroc = fakePayroc({ identity: [(call) => problem(401, { detail: `API key ${call.headers['x-api-key']} is not valid` })] });
    const { handler, errors } = setup({}, payroc);
    const response = await handler(postJson({ scenario: 'payment' }));
    const text = await response.text();
    expect(response.status).toBe(502);
    expect(text).not.toContain(TEST_API_KEY);
    expect(JSON.stringify(errors.map((error) => [String(error), { ...(error as object) }]))).not.toContain(TEST_API_KEY);
  });

  it('survives an onError hook that throws or rejects', async () => {
    for (const onError of [() => {
      throw new Error('logger down');
    }, () => Promise.reject(new Error('logger down'))]) {
      const payroc = fakePayroc({ sessions: [() => problem(500)] });
      const { handler } = setup({ onError }, payroc);
      await expectProblem(await handler(postJson({ scenario: 'payment' })), 502);
    }
  });

  it('passes request.signal to Payroc calls', async () => {
    const controller = new AbortController();
    let seenSignal: AbortSignal | undefined;
    const client: PayrocClient = {
      environment: 'test',
      libVersion: '1.7.0.261457',
      getBearerToken: async () => 'unused',
      createHostedFieldsSession: async ({ signal }) => {
        seenSignal = signal;
        controller.abort();
        throw signal?.reason;
      },
    };
    const handler = createSessionHandler({ client, processingTerminalId: '1234001' });
    const request = new Request(URL_, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"scenario":"payment"}', signal: controller.signal });
    const response = await handler(request);
    expect(seenSignal?.aborted).toBe(true);
    expect(response.status).toBe(503);
  });
});

describe('createSessionHandler: whatever arrives', () => {
  it('never answers 500 or rejects for random bodies, methods and content types', async () => {
    const { handler } = setup();
    const bodies = ['', '{', '{}', '[]', '0', 'true', '{"scenario":"payment"}', '{"scenario":"payment","x":1}', '\u0000', '{"a":'.repeat(500), 'x'.repeat(20_000)];
    const types = ['application/json', 'text/plain', 'application/json; charset=utf-8', 'application/problem+json', ''];
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let i = 0; i < 200; i += 1) {
      const method = ['POST', 'POST', 'POST', 'GET', 'PUT'][Math.floor(random() * 5)]!;
      const body = bodies[Math.floor(random() * bodies.length)]!;
      const type = types[Math.floor(random() * types.length)]!;
      const request = new Request(URL_, { method, headers: type ? { 'content-type': type } : {}, ...(method !== 'GET' && { body }) });
      const response = await handler(request);
      expect(response.status).not.toBe(500);
      expect([200, 400, 405, 413, 415]).toContain(response.status);
      if (response.status !== 200) expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
  });
});

describe('createSessionHandler: configuration', () => {
  it.each([
    ['no client', { client: undefined }],
    ['a short terminal id', { processingTerminalId: '12' }],
    ['a 3-character terminal id', { processingTerminalId: '123' }],
    ['a 51-character terminal id', { processingTerminalId: '1'.repeat(51) }],
    ['a non-function authorize', { authorize: true }],
    ['a zero bodyTimeoutMs', { bodyTimeoutMs: 0 }],
    ['a bodyTimeoutMs setTimeout cannot wait for (2³¹ ms)', { bodyTimeoutMs: 2 ** 31 }],
    ['an infinite bodyTimeoutMs', { bodyTimeoutMs: Infinity }],
  ])('throws PayrocConfigurationError for %s', (_label, overrides) => {
    const client = createPayrocClient({ apiKey: TEST_API_KEY, environment: 'test', fetch: fakePayroc().fetch });
    expect(() =>
      createSessionHandler({ client, processingTerminalId: '1234001', ...(overrides as Partial<SessionHandlerOptions>) }),
    ).toThrow(expect.objectContaining({ name: 'PayrocConfigurationError' }));
  });

  it.each([4, 50])('takes a %i-character terminal id and creates sessions on it', async (length) => {
    const processingTerminalId = '1'.repeat(length);
    const { handler, payroc } = setup({ processingTerminalId });
    const response = await handler(postJson({ scenario: 'payment' }));
    expect(await response.json()).toMatchObject({ processingTerminalId });
    expect(payroc.sessionCalls()[0]!.url).toContain(`/processing-terminals/${processingTerminalId}/`);
  });
});
