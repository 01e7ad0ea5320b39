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
    ['an unknown scenario', { body: { libVersion: '1.7.0.261457', scenario: 'refund' } }, 400, 'scenario'],
    ['an empty secureTokenId', { body: { libVersion: '1.7.0.261457', scenario: 'tokenization', secureTokenId: '' } }, 400, 'secureTokenId'],
    ['a 201-character secureTokenId', { body: { libVersion: '1.7.0.261457', scenario: 'tokenization', secureTokenId: 'x'.repeat(201) } }, 400, 'secureTokenId'],
    ['a terminal id in the body', { body: { libVersion: '1.7.0.261457', scenario: 'payment', processingTerminalId: '1' } }, 400, 'processingTerminalId'],
    ['a 3-character terminal id', { terminal: '123' }, 400, 'processingTerminalId'],
    ['a terminal the key may not use', { terminal: '9999001' }, 403],
  ])('rejects %s', async (_, options, status, parameter) => {
    const { response, json } = await createSession(options);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(json).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
    if (parameter) expect(json.errors).toEqual([expect.objectContaining({ parameter })]);
    expect(emulator.sessions).toHaveLength(0);
  });

  it('accepts a secureTokenId of 200 characters', async () => {
    const { response } = await createSession({
      body: { libVersion: '1.7.0.261457', scenario: 'tokenization', secureTokenId: 'x'.repeat(200) },
    });
    expect(response.status).toBe(201);
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

  it('drops the connection, over HTTP and through emulator.fetch', async () => {
    emulator.injectFault({ route: 'identity', drop: true, times: 2 });
    await expect(fetch(emulator.identityUrl, { method: 'POST' })).rejects.toThrow(TypeError);
    await expect(emulator.fetch(emulator.identityUrl, { method: 'POST' })).rejects.toThrow(TypeError);
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
});
