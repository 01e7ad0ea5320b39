// msw handlers for the merchant's session endpoint (what the ./server handler replies), with knobs for the cases the
// hook must survive: slowness, failures, clock skew, short TTLs.
import { delay, http, HttpResponse } from 'msw';

export const ENDPOINT = '/api/hosted-fields-session';
export const ENDPOINT_URL = `http://localhost:3000${ENDPOINT}`;
export const LIB_VERSION = '1.7.0.261457';

export interface EndpointOptions {
  ttlMs?: number;
  delayMs?: number;
  /** Server clock minus browser clock. */
  serverSkewMs?: number;
  libVersion?: string;
  environment?: 'test' | 'production';
}

export function createSessionEndpoint(options: EndpointOptions = {}) {
  const state = {
    options: { ttlMs: 600_000, delayMs: 0, serverSkewMs: 0, libVersion: LIB_VERSION, environment: 'test', ...options },
    requests: [] as { body: unknown; signal: AbortSignal }[],
    /** Replies queued for the next requests, before normal sessions resume. */
    failures: [] as (() => Response)[],
    issued: [] as string[],
  };
  const handler = http.post(ENDPOINT_URL, async ({ request }) => {
    state.requests.push({ body: await request.clone().json(), signal: request.signal });
    const { ttlMs, delayMs, serverSkewMs, libVersion, environment } = state.options;
    if (delayMs) await delay(delayMs);
    const failure = state.failures.shift();
    if (failure) return failure();
    const serverNow = Date.now() + serverSkewMs;
    const token = `tok_${state.requests.length}`;
    state.issued.push(token);
    return HttpResponse.json({
      processingTerminalId: '1234001',
      token,
      expiresAt: new Date(serverNow + ttlMs).toISOString(),
      libVersion,
      environment,
      serverTime: new Date(serverNow).toISOString(),
    });
  });
  return Object.assign(state, { handler });
}

export const problem = (status: number, title: string, detail: string) => () =>
  HttpResponse.json(
    { type: `https://docs.payroc.com/api/errors#${status}`, title, status, detail },
    { status, headers: { 'content-type': 'application/problem+json' } },
  );
