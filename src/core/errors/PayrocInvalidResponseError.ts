import { guardFor, PayrocError, type PayrocErrorInit } from './PayrocError';

/**
 * A response arrived but cannot be used: not JSON, no token, an unparseable or past `expiresAt`.
 *
 * @example
 * if (isPayrocInvalidResponseError(error)) reportBug(error.detail);
 */
export class PayrocInvalidResponseError extends PayrocError {
  override name = 'PayrocInvalidResponseError';
  constructor(detail: string, init: PayrocErrorInit = {}) {
    super(`Invalid response: ${detail}`, { title: 'Invalid response', detail, ...init });
  }
}

/**
 * True for a {@link PayrocInvalidResponseError}, from any realm.
 *
 * @example
 * if (isPayrocInvalidResponseError(error)) console.warn(error.message);
 */
export const isPayrocInvalidResponseError = guardFor<PayrocInvalidResponseError>('PayrocInvalidResponseError');
