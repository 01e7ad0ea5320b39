import { afterEach, describe, expect, it, vi } from 'vitest';
import { decideRetry, parseRetryAfter, sleep } from '../../src/server/retryPolicy';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, and ignores anything else', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7_000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:05 GMT', NOW)).toBe(5_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', NOW)).toBe(0);
    for (const invalid of [null, undefined, '', '-1', '1.5', 'soon', '2026-03-01']) expect(parseRetryAfter(invalid, NOW)).toBeUndefined();
  });
});

describe('decideRetry', () => {
  const response = (status: number, retryAfter?: string) => ({ kind: 'response' as const, status, retryAfter });

  it('retries 408, 429, 5xx, timeouts and connection failures; never other statuses', () => {
    for (const status of [408, 429, 500, 502, 503, 504, 599]) expect(decideRetry(response(status), 1, 2)).toEqual(expect.any(Number));
    expect(decideRetry({ kind: 'timeout' }, 1, 2)).toEqual(expect.any(Number));
    expect(decideRetry({ kind: 'network' }, 1, 2)).toEqual(expect.any(Number));
    for (const status of [200, 201, 301, 400, 401, 403, 404, 406, 409, 415, 422]) expect(decideRetry(response(status), 1, 2)).toBeUndefined();
  });

  it('stops after maxRetries', () => {
    expect(decideRetry(response(503), 2, 2)).toEqual(expect.any(Number));
    expect(decideRetry(response(503), 3, 2)).toBeUndefined();
    expect(decideRetry(response(503), 1, 0)).toBeUndefined();
  });

  it('backs off 500 ms × 2ⁿ with up to 25% jitter downwards, capped at 8 s (README, Assumptions)', () => {
    const delays = (random: number) =>
      [1, 2, 3, 4, 5, 6, 20].map((attempt) => decideRetry({ kind: 'network' }, attempt, 30, { random: () => random }));
    expect(delays(0)).toEqual([500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    expect(delays(1)).toEqual([375, 750, 1_500, 3_000, 6_000, 6_000, 6_000]);
  });

  it('honours Retry-After up to 10 s (README, Assumptions), and gives up beyond it', () => {
    expect(decideRetry(response(429, '4'), 1, 2, { now: NOW })).toBe(4_000);
    expect(decideRetry(response(503, '10'), 1, 2)).toBe(10_000);
    expect(decideRetry(response(503, '11'), 1, 2)).toBeUndefined();
    expect(decideRetry(response(400, '1'), 1, 2)).toBeUndefined();
  });
});

describe('sleep', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('rejects with the signal’s reason as soon as it aborts', async () => {
    // A fake clock that never moves: "as soon as" cannot depend on how busy the machine is.
    vi.useFakeTimers();
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(vi.getTimerCount()).toBe(0);
    await expect(sleep(10, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
    const short = sleep(5);
    await vi.advanceTimersByTimeAsync(5);
    await expect(short).resolves.toBeUndefined();
  });
});
