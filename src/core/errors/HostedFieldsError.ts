import { guardFor, PayrocError, type PayrocErrorInit } from './PayrocError';

/**
 * An error reported by the Hosted Fields library (its `error` event) or found before it could start:
 * `kind` is the library's error type — `config` (a wrong option or selector), `init` (the session token was rejected:
 * expired, already used, or for another version), `field` or `submission`.
 *
 * @example
 * useHostedFields({
 *   session,
 *   fields,
 *   onError: (error) => {
 *     if (error.kind === 'submission') setMessage('The card was declined. Check the details and try again.');
 *   },
 * });
 */
export class HostedFieldsError extends PayrocError {
  override name = 'HostedFieldsError';
  declare readonly kind: 'config' | 'init' | 'field' | 'submission';
  /** The field the error is about, when the library names one. */
  declare readonly field: string | undefined;

  constructor(kind: HostedFieldsError['kind'], message: string, field?: string, init: PayrocErrorInit = {}) {
    super(message, { title: 'Hosted Fields error', detail: message, ...init });
    this.kind = kind;
    this.field = field;
  }
}

/**
 * True for a {@link HostedFieldsError}, from any realm.
 *
 * @example
 * if (isHostedFieldsError(error) && error.kind === 'init') console.warn('session token rejected:', error.message);
 */
export const isHostedFieldsError = guardFor<HostedFieldsError>('HostedFieldsError');
