// Regression tests from review: a first session request that fails while the tab is hidden, or while offline under
// the app's own QueryClientProvider, must be retried once the page is back.
import { QueryClient, QueryClientProvider, onlineManager } from '@tanstack/react-query';
import { act, render, screen, waitFor } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { StrictMode } from 'react';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { useHostedFieldsSession } from '../../src/react/useHostedFieldsSession';
import { createFakePayrocLibrary } from '../support/fakePayrocLibrary';
import { createSessionEndpoint, ENDPOINT, LIB_VERSION, problem } from './support/sessionEndpoint';
import { hostScripts, uniqueScripts } from './support/scriptHost';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
let endpoint: ReturnType<typeof createSessionEndpoint>;
let scripts: ReturnType<typeof hostScripts>;
let current = uniqueScripts(LIB_VERSION);
beforeEach(() => {
  endpoint = createSessionEndpoint();
  server.use(endpoint.handler);
  scripts = hostScripts(createFakePayrocLibrary().payroc);
  current = uniqueScripts(LIB_VERSION);
});
afterEach(() => { scripts.stop(); server.resetHandlers(); vi.useRealTimers(); setVisibility('visible'); });
function setVisibility(v: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => v });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => v === 'hidden' });
}
function Checkout() {
  const hf = useHostedFieldsSession({ endpoint: ENDPOINT, scenario: 'payment', environment: 'test', scripts: current });
  return <p role="status">{hf.status}{hf.error ? ':' + hf.error.name : ''}</p>;
}

it('checkout opened in a background tab whose first session request hits a transient 503 recovers when the tab is shown', async () => {
  vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  setVisibility('hidden');
  endpoint.failures.push(problem(503, 'Service Unavailable', 'blip'));
  render(<Checkout />, { wrapper: StrictMode });
  await waitFor(() => expect(endpoint.requests).toHaveLength(1));
  await act(() => vi.advanceTimersByTimeAsync(10_000));
  // user switches to the tab
  setVisibility('visible');
  act(() => { document.dispatchEvent(new Event('visibilitychange', { bubbles: true })); window.dispatchEvent(new Event('focus')); });
  await act(() => vi.advanceTimersByTimeAsync(60_000));
  expect(screen.getByRole('status').textContent).not.toBe('loading');
});

it('control: same with a visible tab recovers', async () => {
  vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  endpoint.failures.push(problem(503, 'Service Unavailable', 'blip'));
  render(<Checkout />, { wrapper: StrictMode });
  await act(() => vi.advanceTimersByTimeAsync(10_000));
  await waitFor(() => expect(screen.getByRole('status').textContent).toBe('ready'));
  expect(endpoint.requests).toHaveLength(2);
});

it('app with its own QueryClientProvider, page loaded while offline: fetches once back online', async () => {
  const app = new QueryClient();
  onlineManager.setOnline(false);
  render(<QueryClientProvider client={app}><Checkout /></QueryClientProvider>, { wrapper: StrictMode });
  await act(() => new Promise((r) => setTimeout(r, 100)));
  act(() => { onlineManager.setOnline(true); window.dispatchEvent(new Event('online')); });
  await act(() => new Promise((r) => setTimeout(r, 500)));
  expect(screen.getByRole('status').textContent).not.toBe('loading');
});

it('refreshes when its timer fires, even if the wall clock stepped back meanwhile (an NTP correction) or it fired early', async () => {
  vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  render(<Checkout />, { wrapper: StrictMode });
  await waitFor(() => expect(screen.getByRole('status').textContent).toBe('ready'));
  expect(endpoint.issued).toEqual(['tok_1']);
  // Timers keep their schedule, Date.now() does not: when the refresh timer fires (9 min in), the clock reads 8:55.
  // A browser timer that fires a millisecond before a fractional due time looks the same to the hook.
  vi.setSystemTime(Date.now() - 5_000);
  await act(() => vi.advanceTimersByTimeAsync(9 * 60_000));
  await waitFor(() => expect(endpoint.issued).toEqual(['tok_1', 'tok_2']));
  // The new session was there before the first one would have expired, so the page never went back to loading.
  expect(screen.getByRole('status').textContent).toBe('ready');
});

it('asks once for a session whose expiry is further out than a timer can wait (a mocked far-future expiresAt)', async () => {
  const requests: unknown[] = [];
  function MockedCheckout() {
    const hf = useHostedFieldsSession({
      scenario: 'payment',
      environment: 'test',
      scripts: current,
      // What a merchant's own story or test often returns: a token that lives for 30 days.
      fetchSession: async (request) => {
        requests.push(request);
        return {
          processingTerminalId: '1234001',
          token: `tok_${requests.length}`,
          expiresAt: new Date(Date.now() + 30 * 24 * 3_600_000).toISOString(),
          libVersion: LIB_VERSION,
          environment: 'test',
        };
      },
    });
    return <p role="status">{hf.status}</p>;
  }
  render(<MockedCheckout />, { wrapper: StrictMode });
  await waitFor(() => expect(screen.getByRole('status').textContent).toBe('ready'));
  // setTimeout fires at once for a delay over 2^31 - 1 ms; a refresh timer like that would ask again and again.
  await act(() => new Promise((resolve) => setTimeout(resolve, 300)));
  expect(requests).toHaveLength(1);
});
