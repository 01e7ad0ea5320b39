// A symbol from the global registry is the same in every realm (iframes, vm contexts, duplicate copies of this
// package), so the guards below work where `instanceof` does not.
const BRAND = Symbol.for('payroc-hosted-fields.error');

/**
 * An RFC 7807 problem object: `type`, `title`, `status`, `detail`, `instance` and any extension members.
 *
 * @example
 * const problem: ProblemDetails = { type: 'about:blank', title: 'Not Found', status: 404 };
 */
export interface ProblemDetails {
  type: string;
  title: string;
  status?: number;
  detail?: string;
  instance?: string;
  [member: string]: unknown;
}

/**
 * Fields every {@link PayrocError} is built from.
 *
 * @example
 * const init: PayrocErrorInit = { title: 'Bad Request', status: 400, detail: 'scenario is required' };
 */
export interface PayrocErrorInit {
  /** A URI that names the kind of problem. */
  type?: string | undefined;
  title?: string | undefined;
  status?: number | undefined;
  detail?: string | undefined;
  instance?: string | undefined;
  cause?: unknown;
}

/**
 * Base class of every error this package throws. It carries the RFC 7807 fields (`type`, `title`, `status`, `detail`,
 * `instance`) and `cause` with the underlying failure.
 *
 * @example
 * try {
 *   await payroc.createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' });
 * } catch (error) {
 *   if (isPayrocError(error)) console.warn(error.name, error.status, error.detail);
 * }
 */
export class PayrocError extends Error {
  override name: string = 'PayrocError';
  // `declare`: assigned in the constructor, so no field definitions are emitted (the browser entry has a size budget).
  declare readonly type: string;
  declare readonly title: string;
  declare readonly status: number | undefined;
  declare readonly detail: string | undefined;
  declare readonly instance: string | undefined;

  constructor(message: string, init: PayrocErrorInit = {}) {
    // Error reads only `cause` from its options, and only when present; assigning it again keeps it non-enumerable.
    super(message, init);
    Object.assign(this, init);
    this.type ??= 'about:blank';
    this.title ??= message;
  }
}

Object.defineProperty(PayrocError.prototype, BRAND, { value: true });

/**
 * True for any error thrown by this package, also one created in another realm or by another copy of the package.
 *
 * @example
 * if (isPayrocError(error)) showMessage(error.detail ?? error.title);
 */
export const isPayrocError = (value: unknown): value is PayrocError =>
  typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;

/** @internal The guard for one subclass, by its `name`, realm-independent. */
export const guardFor =
  <T extends PayrocError>(name: string) =>
  (value: unknown): value is T =>
    isPayrocError(value) && value.name === name;
