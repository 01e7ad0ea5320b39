import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { StrictMode, useState, type ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { isHostedFieldsScriptError, isHostedFieldsVersionMismatchError, isPayrocApiError } from '../../src/core/errors/index';
import { isPayrocConfigurationError } from '../../src/core/errors/PayrocConfigurationError';
import type { HostedFieldsSession } from '../../src/core/types';
import type { HostedFieldsSessionState } from '../../src/react/useHostedFields';
import {
  useHostedFieldsSession,
  type UseHostedFieldsSessionOptions,
  type UseHostedFieldsSessionResult,
} from '../../src/react/useHostedFieldsSession';
import { createFakePayrocLibrary } from '../support/fakePayrocLibrary';
import { createSessionEndpoint, ENDPOINT, LIB_VERSION, problem } from './support/sessionEndpoint';
import { hostScripts, uniqueScripts } from './support/scriptHost';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

let endpoint: ReturnType<typeof createSessionEndpoint>;
let library: ReturnType<typeof createFakePayrocLibrary>;
let scripts: ReturnType<typeof hostScripts>;
/** Every render in which the page was handed a token that had already expired. */
let expiredTokensSeen: string[];
/** The status of every render, in order. */
let statusesSeen: string[];

beforeEach(() => {
  endpoint = createSessionEndpoint();
  server.use(endpoint.handler);
  library = createFakePayrocLibrary();
  scripts = hostScripts(library.payroc);
  expiredTokensSeen = [];
  statusesSeen = [];
  delete window.Payroc;
});
afterEach(() => {
  scripts.stop();
  server.resetHandlers();
  document.head.innerHTML = '';
  vi.useRealTimers();
});

const MIN = 60_000;
type Options = Partial<UseHostedFieldsSessionOptions>;

/** A merchant's checkout: shows what the hook says, as a page would. */
function Checkout(props: Options) {
  const hf = useHostedFieldsSession({
    endpoint: ENDPOINT,
    scenario: 'payment',
    environment: 'test',
    scripts: currentScripts,
    ...props,
  } as UseHostedFieldsSessionOptions);
  if (hf.session && Date.now() >= Date.parse(hf.session.expiresAt) - endpoint.options.serverSkewMs) {
    expiredTokensSeen.push(hf.session.token);
  }
  statusesSeen.push(hf.status);
  return (
    <section>
      <p role="status">{hf.status}</p>
      <p data-testid="token">{hf.session?.token ?? 'none'}</p>
      <p data-testid="script">{hf.scriptStatus}</p>
      <p data-testid="payroc">{hf.payroc ? 'Payroc loaded' : 'no Payroc'}</p>
      <p data-testid="expires-in">{hf.expiresInMs ?? '—'}</p>
      {hf.error && <p role="alert">{`${hf.error.name}: ${hf.error.message}`}</p>}
      <button type="button" onClick={() => void hf.refresh()}>
        New session
      </button>
      <Probe hf={hf} />
    </section>
  );
}
let lastResult: UseHostedFieldsSessionResult | undefined;
function Probe({ hf }: { hf: UseHostedFieldsSessionResult }) {
  lastResult = hf;
  return null;
}
let currentScripts = uniqueScripts(LIB_VERSION);
beforeEach(() => {
  currentScripts = uniqueScripts(LIB_VERSION);
});

const renderStrict = (ui: ReactNode) => render(ui, { wrapper: StrictMode });
const status = () => screen.getByRole('status');
const token = () => screen.getByTestId('token').textContent;
const ready = () => waitFor(() => expect(status()).toHaveTextContent('ready'));

function useFakeClock() {
  // Only timers and Date: msw and React need real microtasks.
  vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
}

describe('useHostedFieldsSession: one session per Hosted Fields instance', () => {
  it('gets a session and the matching script; StrictMode makes exactly one request', async () => {
    renderStrict(<Checkout />);
    expect(status()).toHaveTextContent('loading');
    await ready();
    expect(token()).toBe('tok_1');
    expect(screen.getByTestId('payroc')).toHaveTextContent('Payroc loaded');
    expect(endpoint.requests).toHaveLength(1);
    expect(endpoint.requests[0]!.body).toEqual({ scenario: 'payment' });
    expect(scripts.injected).toHaveLength(1);
    expect(lastResult?.payroc).toBe(library.payroc);
  });

  it('gives two hooks on one page two sessions', async () => {
    renderStrict(
      <>
        <Checkout />
        <Checkout />
      </>,
    );
    await waitFor(() => expect(screen.getAllByRole('status').map((s) => s.textContent)).toEqual(['ready', 'ready']));
    expect(endpoint.requests).toHaveLength(2);
    expect(new Set(screen.getAllByTestId('token').map((t) => t.textContent))).toEqual(new Set(['tok_1', 'tok_2']));
    expect(scripts.injected).toHaveLength(1);
  });

  it('fetches a new session when the component is mounted again', async () => {
    function Page() {
      const [open, setOpen] = useState(true);
      return (
        <>
          <button type="button" onClick={() => setOpen((o) => !o)}>
            Toggle
          </button>
          {open && <Checkout />}
        </>
      );
    }
    renderStrict(<Page />);
    await ready();
    expect(token()).toBe('tok_1');
    await userEvent.click(screen.getByRole('button', { name: 'Toggle' }));
    await userEvent.click(screen.getByRole('button', { name: 'Toggle' }));
    await waitFor(() => expect(token()).toBe('tok_2'));
    expect(endpoint.requests).toHaveLength(2);
  });

  it("works inside the app's QueryClientProvider without touching the app's cache", async () => {
    const appClient = new QueryClient();
    function AppQuery() {
      const cart = useQuery({ queryKey: ['cart'], queryFn: () => Promise.resolve('2 items') });
      return <p data-testid="cart">{cart.data ?? '…'}</p>;
    }
    renderStrict(
      <QueryClientProvider client={appClient}>
        <AppQuery />
        <Checkout />
      </QueryClientProvider>,
    );
    await ready();
    expect(screen.getByTestId('cart')).toHaveTextContent('2 items');
    expect(appClient.getQueryCache().getAll().map((query) => query.queryKey)).toEqual([['cart']]);
    await act(() => appClient.invalidateQueries());
    expect(endpoint.requests).toHaveLength(1);
  });

  it('aborts the request in flight on unmount, without state updates or unhandled rejections', async () => {
    endpoint.options.delayMs = 5_000;
    const view = renderStrict(<Checkout />);
    await waitFor(() => expect(endpoint.requests).toHaveLength(1));
    view.unmount();
    await waitFor(() => expect(endpoint.requests[0]!.signal.aborted).toBe(true));
    // console.error (a state update after unmount) fails the test through test/setup.
  });

  it('holds off while enabled is false', async () => {
    const view = renderStrict(<Checkout enabled={false} />);
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(endpoint.requests).toHaveLength(0);
    expect(scripts.injected).toHaveLength(0);
    view.rerender(<Checkout enabled />);
    await ready();
    expect(endpoint.requests).toHaveLength(1);
  });

  it.each([
    ['scenario', { scenario: 'tokenization' }, { scenario: 'tokenization' }],
    ['secureTokenId', { secureTokenId: 'MREF_42' }, { scenario: 'payment', secureTokenId: 'MREF_42' }],
  ] as const)('fetches a new session when %s changes, and stops handing out the old token at once', async (_, change, body) => {
    const view = renderStrict(<Checkout />);
    await ready();
    expect(token()).toBe('tok_1');
    endpoint.options.delayMs = 100;

    view.rerender(<Checkout {...change} />);
    // tok_1 was made for the old request: it must not reach Hosted Fields under the new one.
    expect(token()).toBe('none');
    expect(lastResult?.session).toBeUndefined();
    expect(status()).toHaveTextContent('loading');
    await ready();
    expect(token()).toBe('tok_2');
    expect(endpoint.requests.map((request) => request.body)).toEqual([{ scenario: 'payment' }, body]);
  });

  it('fetches a new session from the new endpoint when endpoint changes, and stops handing out the old token', async () => {
    const other: unknown[] = [];
    server.use(
      http.post('http://localhost:3000/api/checkout/hosted-fields-session', async ({ request }) => {
        other.push(await request.json());
        const now = Date.now();
        return HttpResponse.json({
          processingTerminalId: '1234001',
          token: 'tok_other',
          expiresAt: new Date(now + 10 * MIN).toISOString(),
          libVersion: LIB_VERSION,
          environment: 'test',
          serverTime: new Date(now).toISOString(),
        });
      }),
    );
    const view = renderStrict(<Checkout />);
    await ready();
    expect(token()).toBe('tok_1');

    view.rerender(<Checkout endpoint="/api/checkout/hosted-fields-session" />);
    expect(token()).toBe('none');
    await ready();
    expect(token()).toBe('tok_other');
    expect(other).toEqual([{ scenario: 'payment' }]);
    expect(endpoint.requests).toHaveLength(1);
  });

  it('sends secureTokenId and scenario as given', async () => {
    renderStrict(<Checkout scenario="tokenization" secureTokenId="MREF_42" />);
    await ready();
    expect(endpoint.requests[0]!.body).toEqual({ scenario: 'tokenization', secureTokenId: 'MREF_42' });
    expect(lastResult?.scenario).toBe('tokenization');
  });
});

describe('useHostedFieldsSession: refresh before expiry', () => {
  it('fetches the next session refreshBeforeExpiryMs before expiresAt', async () => {
    useFakeClock();
    renderStrict(<Checkout refreshBeforeExpiryMs={MIN} />);
    await ready();
    expect(lastResult?.expiresInMs).toBeGreaterThan(9.9 * MIN);
    await act(() => vi.advanceTimersByTimeAsync(9 * MIN - 1_000));
    expect(endpoint.requests).toHaveLength(1);
    expect(token()).toBe('tok_1');
    endpoint.options.delayMs = 2_000;
    await act(() => vi.advanceTimersByTimeAsync(1_000));
    expect(endpoint.requests).toHaveLength(2);
    // The old token still works while its successor is on the way.
    expect(status()).toHaveTextContent('refreshing');
    expect(token()).toBe('tok_1');
    await act(() => vi.advanceTimersByTimeAsync(2_000));
    await waitFor(() => expect(token()).toBe('tok_2'));
    await ready();
    expect(expiredTokensSeen).toEqual([]);
  });

  it('defaults to one minute before expiry', async () => {
    useFakeClock();
    renderStrict(<Checkout />);
    await ready();
    await act(() => vi.advanceTimersByTimeAsync(9 * MIN - 1_000));
    expect(endpoint.requests).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(1_000));
    await waitFor(() => expect(token()).toBe('tok_2'));
  });

  it.each([
    ['behind', -7 * MIN],
    ['ahead', 7 * MIN],
  ])("measures expiry on the server's clock when the browser clock is minutes %s", async (_, skew) => {
    useFakeClock();
    endpoint.options.serverSkewMs = skew;
    renderStrict(<Checkout refreshBeforeExpiryMs={MIN} />);
    await ready();
    expect(lastResult?.expiresInMs).toBeGreaterThan(9.9 * MIN);
    await act(() => vi.advanceTimersByTimeAsync(9 * MIN - 1_000));
    expect(endpoint.requests).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(1_000));
    await waitFor(() => expect(token()).toBe('tok_2'));
    expect(expiredTokensSeen).toEqual([]);
  });

  it.each([
    ['visibilitychange', () => document.dispatchEvent(new Event('visibilitychange'))],
    ['online', () => window.dispatchEvent(new Event('online'))],
    ['focus', () => window.dispatchEvent(new Event('focus'))],
  ])('after the laptop slept past expiry, refreshes at once on %s and never hands out the expired token', async (_, wake) => {
    useFakeClock();
    renderStrict(<Checkout />);
    await ready();
    expect(token()).toBe('tok_1');
    endpoint.options.delayMs = 1_000;
    // Sleep: the clock jumps 30 minutes, no timer fires.
    vi.setSystemTime(Date.now() + 30 * MIN);
    act(() => wake());
    expect(status()).toHaveTextContent('loading');
    expect(token()).toBe('none');
    expect(lastResult?.session).toBeUndefined();
    expect(lastResult?.expiresInMs).toBeUndefined();
    await waitFor(() => expect(endpoint.requests).toHaveLength(2));
    await act(() => vi.advanceTimersByTimeAsync(1_000));
    await waitFor(() => expect(token()).toBe('tok_2'));
    await ready();
    expect(expiredTokensSeen).toEqual([]);
  });

  it('stops handing out the token at expiry even when no refresh could be made', async () => {
    useFakeClock();
    renderStrict(<Checkout refreshBeforeExpiryMs={MIN} />);
    await ready();
    endpoint.options.delayMs = 60 * MIN;
    await act(() => vi.advanceTimersByTimeAsync(10 * MIN));
    expect(token()).toBe('none');
    expect(status()).toHaveTextContent('loading');
    expect(expiredTokensSeen).toEqual([]);
  });

  it('retries a failed refresh with backoff and reports an error only once the token has expired', async () => {
    useFakeClock();
    renderStrict(<Checkout refreshBeforeExpiryMs={MIN} />);
    await ready();
    for (let i = 0; i < 50; i++) endpoint.failures.push(problem(503, 'Service Unavailable', 'Payroc is down'));
    await act(() => vi.advanceTimersByTimeAsync(9 * MIN));
    await waitFor(() => expect(endpoint.requests).toHaveLength(2));
    // Backoff: 1 s, 2 s, 4 s, … so a few more tries in the next 20 s, not dozens.
    await act(() => vi.advanceTimersByTimeAsync(20_000));
    const tries = endpoint.requests.length - 1;
    expect(tries).toBeGreaterThanOrEqual(4);
    expect(tries).toBeLessThanOrEqual(6);
    expect(status()).toHaveTextContent('refreshing');
    expect(token()).toBe('tok_1');
    expect(screen.queryByRole('alert')).toBeNull();

    await act(() => vi.advanceTimersByTimeAsync(2 * MIN));
    await waitFor(() => expect(status()).toHaveTextContent('error'));
    expect(token()).toBe('none');
    expect(isPayrocApiError(lastResult?.error)).toBe(true);
    expect(lastResult?.error).toMatchObject({ status: 503, detail: 'Payroc is down' });

    endpoint.failures.length = 0;
    await userEvent.click(screen.getByRole('button', { name: 'New session' }));
    await ready();
    expect(token()).not.toBe('tok_1');
  });

  it.each([
    ['a transient failure (503)', problem(503, 'Service Unavailable', 'Payroc is down')],
    ['a failure that is not transient (403)', problem(403, 'Forbidden', 'terminal 999 is not yours')],
  ])('keeps retrying %s for the next session, with backoff, as long as the current token works', async (_, failure) => {
    useFakeClock();
    // The next session is fetched 5 minutes before the 10-minute token expires: time for far more than 3 tries.
    renderStrict(<Checkout refreshBeforeExpiryMs={5 * MIN} />);
    await ready();
    for (let i = 0; i < 8; i++) endpoint.failures.push(failure);
    await act(() => vi.advanceTimersByTimeAsync(5 * MIN));
    await waitFor(() => expect(endpoint.requests).toHaveLength(2));
    // Backoff: 1 s, 2 s, 4 s, 8 s, … so a handful of tries in the first 20 s, not dozens.
    await act(() => vi.advanceTimersByTimeAsync(20_000));
    const tries = endpoint.requests.length - 1;
    expect(tries).toBeGreaterThanOrEqual(4);
    expect(tries).toBeLessThanOrEqual(6);
    expect(token()).toBe('tok_1');

    // The 9th try, about 2 minutes in (then 16 s, 30 s, 30 s, 30 s apart), gets a session: long before tok_1 expires.
    await act(() => vi.advanceTimersByTimeAsync(2 * MIN));
    await waitFor(() => expect(token()).toBe('tok_10'));
    await ready();
    expect(endpoint.requests).toHaveLength(10);
    expect(lastResult?.expiresInMs).toBeGreaterThan(9 * MIN);
    expect(statusesSeen).not.toContain('error');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(expiredTokensSeen).toEqual([]);
  });

  it('refreshes recovered after a transient failure without ever leaving ready', async () => {
    useFakeClock();
    renderStrict(<Checkout refreshBeforeExpiryMs={MIN} />);
    await ready();
    endpoint.failures.push(() => HttpResponse.error());
    await act(() => vi.advanceTimersByTimeAsync(9 * MIN));
    await act(() => vi.advanceTimersByTimeAsync(1_500));
    await waitFor(() => expect(token()).toBe('tok_3'));
    await ready();
  });

  it('refresh() fetches a new session on demand', async () => {
    renderStrict(<Checkout />);
    await ready();
    await userEvent.click(screen.getByRole('button', { name: 'New session' }));
    await waitFor(() => expect(token()).toBe('tok_2'));
    expect(endpoint.requests).toHaveLength(2);
  });
});

describe('useHostedFieldsSession: errors', () => {
  it("surfaces the endpoint's problem+json as a PayrocApiError with its fields, without retrying a 4xx", async () => {
    endpoint.failures.push(problem(403, 'Forbidden', 'terminal 999 is not yours'));
    renderStrict(<Checkout />);
    await waitFor(() => expect(status()).toHaveTextContent('error'));
    expect(screen.getByRole('alert')).toHaveTextContent('PayrocApiError: Forbidden: terminal 999 is not yours');
    expect(lastResult?.error).toMatchObject({ status: 403, title: 'Forbidden', type: 'https://docs.payroc.com/api/errors#403' });
    expect(endpoint.requests).toHaveLength(1);
    expect(lastResult?.session).toBeUndefined();
  });

  it('retries a network failure a few times, then reports PayrocNetworkError', async () => {
    useFakeClock();
    for (let i = 0; i < 10; i++) endpoint.failures.push(() => HttpResponse.error());
    renderStrict(<Checkout />);
    await act(() => vi.advanceTimersByTimeAsync(20_000));
    await waitFor(() => expect(status()).toHaveTextContent('error'));
    expect(lastResult?.error?.name).toBe('PayrocNetworkError');
    expect(endpoint.requests).toHaveLength(4);
  });

  it('reports an unusable reply as PayrocInvalidResponseError', async () => {
    endpoint.failures.push(() => HttpResponse.json({ processingTerminalId: '1234001', expiresAt: 'soon' }));
    renderStrict(<Checkout />);
    await waitFor(() => expect(status()).toHaveTextContent('error'));
    expect(lastResult?.error?.name).toBe('PayrocInvalidResponseError');
  });

  it('reports a blocked script as HostedFieldsScriptError after bounded retries, and recovers on refresh()', async () => {
    useFakeClock();
    scripts.stop();
    scripts = hostScripts(library.payroc, { failTimes: 3 });
    renderStrict(<Checkout />);
    await act(() => vi.advanceTimersByTimeAsync(3_000));
    await waitFor(() => expect(status()).toHaveTextContent('error'));
    expect(isHostedFieldsScriptError(lastResult?.error)).toBe(true);
    expect(screen.getByTestId('script')).toHaveTextContent('error');
    expect(scripts.injected).toHaveLength(3);
    // The session itself is fine: retrying loads the script and keeps the token.
    await userEvent.click(screen.getByRole('button', { name: 'New session' }));
    await ready();
    expect(token()).toBe('tok_1');
    expect(endpoint.requests).toHaveLength(1);
  });

  it('rejects a session for another libVersion before anyone can initialise Hosted Fields with it', async () => {
    endpoint.options.libVersion = '1.6.0.172441';
    renderStrict(<Checkout />);
    await waitFor(() => expect(status()).toHaveTextContent('error'));
    expect(isHostedFieldsVersionMismatchError(lastResult?.error)).toBe(true);
    expect(lastResult?.error).toMatchObject({ sessionLibVersion: '1.6.0.172441', scriptLibVersion: LIB_VERSION });
    expect(lastResult?.session).toBeUndefined();
  });

  it('rejects a session for another environment than the one given', async () => {
    endpoint.options.environment = 'production';
    renderStrict(<Checkout />);
    await waitFor(() => expect(status()).toHaveTextContent('error'));
    expect(isPayrocConfigurationError(lastResult?.error)).toBe(true);
    expect(lastResult?.session).toBeUndefined();
  });
});

describe('useHostedFieldsSession: the script', () => {
  it('starts loading the script at once when the environment is given, in parallel with the session', async () => {
    endpoint.options.delayMs = 200;
    renderStrict(<Checkout />);
    await waitFor(() => expect(scripts.injected).toHaveLength(1));
    expect(endpoint.issued).toHaveLength(0);
    await ready();
  });

  it("loads the session's environment's script after the session when no environment is given", async () => {
    endpoint.options.delayMs = 100;
    renderStrict(<Checkout environment={undefined} />);
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(scripts.injected).toHaveLength(0);
    expect(screen.getByTestId('script')).toHaveTextContent('idle');
    await ready();
    expect(scripts.injected.map((tag) => tag.src)).toEqual([currentScripts.test.url]);
  });

  it('uses a whole script record given in scripts, with its integrity, and the CSP nonce', async () => {
    const record = { url: 'https://cdn.example.test/hosted-fields-9.9.9.1.js', libVersion: '9.9.9.1', integrity: 'sha384-own' };
    endpoint.options.libVersion = '9.9.9.1';
    renderStrict(<Checkout scripts={{ test: record }} scriptAttributes={{ nonce: 'n0nce' }} />);
    await ready();
    const [tag] = scripts.injected;
    expect(tag!.src).toBe(record.url);
    expect(tag!.getAttribute('integrity')).toBe('sha384-own');
    expect(tag!.getAttribute('crossorigin')).toBe('anonymous');
    expect(tag!.getAttribute('nonce')).toBe('n0nce');
  });

  it('is not ready while the script is still loading', async () => {
    useFakeClock();
    scripts.stop();
    scripts = hostScripts(library.payroc, { delayMs: 5_000 });
    renderStrict(<Checkout />);
    await waitFor(() => expect(token()).toBe('tok_1'));
    expect(status()).toHaveTextContent('loading');
    expect(screen.getByTestId('script')).toHaveTextContent('loading');
    await act(() => vi.advanceTimersByTimeAsync(5_000));
    await ready();
  });
});

describe('useHostedFieldsSession: fetchSession', () => {
  it('uses fetchSession instead of an endpoint, with an abort signal', async () => {
    const fetchSession = vi.fn(
      async (request: { scenario: string }, { signal }: { signal: AbortSignal }): Promise<HostedFieldsSession> => {
        expect(signal).toBeInstanceOf(AbortSignal);
        return {
          processingTerminalId: '1234001',
          token: `custom_${request.scenario}`,
          expiresAt: new Date(Date.now() + 10 * MIN).toISOString(),
          libVersion: LIB_VERSION,
          environment: 'test',
        };
      },
    );
    renderStrict(<Checkout endpoint={undefined} fetchSession={fetchSession} />);
    await ready();
    expect(token()).toBe('custom_payment');
    expect(fetchSession).toHaveBeenCalledTimes(1);
    expect(endpoint.requests).toHaveLength(0);
  });

  it('wraps a plain error from fetchSession in a PayrocError', async () => {
    const fetchSession = () => Promise.reject(new TypeError('backend exploded'));
    renderStrict(<Checkout endpoint={undefined} fetchSession={fetchSession} />);
    await waitFor(() => expect(status()).toHaveTextContent('error'));
    expect(lastResult?.error).toMatchObject({ name: 'PayrocError', message: expect.stringContaining('backend exploded') });
  });

  it('validates what fetchSession returns like an endpoint reply', async () => {
    const fetchSession = () => Promise.resolve({ token: 'x' } as HostedFieldsSession);
    renderStrict(<Checkout endpoint={undefined} fetchSession={fetchSession} />);
    await waitFor(() => expect(status()).toHaveTextContent('error'));
    expect(lastResult?.error?.name).toBe('PayrocInvalidResponseError');
  });
});

it('returns what useHostedFields takes as its session', () => {
  expectTypeOf<UseHostedFieldsSessionResult>().toExtend<HostedFieldsSessionState>();
});
