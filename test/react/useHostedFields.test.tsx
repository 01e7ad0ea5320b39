import { act, render, screen, waitFor } from '@testing-library/react';
import { StrictMode, useSyncExternalStore } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isHostedFieldsError, type HostedFieldsError } from '../../src/core/errors/HostedFieldsError';
import type { PayrocGlobal } from '../../src/core/payrocGlobal';
import type { HostedFieldsSession } from '../../src/core/types';
import {
  useHostedFields,
  type HostedFieldsSessionState,
  type UseHostedFieldsOptions,
} from '../../src/react/useHostedFields';
import { createFakePayrocLibrary } from '../support/fakePayrocLibrary';

const sessionFor = (token: string): HostedFieldsSession => ({
  processingTerminalId: '1234001',
  token,
  expiresAt: new Date(Date.now() + 600_000).toISOString(),
  libVersion: '1.7.0.261457',
  environment: 'test',
});

const stateFor = (
  token: string | undefined,
  payroc: PayrocGlobal | null,
  overrides: Partial<HostedFieldsSessionState> = {},
): HostedFieldsSessionState => ({
  session: token ? sessionFor(token) : undefined,
  payroc,
  scenario: 'payment',
  status: token ? 'ready' : 'loading',
  error: undefined,
  refresh: () => {},
  ...overrides,
});

type Props = Omit<UseHostedFieldsOptions, 'fields'> & { showTargets?: boolean };

function Checkout({ showTargets = true, ...options }: Props) {
  const fields = useHostedFields({
    ...options,
    fields: {
      card: {
        cardNumber: { target: '#card-number' },
        expiryDate: { target: '#expiry' },
        cvv: { target: '#cvv', wrapperTarget: false },
        submit: { target: '#submit', value: 'Pay' },
      },
    },
  });
  return (
    <section>
      <p role="status">{fields.status}</p>
      {fields.error && <p role="alert">{fields.error.message}</p>}
      {fields.submission && <p>Paid with {fields.submission.token}</p>}
      {showTargets && (
        <div>
          <div id="card-number" />
          <div id="expiry" />
          <div id="cvv" />
          <div id="submit" />
        </div>
      )}
      <button type="button" onClick={fields.reset}>
        Pay again
      </button>
    </section>
  );
}

const renderStrict = (props: Props) => {
  const view = render(<Checkout {...props} />, { wrapper: StrictMode });
  return { ...view, rerender: (next: Props) => view.rerender(<Checkout {...next} />) };
};

const frames = () => [...document.querySelectorAll('iframe')] as HTMLIFrameElement[];
const MIN = 60_000;

function useFakeClock() {
  // Only timers and Date: React needs real microtasks.
  vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
}
afterEach(() => {
  vi.useRealTimers();
});

/**
 * Stands in for useHostedFieldsSession: it starts with tok_1, and a new token arrives only when the session endpoint
 * answers a request, later (`respond()`), as a real refresh does. `refresh` is what the page's hook may call;
 * `refreshInBackground` is the session's own timer.
 */
function createFakeSession(payroc: PayrocGlobal) {
  let token = 'tok_1';
  let issued = 1;
  const listeners = new Set<() => void>();
  const open: (() => void)[] = [];
  const request = () =>
    new Promise<void>((resolve) =>
      open.push(() => {
        token = `tok_${++issued}`;
        listeners.forEach((listener) => listener());
        resolve();
      }),
    );
  const subscribe = (listener: () => void) => (listeners.add(listener), () => listeners.delete(listener));
  const refresh = vi.fn(request);
  function Page(props: Omit<Props, 'session'>) {
    const current = useSyncExternalStore(subscribe, () => token);
    return <Checkout {...props} session={stateFor(current, payroc, { refresh })} />;
  }
  return {
    Page,
    refresh,
    refreshInBackground: () => void request(),
    respond: () => act(() => open.shift()!()),
    respondToAll: () => act(() => open.splice(0).forEach((answer) => answer())),
  };
}

/** A checkout on the fake session whose first form (tok_1) has just taken a payment. */
async function checkoutAfterAPayment() {
  const library = createFakePayrocLibrary();
  const session = createFakeSession(library.payroc);
  const onReinitialize = vi.fn();
  render(<session.Page onReinitialize={onReinitialize} />, { wrapper: StrictMode });
  await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
  act(() => library.instances[0]!.emit('submissionSuccess', { token: 'card_tok', expiresAt: '2030-01-01T00:00:00Z' }));
  return { library, session, onReinitialize };
}

describe('useHostedFields', () => {
  it('creates one instance and initialises it once under StrictMode, after the script and targets are there', async () => {
    const library = createFakePayrocLibrary();
    const view = renderStrict({ session: stateFor('tok_1', null) });
    expect(screen.getByRole('status')).toHaveTextContent('idle');

    view.rerender({ session: stateFor('tok_1', library.payroc) });
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));

    expect(library.instances).toHaveLength(1);
    expect(library.instances[0]!.initializeCalls).toBe(1);
    expect(library.instances[0]!.config).toMatchObject({ sessionToken: 'tok_1', mode: 'payment' });
    expect(frames()).toHaveLength(4);
  });

  it('waits for targets that render later', async () => {
    const library = createFakePayrocLibrary();
    const view = renderStrict({ session: stateFor('tok_1', library.payroc), showTargets: false });
    await act(async () => {});
    expect(library.instances).toHaveLength(0);
    expect(screen.getByRole('status')).toHaveTextContent('initializing');

    view.rerender({ session: stateFor('tok_1', library.payroc), showTargets: true });
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
    expect(library.instances).toHaveLength(1);
  });

  it('replaces the instance on a new token: destroys the old one, removes its iframes, tells the page', async () => {
    const library = createFakePayrocLibrary();
    const onReinitialize = vi.fn();
    const view = renderStrict({ session: stateFor('tok_1', library.payroc), onReinitialize });
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));

    view.rerender({ session: stateFor('tok_2', library.payroc), onReinitialize });
    expect(screen.getByRole('status')).toHaveTextContent('reinitializing');
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));

    expect(library.instances.map((instance) => instance.destroyed)).toEqual([true, false]);
    expect(onReinitialize).toHaveBeenCalledTimes(1);
    // One form, not two: only the new token's iframes remain.
    expect(frames()).toHaveLength(4);
    expect(new Set(frames().map((frame) => frame.dataset.sessionToken))).toEqual(new Set(['tok_2']));
  });

  it('creates nothing while enabled is false', async () => {
    const library = createFakePayrocLibrary();
    renderStrict({ session: stateFor('tok_1', library.payroc), enabled: false });
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(library.instances).toHaveLength(0);
    expect(frames()).toHaveLength(0);
    expect(screen.getByRole('status')).toHaveTextContent('idle');
  });

  it('takes the fields down when enabled turns false, and creates none until it is true again', async () => {
    const library = createFakePayrocLibrary();
    const view = renderStrict({ session: stateFor('tok_1', library.payroc) });
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
    expect(frames()).toHaveLength(4);

    view.rerender({ session: stateFor('tok_1', library.payroc), enabled: false });
    expect(library.instances[0]!.destroyed).toBe(true);
    expect(frames()).toHaveLength(0);
    expect(screen.getByRole('status')).toHaveTextContent('idle');

    // The session renews its token meanwhile: still no fields.
    view.rerender({ session: stateFor('tok_2', library.payroc), enabled: false });
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(library.instances).toHaveLength(1);
    expect(frames()).toHaveLength(0);
    expect(screen.getByRole('status')).toHaveTextContent('idle');

    view.rerender({ session: stateFor('tok_2', library.payroc), enabled: true });
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
    expect(library.instances.map((instance) => instance.config.sessionToken)).toEqual(['tok_1', 'tok_2']);
    expect(library.instances[1]!.initializeCalls).toBe(1);
    expect(frames()).toHaveLength(4);
    expect(new Set(frames().map((frame) => frame.dataset.sessionToken))).toEqual(new Set(['tok_2']));
  });

  it('takes everything down on unmount', async () => {
    const library = createFakePayrocLibrary();
    const view = renderStrict({ session: stateFor('tok_1', library.payroc) });
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
    const targets = document.querySelector('#card-number')!;
    expect(targets.children).toHaveLength(1);
    view.unmount();
    expect(library.instances[0]!.destroyed).toBe(true);
    expect(targets.children).toHaveLength(0);
  });

  it('always calls the latest callback without re-initialising', async () => {
    const library = createFakePayrocLibrary();
    const first = vi.fn();
    const second = vi.fn();
    const view = renderStrict({ session: stateFor('tok_1', library.payroc), onSubmissionSuccess: first });
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
    view.rerender({ session: stateFor('tok_1', library.payroc), onSubmissionSuccess: second });

    act(() => library.instances[0]!.emit('submissionSuccess', { token: 'card_tok', expiresAt: '2030-01-01T00:00:00Z' }));
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledWith({ token: 'card_tok', expiresAt: '2030-01-01T00:00:00Z' });
    expect(library.instances).toHaveLength(1);
  });

  it('maps every library event to its typed callback', async () => {
    const library = createFakePayrocLibrary();
    const onFieldValidityChange = vi.fn();
    const onSurcharging = vi.fn();
    const onError = vi.fn();
    renderStrict({ session: stateFor('tok_1', library.payroc), onFieldValidityChange, onSurcharging, onError });
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
    const instance = library.instances[0]!;

    act(() => {
      instance.emit('fieldValidityChange', { field: 'cardNumber', validationError: 'Invalid card number' });
      instance.emit('surchargingAllowed', { percentage: 3, disclosure: 'A 3% surcharge applies' });
      instance.emit('surchargingNotAllowed', undefined);
      instance.emit('error', { type: 'submission', message: 'Declined' });
    });
    expect(onFieldValidityChange).toHaveBeenCalledWith({ field: 'cardNumber', validationError: 'Invalid card number' });
    expect(onSurcharging.mock.calls).toEqual([
      [{ allowed: true, percentage: 3, disclosure: 'A 3% surcharge applies' }],
      [{ allowed: false }],
    ]);
    const error = onError.mock.calls[0]![0] as HostedFieldsError;
    expect(isHostedFieldsError(error)).toBe(true);
    expect(error.kind).toBe('submission');
    // A declined submission leaves the form usable.
    expect(screen.getByRole('status')).toHaveTextContent('ready');
  });

  it('after a long stay on the receipt, "Pay again" uses the token the session refreshed to meanwhile', async () => {
    const { library, session, onReinitialize } = await checkoutAfterAPayment();
    expect(screen.getByRole('status')).toHaveTextContent('submitted');

    // The receipt stays on screen while the session renews its token in the background.
    session.refreshInBackground();
    session.respond();
    await act(async () => {});
    expect(library.instances).toHaveLength(1);
    expect(screen.getByRole('status')).toHaveTextContent('submitted');
    expect(screen.getByText('Paid with card_tok')).toBeInTheDocument();

    act(() => screen.getByRole('button', { name: 'Pay again' }).click());
    expect(screen.getByRole('status')).toHaveTextContent('initializing');
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
    // Let the session endpoint answer whatever it was still asked, and the fields settle.
    session.respondToAll();
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));

    expect(library.instances.map((instance) => instance.config.sessionToken)).toEqual(['tok_1', 'tok_2']);
    expect(onReinitialize).not.toHaveBeenCalled();
    expect(session.refresh).not.toHaveBeenCalled();
    expect(screen.getByRole('status')).toHaveTextContent('ready');
  });

  it('"Pay again" right after a payment waits for a new token instead of reusing the spent one', async () => {
    const { library, session, onReinitialize } = await checkoutAfterAPayment();

    act(() => screen.getByRole('button', { name: 'Pay again' }).click());
    expect(session.refresh).toHaveBeenCalledTimes(1);
    await act(async () => {});
    // The spent token's fields are taken down, and none are made with it again.
    expect(library.instances).toHaveLength(1);
    expect(library.instances[0]!.destroyed).toBe(true);
    expect(screen.queryByText('Paid with card_tok')).not.toBeInTheDocument();

    session.respond();
    expect(screen.getByRole('status')).toHaveTextContent('initializing');
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));

    expect(session.refresh).toHaveBeenCalledTimes(1);
    expect(library.instances.map((instance) => instance.config.sessionToken)).toEqual(['tok_1', 'tok_2']);
    expect(onReinitialize).not.toHaveBeenCalled();
  });

  it('reports a constructor error as a typed config error, without console noise', async () => {
    const library = createFakePayrocLibrary({ throwOnConstruct: 'Use wrapperTarget instead of wrapper' });
    const onError = vi.fn();
    renderStrict({ session: stateFor('tok_1', library.payroc), onError });
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('error'));
    expect(screen.getByRole('alert')).toHaveTextContent('Use wrapperTarget instead of wrapper');
    expect(onError).toHaveBeenCalledTimes(1);
    expect((onError.mock.calls[0]![0] as HostedFieldsError).kind).toBe('config');
  });

  it('rejects a selector that matches more than one element', async () => {
    const library = createFakePayrocLibrary();
    const extra = document.body.appendChild(document.createElement('div'));
    extra.id = 'card-number';
    try {
      renderStrict({ session: stateFor('tok_1', library.payroc) });
      await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('"#card-number" matches 2 elements'));
      expect(library.instances).toHaveLength(0);
    } finally {
      extra.remove();
    }
  });

  it('asks for a new session once when the token is rejected, then reports a second rejection', async () => {
    const library = createFakePayrocLibrary();
    library.usedTokens.add('tok_used').add('tok_used_too');
    const refresh = vi.fn();
    const onError = vi.fn();
    const view = renderStrict({ session: stateFor('tok_used', library.payroc, { refresh }), onError });
    await waitFor(() => expect(refresh).toHaveBeenCalledTimes(1));
    expect(onError).not.toHaveBeenCalled();

    view.rerender({ session: stateFor('tok_used_too', library.payroc, { refresh }), onError });
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('error'));
    expect(refresh).toHaveBeenCalledTimes(1);
    expect((onError.mock.calls[0]![0] as HostedFieldsError).kind).toBe('init');
  });

  it('shows the session error when no usable token can be had', () => {
    const library = createFakePayrocLibrary();
    renderStrict({
      session: stateFor(undefined, library.payroc, {
        status: 'error',
        error: Object.assign(new Error('Session endpoint failed'), { name: 'PayrocApiError' }) as never,
      }),
    });
    expect(screen.getByRole('status')).toHaveTextContent('error');
    expect(screen.getByRole('alert')).toHaveTextContent('Session endpoint failed');
  });

  it('keeps the instance through a token refresh while a submission is in flight, so the result is not lost', async () => {
    const library = createFakePayrocLibrary();
    const onSubmissionSuccess = vi.fn();
    const view = renderStrict({ session: stateFor('tok_1', library.payroc), onSubmissionSuccess });
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));

    // The customer presses Pay: the library calls onPreSubmit, then talks to the gateway.
    await act(async () => {
      await library.instances[0]!.config.onPreSubmit!();
    });
    // The scheduled refresh lands while the gateway has not answered yet.
    view.rerender({ session: stateFor('tok_2', library.payroc), onSubmissionSuccess });
    await act(async () => {});
    expect(library.instances).toHaveLength(1);
    expect(library.instances[0]!.destroyed).toBe(false);

    act(() => library.instances[0]!.emit('submissionSuccess', { token: 'card_tok', expiresAt: '2030-01-01T00:00:00Z' }));
    expect(onSubmissionSuccess).toHaveBeenCalledWith({ token: 'card_tok', expiresAt: '2030-01-01T00:00:00Z' });
    expect(screen.getByRole('status')).toHaveTextContent('submitted');
  });

  it('moves to the refreshed token when the held token expires and the library never answered the submission', async () => {
    useFakeClock();
    const library = createFakePayrocLibrary();
    const view = renderStrict({ session: stateFor('tok_1', library.payroc) });
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
    await act(async () => {
      await library.instances[0]!.config.onPreSubmit!();
    });
    // Five minutes into tok_1's ten, the session refreshes; the submission still holds the instance.
    await act(() => vi.advanceTimersByTimeAsync(5 * MIN));
    view.rerender({ session: stateFor('tok_2', library.payroc) });
    await act(() => vi.advanceTimersByTimeAsync(5 * MIN - 1_000));
    expect(library.instances).toHaveLength(1);
    expect(library.instances[0]!.destroyed).toBe(false);

    // tok_1 expires: no answer can come any more, so the fields move to tok_2 without waiting for a render.
    await act(() => vi.advanceTimersByTimeAsync(1_000));
    await waitFor(() => expect(library.instances).toHaveLength(2));
    expect(library.instances[0]!.destroyed).toBe(true);
    expect(library.instances[1]!.config.sessionToken).toBe('tok_2');
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
    expect(new Set(frames().map((frame) => frame.dataset.sessionToken))).toEqual(new Set(['tok_2']));
  });

  it('after the laptop slept past the held token\'s expiry, the next render moves to the new token', async () => {
    useFakeClock();
    const library = createFakePayrocLibrary();
    const view = renderStrict({ session: stateFor('tok_1', library.payroc) });
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
    await act(async () => {
      await library.instances[0]!.config.onPreSubmit!();
    });
    view.rerender({ session: stateFor('tok_2', library.payroc) });
    await act(async () => {});
    expect(library.instances).toHaveLength(1);

    // Sleep: the clock jumps 30 minutes and no timer fires; on waking the session hands over a fresh token.
    vi.setSystemTime(Date.now() + 30 * MIN);
    view.rerender({ session: stateFor('tok_3', library.payroc) });
    await waitFor(() => expect(library.instances).toHaveLength(2));
    expect(library.instances[0]!.destroyed).toBe(true);
    expect(library.instances[1]!.config.sessionToken).toBe('tok_3');
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
  });

  it('adopts the refreshed token once a submission fails', async () => {
    const library = createFakePayrocLibrary();
    const view = renderStrict({ session: stateFor('tok_1', library.payroc), onError: () => {} });
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
    await act(async () => {
      await library.instances[0]!.config.onPreSubmit!();
    });
    view.rerender({ session: stateFor('tok_2', library.payroc), onError: () => {} });
    await act(async () => {});
    expect(library.instances).toHaveLength(1);

    act(() => library.instances[0]!.emit('error', { type: 'submission', message: 'Declined' }));
    await waitFor(() => expect(library.instances).toHaveLength(2));
    expect(library.instances[0]!.destroyed).toBe(true);
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
  });
});
