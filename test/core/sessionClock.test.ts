import { describe, expect, it } from 'vitest';
import { sessionClock } from '../../src/core/sessionClock';
import type { HostedFieldsSession } from '../../src/core/types';

const session = (serverTime: number | undefined, expiresAt: number): HostedFieldsSession => ({
  processingTerminalId: '1234001',
  token: 'tok',
  libVersion: '1.7.0.261457',
  environment: 'test',
  expiresAt: new Date(expiresAt).toISOString(),
  ...(serverTime !== undefined && { serverTime: new Date(serverTime).toISOString() }),
});

const MIN = 60_000;
const t0 = Date.parse('2026-01-01T12:00:00Z');

describe('sessionClock', () => {
  it('refreshes the margin before expiry when the clocks agree', () => {
    expect(sessionClock(session(t0, t0 + 10 * MIN), t0, MIN)).toEqual({ expiresAt: t0 + 10 * MIN, refreshAt: t0 + 9 * MIN });
  });

  it('measures expiry on the server clock when the browser clock is minutes behind', () => {
    const browserNow = t0 - 7 * MIN;
    expect(sessionClock(session(t0, t0 + 10 * MIN), browserNow, MIN)).toEqual({
      expiresAt: browserNow + 10 * MIN,
      refreshAt: browserNow + 9 * MIN,
    });
  });

  it('measures expiry on the server clock when the browser clock is minutes ahead', () => {
    const browserNow = t0 + 15 * MIN;
    expect(sessionClock(session(t0, t0 + 10 * MIN), browserNow, MIN).expiresAt).toBe(browserNow + 10 * MIN);
  });

  it('uses the browser clock when the server reports no time', () => {
    expect(sessionClock(session(undefined, t0 + 10 * MIN), t0 - 2 * MIN, MIN).expiresAt).toBe(t0 + 10 * MIN);
  });

  it('refreshes halfway through a session that lives shorter than the margin', () => {
    expect(sessionClock(session(t0, t0 + 30_000), t0, MIN).refreshAt).toBe(t0 + 15_000);
  });
});
