import {
  isPayrocApiError,
  isPayrocNetworkError,
  isPayrocTimeoutError,
} from '../core/errors/index';
import { PayrocConfigurationError } from '../core/errors/PayrocConfigurationError';
import type { HostedFieldsSession } from '../core/types';
import { findSessionRequestProblem, isProcessingTerminalId } from '../core/validation';
import type { PayrocClient } from './createPayrocClient';
import { fieldProblem, problemResponse, type ProblemInit } from './problemResponse';
import { readBodyLimited } from './readBodyLimited';

/** Largest request body the handler reads: 16 KiB. A session request is a few dozen bytes. */
export const MAX_SESSION_REQUEST_BYTES = 16 * 1024;
const DEFAULT_BODY_TIMEOUT_MS = 10_000;
const ALLOWED_MEMBERS = new Set(['scenario', 'secureTokenId']);

/**
 * Options of {@link createSessionHandler}.
 *
 * @example
 * const options: SessionHandlerOptions = {
 *   client: payroc,
 *   processingTerminalId: '1234001',
 *   authorize: async (request) => (await getUser(request)) !== null,
 * };
 */
export interface SessionHandlerOptions {
  /** The client from {@link createPayrocClient}. */
  client: Pick<PayrocClient, 'createHostedFieldsSession'>;
  /**
   * Your processing terminal, or a function that picks it for the request (e.g. from the signed-in merchant).
   * The browser never chooses it. If the function throws or returns something that is not a 4–50 character string,
   * the handler answers `502` (the error goes to `onError`).
   */
  processingTerminalId: string | ((request: Request) => string | Promise<string>);
  /**
   * Decides whether this request may get a session (check the session cookie, CSRF token, cart…). Anything but
   * `true`, or a throw, answers `403`. It runs before the body is read: read headers and cookies, not the body.
   */
  authorize?: ((request: Request) => boolean | Promise<boolean>) | undefined;
  /**
   * Called with the full error whenever the handler answers 5xx (Payroc unreachable or failing, `processingTerminalId`
   * failing) or `authorize` throws, so that you can log it: the browser only gets a sanitised problem.
   */
  onError?: ((error: unknown, request: Request) => void | Promise<void>) | undefined;
  /** How long a slow request body may take to arrive before the handler answers `408`. Default 10 000 ms; at most 2³¹ − 1. */
  bodyTimeoutMs?: number | undefined;
  /** The clock for `serverTime`, in epoch milliseconds. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/**
 * A Fetch API request handler: `(request: Request) => Promise<Response>`.
 *
 * @example
 * const handler: SessionHandler = createSessionHandler({ client: payroc, processingTerminalId: '1234001' });
 * const response = await handler(new Request('http://localhost/', { method: 'POST' }));
 */
export type SessionHandler = (request: Request) => Promise<Response>;

/**
 * The session route for the browser hook: a Fetch API handler that answers `POST` with JSON
 * `{ scenario, secureTokenId? }` by creating a Hosted Fields session on your processing terminal. Replies `200` JSON
 * `{ processingTerminalId, token, expiresAt, libVersion, environment, serverTime }` with `Cache-Control: no-store`.
 * Every bad request gets an `application/problem+json` 4xx: `405` (with `Allow: POST`), `415`, `400` naming the
 * field (unknown members too), `413` over 16 KiB, `408` for a body that stalls, `403` when `authorize` says no.
 * Payroc failures become a sanitised `502`, `503` (with `Retry-After` when Payroc sent one) or `504`. It never
 * answers `500` and never rejects.
 *
 * @example
 * // app/api/hosted-fields-session/route.ts (Next.js App Router)
 * import { createPayrocClient, createSessionHandler } from 'payroc-hosted-fields/server';
 *
 * const payroc = createPayrocClient({ apiKey: process.env.PAYROC_API_KEY, environment: 'test' });
 * const handler = createSessionHandler({
 *   client: payroc,
 *   processingTerminalId: process.env.PAYROC_TERMINAL_ID ?? '',
 *   authorize: async (request) => (await auth(request)) !== null,
 *   onError: (error) => console.error('hosted fields session failed', error),
 * });
 * export const POST = handler;
 */
export function createSessionHandler(options: SessionHandlerOptions): SessionHandler {
  if (typeof options !== 'object' || options === null) {
    throw new PayrocConfigurationError('createSessionHandler needs an options object with client and processingTerminalId');
  }
  const { client, processingTerminalId, authorize, onError } = options;
  if (typeof client?.createHostedFieldsSession !== 'function') {
    throw new PayrocConfigurationError('client must be a client from createPayrocClient');
  }
  if (typeof processingTerminalId !== 'function' && !isProcessingTerminalId(processingTerminalId)) {
    throw new PayrocConfigurationError('processingTerminalId must be a string of 4 to 50 characters, or a function returning one');
  }
  if (authorize !== undefined && typeof authorize !== 'function') {
    throw new PayrocConfigurationError('authorize must be a function');
  }
  if (onError !== undefined && typeof onError !== 'function') throw new PayrocConfigurationError('onError must be a function');
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  // Above 2^31 - 1 ms, setTimeout fires at once: every request would time out.
  if (typeof bodyTimeoutMs !== 'number' || !(bodyTimeoutMs > 0 && bodyTimeoutMs <= 2 ** 31 - 1)) {
    throw new PayrocConfigurationError('bodyTimeoutMs must be a number of milliseconds from 1 to 2147483647');
  }
  const now = options.now ?? Date.now;

  const report = (error: unknown, request: Request) => {
    try {
      Promise.resolve(onError?.(error, request)).catch(() => undefined);
    } catch {
      // A failing error hook must not turn a clean problem response into a crash.
    }
  };

  async function handle(request: Request): Promise<Response> {
    if (request.method !== 'POST') {
      return problemResponse({
        status: 405,
        code: 'method-not-allowed',
        title: 'Method Not Allowed',
        detail: 'Use POST to create a Hosted Fields session',
        headers: { allow: 'POST' },
      });
    }
    const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (mediaType !== 'application/json') {
      return problemResponse({
        status: 415,
        code: 'unsupported-media-type',
        title: 'Unsupported Media Type',
        detail: 'Send the request body as application/json',
      });
    }
    const declaredLength = request.headers.get('content-length');
    if (declaredLength !== null && /^\d+$/.test(declaredLength.trim()) && Number(declaredLength) > MAX_SESSION_REQUEST_BYTES) {
      return tooLarge();
    }

    if (authorize) {
      let allowed: unknown;
      try {
        allowed = await authorize(request);
      } catch (error) {
        report(error, request);
        allowed = false;
      }
      if (allowed !== true) {
        return problemResponse({ status: 403, code: 'forbidden', title: 'Forbidden', detail: 'This request may not create a Hosted Fields session' });
      }
    }

    const read = await readBodyLimited(request, MAX_SESSION_REQUEST_BYTES, bodyTimeoutMs);
    if (!read.ok) {
      if (read.reason === 'too-large') return tooLarge();
      if (read.reason === 'timeout') {
        return problemResponse({
          status: 408,
          code: 'request-timeout',
          title: 'Request Timeout',
          detail: `The request body did not arrive within ${bodyTimeoutMs} ms`,
          headers: { connection: 'close' },
        });
      }
      return problemResponse(fieldProblem('body', read.reason === 'not-utf8' ? 'is not UTF-8' : 'could not be read'));
    }
    let body: unknown;
    try {
      body = JSON.parse(read.text);
    } catch {
      return problemResponse(fieldProblem('body', 'is not valid JSON'));
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return problemResponse(fieldProblem('body', 'must be a JSON object like {"scenario":"payment"}'));
    }
    const unknownMembers = Object.keys(body).filter((member) => !ALLOWED_MEMBERS.has(member));
    if (unknownMembers.length > 0) {
      const problems = unknownMembers.map((member) => {
        const message =
          member === 'processingTerminalId'
            ? 'is chosen by the server and must not be sent'
            : 'is not allowed: send only scenario and secureTokenId';
        return { parameter: member, detail: `${member} ${message}`, message };
      });
      return problemResponse({
        status: 400,
        code: 'invalid-request',
        title: 'Bad Request',
        detail: problems.map((problem) => problem.detail).join('; '),
        errors: problems,
      });
    }
    const fields = body as { scenario?: unknown; secureTokenId?: unknown };
    const problem = findSessionRequestProblem(fields);
    if (problem) return problemResponse(fieldProblem(problem[0], problem[1]));

    let terminal: unknown;
    try {
      terminal = typeof processingTerminalId === 'function' ? await processingTerminalId(request) : processingTerminalId;
    } catch (error) {
      report(error, request);
      return terminalProblem();
    }
    if (!isProcessingTerminalId(terminal)) {
      report(new PayrocConfigurationError('processingTerminalId() did not return a string of 4 to 50 characters'), request);
      return terminalProblem();
    }

    let session: HostedFieldsSession;
    try {
      session = await client.createHostedFieldsSession({
        processingTerminalId: terminal,
        scenario: fields.scenario as 'payment' | 'tokenization',
        ...(fields.secureTokenId !== undefined && { secureTokenId: fields.secureTokenId as string }),
        signal: request.signal,
      });
    } catch (error) {
      report(error, request);
      return problemResponse(upstreamProblem(error, request));
    }
    const reply = {
      processingTerminalId: session.processingTerminalId,
      token: session.token,
      expiresAt: session.expiresAt,
      libVersion: session.libVersion,
      environment: session.environment,
      serverTime: new Date(now()).toISOString(),
    };
    return new Response(JSON.stringify(reply), {
      status: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    });
  }

  return async (request) => {
    try {
      return await handle(request);
    } catch (error) {
      // Only a bug (ours or a runtime's) gets here; the browser still gets a problem, not a 500 or a rejection.
      report(error, request);
      return problemResponse({ status: 502, code: 'session-failed', title: 'Bad Gateway', detail: 'The Hosted Fields session could not be created' });
    }
  };
}

const tooLarge = () =>
  problemResponse({
    status: 413,
    code: 'payload-too-large',
    title: 'Payload Too Large',
    detail: `The request body must be at most ${MAX_SESSION_REQUEST_BYTES} bytes`,
    headers: { connection: 'close' },
  });

const terminalProblem = () =>
  problemResponse({
    status: 502,
    code: 'terminal-unavailable',
    title: 'Bad Gateway',
    detail: 'No processing terminal could be chosen for this request',
  });

/** What the browser learns about a Payroc failure: the kind, never Payroc's text (which the server log gets). */
function upstreamProblem(error: unknown, request: Request): ProblemInit {
  if (isPayrocTimeoutError(error)) {
    return { status: 504, code: 'payroc-timeout', title: 'Gateway Timeout', detail: 'Payroc did not answer in time; try again' };
  }
  if (isPayrocApiError(error) && (error.status === 429 || error.status === 503)) {
    const retryAfter = error.retryAfterMs === undefined ? undefined : String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
    return {
      status: 503,
      code: 'payroc-unavailable',
      title: 'Service Unavailable',
      detail: 'Payroc is busy; try again later',
      ...(retryAfter && { headers: { 'retry-after': retryAfter } }),
    };
  }
  if (isPayrocApiError(error) && error.status === 504) {
    return { status: 504, code: 'payroc-timeout', title: 'Gateway Timeout', detail: 'Payroc did not answer in time; try again' };
  }
  if (request.signal.aborted) {
    return { status: 503, code: 'request-aborted', title: 'Service Unavailable', detail: 'The request was aborted' };
  }
  const detail = isPayrocNetworkError(error) ? 'Payroc could not be reached' : 'Payroc did not create a session';
  return { status: 502, code: 'session-failed', title: 'Bad Gateway', detail };
}
