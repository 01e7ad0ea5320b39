import { guardFor, PayrocError, type PayrocErrorInit } from './PayrocError';

/**
 * An argument was rejected before any request was sent. `field` names it.
 *
 * @example
 * if (isPayrocValidationError(error)) form.setError(error.field, error.detail);
 */
export class PayrocValidationError extends PayrocError {
  override name = 'PayrocValidationError';
  declare readonly field: string;

  constructor(field: string, problem: string, init: PayrocErrorInit = {}) {
    super(`Invalid ${field}: ${problem}`, {
      title: 'Invalid request',
      status: 400,
      detail: `${field} ${problem}`,
      ...init,
    });
    this.field = field;
  }
}

/**
 * True for a {@link PayrocValidationError}, from any realm.
 *
 * @example
 * if (isPayrocValidationError(error)) console.warn(error.message);
 */
export const isPayrocValidationError = guardFor<PayrocValidationError>('PayrocValidationError');
