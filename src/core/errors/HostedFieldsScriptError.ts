import { guardFor, PayrocError, type PayrocErrorInit } from './PayrocError';

/**
 * The Hosted Fields script failed to load (blocked by CSP or an ad blocker, a network error, an SRI mismatch) or did not define `window.Payroc.hostedFields`.
 *
 * @example
 * if (isHostedFieldsScriptError(error)) showMessage('The card form could not load. Disable content blockers and retry.');
 */
export class HostedFieldsScriptError extends PayrocError {
  override name = 'HostedFieldsScriptError';
  declare readonly url: string;

  constructor(url: string, detail: string, init: PayrocErrorInit = {}) {
    super(`Hosted Fields script failed to load (${url}): ${detail}`, { title: 'Hosted Fields script failed', detail, ...init });
    this.url = url;
  }
}

/**
 * True for a {@link HostedFieldsScriptError}, from any realm.
 *
 * @example
 * if (isHostedFieldsScriptError(error)) console.warn(error.message);
 */
export const isHostedFieldsScriptError = guardFor<HostedFieldsScriptError>('HostedFieldsScriptError');
