import { guardFor, PayrocError } from './PayrocError';

/**
 * One entry of a Payroc 400 problem's `errors` list.
 *
 * @example
 * const item: PayrocApiErrorItem = { parameter: 'libVersion', detail: 'Invalid libVersion', message: 'Invalid libVersion' };
 */
export interface PayrocApiErrorItem {
  parameter?: string;
  detail?: string;
  message?: string;
}

/**
 * An HTTP error response: an RFC 7807 problem from Payroc's API, or from your own session endpoint when the browser
 * calls it. `status`, `type`, `title`, `detail` and `instance` come from the body when it is a problem object (else
 * from the status line); every other member of the body is in `extensions`, and the raw body in `body`.
 *
 * @example
 * catch (error) {
 *   if (isPayrocApiError(error) && error.status === 409) {
 *     // The Idempotency-Key was reused with another body.
 *   }
 * }
 */
export class PayrocApiError extends PayrocError {
  override name = 'PayrocApiError';
  declare readonly status: number;
  /** Payroc's per-parameter problems (400 responses). */
  declare readonly errors: PayrocApiErrorItem[];
  /** Members of the problem object beyond the RFC 7807 ones, e.g. `resource`, `link`. */
  declare readonly extensions: Record<string, unknown>;
  /** The response body as received: the parsed JSON, or the text when it was not JSON. */
  declare readonly body: unknown;
  /** `Retry-After` in milliseconds, when the response had one. */
  declare readonly retryAfterMs: number | undefined;

  constructor(status: number, body: unknown, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    const { type, title, status: _status, detail, instance, errors, ...extensions } = (
      typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}
    ) as Record<string, unknown>;
    const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
    const heading = str(title) ?? `HTTP ${status}`;
    // `options` carries `retryAfterMs` and `cause`; the base constructor assigns every member it is given.
    super(str(detail) ? `${heading}: ${detail}` : heading, {
      ...options,
      type: str(type),
      title: heading,
      status,
      detail: str(detail),
      instance: str(instance),
    });
    this.errors = Array.isArray(errors) ? (errors as PayrocApiErrorItem[]) : [];
    this.extensions = extensions;
    this.body = body;
  }
}

/**
 * True for a {@link PayrocApiError}, from any realm.
 *
 * @example
 * if (isPayrocApiError(error)) console.log(error.status, error.errors);
 */
export const isPayrocApiError = guardFor<PayrocApiError>('PayrocApiError');
