// Issue 3: "Unmounting aborts the request in flight; no state update after unmount, no unhandled rejection."
// React 18+ no longer warns about a state update on an unmounted component, so watching console.error proves nothing.
// Here the hook's own state setters are recorded (react is wrapped below), each call with whether the checkout was
// still mounted; TanStack Query's store subscription is checked on the hook's private QueryClient; and the test
// listens for unhandled rejections itself.
import { QueryClient, type Query } from '@tanstack/react-query';
import { act, render, screen, waitFor } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { StrictMode, useLayoutEffect, type ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { loadHostedFieldsScript } from '../../src/core/loadHostedFieldsScript';
import type { HostedFieldsSession } from '../../src/core/types';
import { useHostedFieldsSession, type UseHostedFieldsSessionOptions } from '../../src/react/useHostedFieldsSession';
import { createFakePayrocLibrary } from '../support/fakePayrocLibrary';
import { hostScripts, uniqueScripts } from './support/scriptHost';
import { createSessionEndpoint, ENDPOINT, LIB_VERSION } from './support/sessionEndpoint';

/** Every state update the hook made, and whether the checkout was mounted at that moment. */
const page = vi.hoisted(() => ({ checkoutMounted: false, stateUpdates: [] as { mounted: boolean; value: unknown }[] }));

// useState and useReducer as React has them, except that their setters note each call in page.stateUpdates. A setter
// keeps its identity (one wrapper per setter), as the hook may rely on.
vi.mock('react', async (importOriginal) => {
  const react = await importOriginal<typeof import('react')>();
  const wrappers = new WeakMap<object, (value: unknown) => void>();
  const recorded = (dispatch: (value: unknown) => void) => {
    let wrapper = wrappers.get(dispatch);
    if (!wrapper) {
      wrapper = (value) => {
        page.stateUpdates.push({ mounted: page.checkoutMounted, value });
        dispatch(value);
      };
      wrappers.set(dispatch, wrapper);
    }
    return wrapper;
  };
  const useState = (initial: unknown) => {
    const [state, setState] = react.useState(initial);
    return [state, recorded(setState)];
  };
  const useReducer = (...args: unknown[]) => {
    const [state, dispatch] = (react.useReducer as (...a: unknown[]) => [unknown, (action: unknown) => void])(...args);
    return [state, recorded(dispatch)];
  };
  return { ...react, useState: useState as typeof react.useState, useReducer: useReducer as typeof react.useReducer };
});

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

let endpoint: ReturnType<typeof createSessionEndpoint>;
let library: ReturnType<typeof createFakePayrocLibrary>;
let currentScripts = uniqueScripts(LIB_VERSION);
/** Plays the browser for script tags in the tests that do not hold the script themselves. */
let scripts: ReturnType<typeof hostScripts> | undefined;
/** Calls of QueryClient#mount: the hook mounts its private client, which is how the test reaches it. */
let clientMounts: MockInstance<QueryClient['mount']>;
/** Reasons of promise rejections nobody handled, while the test ran. */
let unhandledRejections: unknown[];
const onUnhandledRejection = (reason: unknown) => unhandledRejections.push(reason);

beforeEach(() => {
  endpoint = createSessionEndpoint();
  server.use(endpoint.handler);
  library = createFakePayrocLibrary();
  currentScripts = uniqueScripts(LIB_VERSION);
  delete window.Payroc;
  page.stateUpdates = [];
  clientMounts = vi.spyOn(QueryClient.prototype, 'mount');
  unhandledRejections = [];
  // jsdom never fires window's `unhandledrejection` for these promises; Node's process event is the one that fires.
  process.on('unhandledRejection', onUnhandledRejection);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandledRejection);
  scripts?.stop();
  scripts = undefined;
  server.resetHandlers();
  document.head.innerHTML = '';
  vi.useRealTimers();
});

/** A merchant's checkout using the hook. The layout effect only tells the recorder whether it is mounted. */
function Checkout(props: Partial<UseHostedFieldsSessionOptions>) {
  const hf = useHostedFieldsSession({
    endpoint: ENDPOINT,
    scenario: 'payment',
    environment: 'test',
    scripts: currentScripts,
    ...props,
  } as UseHostedFieldsSessionOptions);
  useLayoutEffect(() => {
    page.checkoutMounted = true;
    return () => {
      page.checkoutMounted = false;
    };
  }, []);
  return (
    <section>
      <p role="status">{hf.status}</p>
      <p data-testid="token">{hf.session?.token ?? 'none'}</p>
      <p data-testid="script">{hf.scriptStatus}</p>
    </section>
  );
}

const renderStrict = (ui: ReactNode) => render(ui, { wrapper: StrictMode });
const token = () => screen.getByTestId('token').textContent;
const updatesAfterUnmount = () => page.stateUpdates.filter((update) => !update.mounted);

/** Every query of the one QueryClient the hook made for this checkout: the session's and the script's. */
function privateQueries(): Query[] {
  const clients = new Set(clientMounts.mock.contexts);
  expect(clients.size).toBe(1);
  const [client] = clients as Set<QueryClient>;
  return client!.getQueryCache().getAll();
}

/** The hook's session query. */
function privateSessionQuery(): Query {
  const sessions = privateQueries().filter((query) => query.queryKey[0] === 'payroc-session');
  expect(sessions).toHaveLength(1);
  return sessions[0]!;
}

/** Queries of the hook that React is still subscribed to (useSyncExternalStore): none once the checkout is gone. */
const observed = () => privateQueries().filter((query) => query.getObserversCount() > 0);

/** Lets everything already under way finish: promise callbacks, and Node's unhandled-rejection check after them. */
async function settle() {
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  await act(async () => {
    await nextTurn();
    await nextTurn();
  });
}

/** A fetcher's reply the test hands over when it chooses (Promise.withResolvers is not in Node 20). */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function sessionFor(token: string): HostedFieldsSession {
  return {
    processingTerminalId: '1234001',
    token,
    expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
    libVersion: LIB_VERSION,
    environment: 'test',
  };
}

describe('useHostedFieldsSession: unmounting', () => {
  it('records the hook’s state updates while the checkout is mounted (so a late one below would be caught)', async () => {
    scripts = hostScripts(library.payroc);
    renderStrict(<Checkout />);
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
    // Coming back to the tab makes the hook check its token and render again: a state update of its own.
    act(() => void window.dispatchEvent(new Event('focus')));
    expect(page.stateUpdates.length).toBeGreaterThan(0);
    expect(updatesAfterUnmount()).toEqual([]);
  });

  it('aborts the session request in flight; its end reaches no state and rejects nothing unhandled', async () => {
    scripts = hostScripts(library.payroc);
    endpoint.options.delayMs = 300;
    const view = renderStrict(<Checkout />);
    await waitFor(() => expect(endpoint.requests).toHaveLength(1));
    const query = privateSessionQuery();
    expect(query.getObserversCount()).toBe(1);

    view.unmount();
    await waitFor(() => expect(endpoint.requests[0]!.signal.aborted).toBe(true));
    // React's subscriptions to the queries (useSyncExternalStore) are gone, so no later result can reach the component.
    expect(query.getObserversCount()).toBe(0);
    expect(observed()).toEqual([]);
    // The server still answers, to a request nobody waits for any more.
    await waitFor(() => expect(endpoint.issued).toEqual(['tok_1']));
    await settle();
    expect(updatesAfterUnmount()).toEqual([]);
    expect(unhandledRejections).toEqual([]);
  });

  type Reply = ReturnType<typeof deferred<HostedFieldsSession>>;
  it.each([
    ['answers anyway', (reply: Reply) => reply.resolve(sessionFor('tok_late'))],
    ['rejects with an AbortError', (reply: Reply) => reply.reject(new DOMException('aborted', 'AbortError'))],
  ])('aborts fetchSession’s signal on unmount; a fetcher that then %s updates nothing', async (_, finish) => {
    scripts = hostScripts(library.payroc);
    const reply = deferred<HostedFieldsSession>();
    const signals: AbortSignal[] = [];
    const fetchSession = (_request: unknown, { signal }: { signal: AbortSignal }) => {
      signals.push(signal);
      return reply.promise;
    };
    const view = renderStrict(<Checkout endpoint={undefined} fetchSession={fetchSession} />);
    await waitFor(() => expect(signals).toHaveLength(1));
    const query = privateSessionQuery();

    view.unmount();
    expect(signals[0]!.aborted).toBe(true);
    expect(query.getObserversCount()).toBe(0);
    finish(reply);
    await settle();
    expect(updatesAfterUnmount()).toEqual([]);
    expect(unhandledRejections).toEqual([]);
  });

  it.each(['load', 'error'] as const)(
    'sets no state when the Hosted Fields script finishes (%s) after the checkout is gone',
    async (outcome) => {
      // Retries of a failed script are 1 s apart; only timers are faked, msw and React need real microtasks.
      vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout'] });
      const view = renderStrict(<Checkout />);
      // The session arrives; the script tag is in the page but the browser is still downloading it.
      await waitFor(() => expect(token()).toBe('tok_1'));
      expect(screen.getByTestId('script')).toHaveTextContent('loading');
      const scriptTag = () => document.head.querySelector<HTMLScriptElement>(`script[src="${currentScripts.test.url}"]`);
      expect(scriptTag()).not.toBeNull();
      // The same promise the hook is waiting on (the loader has one per URL), to know when the script is done.
      const finished = loadHostedFieldsScript({ script: currentScripts.test }).then(
        () => 'load',
        () => 'error',
      );

      view.unmount();
      if (outcome === 'load') {
        window.Payroc = library.payroc;
        scriptTag()!.dispatchEvent(new Event('load'));
      } else {
        // Blocked each time: the first try and both retries.
        for (let attempt = 0; attempt < 3; attempt++) {
          await waitFor(() => expect(scriptTag()).not.toBeNull());
          scriptTag()!.dispatchEvent(new Event('error'));
          await act(() => vi.advanceTimersByTimeAsync(1_000));
        }
      }
      expect(await finished).toBe(outcome);
      expect(observed()).toEqual([]);
      await settle();
      expect(updatesAfterUnmount()).toEqual([]);
      expect(unhandledRejections).toEqual([]);
    },
  );
});
