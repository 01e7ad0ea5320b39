import { abortAfter } from './abortAfter';
import { PayrocApiError } from './errors/PayrocApiError';
import { PayrocInvalidResponseError } from './errors/PayrocInvalidResponseError';
import { PayrocNetworkError } from './errors/PayrocNetworkError';
import { PayrocTimeoutError } from './errors/PayrocTimeoutError';
import type { HostedFieldsSession, HostedFieldsSessionRequest } from './types';
import { isLibVersion } from './validation';

/**
 * Options of {@link fetchHostedFieldsSession}.
 *
 * @example
 * const options: FetchHostedFieldsSessionOptions = { endpoint: '/api/hosted-fields-session', timeoutMs: 10_000 };
 */
export interface FetchHostedFieldsSessionOptions {
  /** Your session route (the `./server` handler), e.g. `/api/hosted-fields-session`. */
  endpoint: string;
  /** Aborts the request; the promise then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Default 15 000 ms. */
  timeoutMs?: number | undefined;
  fetch?: typeof fetch;
}

/**
 * Asks your session endpoint for a new Hosted Fields session: `POST` of `{ scenario, secureTokenId? }` as JSON with
 * same-origin credentials. Rejects with a {@link PayrocApiError} for an error response (its RFC 7807 fields filled from
 * an `application/problem+json` body), {@link PayrocNetworkError}, {@link PayrocTimeoutError}, or
 * {@link PayrocInvalidResponseError} when the reply cannot be used (no token, an unparseable or past `expiresAt`, no
 * `libVersion` or `environment`).
 *
 * @example
 * const session = await fetchHostedFieldsSession({ scenario: 'payment' }, { endpoint: '/api/hosted-fields-session' });
 */
export async function fetchHostedFieldsSession(
  request: HostedFieldsSessionRequest,
  options: FetchHostedFieldsSessionOptions,
): Promise<HostedFieldsSession> {
  const { endpoint, signal, timeoutMs = 15_000, fetch: fetchImpl = globalThis.fetch } = options;
  const deadline = abortAfter(timeoutMs, signal);
  try {
    signal?.throwIfAborted();
    let response: Response;
    let body: unknown;
    try {
      response = await fetchImpl(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, application/problem+json' },
        body: JSON.stringify({ scenario: request.scenario, secureTokenId: request.secureTokenId }),
        credentials: 'same-origin',
        signal: deadline.signal,
      });
      const text = await response.text();
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    } catch (error) {
      if (deadline.timedOut()) throw new PayrocTimeoutError(timeoutMs, { cause: error });
      if (signal?.aborted) throw signal.reason;
      throw new PayrocNetworkError(`Could not reach ${endpoint}`, { cause: error });
    }
    if (!response.ok) {
      const retryAfter = Number(response.headers.get('retry-after'));
      throw new PayrocApiError(response.status, body, retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {});
    }
    return parseHostedFieldsSession(body);
  } finally {
    deadline.done();
  }
}

/**
 * Checks what a session endpoint (or a custom `fetchSession`) returned and keeps the members the browser uses.
 * Throws {@link PayrocInvalidResponseError} when it cannot be used. Internal: not exported from the package.
 */
export function parseHostedFieldsSession(body: unknown): HostedFieldsSession {
  const { token, expiresAt, processingTerminalId, libVersion, environment, serverTime } = (body ?? {}) as Record<string, unknown>;
  const expires = Date.parse(expiresAt as string);
  const now = serverTime === undefined ? Date.now() : Date.parse(serverTime as string);
  const problem =
    typeof body !== 'object' || body === null ? 'not a JSON object'
    : typeof token !== 'string' || !token ? 'no token'
    : typeof expiresAt !== 'string' || Number.isNaN(expires) ? 'expiresAt is not a date'
    : Number.isNaN(now) ? 'serverTime is not a date'
    : expires <= now ? 'the session has expired'
    : !isLibVersion(libVersion) ? 'no valid libVersion'
    : environment !== 'test' && environment !== 'production' ? 'no valid environment'
    : typeof processingTerminalId !== 'string' ? 'no processingTerminalId'
    : undefined;
  if (problem) throw new PayrocInvalidResponseError(`session endpoint reply: ${problem}`);
  return body as HostedFieldsSession;
}
