// Internal: the one place that decides whether a failed Payroc call is retried, and after how long.

/** What one attempt ended with: an HTTP status (with its Retry-After header), or no response at all. */
export type AttemptOutcome =
  | { kind: 'response'; status: number; retryAfter?: string | null | undefined }
  | { kind: 'timeout' }
  | { kind: 'network' };

export const BASE_DELAY_MS = 500;
export const MAX_DELAY_MS = 8_000;
/**
 * The longest `Retry-After` we wait for. A browser is waiting on the other end of the session route, so a longer
 * wait is not retried: the error (with its `retryAfterMs`) goes back to the caller, and the handler passes the
 * `Retry-After` on to the browser.
 */
export const MAX_RETRY_AFTER_MS = 10_000;

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). `undefined` when absent or invalid.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Only an HTTP date with a day name (IMF-fixdate and the obsolete forms); a bare number like "1.5" is invalid.
  if (!/^[A-Za-z]{3,9},? /.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Retry 408, 429, 5xx, timeouts and connection failures, at most `maxRetries` times; never another 4xx.
 * Returns the delay before the next attempt, or `undefined` for "do not retry".
 * `attempt` counts the attempts made so far (1 after the first).
 */
export function decideRetry(
  outcome: AttemptOutcome,
  attempt: number,
  maxRetries: number,
  { now = Date.now(), random = Math.random }: { now?: number; random?: () => number } = {},
): number | undefined {
  if (attempt > maxRetries) return undefined;
  if (outcome.kind === 'response') {
    const { status } = outcome;
    const retryable = status === 408 || status === 429 || (status >= 500 && status <= 599);
    if (!retryable) return undefined;
    const retryAfterMs = parseRetryAfter(outcome.retryAfter, now);
    if (retryAfterMs !== undefined) return retryAfterMs <= MAX_RETRY_AFTER_MS ? retryAfterMs : undefined;
  }
  // Capped exponential backoff; up to 25% jitter downwards so that many clients do not retry in step.
  const backoff = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  return Math.round(backoff * (1 - 0.25 * random()));
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
