import { guardFor, PayrocError, type PayrocErrorInit } from './PayrocError';

/**
 * The session was created for another Hosted Fields version than the script the page loads. Payroc would reject it with "Invalid libVersion"; this error says so before Hosted Fields is initialised.
 *
 * @example
 * if (isHostedFieldsVersionMismatchError(error)) console.error(error.sessionLibVersion, '≠', error.scriptLibVersion);
 */
export class HostedFieldsVersionMismatchError extends PayrocError {
  override name = 'HostedFieldsVersionMismatchError';
  declare readonly sessionLibVersion: string;
  declare readonly scriptLibVersion: string;

  constructor(sessionLibVersion: string, scriptLibVersion: string, init: PayrocErrorInit = {}) {
    const detail = `session for ${sessionLibVersion}, script ${scriptLibVersion}`;
    super(`Hosted Fields version mismatch: ${detail}`, { title: 'Hosted Fields version mismatch', detail, ...init });
    this.sessionLibVersion = sessionLibVersion;
    this.scriptLibVersion = scriptLibVersion;
  }
}

/**
 * True for a {@link HostedFieldsVersionMismatchError}, from any realm.
 *
 * @example
 * if (isHostedFieldsVersionMismatchError(error)) console.warn(error.message);
 */
export const isHostedFieldsVersionMismatchError = guardFor<HostedFieldsVersionMismatchError>('HostedFieldsVersionMismatchError');
