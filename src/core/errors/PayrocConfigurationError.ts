import { guardFor, PayrocError, type PayrocErrorInit } from './PayrocError';

/**
 * The package was set up wrongly: a missing API key, an unknown environment, or server code running in a browser.
 *
 * @example
 * new PayrocConfigurationError('apiKey is required');
 */
export class PayrocConfigurationError extends PayrocError {
  override name = 'PayrocConfigurationError';
  constructor(message: string, init: PayrocErrorInit = {}) {
    super(message, { title: 'Configuration error', detail: message, ...init });
  }
}

/**
 * True for a {@link PayrocConfigurationError}, from any realm.
 *
 * @example
 * if (isPayrocConfigurationError(error)) console.warn(error.message);
 */
export const isPayrocConfigurationError = guardFor<PayrocConfigurationError>('PayrocConfigurationError');
