import { guardFor, PayrocError, type PayrocErrorInit } from './PayrocError';

/**
 * The request never got an HTTP response: the connection was refused, reset or dropped. `cause` holds the underlying error. Safe to retry.
 *
 * @example
 * if (isPayrocNetworkError(error)) showMessage('Could not reach the payment service. Check your connection.');
 */
export class PayrocNetworkError extends PayrocError {
  override name = 'PayrocNetworkError';
  constructor(message: string, init: PayrocErrorInit = {}) {
    super(message, { title: 'Network error', ...init });
  }
}

/**
 * True for a {@link PayrocNetworkError}, from any realm.
 *
 * @example
 * if (isPayrocNetworkError(error)) console.warn(error.message);
 */
export const isPayrocNetworkError = guardFor<PayrocNetworkError>('PayrocNetworkError');
