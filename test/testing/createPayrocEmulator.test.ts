import { createHash } from 'node:crypto';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createPayrocEmulator,
  createPayrocMswHandlers,
  DEFAULT_EMULATOR_API_KEY,
  type PayrocEmulator,
} from '../../src/testing';

const TERMINAL = '1234001';
const KEY = '8e03978e-40d5-43e8-bc93-6894a57f9324';

let emulator: PayrocEmulator;
let clock = Date.now();

beforeAll(async () => {
  emulator = createPayrocEmulator({ now: () => clock, sessionTtlMs: 600_000, tokenTtlS: 3600 });
  await emulator.listen();
});
afterAll(() => emulator.close());
afterEach(() => {
  emulator.reset();
  clock = Date.now();
});

async function bearer(): Promise<string> {
  const response = await fetch(emulator.identityUrl, { method: 'POST', headers: { 'x-api-key': DEFAULT_EMULATOR_API_KEY } });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function createSession(
  options: { headers?: Record<string, string | undefined>; body?: unknown; terminal?: string; token?: string } = {},
) {
  const token = options.token ?? (await bearer());
  const headers: Record<string, string> = {};
  const wanted = {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
    'idempotency-key': KEY,
    ...options.headers,
  };
  for (const [name, value] of Object.entries(wanted)) if (value !== undefined) headers[name] = value;
  const response = await fetch(
    `${emulator.apiUrl}/processing-terminals/${encodeURIComponent(options.terminal ?? TERMINAL)}/hosted-fields-sessions`,
    {
      method: 'POST',
      headers,
      body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body ?? { libVersion: '1.7.0.261457', scenario: 'payment' }),
    },
  );
  return { response, json: (await response.json()) as Record<string, unknown> };
}

/** Identity and session calls against an emulator with its own options, through `emulator.fetch` (no socket). */
function through(local: PayrocEmulator) {
  const authorize = (apiKey = DEFAULT_EMULATOR_API_KEY) => local.fetch('/authorize', { method: 'POST', headers: { 'x-api-key': apiKey } });
  const token = async (apiKey?: string) => ((await (await authorize(apiKey)).json()) as { access_token: string }).access_token;
  const session = async (bearerToken: string, { terminal = TERMINAL, body = {} as Record<string, unknown>, key = KEY } = {}) =>
    local.fetch(`/v1/processing-terminals/${terminal}/hosted-fields-sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearerToken}`, 'idempotency-key': key },
      body: JSON.stringify({ libVersion: '1.7.0.261457', scenario: 'payment', ...body }),
    });
  return { authorize, token, session };
}

describe('Identity', () => {
  it('issues a Bearer token for a known API key', async () => {
    const response = await fetch(emulator.identityUrl, { method: 'POST', headers: { 'x-api-key': DEFAULT_EMULATOR_API_KEY } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ access_token: expect.any(String), expires_in: 3600, token_type: 'Bearer' });
  });

  it.each([
    ['no key', {}, 401],
    ['a wrong key', { 'x-api-key': 'nope' }, 401],
  ])('rejects %s with a 401 problem', async (_, headers, status) => {
    const response = await fetch(emulator.identityUrl, { method: 'POST', headers });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status, title: 'Unauthorized', type: expect.stringContaining('docs.payroc.com') });
  });

  it('accepts exactly the keys given in apiKeys, and no longer the default one', async () => {
    const { authorize } = through(createPayrocEmulator({ apiKeys: ['sk_shop_a', 'sk_shop_b'] }));
    expect((await authorize('sk_shop_a')).status).toBe(200);
    expect((await authorize('sk_shop_b')).status).toBe(200);
    for (const other of [DEFAULT_EMULATOR_API_KEY, 'sk_shop_c', 'sk_shop_']) {
      const response = await authorize(other);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ status: 401, detail: 'The API key is not valid' });
    }
  });

  it('issues Bearer tokens that live tokenTtlS seconds: expires_in says so, and the sessions API agrees', async () => {
    let now = Date.parse('2026-03-01T12:00:00Z');
    const { authorize, session } = through(createPayrocEmulator({ tokenTtlS: 120, now: () => now }));
    const grant = (await (await authorize()).json()) as { access_token: string; expires_in: number };
    expect(grant.expires_in).toBe(120);
    now += 119_999;
    expect((await session(grant.access_token)).status).toBe(201);
    now += 1;
    const expired = await session(grant.access_token, { key: '3f1c7a52-8d2e-4b6f-9a10-2c4d5e6f7a8b' });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ detail: 'The Bearer token has expired' });
  });

  it('answers 405 to GET', async () => {
    const response = await fetch(emulator.identityUrl);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('session creation', () => {
  it('creates a session: 201, Location, token and an ISO 8601 expiry 10 minutes out', async () => {
    const { response, json } = await createSession();
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/v1/processing-terminals/${TERMINAL}/hosted-fields-sessions/${json.token}`);
    expect(json).toEqual({ processingTerminalId: TERMINAL, token: expect.stringMatching(/^[0-9a-f]{32}$/), expiresAt: expect.any(String) });
    expect(Date.parse(json.expiresAt as string)).toBe(clock + 600_000);
    expect(emulator.sessions).toHaveLength(1);
  });

  it.each<[string, Parameters<typeof createSession>[0], number, string?]>([
    ['no Authorization', { headers: { authorization: undefined } }, 401],
    ['an unknown Bearer token', { token: 'forged' }, 401],
    ['text/plain', { headers: { 'content-type': 'text/plain' } }, 415],
    ['Accept: text/html', { headers: { accept: 'text/html' } }, 406],
    ['no Idempotency-Key', { headers: { 'idempotency-key': undefined } }, 400, 'Idempotency-Key'],
    ['a UUID v1 Idempotency-Key', { headers: { 'idempotency-key': 'c232ab00-9414-11ec-b3c8-9f6bdeced846' } }, 400, 'Idempotency-Key'],
    ['a body that is not JSON', { body: '{"libVersion":' }, 400],
    ['a JSON array body', { body: '[]' }, 400],
    ['no libVersion', { body: { scenario: 'payment' } }, 400, 'libVersion'],
    ['a malformed libVersion', { body: { libVersion: '1.7', scenario: 'payment' } }, 400, 'libVersion'],
    ['a well-formed libVersion Payroc never published', { body: { libVersion: '1.6.0.172441', scenario: 'payment' } }, 400, 'libVersion'],
    ['a libVersion that is not a string', { body: { libVersion: 1.7, scenario: 'payment' } }, 400, 'libVersion'],
    ['an unknown scenario', { body: { libVersion: '1.7.0.261457', scenario: 'refund' } }, 400, 'scenario'],
    ['an empty secureTokenId', { body: { libVersion: '1.7.0.261457', scenario: 'tokenization', secureTokenId: '' } }, 400, 'secureTokenId'],
    ['a 201-character secureTokenId', { body: { libVersion: '1.7.0.261457', scenario: 'tokenization', secureTokenId: 'x'.repeat(201) } }, 400, 'secureTokenId'],
    ['a terminal id in the body', { body: { libVersion: '1.7.0.261457', scenario: 'payment', processingTerminalId: '1' } }, 400, 'processingTerminalId'],
    ['a 3-character terminal id', { terminal: '123' }, 400, 'processingTerminalId'],
    ['a 51-character terminal id', { terminal: '1'.repeat(51) }, 400, 'processingTerminalId'],
    ['a terminal the key may not use', { terminal: '9999001' }, 403],
  ])('rejects %s', async (_, options, status, parameter) => {
    const { response, json } = await createSession(options);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(json).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
    if (parameter) expect(json.errors).toEqual([expect.objectContaining({ parameter })]);
    if (status === 400) expect(json.errors).toEqual([{ parameter: expect.any(String), detail: expect.any(String), message: expect.any(String) }]);
    expect(emulator.sessions).toHaveLength(0);
  });

  it('names the libVersion problem as Payroc does', async () => {
    const { json } = await createSession({ body: { libVersion: '1.7.0.261458', scenario: 'payment' } });
    expect(json.errors).toEqual([{ parameter: 'libVersion', detail: 'Invalid libVersion', message: 'Invalid libVersion' }]);
  });

  it('accepts the production libVersion too', async () => {
    const { response } = await createSession({ body: { libVersion: '1.7.0.261471', scenario: 'payment' } });
    expect(response.status).toBe(201);
  });

  it('answers 405 to a GET on the sessions endpoint and 404 to an unknown path, as problems', async () => {
    const get = await fetch(`${emulator.apiUrl}/processing-terminals/${TERMINAL}/hosted-fields-sessions`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const unknown = await fetch(`${emulator.apiUrl}/payments`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
  });

  it('treats a malformed escape in the terminal id as an unknown terminal (403), not an exception', async () => {
    const token = await bearer();
    const response = await emulator.handle(
      new Request(`${emulator.apiUrl}/processing-terminals/%E0%A4%A/hosted-fields-sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': KEY },
        body: JSON.stringify({ libVersion: '1.7.0.261457', scenario: 'payment' }),
      }),
    );
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers a body over 1 MiB with a 413 problem, and records the request without its body or secrets', async () => {
    const { response, json } = await createSession({ body: JSON.stringify({ padding: 'x'.repeat(1024 * 1024) }) });
    expect(response.status).toBe(413);
    expect(json).toMatchObject({ status: 413, detail: expect.stringContaining('larger') });
    expect(emulator.requests.map((request) => [request.route, request.status])).toEqual([
      ['identity', 200],
      ['sessions', 413],
    ]);
    expect(emulator.requests[1]).toMatchObject({
      method: 'POST',
      path: `/v1/processing-terminals/${TERMINAL}/hosted-fields-sessions`,
      body: undefined,
      at: clock,
      headers: { authorization: '[redacted]', 'idempotency-key': KEY, 'content-type': 'application/json' },
    });
    expect(emulator.sessions).toHaveLength(0);
  });

  it.each([1, 200])('accepts a %i-character secureTokenId', async (length) => {
    const secureTokenId = 'x'.repeat(length);
    const { response } = await createSession({ body: { libVersion: '1.7.0.261457', scenario: 'tokenization', secureTokenId } });
    expect(response.status).toBe(201);
    expect(emulator.sessions).toEqual([expect.objectContaining({ secureTokenId })]);
  });

  it.each([4, 50])('accepts a %i-character terminal id the key may use', async (length) => {
    const terminal = '7'.repeat(length);
    const local = createPayrocEmulator({ processingTerminalIds: [terminal] });
    const { token, session } = through(local);
    const response = await session(await token(), { terminal });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ processingTerminalId: terminal });
  });

  it('gives sessions the lifetime set by sessionTtlMs, in expiresAt and at the gateway', async () => {
    let now = Date.parse('2026-03-01T12:00:00Z');
    const local = createPayrocEmulator({ sessionTtlMs: 5_000, now: () => now });
    const { token, session } = through(local);
    const json = (await (await session(await token())).json()) as { token: string; expiresAt: string };
    expect(json.expiresAt).toBe('2026-03-01T12:00:05.000+00:00');
    expect(local.sessions[0]!.expiresAt).toBe(now + 5_000);
    now += 5_000;
    const configuration = await local.fetch(`/merchant/api/v2/hosted-fields-sessions/${json.token}/configuration?libVersion=1.7.0.261457`);
    expect(configuration.status).toBe(401);
  });

  it('rejects an expired Bearer token', async () => {
    const token = await bearer();
    clock += 3600 * 1000;
    const { response, json } = await createSession({ token });
    expect(response.status).toBe(401);
    expect(json.detail).toMatch(/expired/);
  });

  it('replays the first response for the same key and body, and answers 409 for another body', async () => {
    const first = await createSession();
    const replay = await createSession();
    expect(replay.response.status).toBe(201);
    expect(replay.response.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json.token).toBe(first.json.token);
    const conflict = await createSession({ body: { libVersion: '1.7.0.261457', scenario: 'tokenization' } });
    expect(conflict.response.status).toBe(409);
    expect(emulator.sessions).toHaveLength(1);
  });

  it('answers 409 to the same key on another terminal', async () => {
    const local = createPayrocEmulator({ processingTerminalIds: ['1234001', '1234002'] });
    const identity = await local.fetch('/authorize', { method: 'POST', headers: { 'x-api-key': DEFAULT_EMULATOR_API_KEY } });
    const { access_token } = (await identity.json()) as { access_token: string };
    const post = (terminal: string) =>
      local.fetch(`https://api.uat.payroc.com/v1/processing-terminals/${terminal}/hosted-fields-sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}`, 'idempotency-key': KEY },
        body: JSON.stringify({ scenario: 'payment', libVersion: '1.7.0.261457' }),
      });
    expect((await post('1234001')).status).toBe(201);
    const conflict = await post('1234002');
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ status: 409, instance: '/v1/processing-terminals/1234002/hosted-fields-sessions' });
    // The same body with its keys in another order is the same request.
    const reordered = await local.fetch(`/v1/processing-terminals/1234001/hosted-fields-sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}`, 'idempotency-key': KEY },
      body: JSON.stringify({ libVersion: '1.7.0.261457', scenario: 'payment' }),
    });
    expect(reordered.status).toBe(201);
    expect(local.sessions).toHaveLength(1);
  });

  it('records requests without their secrets', async () => {
    await createSession();
    expect(emulator.requests.map((request) => [request.route, request.status])).toEqual([
      ['identity', 200],
      ['sessions', 201],
    ]);
    const text = JSON.stringify(emulator.requests);
    expect(text).not.toContain(DEFAULT_EMULATOR_API_KEY);
    expect(emulator.requests[1]!.headers.authorization).toBe('[redacted]');
  });
});

describe('faults', () => {
  it('answers an injected status the given number of times', async () => {
    emulator.injectFault({ route: 'identity', status: 503, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await fetch(emulator.identityUrl, { method: 'POST', headers: { 'x-api-key': DEFAULT_EMULATOR_API_KEY } })).status);
    }
    expect(statuses).toEqual([503, 503, 200]);
  });

  it('delays a response', async () => {
    emulator.injectFault({ route: 'identity', delayMs: 150 });
    const started = performance.now();
    await fetch(emulator.identityUrl, { method: 'POST', headers: { 'x-api-key': DEFAULT_EMULATOR_API_KEY } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('matches faults by path and method, and takes them from the options too', async () => {
    const local = createPayrocEmulator({ faults: [{ path: /^\/authorize$/, method: 'POST', status: 429, headers: { 'retry-after': '1' } }] });
    const identity = () => local.fetch('/authorize', { method: 'POST', headers: { 'x-api-key': DEFAULT_EMULATOR_API_KEY } });
    const limited = await identity();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect((await identity()).status).toBe(200);

    local.injectFault({ path: '/authorize', method: 'GET', status: 500, times: Infinity });
    expect((await identity()).status).toBe(200);
    expect((await local.fetch('/authorize')).status).toBe(500);
    expect((await local.fetch('/authorize')).status).toBe(500);
    local.clearFaults();
    expect((await local.fetch('/authorize')).status).toBe(405);
  });

  it('answers an injected body as JSON, or adds headers to the real answer', async () => {
    const local = createPayrocEmulator();
    local.injectFault({ route: 'identity', status: 200, body: { access_token: '' } });
    local.injectFault({ route: 'identity', headers: { 'x-request-id': 'abc' } });
    const broken = await local.fetch('/authorize', { method: 'POST' });
    expect(await broken.json()).toEqual({ access_token: '' });
    const real = await local.fetch('/authorize', { method: 'POST', headers: { 'x-api-key': DEFAULT_EMULATOR_API_KEY } });
    expect(real.status).toBe(200);
    expect(real.headers.get('x-request-id')).toBe('abc');
  });

  it('does not spend a gateway fault on the CORS preflight', async () => {
    emulator.injectFault({ route: 'submission', status: 500 });
    const path = `${emulator.url}/merchant/api/v2/hosted-fields-sessions/nope/submissions`;
    const preflight = await fetch(path, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
    const post = await fetch(path, { method: 'POST', body: '{}' });
    expect(post.status).toBe(500);
    expect(post.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('adds latency per route', async () => {
    const local = createPayrocEmulator({ latencyMs: { identity: 120 } });
    const time = async (input: string, init?: RequestInit) => {
      const started = performance.now();
      await local.fetch(input, init);
      return performance.now() - started;
    };
    expect(await time('/authorize', { method: 'POST' })).toBeGreaterThanOrEqual(110);
    expect(await time('/v1/processing-terminals/1234001/hosted-fields-sessions', { method: 'POST' })).toBeLessThan(60);
  });

  it('forgets everything on reset()', async () => {
    const token = await bearer();
    await createSession({ token });
    emulator.injectFault({ route: 'identity', status: 503 });
    emulator.reset();
    expect(emulator.requests).toEqual([]);
    expect(emulator.sessions).toEqual([]);
    expect((await createSession({ token })).response.status).toBe(401);
    expect((await fetch(emulator.identityUrl, { method: 'POST', headers: { 'x-api-key': DEFAULT_EMULATOR_API_KEY } })).status).toBe(200);
  });

  it('drops the connection, over HTTP and through emulator.fetch', async () => {
    emulator.injectFault({ route: 'identity', drop: true, times: 2 });
    await expect(fetch(emulator.identityUrl, { method: 'POST' })).rejects.toThrow(TypeError);
    await expect(emulator.fetch(emulator.identityUrl, { method: 'POST' })).rejects.toThrow(TypeError);
    expect(emulator.requests.map((request) => request.status)).toEqual([-1, -1]);
    expect((await fetch(emulator.identityUrl, { method: 'POST', headers: { 'x-api-key': DEFAULT_EMULATOR_API_KEY } })).status).toBe(200);
  });
});

describe('stand-in script and gateway', () => {
  it('serves each documented version with an SRI hash of the exact bytes, and CORS', async () => {
    for (const env of ['test', 'production'] as const) {
      const script = emulator.scripts[env];
      expect(script.url).toBe(`${emulator.url}/js/hosted-fields/hosted-fields-${script.libVersion}.js`);
      const response = await fetch(script.url);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(script.integrity).toBe(`sha384-${createHash('sha384').update(bytes).digest('base64')}`);
    }
    expect((await fetch(`${emulator.url}/js/hosted-fields/hosted-fields-1.6.0.172441.js`)).status).toBe(404);
  });

  it('validates a session token once: a second use, an expired token and another version fail', async () => {
    const { json } = await createSession();
    const configuration = (token: string, version = '1.7.0.261457') =>
      fetch(`${emulator.url}/merchant/api/v2/hosted-fields-sessions/${token}/configuration?libVersion=${version}`);
    expect((await configuration(json.token as string, '1.7.0.261471')).status).toBe(400);
    expect((await configuration(json.token as string)).status).toBe(200);
    expect((await configuration(json.token as string)).status).toBe(409);
    expect((await configuration('nope')).status).toBe(404);

    const second = await createSession({ headers: { 'idempotency-key': '3f1c7a52-8d2e-4b6f-9a10-2c4d5e6f7a8b' } });
    clock += 600_000;
    expect((await configuration(second.json.token as string)).status).toBe(401);
    expect(emulator.requests.filter((r) => r.route === 'configuration').map((r) => r.tokenState)).toEqual([
      'valid',
      'valid',
      'used',
      'unknown',
      'expired',
    ]);
  });
});

describe('msw handlers', () => {
  it('answer the real Payroc URLs with the emulator', async () => {
    const server = setupServer(...createPayrocMswHandlers(emulator));
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const ok = await fetch('https://identity.uat.payroc.com/authorize', {
        method: 'POST',
        headers: { 'x-api-key': DEFAULT_EMULATOR_API_KEY },
      });
      expect(ok.status).toBe(200);
      const missing = await fetch('https://api.uat.payroc.com/v1/processing-terminals/1234001/hosted-fields-sessions', {
        method: 'POST',
      });
      expect(missing.status).toBe(401);
      emulator.injectFault({ route: 'identity', drop: true });
      await expect(fetch('https://identity.uat.payroc.com/authorize', { method: 'POST' })).rejects.toThrow();
    } finally {
      server.close();
    }
  });

  it('serve the stand-in at the CDN URL, with a matching hash, when the emulator is not listening', async () => {
    const offline = createPayrocEmulator();
    const server = setupServer(...createPayrocMswHandlers(offline, { environment: 'production' }));
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const script = offline.scripts.production;
      expect(script.url).toBe('https://cdn.payroc.com/js/hosted-fields/hosted-fields-1.7.0.261471.js');
      const bytes = Buffer.from(await (await fetch(script.url)).arrayBuffer());
      expect(script.integrity).toBe(`sha384-${createHash('sha384').update(bytes).digest('base64')}`);
      expect(bytes.toString()).toContain('"https://testpayments.worldnettps.com"');
      const gateway = await fetch('https://testpayments.worldnettps.com/merchant/api/v2/hosted-fields-sessions/nope/configuration');
      expect(gateway.status).toBe(404);
      expect(offline.requests.map((request) => request.route)).toEqual(['script', 'configuration']);
    } finally {
      server.close();
    }
  });
});
