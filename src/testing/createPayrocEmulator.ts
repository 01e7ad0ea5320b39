import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { HOSTED_FIELDS_SCRIPTS } from '../core/hostedFieldsScripts';
import type { HostedFieldsEnvironment, HostedFieldsScenario, HostedFieldsScript } from '../core/types';
import {
  findSessionRequestProblem,
  isLibVersion,
  isProcessingTerminalId,
  isUuidV4,
} from '../core/validation';
import { fieldPage, standInScript } from './standInScript';

/**
 * The API key the emulator accepts unless you pass `apiKeys`.
 *
 * @example
 * createPayrocClient({ apiKey: DEFAULT_EMULATOR_API_KEY, environment: 'test', identityUrl: emulator.identityUrl, apiUrl: emulator.apiUrl });
 */
export const DEFAULT_EMULATOR_API_KEY = 'test-api-key';

/**
 * Which part of Payroc a request went to.
 *
 * @example
 * emulator.requests.filter((request) => request.route === 'identity').length; // Identity calls so far
 */
export type EmulatorRoute = 'identity' | 'sessions' | 'script' | 'frame' | 'configuration' | 'submission' | 'unknown';

/**
 * A fault to inject: matched by route, path and method, for `times` requests (default 1). It answers `status` (with
 * `body`, or a problem object), waits `delayMs` first, drops the connection (`drop`), or, with `headers` and no
 * `status`, adds headers to the real answer. A browser's CORS preflight (`OPTIONS`) only matches a fault that names
 * `method: 'OPTIONS'`, so a fault on a gateway route hits the request the test means. A body over 1 MiB sent to the
 * HTTP server is answered `413` (and recorded) before any fault or latency applies.
 *
 * @example
 * emulator.injectFault({ route: 'sessions', status: 503, times: 2 });
 * emulator.injectFault({ route: 'identity', drop: true });
 * emulator.injectFault({ route: 'script', delayMs: 2_000 });
 */
export interface EmulatorFault {
  route?: EmulatorRoute;
  path?: string | RegExp;
  method?: string;
  /** How many matching requests it affects; `Infinity` until `clearFaults()`. Default 1. */
  times?: number;
  /** Answer this status instead of the real answer: with `body` as JSON, or a problem object when there is none. */
  status?: number;
  body?: unknown;
  /** Headers of the injected answer, or added to the real one when there is no `status`. */
  headers?: Record<string, string>;
  /** Wait this long before answering (or dropping). */
  delayMs?: number;
  /** Destroy the socket without an answer; `emulator.fetch` and msw see a network error. */
  drop?: boolean;
}

/**
 * Options of {@link createPayrocEmulator}.
 *
 * @example
 * const emulator = createPayrocEmulator({ sessionTtlMs: 5_000, latencyMs: { sessions: 300 } });
 */
export interface PayrocEmulatorOptions {
  /** Accepted `x-api-key` values. Default `[DEFAULT_EMULATOR_API_KEY]`. */
  apiKeys?: string[];
  /** Terminals the API keys may create sessions for (others get 403). Default `['1234001']`. */
  processingTerminalIds?: string[];
  /** Session token lifetime. Default 600 000 ms (10 minutes), as Payroc's. */
  sessionTtlMs?: number;
  /** Bearer token `expires_in`. Default 3600 s. */
  tokenTtlS?: number;
  /** Delay before answering, for every route or per route. */
  latencyMs?: number | Partial<Record<'identity' | 'sessions' | 'script' | 'gateway', number>>;
  faults?: EmulatorFault[];
  /** Surcharging the stand-in announces once the card number is valid; none by default. */
  surcharging?: { percentage: number; disclosure: string };
  /** Clock. Default `Date.now` (so fake timers apply). */
  now?: () => number;
}

/**
 * A request the emulator received; secrets (`x-api-key`, `authorization`) are redacted.
 *
 * @example
 * expect(emulator.requests.at(-1)).toMatchObject({ route: 'sessions', status: 201 });
 */
export interface EmulatorRequestRecord {
  route: EmulatorRoute;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The body: parsed JSON, or the text when it is not JSON. `undefined` for a body over 1 MiB (answered `413` unread). */
  body: unknown;
  /** The status answered; `-1` when the connection was dropped, `0` while still pending. */
  status: number;
  /** `now()` when it arrived. */
  at: number;
  /**
   * For gateway calls: the state of the session token when it arrived. `used`: a configuration request for a token
   * another instance already initialised with, or a submission after one already succeeded.
   */
  tokenState?: 'valid' | 'expired' | 'used' | 'unknown';
}

/**
 * A session the emulator issued.
 *
 * @example
 * expect(emulator.sessions.every((session) => session.used)).toBe(true);
 */
export interface EmulatorSession {
  token: string;
  processingTerminalId: string;
  libVersion: string;
  scenario: HostedFieldsScenario;
  secureTokenId: string | undefined;
  expiresAt: number;
  idempotencyKey: string;
  /** A Hosted Fields instance initialised with it (tokens are single-use). */
  used: boolean;
  /** A card was submitted with it. */
  submitted: boolean;
}

/**
 * The offline Payroc: Identity, the sessions API, the Hosted Fields script and its gateway.
 *
 * @example
 * const emulator = createPayrocEmulator();
 * await emulator.listen();
 * // … run code against emulator.identityUrl / emulator.apiUrl …
 * await emulator.close();
 */
export interface PayrocEmulator {
  /** Starts the HTTP server on 127.0.0.1 (a free port unless given). */
  listen(port?: number): Promise<void>;
  close(): Promise<void>;
  /** `http://127.0.0.1:PORT`; throws before `listen()`. */
  readonly url: string;
  /** The authorize URL, for `createPayrocClient({ identityUrl })`. */
  readonly identityUrl: string;
  /** The API base up to `/v1`, for `createPayrocClient({ apiUrl })`. */
  readonly apiUrl: string;
  /** The stand-in script per environment (URL on the emulator, version, real SRI hash of the served bytes). */
  readonly scripts: Record<HostedFieldsEnvironment, HostedFieldsScript>;
  /** Answers one request with the same logic as the server, without a socket. */
  handle(request: Request): Promise<Response>;
  /** A `fetch` into `handle()`: inject it where code under test takes a `fetch`. */
  readonly fetch: typeof fetch;
  readonly requests: EmulatorRequestRecord[];
  readonly sessions: EmulatorSession[];
  injectFault(fault: EmulatorFault): void;
  clearFaults(): void;
  /** Forgets requests, sessions, Bearer tokens, idempotency keys and faults. */
  reset(): void;
}

const DROP = Symbol('drop');
const PROBLEM_BASE = 'https://docs.payroc.com/api/errors#';
const TITLES: Record<number, [slug: string, title: string]> = {
  400: ['bad-request', 'Bad Request'],
  401: ['unauthorized', 'Unauthorized'],
  403: ['forbidden', 'Forbidden'],
  404: ['not-found', 'Not Found'],
  405: ['method-not-allowed', 'Method Not Allowed'],
  406: ['not-acceptable', 'Not Acceptable'],
  409: ['conflict', 'Conflict'],
  413: ['payload-too-large', 'Payload Too Large'],
  415: ['unsupported-media-type', 'Unsupported Media Type'],
  429: ['too-many-requests', 'Too Many Requests'],
  500: ['internal-server-error', 'Internal Server Error'],
  502: ['bad-gateway', 'Bad Gateway'],
  503: ['service-unavailable', 'Service Unavailable'],
  504: ['gateway-timeout', 'Gateway Timeout'],
};
const CORS = { 'access-control-allow-origin': '*' };
const SESSIONS_PATH = /^\/v1\/processing-terminals\/([^/]*)\/hosted-fields-sessions$/;
const SCRIPT_PATH = /^\/js\/hosted-fields\/hosted-fields-(.+)\.js$/;
const GATEWAY_PATH = /^\/merchant\/api\/v2\/hosted-fields-sessions\/([^/]+)\/(configuration|submissions)$/;
const MAX_BODY = 1024 * 1024;

/** Request headers as recorded: the API key and the Bearer token never reach `emulator.requests`. */
function redactedHeaders(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = name === 'x-api-key' || name === 'authorization' ? '[redacted]' : value;
  });
  return record;
}

/** A path segment as text; a malformed escape stays as it was (it then fails validation instead of throwing). */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function problem(status: number, detail: string, extra: Record<string, unknown> = {}, headers: HeadersInit = {}) {
  const [slug, title] = TITLES[status] ?? ['error', `HTTP ${status}`];
  // Payroc's 400s always list what was wrong; a 400 without a named parameter blames the request body.
  const errors = status === 400 && !('errors' in extra) ? { errors: [{ parameter: 'body', detail, message: detail }] } : {};
  return Response.json(
    { type: PROBLEM_BASE + slug, title, status, detail, ...errors, ...extra },
    { status, headers: { 'content-type': 'application/problem+json', ...headers } },
  );
}

const invalidParameter = (parameter: string, detail: string) =>
  problem(400, 'One or more validation errors occurred', { errors: [{ parameter, detail, message: detail }] });

const luhn = (digits: string) =>
  [...digits].reverse().reduce((sum, char, index) => {
    let digit = Number(char);
    if (index % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    return sum + digit;
  }, 0) %
    10 ===
  0;

/**
 * An offline Payroc for tests and demos, as strict as Payroc's docs: Identity (`POST /authorize`), session creation
 * (`POST /v1/processing-terminals/{id}/hosted-fields-sessions`, with Bearer, Idempotency-Key and body checks and
 * idempotent replay), a stand-in Hosted Fields script at the real path with a real SRI hash, and the gateway that
 * script talks to (single-use, expiring session tokens). It records every request and can inject faults.
 *
 * @example
 * import { createPayrocEmulator, DEFAULT_EMULATOR_API_KEY } from 'payroc-hosted-fields/testing';
 * import { createPayrocClient } from 'payroc-hosted-fields/server';
 *
 * const emulator = createPayrocEmulator();
 * await emulator.listen();
 * const payroc = createPayrocClient({
 *   apiKey: DEFAULT_EMULATOR_API_KEY,
 *   environment: 'test',
 *   identityUrl: emulator.identityUrl,
 *   apiUrl: emulator.apiUrl,
 * });
 * const session = await payroc.createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' });
 * await emulator.close();
 */
export function createPayrocEmulator(options: PayrocEmulatorOptions = {}): PayrocEmulator {
  const apiKeys = new Set(options.apiKeys ?? [DEFAULT_EMULATOR_API_KEY]);
  const terminals = new Set(options.processingTerminalIds ?? ['1234001']);
  const sessionTtlMs = options.sessionTtlMs ?? 600_000;
  const tokenTtlS = options.tokenTtlS ?? 3600;
  const now = options.now ?? (() => Date.now());
  const knownVersions = new Map<string, HostedFieldsEnvironment>(
    (Object.keys(HOSTED_FIELDS_SCRIPTS) as HostedFieldsEnvironment[]).map((env) => [
      HOSTED_FIELDS_SCRIPTS[env].libVersion,
      env,
    ]),
  );

  const requests: EmulatorRequestRecord[] = [];
  const sessions: EmulatorSession[] = [];
  const bearerTokens = new Map<string, number>();
  const idempotency = new Map<string, { uri: string; body: string; status: number; json: unknown; headers: Record<string, string> }>();
  let faults: (EmulatorFault & { remaining: number })[] = [];
  const scriptCache = new Map<string, { body: string; integrity: string }>();
  let origin: string | undefined;
  let server: Server | undefined;
  const sockets = new Set<Socket>();

  const injectFault = (fault: EmulatorFault) => {
    faults.push({ ...fault, remaining: fault.times ?? 1 });
  };
  for (const fault of options.faults ?? []) injectFault(fault);

  // The stand-in talks to the origin it was served from; without a server (msw), to Payroc's test gateway host.
  const gatewayOrigin = () => origin ?? 'https://testpayments.worldnettps.com';
  const script = (libVersion: string) => {
    const key = `${libVersion} ${gatewayOrigin()}`;
    let cached = scriptCache.get(key);
    if (!cached) {
      const body = standInScript(libVersion, gatewayOrigin());
      cached = { body, integrity: `sha384-${createHash('sha384').update(body).digest('base64')}` };
      scriptCache.set(key, cached);
    }
    return cached;
  };

  const latency = (route: EmulatorRoute): number => {
    const { latencyMs } = options;
    if (typeof latencyMs === 'number') return latencyMs;
    const key = route === 'configuration' || route === 'submission' || route === 'frame' ? 'gateway' : route;
    return (latencyMs as Record<string, number> | undefined)?.[key] ?? 0;
  };

  const routeOf = (path: string): EmulatorRoute => {
    if (path === '/authorize') return 'identity';
    if (SESSIONS_PATH.test(path)) return 'sessions';
    if (SCRIPT_PATH.test(path)) return 'script';
    if (path === '/merchant/hosted-fields/field') return 'frame';
    const gateway = GATEWAY_PATH.exec(path);
    if (gateway) return gateway[2] === 'configuration' ? 'configuration' : 'submission';
    return 'unknown';
  };

  const takeFault = (route: EmulatorRoute, path: string, method: string) => {
    const fault = faults.find(
      (candidate) =>
        (candidate.route === undefined || candidate.route === route) &&
        (candidate.method === undefined ? method !== 'OPTIONS' : candidate.method.toUpperCase() === method) &&
        (candidate.path === undefined ||
          (typeof candidate.path === 'string' ? candidate.path === path : candidate.path.test(path))),
    );
    if (!fault) return undefined;
    if (--fault.remaining <= 0) faults = faults.filter((candidate) => candidate !== fault);
    return fault;
  };

  async function dispatch(request: Request): Promise<Response | typeof DROP> {
    const url = new URL(request.url);
    const path = url.pathname;
    const method = request.method.toUpperCase();
    const route = routeOf(path);
    const text = method === 'GET' || method === 'HEAD' ? '' : await request.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Recorded as the text it was.
    }
    const record: EmulatorRequestRecord = { route, method, path, headers: redactedHeaders(request.headers), body, status: 0, at: now() };
    requests.push(record);

    const wait = latency(route);
    if (wait > 0) await delay(wait);
    const fault = takeFault(route, path, method);
    if (fault?.delayMs) await delay(fault.delayMs);
    if (fault?.drop) {
      record.status = -1;
      return DROP;
    }
    let response: Response;
    if (fault?.status !== undefined) {
      const cors = route === 'script' || route === 'configuration' || route === 'submission' ? CORS : {};
      response =
        fault.body === undefined
          ? problem(fault.status, 'Injected fault', {}, { ...cors, ...fault.headers })
          : Response.json(fault.body, { status: fault.status, headers: { ...cors, ...fault.headers } });
    } else {
      response = answer(route, request, url, method, text, record);
      if (fault?.headers) {
        for (const [name, value] of Object.entries(fault.headers)) response.headers.set(name, value);
      }
    }
    record.status = response.status;
    return response;
  }

  function answer(
    route: EmulatorRoute,
    request: Request,
    url: URL,
    method: string,
    text: string,
    record: EmulatorRequestRecord,
  ): Response {
    switch (route) {
      case 'identity':
        return identity(request, method);
      case 'sessions':
        return createSession(request, url, method, text);
      case 'script': {
        if (method !== 'GET' && method !== 'HEAD') return problem(405, 'Use GET', {}, { allow: 'GET' });
        const version = SCRIPT_PATH.exec(url.pathname)![1]!;
        if (!knownVersions.has(version)) return problem(404, `No Hosted Fields build ${version}`, {}, CORS);
        return new Response(script(version).body, {
          headers: { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'no-cache', ...CORS },
        });
      }
      case 'frame':
        if (method !== 'GET' && method !== 'HEAD') return problem(405, 'Use GET', {}, { allow: 'GET' });
        return new Response(fieldPage(url.searchParams), { headers: { 'content-type': 'text/html; charset=utf-8' } });
      case 'configuration':
      case 'submission':
        return gateway(route, url, method, text, record);
      default:
        return problem(404, `No such endpoint: ${method} ${url.pathname}`);
    }
  }

  function identity(request: Request, method: string): Response {
    if (method !== 'POST') return problem(405, 'Use POST', {}, { allow: 'POST' });
    const key = request.headers.get('x-api-key');
    if (!key) return problem(401, 'The x-api-key header is missing');
    if (!apiKeys.has(key)) return problem(401, 'The API key is not valid');
    const accessToken = `emu_${randomBytes(24).toString('base64url')}`;
    bearerTokens.set(accessToken, now() + tokenTtlS * 1000);
    return Response.json({ access_token: accessToken, expires_in: tokenTtlS, scope: 'hosted-fields', token_type: 'Bearer' });
  }

  function createSession(request: Request, url: URL, method: string, text: string): Response {
    if (method !== 'POST') return problem(405, 'Use POST', {}, { allow: 'POST' });
    const authorization = request.headers.get('authorization') ?? '';
    const bearer = /^Bearer (\S+)$/.exec(authorization)?.[1];
    if (!bearer) return problem(401, 'The Authorization header must be "Bearer <token>"');
    const bearerExpiry = bearerTokens.get(bearer);
    if (bearerExpiry === undefined) return problem(401, 'The Bearer token is not valid');
    if (now() >= bearerExpiry) return problem(401, 'The Bearer token has expired');
    const accept = request.headers.get('accept');
    if (accept && !/application\/(json|problem\+json|\*)|\*\/\*/.test(accept)) {
      return problem(406, 'The response is only available as application/json');
    }
    const contentType = request.headers.get('content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(contentType)) {
      return problem(415, 'The Content-Type must be application/json');
    }
    const idempotencyKey = request.headers.get('idempotency-key');
    if (!idempotencyKey) return invalidParameter('Idempotency-Key', 'The Idempotency-Key header is required');
    if (!isUuidV4(idempotencyKey)) return invalidParameter('Idempotency-Key', 'The Idempotency-Key must be a UUID v4');
    const terminalId = decodeSegment(SESSIONS_PATH.exec(url.pathname)![1]!);
    if (!isProcessingTerminalId(terminalId)) {
      return invalidParameter('processingTerminalId', 'processingTerminalId must be 4 to 50 characters');
    }
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      return problem(400, 'The request body must be a JSON object');
    }
    const unknown = Object.keys(body).find((key) => !['libVersion', 'scenario', 'secureTokenId'].includes(key));
    if (unknown) return invalidParameter(unknown, `Unknown parameter ${unknown}`);
    // Payroc checks the documented pattern and also that such a build exists; both fail as "Invalid libVersion".
    if (!isLibVersion(body.libVersion) || !knownVersions.has(body.libVersion)) {
      return invalidParameter('libVersion', 'Invalid libVersion');
    }
    const fieldProblem = findSessionRequestProblem(body);
    if (fieldProblem) return invalidParameter(fieldProblem[0], `${fieldProblem[0]} ${fieldProblem[1]}`);
    if (!terminals.has(terminalId)) {
      return problem(403, 'The API key has no access to this processing terminal', {
        resource: `processing-terminals/${terminalId}`,
      });
    }

    const canonical = JSON.stringify(body, Object.keys(body).sort());
    const previous = idempotency.get(idempotencyKey);
    if (previous) {
      if (previous.uri !== url.pathname || previous.body !== canonical) {
        return problem(409, 'The Idempotency-Key was already used with a different request', {
          instance: url.pathname,
        });
      }
      return Response.json(previous.json, {
        status: previous.status,
        headers: { ...previous.headers, 'idempotent-replayed': 'true' },
      });
    }

    const token = randomBytes(16).toString('hex');
    const expiresAt = now() + sessionTtlMs;
    sessions.push({
      token,
      processingTerminalId: terminalId,
      libVersion: body.libVersion,
      scenario: body.scenario as HostedFieldsScenario,
      secureTokenId: body.secureTokenId as string | undefined,
      expiresAt,
      idempotencyKey,
      used: false,
      submitted: false,
    });
    const json = { processingTerminalId: terminalId, token, expiresAt: new Date(expiresAt).toISOString().replace('Z', '+00:00') };
    const headers = { location: `${url.pathname}/${token}` };
    idempotency.set(idempotencyKey, { uri: url.pathname, body: canonical, status: 201, json, headers });
    return Response.json(json, { status: 201, headers });
  }

  function gateway(
    route: 'configuration' | 'submission',
    url: URL,
    method: string,
    text: string,
    record: EmulatorRequestRecord,
  ): Response {
    const cors = { ...CORS, 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type' };
    if (method === 'OPTIONS') return new Response(null, { status: 204, headers: cors });
    const expected = route === 'configuration' ? 'GET' : 'POST';
    if (method !== expected) return problem(405, `Use ${expected}`, {}, { ...cors, allow: expected });
    const token = decodeSegment(GATEWAY_PATH.exec(url.pathname)![1]!);
    const session = sessions.find((candidate) => candidate.token === token);
    record.tokenState = !session
      ? 'unknown'
      : now() >= session.expiresAt
        ? 'expired'
        : (route === 'configuration' ? session.used : session.submitted)
          ? 'used'
          : 'valid';
    if (!session) return problem(404, 'Invalid session token', {}, cors);
    if (now() >= session.expiresAt) return problem(401, 'The session token has expired', {}, cors);

    if (route === 'configuration') {
      if (session.used) return problem(409, 'The session token has already been used', {}, cors);
      const libVersion = url.searchParams.get('libVersion');
      if (libVersion !== session.libVersion) {
        const errors = [{ parameter: 'libVersion', detail: 'Invalid libVersion', message: 'Invalid libVersion' }];
        return problem(400, 'Invalid libVersion', { errors }, cors);
      }
      session.used = true;
      return Response.json(
        {
          processingTerminalId: session.processingTerminalId,
          scenario: session.scenario,
          expiresAt: new Date(session.expiresAt).toISOString(),
          ...(options.surcharging && { surcharging: options.surcharging }),
        },
        { headers: cors },
      );
    }

    if (!session.used) return problem(409, 'Hosted Fields was not initialised with this session token', {}, cors);
    if (session.submitted) return problem(409, 'A card was already submitted with this session token', {}, cors);
    let card: Record<string, unknown>;
    try {
      card = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return problem(400, 'The request body must be JSON', {}, cors);
    }
    const number = String(card.cardNumber ?? '').replace(/[\s-]/g, '');
    if (!/^\d{12,19}$/.test(number) || !luhn(number)) {
      const errors = [{ parameter: 'cardNumber', detail: 'Invalid card number', message: 'Invalid card number' }];
      return problem(400, 'Invalid card number', { errors }, cors);
    }
    session.submitted = true;
    return Response.json(
      { token: `card_${randomBytes(12).toString('hex')}`, expiresAt: new Date(now() + 30 * 60_000).toISOString() },
      { status: 201, headers: cors },
    );
  }

  async function handle(request: Request): Promise<Response> {
    const response = await dispatch(request);
    if (response === DROP) {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    }
    return response;
  }

  async function onNodeRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = now();
    const method = req.method ?? 'GET';
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY) {
        // Answered before dispatch (faults and latency do not apply), but recorded, so that a test sees what was sent.
        const path = new URL(`${origin}${req.url ?? '/'}`).pathname;
        const route = routeOf(path);
        requests.push({ route, method: method.toUpperCase(), path, headers: redactedHeaders(headers), body: undefined, status: 413, at: arrivedAt });
        const tooLarge = problem(413, `The request body is larger than ${MAX_BODY} bytes`);
        res.writeHead(413, { 'content-type': 'application/problem+json', connection: 'close' });
        res.end(Buffer.from(await tooLarge.arrayBuffer()));
        return;
      }
      chunks.push(chunk);
    }
    const request = new Request(`${origin}${req.url ?? '/'}`, {
      method,
      headers,
      ...(method !== 'GET' && method !== 'HEAD' && { body: Buffer.concat(chunks) }),
    });
    const response = await dispatch(request);
    if (response === DROP) {
      req.socket.destroy();
      return;
    }
    const outHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => (outHeaders[name] = value));
    res.writeHead(response.status, outHeaders);
    res.end(method === 'HEAD' ? undefined : Buffer.from(await response.arrayBuffer()));
  }

  const emulator: PayrocEmulator = {
    async listen(port = 0) {
      if (server) throw new Error('The emulator is already listening');
      server = createServer((req, res) => {
        onNodeRequest(req, res).catch(async () => {
          // Only a request Node could not turn into a fetch Request gets here (e.g. a malformed URL).
          if (res.headersSent) return void res.end();
          const answer = problem(400, 'The request could not be read');
          res.writeHead(400, { 'content-type': 'application/problem+json' });
          res.end(Buffer.from(await answer.arrayBuffer()));
        });
      });
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, '127.0.0.1', () => resolve());
      });
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async close() {
      const closing = server;
      server = undefined;
      if (!closing) return;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    get url() {
      if (!origin) throw new Error('The emulator is not listening: await emulator.listen() first');
      return origin;
    },
    get identityUrl() {
      return `${emulator.url}/authorize`;
    },
    get apiUrl() {
      return `${emulator.url}/v1`;
    },
    get scripts() {
      // Not listening (msw): Payroc's own CDN URL, which createPayrocMswHandlers answers with the same bytes.
      const record = (env: HostedFieldsEnvironment): HostedFieldsScript => {
        const { libVersion, url } = HOSTED_FIELDS_SCRIPTS[env];
        return {
          url: origin ? `${origin}/js/hosted-fields/hosted-fields-${libVersion}.js` : url,
          libVersion,
          integrity: script(libVersion).integrity,
        };
      };
      return { test: record('test'), production: record('production') };
    },
    handle,
    // A path alone is fine: the host is ignored and only the path is routed.
    fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
      handle(
        new Request(typeof input === 'string' && input.startsWith('/') ? new URL(input, origin ?? 'http://emulator.invalid') : input, init),
      )) as typeof fetch,
    requests,
    sessions,
    injectFault,
    clearFaults() {
      faults = [];
    },
    reset() {
      requests.length = 0;
      sessions.length = 0;
      bearerTokens.clear();
      idempotency.clear();
      faults = [];
    },
  };
  return emulator;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
