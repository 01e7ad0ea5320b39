/**
 * The two Payroc environments. `test` is Payroc's UAT environment.
 *
 * @example
 * const environment: HostedFieldsEnvironment = process.env.NODE_ENV === 'production' ? 'production' : 'test';
 */
export type HostedFieldsEnvironment = 'test' | 'production';

/**
 * What the session is for, as Payroc's `scenario` field takes it:
 * `payment` to run a sale (optionally saving the card), `tokenization` to save or update card details.
 *
 * @example
 * const scenario: HostedFieldsScenario = 'payment';
 */
export type HostedFieldsScenario = 'payment' | 'tokenization';

/**
 * One Hosted Fields script build: where it is, the version it was built as, and its SRI hash.
 * These three always travel together: a session must be created with the `libVersion` of the script the page loads.
 *
 * @example
 * const script: HostedFieldsScript = {
 *   url: 'https://cdn.uat.payroc.com/js/hosted-fields/hosted-fields-1.7.0.261457.js',
 *   libVersion: '1.7.0.261457',
 *   integrity: 'sha384-m1A0nfFYa8sAfpDN0d60o4ztd/aCPC2xDVaOT31Urrmn4xypfHqgHQMayZeIK1PM',
 * };
 */
export interface HostedFieldsScript {
  /** Absolute URL of the script. */
  url: string;
  /** Version the script was built as, e.g. `1.7.0.261457`. */
  libVersion: string;
  /** Subresource Integrity hash (`sha384-…`), or `''` to load without SRI. */
  integrity: string;
}

/**
 * What the browser asks the merchant's session endpoint for.
 *
 * @example
 * const request: HostedFieldsSessionRequest = { scenario: 'tokenization', secureTokenId: 'MREF_abc123' };
 */
export interface HostedFieldsSessionRequest {
  scenario: HostedFieldsScenario;
  /** Only when updating the card details saved behind an existing secure token (1–200 characters). */
  secureTokenId?: string;
}

/**
 * A Hosted Fields session as the browser uses it: the single-use token, when it expires,
 * and the script version and environment it was created for.
 *
 * @example
 * const session: HostedFieldsSession = {
 *   processingTerminalId: '1234001',
 *   token: 'abcdef1234567890abcdef1234567890',
 *   expiresAt: '2025-07-02T15:30:00.000+02:00',
 *   libVersion: '1.7.0.261457',
 *   environment: 'test',
 *   serverTime: '2025-07-02T15:20:00.000+02:00',
 * };
 */
export interface HostedFieldsSession {
  processingTerminalId: string;
  /** The session token for `new Payroc.hostedFields({ sessionToken })`. One Hosted Fields instance may use it, once. */
  token: string;
  /** ISO 8601 date and time at which Payroc stops accepting the token. */
  expiresAt: string;
  /** The Hosted Fields script version the session was created for. */
  libVersion: string;
  environment: HostedFieldsEnvironment;
  /**
   * The server's clock when it created the session (ISO 8601). The browser measures `expiresAt`
   * against this, so a browser whose clock is wrong still refreshes in time.
   */
  serverTime?: string;
}
