// msw handlers for the merchant's session route, answering as `createSessionHandler` from `payroc-hosted-fields/server`
// does: the same JSON reply, and its problem responses.
import { delay, http, HttpResponse, type HttpHandler } from 'msw';
import { HOSTED_FIELDS_SCRIPTS } from '../src/index';
import { findSessionRequestProblem } from '../src/core/validation';
import { fieldProblem, problemResponse, type ProblemInit } from '../src/server/problemResponse';

/** The route the stories' hooks call with the real default fetcher. */
export const SESSION_ENDPOINT = '/api/hosted-fields-session';

/**
 * Options of {@link sessionReply}.
 *
 * @example
 * sessionReply({ lifetimeMs: 8_000, delayMs: 2_500 });
 */
export interface SessionReplyOptions {
  /** How long each token lives. Default 600 000 ms, as Payroc's. */
  lifetimeMs?: number;
  /** Wait this long before answering. Default 0. */
  delayMs?: number;
  /** Answer only the first request (later ones go to the next handler). Default `false`. */
  once?: boolean;
}

/**
 * Answers each session request with a fresh token for the test environment.
 *
 * @example
 * parameters: { msw: { handlers: [sessionReply({ lifetimeMs: 1_000, once: true }), sessionNeverAnswers()] } }
 */
export function sessionReply({ lifetimeMs = 600_000, delayMs = 0, once = false }: SessionReplyOptions = {}): HttpHandler {
  return http.post(
    SESSION_ENDPOINT,
    async ({ request }) => {
      const body = (await request.json().catch(() => undefined)) as Record<string, unknown> | undefined;
      const problem = findSessionRequestProblem(body ?? {});
      if (problem) return problemResponse(fieldProblem(...problem));
      await delay(delayMs);
      const now = Date.now();
      return HttpResponse.json(
        {
          processingTerminalId: '1234001',
          token: crypto.randomUUID().replaceAll('-', ''),
          expiresAt: new Date(now + lifetimeMs).toISOString(),
          libVersion: HOSTED_FIELDS_SCRIPTS.test.libVersion,
          environment: 'test',
          serverTime: new Date(now).toISOString(),
        },
        { headers: { 'cache-control': 'no-store' } },
      );
    },
    { once },
  );
}

/**
 * Never answers (until the hook gives up or aborts): a backend that hangs.
 *
 * @example
 * parameters: { msw: { handlers: [sessionNeverAnswers()] } }
 */
export function sessionNeverAnswers(): HttpHandler {
  return http.post(SESSION_ENDPOINT, () => delay('infinite'));
}

/**
 * Answers every session request with an `application/problem+json` error, as the server handler words it.
 *
 * @example
 * sessionProblem({ status: 503, code: 'payroc-unavailable', title: 'Service Unavailable', detail: 'Payroc is busy; try again later' });
 */
export function sessionProblem(problem: ProblemInit): HttpHandler {
  return http.post(SESSION_ENDPOINT, () => problemResponse(problem));
}
