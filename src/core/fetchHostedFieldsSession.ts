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
 * Asks your session endpoint for a new Hosted Fields session: `POST` of `{ scenario, secureTokenId? }` as JSON
 * (same-origin cookies go along, as with every `fetch`). Rejects with a {@link PayrocApiError} for an error response (its RFC 7807 fields filled from
 * an `application/problem+json` body), {@link PayrocNetworkError}, {@link PayrocTimeoutError}, or
 * {@link PayrocInvalidResponseError} when the reply cannot be used (no token, an unparseable or past `expiresAt`, no
 * valid `libVersion` or `environment`).
 *
 * @example
 * const session = await fetchHostedFieldsSession({ scenario: 'payment' }, { endpoint: '/api/hosted-fields-session' });
 */
export async function fetchHostedFieldsSession(
  request: HostedFieldsSessionRequest,
  options: FetchHostedFieldsSessionOptions,
): Promise<HostedFieldsSession> {
  const { endpoint, signal, timeoutMs = 15_000, fetch: fetchImpl = fetch } = options;
  const deadline = abortAfter(timeoutMs, signal);
  let response: Response;
  let body: unknown;
  try {
    signal?.throwIfAborted();
    response = await fetchImpl(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: deadline.signal,
    });
    body = await response.text();
  } catch (error) {
    throw deadline.timedOut()
      ? new PayrocTimeoutError(timeoutMs, { cause: error })
      : signal?.aborted
        ? signal.reason
        : new PayrocNetworkError(`Could not reach ${endpoint}`, { cause: error });
  } finally {
    deadline.done();
  }
  try {
    body = JSON.parse(body as string);
  } catch {
    // Not JSON: kept as text, so an error page still becomes a PayrocApiError and anything else an invalid reply.
  }
  if (!response.ok) {
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new PayrocApiError(response.status, body, retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {});
  }
  return parseHostedFieldsSession(body);
}

/**
 * Checks what a session endpoint (or a custom `fetchSession`) returned and keeps the members the browser uses.
 * Throws {@link PayrocInvalidResponseError} when it cannot be used. Internal: not exported from the package.
 */
export function parseHostedFieldsSession(body: unknown): HostedFieldsSession {
  const { token, expiresAt, libVersion, environment, serverTime, processingTerminalId } = (body ?? {}) as Record<string, unknown>;
  const expires = Date.parse(expiresAt as string);
  const now = serverTime === undefined ? Date.now() : Date.parse(serverTime as string);
  // The first member that cannot be used; `expired` when every member is fine but the token is already over.
  const bad =
    typeof body !== 'object' || !body ? 'body'
    : typeof token !== 'string' || !token ? 'token'
    : !expires ? 'expiresAt'
    : !now ? 'serverTime'
    : !isLibVersion(libVersion) ? 'libVersion'
    : environment !== 'test' && environment !== 'production' ? 'environment'
    : typeof processingTerminalId !== 'string' ? 'processingTerminalId'
    : expires <= now ? 'expired'
    : '';
  if (bad) throw new PayrocInvalidResponseError(`session endpoint reply: ${bad === 'expired' ? 'the session has expired' : `no valid ${bad}`}`);
  return body as HostedFieldsSession;
}
