import { PayrocApiError } from '../core/errors/PayrocApiError';
import { PayrocConfigurationError } from '../core/errors/PayrocConfigurationError';
import { PayrocInvalidResponseError } from '../core/errors/PayrocInvalidResponseError';
import { PayrocValidationError } from '../core/errors/PayrocValidationError';
import { HOSTED_FIELDS_SCRIPTS } from '../core/hostedFieldsScripts';
import type { HostedFieldsEnvironment, HostedFieldsScenario, HostedFieldsSession } from '../core/types';
import {
  isLibVersion,
  isProcessingTerminalId,
  isScenario,
  isSecureTokenId,
  isUuidV4,
} from '../core/validation';
import { createMemoryTokenStore } from './createMemoryTokenStore';
import { PAYROC_ENVIRONMENTS } from './payrocEnvironments';
import { randomUuid, sha256Hex } from './runtimeCrypto';
import { sendWithRetries, type PayrocLogger } from './sendWithRetries';
import type { StoredBearerToken, TokenStore } from './TokenStore';

export type { PayrocLogger } from './sendWithRetries';

/**
 * Options of {@link createPayrocClient}.
 *
 * @example
 * const options: PayrocClientOptions = { apiKey: process.env.PAYROC_API_KEY, environment: 'test', timeoutMs: 10_000 };
 */
export interface PayrocClientOptions {
  /**
   * Your Payroc API key, exactly as issued. Required, and visible ASCII only (U+0021–U+007E), as Payroc keys are: a
   * missing or empty key, or one with a space, line break, control character or anything non-ASCII (a zero-width
   * space, a curly quote copied with it) throws {@link PayrocConfigurationError}, since the `x-api-key` header would
   * trim or reject it. The message names the character's code point and position, never the key.
   */
  apiKey: string | undefined;
  /** Picks Identity and API URLs and the default `libVersion`. `test` is Payroc's UAT environment. */
  environment: HostedFieldsEnvironment;
  /** Default: the runtime's global `fetch`, looked up at call time. */
  fetch?: typeof fetch | undefined;
  /**
   * Timeout of each attempt (Identity and sessions alike), response body included. Default 15 000 ms. At most
   * 2 147 483 647 ms (2³¹ − 1, about 24.8 days, the longest delay `setTimeout` honours; a longer one fires at once):
   * a longer or non-positive value throws {@link PayrocConfigurationError} rather than being clamped silently.
   */
  timeoutMs?: number | undefined;
  /**
   * Retries after a 408, 429, 5xx, timeout or connection failure. Default 2; 0 disables retries. A 401 from the
   * sessions API adds one request with a new Bearer token but no new retries: a session call makes at most
   * `maxRetries + 2` requests. The Identity call for that token has its own `maxRetries`.
   */
  maxRetries?: number | undefined;
  /** The full Identity authorize URL, e.g. the emulator's `emulator.identityUrl`. Default: the environment's. */
  identityUrl?: string | undefined;
  /** The API base up to `/v1`, e.g. the emulator's `emulator.apiUrl`. Default: the environment's. */
  apiUrl?: string | undefined;
  /** Where the Bearer token is cached. Default: in memory, per client ({@link createMemoryTokenStore}). */
  tokenStore?: TokenStore | undefined;
  /** The key under which the token is stored. Default: derived from a SHA-256 digest of the API key and the Identity URL. */
  tokenStoreKey?: string | undefined;
  /**
   * How long before `expires_in` runs out the Bearer token is renewed. Default 60 000 ms. At most half the token's
   * lifetime is used: a token that lives less than twice the margin is served from the cache for half its life and
   * then renewed, instead of costing an Identity call per session. The lifetime is learned from this client's own
   * Identity calls; until its first one, a token another instance stored is judged by the full margin.
   */
  tokenRefreshMarginMs?: number | undefined;
  /** Default `libVersion` for sessions. Default: `HOSTED_FIELDS_SCRIPTS[environment].libVersion`. */
  libVersion?: string | undefined;
  /**
   * Receives retries and token renewals (`warn`), and token store calls that failed or timed out (`error`, else
   * `warn`). Never receives the API key or a token; a logger that throws is ignored.
   */
  logger?: PayrocLogger | undefined;
  /** The clock, in epoch milliseconds. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/**
 * Arguments of {@link PayrocClient.createHostedFieldsSession}.
 *
 * @example
 * const params: CreateHostedFieldsSessionParams = { processingTerminalId: '1234001', scenario: 'payment' };
 */
export interface CreateHostedFieldsSessionParams {
  /** Your processing terminal (4–50 characters). Choose it on the server, never from browser input. */
  processingTerminalId: string;
  scenario: HostedFieldsScenario;
  /** Only to update the card details saved behind an existing secure token (1–200 characters). */
  secureTokenId?: string | undefined;
  /** Default: the client's `libVersion`. Must match the script the page loads. */
  libVersion?: string | undefined;
  /** A UUID v4. Default: a new one per call, reused on every retry of that call. */
  idempotencyKey?: string | undefined;
  /** Aborts the call (waiting for a token, a request or a retry); it then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/**
 * A Payroc API client for your server: it keeps a Bearer token and creates Hosted Fields sessions.
 *
 * @example
 * const session = await payroc.createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' });
 */
export interface PayrocClient {
  readonly environment: HostedFieldsEnvironment;
  /** The `libVersion` sessions are created with unless a call names another. */
  readonly libVersion: string;
  /**
   * A Bearer token for Payroc's API: the cached one while it has more than `tokenRefreshMarginMs` left, else a new
   * one from Identity. Concurrent callers share one Identity request; a failed request is not cached.
   */
  getBearerToken(options?: { signal?: AbortSignal | undefined }): Promise<string>;
  /**
   * Creates a Hosted Fields session (`POST /processing-terminals/{id}/hosted-fields-sessions`) and returns it with
   * the `libVersion` and `environment` the browser needs to load the matching script.
   * Rejects with {@link PayrocValidationError} (before any request), `PayrocApiError`, `PayrocNetworkError`,
   * `PayrocTimeoutError`, {@link PayrocInvalidResponseError}, or {@link PayrocConfigurationError} when `fetch` could
   * not build the request and its error quoted the API key or Bearer token (that error is left out, and not retried).
   */
  createHostedFieldsSession(params: CreateHostedFieldsSessionParams): Promise<HostedFieldsSession>;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_REFRESH_MARGIN_MS = 60_000;
/** The longest delay timers honour: Node, browsers and Workers fire a longer one after about 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const isNonNegativeNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

/**
 * Index of the first character outside visible ASCII (U+0021–U+007E), or -1. Header values allow a little more
 * (inner spaces, Latin-1), but no API key or Bearer token contains those, and Node's fetch rejects a value with a
 * line break or control character with a TypeError that quotes it, i.e. the secret.
 */
const firstNonVisibleAscii = (value: string) => value.search(/[^\x21-\x7E]/);

function checkUrl(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value as string);
  } catch {
    throw new PayrocConfigurationError(`${name} must be an absolute http(s) URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PayrocConfigurationError(`${name} must be an absolute http(s) URL`);
  }
  return (value as string).replace(/\/+$/, '');
}

/**
 * Creates the server-side Payroc client. Throws {@link PayrocConfigurationError} for a missing API key, an unknown
 * environment or invalid options, and when called in a browser (a page must never hold the API key). Nothing is sent
 * until the first call.
 *
 * @example
 * import { createPayrocClient } from 'payroc-hosted-fields/server';
 *
 * export const payroc = createPayrocClient({
 *   apiKey: process.env.PAYROC_API_KEY,
 *   environment: process.env.PAYROC_ENVIRONMENT === 'production' ? 'production' : 'test',
 * });
 * const session = await payroc.createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' });
 */
export function createPayrocClient(options: PayrocClientOptions): PayrocClient {
  if (typeof window !== 'undefined' && typeof document !== 'undefined') {
    throw new PayrocConfigurationError(
      'createPayrocClient runs on your server only: it holds your Payroc API key, which a browser must never see. ' +
        'Create sessions in a server route (createSessionHandler) and fetch them from the page.',
    );
  }
  if (typeof options !== 'object' || options === null) {
    throw new PayrocConfigurationError('createPayrocClient needs an options object with apiKey and environment');
  }
  const { apiKey, environment } = options;
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    throw new PayrocConfigurationError('apiKey is required: pass your Payroc API key, e.g. apiKey: process.env.PAYROC_API_KEY');
  }
  const badAt = firstNonVisibleAscii(apiKey);
  if (badAt !== -1) {
    // The code point of the one offending character and its position help find it; the key itself is never shown.
    const codePoint = apiKey.codePointAt(badAt)!.toString(16).toUpperCase().padStart(4, '0');
    throw new PayrocConfigurationError(
      `apiKey must be visible ASCII, as Payroc API keys are, but has U+${codePoint} at position ${badAt + 1}: ` +
        'look for a line break, a space or a quote mark copied with the key',
    );
  }
  if (environment !== 'test' && environment !== 'production') {
    throw new PayrocConfigurationError("environment must be 'test' or 'production'");
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!isNonNegativeNumber(timeoutMs) || timeoutMs === 0 || timeoutMs > MAX_TIMER_MS) {
    throw new PayrocConfigurationError(`timeoutMs must be a positive number of milliseconds, at most ${MAX_TIMER_MS}`);
  }
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new PayrocConfigurationError('maxRetries must be a whole number, 0 or more');
  }
  const margin = options.tokenRefreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  if (!isNonNegativeNumber(margin)) {
    throw new PayrocConfigurationError('tokenRefreshMarginMs must be a number of milliseconds, 0 or more');
  }
  const libVersion = options.libVersion ?? HOSTED_FIELDS_SCRIPTS[environment].libVersion;
  if (!isLibVersion(libVersion)) {
    throw new PayrocConfigurationError('libVersion must look like 1.7.0.261457 (Payroc’s libVersion pattern)');
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new PayrocConfigurationError('fetch must be a function');
  }
  if (options.fetch === undefined && typeof globalThis.fetch !== 'function') {
    throw new PayrocConfigurationError('This runtime has no global fetch: pass one as the fetch option');
  }
  if (options.tokenStoreKey !== undefined && (typeof options.tokenStoreKey !== 'string' || options.tokenStoreKey === '')) {
    throw new PayrocConfigurationError('tokenStoreKey must be a non-empty string');
  }
  if (options.tokenStoreKey === apiKey) {
    throw new PayrocConfigurationError('tokenStoreKey must not be the API key');
  }
  const identityUrl = checkUrl('identityUrl', options.identityUrl) ?? PAYROC_ENVIRONMENTS[environment].identityUrl;
  const apiUrl = checkUrl('apiUrl', options.apiUrl) ?? PAYROC_ENVIRONMENTS[environment].apiUrl;
  const now = options.now ?? Date.now;
  const { logger } = options;
  const tokenStore = options.tokenStore ?? createMemoryTokenStore({ now });
  // Detached, so that runtimes whose fetch checks `this` (Workers, browsers) accept the call.
  const userFetch = options.fetch;
  const fetchImpl: typeof fetch = userFetch ?? ((input, init) => globalThis.fetch(input, init));

  let storeKey: Promise<string> | undefined;
  const getStoreKey = () =>
    (storeKey ??= options.tokenStoreKey !== undefined
      ? Promise.resolve(options.tokenStoreKey)
      : sha256Hex(`${identityUrl}\n${apiKey}`).then((digest) => `payroc-hosted-fields:bearer:${digest}`));

  // Every log line goes through here, sendWithRetries' included: a failing logger must not fail a payment.
  const log = (level: 'warn' | 'error', message: string) => {
    try {
      if (level === 'error' && typeof logger?.error === 'function') logger.error(message);
      else logger?.warn(message);
    } catch {
      // Ignored: the call goes on.
    }
  };
  const warn = (message: string) => log('warn', message);
  const transport = { fetch: fetchImpl, timeoutMs, maxRetries, logger: { warn }, now };
  // A token store failure is swallowed (the session is still created, the token just not cached), so the log is the
  // only place it shows: error level. Failures the caller sees as a rejection are not logged again here.
  const storeFailed = (call: 'get' | 'set' | 'delete', error: unknown, consequence: string) => {
    // The store's own message is left out: a store may echo the value it holds, which is a Bearer token.
    const what = error instanceof TokenStoreTimeoutError ? `did not answer within ${storeLimitMs} ms` : 'failed';
    log('error', `Payroc token store: ${call} ${what}; ${consequence}`);
  };

  // What Identity last gave as `expires_in`: the same for every token of this key. A margin longer than half of it
  // would make each token stale on arrival and cost an Identity call per session; so, as the browser does for
  // sessions (sessionClock), the margin is clamped to half the lifetime.
  let lifetimeMs: number | undefined;
  const refreshMargin = () => (lifetimeMs === undefined ? margin : Math.min(margin, lifetimeMs / 2));

  async function requestBearerToken(): Promise<StoredBearerToken> {
    const result = await sendWithRetries({
      ...transport,
      what: 'Identity',
      url: identityUrl,
      init: { method: 'POST', headers: { 'x-api-key': apiKey as string } },
      secrets: [apiKey as string],
    });
    if (result.status < 200 || result.status > 299) {
      throw new PayrocApiError(result.status, result.body, result.retryAfterMs === undefined ? {} : { retryAfterMs: result.retryAfterMs });
    }
    const { access_token: accessToken, expires_in: expiresIn } = (
      typeof result.body === 'object' && result.body !== null ? result.body : {}
    ) as Record<string, unknown>;
    const seconds = typeof expiresIn === 'string' && /^\d+$/.test(expiresIn) ? Number(expiresIn) : expiresIn;
    if (typeof accessToken !== 'string' || accessToken === '') {
      throw new PayrocInvalidResponseError('Identity returned no access_token');
    }
    // Checked here, so that a token no request could carry is neither cached nor quoted by fetch in an error.
    if (firstNonVisibleAscii(accessToken) !== -1) {
      throw new PayrocInvalidResponseError('Identity returned an access_token that cannot be sent in an HTTP header');
    }
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
      throw new PayrocInvalidResponseError('Identity returned no valid expires_in');
    }
    lifetimeMs = seconds * 1000;
    return { token: accessToken, expiresAt: now() + lifetimeMs };
  }

  // A store call that never settles (a Redis client queueing while offline) must not hang every session: each one
  // gets a time limit and then counts as failed, like a rejection.
  const storeLimitMs = Math.min(timeoutMs, 2_000);
  const bounded = <T,>(call: () => T | Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new TokenStoreTimeoutError()), storeLimitMs);
      Promise.resolve()
        .then(call)
        .then(resolve, reject)
        .finally(() => clearTimeout(timer));
    });

  // The token in the store is fresh if it has more than the (clamped) margin left and is not the one Payroc just rejected.
  async function resolveBearerToken(rejected: string | undefined): Promise<StoredBearerToken> {
    const key = await getStoreKey();
    let stored: StoredBearerToken | undefined;
    try {
      stored = (await bounded(() => tokenStore.get(key))) ?? undefined;
    } catch (error) {
      storeFailed('get', error, 'requesting a new Bearer token');
    }
    if (stored && stored.token !== rejected && now() < stored.expiresAt - refreshMargin()) return stored;
    if (stored && stored.token === rejected) {
      try {
        await bounded(() => tokenStore.delete(key));
      } catch (error) {
        storeFailed('delete', error, 'the rejected Bearer token stays there until the new one replaces it');
      }
    }
    const fresh = await requestBearerToken();
    try {
      await bounded(() => tokenStore.set(key, fresh, fresh.expiresAt - now()));
    } catch (error) {
      storeFailed('set', error, 'the new Bearer token is used but not cached');
    }
    return fresh;
  }

  // One flight at a time: everyone who asks while it runs shares its result, success or failure.
  let flight: Promise<StoredBearerToken> | undefined;
  const startFlight = (rejected: string | undefined) => {
    const promise = resolveBearerToken(rejected);
    flight = promise;
    const clear = () => {
      if (flight === promise) flight = undefined;
    };
    promise.then(clear, clear);
    return promise;
  };

  async function getToken(signal: AbortSignal | undefined, rejected?: string): Promise<string> {
    signal?.throwIfAborted();
    const joined = flight ?? startFlight(rejected);
    let stored = await untilAborted(joined, signal);
    // The flight we joined began before the token was rejected: it may have returned that very token.
    if (rejected !== undefined && stored.token === rejected) {
      stored = await untilAborted(flight && flight !== joined ? flight : startFlight(rejected), signal);
    }
    return stored.token;
  }

  async function createHostedFieldsSession(params: CreateHostedFieldsSessionParams): Promise<HostedFieldsSession> {
    if (typeof params !== 'object' || params === null) {
      throw new PayrocValidationError('params', 'must be an object with processingTerminalId and scenario');
    }
    const { processingTerminalId, scenario, secureTokenId, signal } = params;
    const sessionLibVersion = params.libVersion ?? libVersion;
    if (!isProcessingTerminalId(processingTerminalId)) {
      throw new PayrocValidationError('processingTerminalId', 'must be a string of 4 to 50 characters');
    }
    if (!isScenario(scenario)) throw new PayrocValidationError('scenario', "must be 'payment' or 'tokenization'");
    if (secureTokenId !== undefined && !isSecureTokenId(secureTokenId)) {
      throw new PayrocValidationError('secureTokenId', 'must be a string of 1 to 200 characters');
    }
    if (!isLibVersion(sessionLibVersion)) {
      throw new PayrocValidationError('libVersion', 'must match Payroc’s pattern, e.g. 1.7.0.261457');
    }
    if (params.idempotencyKey !== undefined && !isUuidV4(params.idempotencyKey)) {
      throw new PayrocValidationError('idempotencyKey', 'must be a UUID v4');
    }
    signal?.throwIfAborted();
    const idempotencyKey = params.idempotencyKey ?? (await randomUuid());
    const url = `${apiUrl}/processing-terminals/${encodeURIComponent(processingTerminalId)}/hosted-fields-sessions`;
    const body = JSON.stringify({
      libVersion: sessionLibVersion,
      scenario,
      ...(secureTokenId !== undefined && { secureTokenId }),
    });

    let rejected: string | undefined;
    // The request with a new token after a 401 is one extra attempt, not a new budget: it gets only the retries the
    // first token's attempts left, so one call makes at most maxRetries + 2 requests.
    let retriesUsed = 0;
    for (;;) {
      const token = await getToken(signal, rejected);
      const result = await sendWithRetries({
        ...transport,
        what: 'create session',
        url,
        init: {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: `Bearer ${token}`,
            'Idempotency-Key': idempotencyKey,
          },
          body,
        },
        signal,
        secrets: [apiKey as string, token],
        retriesUsed,
      });
      if (result.status === 401 && rejected === undefined) {
        warn('Payroc rejected the Bearer token (401); requesting a new one and retrying once');
        rejected = token;
        retriesUsed = result.attempts - 1;
        continue;
      }
      if (result.status === 200 || result.status === 201) {
        return parseSession(result.body, processingTerminalId, sessionLibVersion, environment, now());
      }
      if (result.status >= 200 && result.status <= 299) {
        throw new PayrocInvalidResponseError(`Payroc answered ${result.status} instead of 201 Created`);
      }
      throw new PayrocApiError(result.status, result.body, result.retryAfterMs === undefined ? {} : { retryAfterMs: result.retryAfterMs });
    }
  }

  return {
    environment,
    libVersion,
    getBearerToken: (getOptions = {}) => getToken(getOptions.signal),
    createHostedFieldsSession,
  };
}

function parseSession(
  body: unknown,
  processingTerminalId: string,
  libVersion: string,
  environment: HostedFieldsEnvironment,
  nowMs: number,
): HostedFieldsSession {
  const record = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : undefined) as
    | Record<string, unknown>
    | undefined;
  if (!record) throw new PayrocInvalidResponseError('the session response is not a JSON object');
  const { token, expiresAt } = record;
  if (typeof token !== 'string' || token === '') throw new PayrocInvalidResponseError('the session response has no token');
  if (typeof expiresAt !== 'string' || Number.isNaN(Date.parse(expiresAt))) {
    throw new PayrocInvalidResponseError('the session response has no valid expiresAt');
  }
  // Not retried: Payroc did answer, and a session that expired on arrival points at a clock problem, not a glitch.
  if (Date.parse(expiresAt) <= nowMs) {
    throw new PayrocInvalidResponseError('the session response’s expiresAt is already past');
  }
  const terminal = record.processingTerminalId ?? processingTerminalId;
  if (terminal !== processingTerminalId) {
    throw new PayrocInvalidResponseError('the session response is for another processing terminal');
  }
  return { processingTerminalId, token, expiresAt, libVersion, environment };
}

class TokenStoreTimeoutError extends Error {
  constructor() {
    super('token store timed out');
  }
}

/** Waits for a shared promise, but lets one caller give up (its signal) without cancelling it for the others. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
