import type { HostedFieldsSession } from './types';

/**
 * The default of `refreshBeforeExpiryMs`: one minute of a session's ten. It leaves time for a slow endpoint and
 * several retries with backoff (1 s, 2 s, 4 s, 8 s, …) before the current token stops working, while each token is
 * still used for nine tenths of its life, so the card form is rebuilt as rarely as possible.
 *
 * @example
 * useHostedFieldsSession({ endpoint, scenario: 'payment', refreshBeforeExpiryMs: DEFAULT_REFRESH_BEFORE_EXPIRY_MS * 2 });
 */
export const DEFAULT_REFRESH_BEFORE_EXPIRY_MS = 60_000;

/**
 * When a session expires and when to replace it, both on the browser's clock.
 *
 * @example
 * const { expiresAt, refreshAt } = sessionClock(session, Date.now(), 60_000);
 */
export interface SessionTimes {
  /** Browser time (ms since the epoch) at which the token stops working. */
  expiresAt: number;
  /** Browser time at which to fetch the next session. */
  refreshAt: number;
}

/**
 * Translates a session's `expiresAt` to the browser's clock. Payroc's `expiresAt` is on the server's clock; when the
 * handler reports `serverTime`, the difference between it and the moment the reply arrived (`receivedAt`) is the
 * skew, so a browser clock minutes off still refreshes in time. A session that lives shorter than the margin is
 * refreshed halfway through its life instead, so a short TTL cannot turn into a refresh loop.
 *
 * @example
 * const receivedAt = Date.now();
 * const session = await fetchHostedFieldsSession({ scenario: 'payment' }, { endpoint });
 * const { refreshAt } = sessionClock(session, receivedAt, DEFAULT_REFRESH_BEFORE_EXPIRY_MS);
 * setTimeout(refresh, refreshAt - Date.now());
 */
export function sessionClock(session: HostedFieldsSession, receivedAt: number, refreshBeforeExpiryMs: number): SessionTimes {
  const serverNow = session.serverTime === undefined ? NaN : Date.parse(session.serverTime);
  const skew = Number.isNaN(serverNow) ? 0 : serverNow - receivedAt;
  const expiresAt = Date.parse(session.expiresAt) - skew;
  const lifetime = expiresAt - receivedAt;
  const refreshAt = expiresAt - Math.min(Math.max(refreshBeforeExpiryMs, 0), lifetime / 2);
  return { expiresAt, refreshAt };
}
