import { guardFor, PayrocError, type PayrocErrorInit } from './PayrocError';

/**
 * The request took longer than its timeout and was aborted.
 *
 * @example
 * if (isPayrocTimeoutError(error)) console.warn('timed out after', error.timeoutMs, 'ms');
 */
export class PayrocTimeoutError extends PayrocError {
  override name = 'PayrocTimeoutError';
  declare readonly timeoutMs: number;

  constructor(timeoutMs: number, init: PayrocErrorInit = {}) {
    super(`Request timed out after ${timeoutMs} ms`, { title: 'Request timed out', ...init });
    this.timeoutMs = timeoutMs;
  }
}

/**
 * True for a {@link PayrocTimeoutError}, from any realm.
 *
 * @example
 * if (isPayrocTimeoutError(error)) console.warn(error.message);
 */
export const isPayrocTimeoutError = guardFor<PayrocTimeoutError>('PayrocTimeoutError');
