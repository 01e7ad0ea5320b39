// The whole browser side as a merchant wires it: useHostedFieldsSession feeding useHostedFields.
import { act, render, screen, waitFor } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { StrictMode } from 'react';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { useHostedFields } from '../../src/react/useHostedFields';
import { useHostedFieldsSession } from '../../src/react/useHostedFieldsSession';
import { createFakePayrocLibrary } from '../support/fakePayrocLibrary';
import { createSessionEndpoint, ENDPOINT, LIB_VERSION } from './support/sessionEndpoint';
import { hostScripts, uniqueScripts } from './support/scriptHost';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
let endpoint: ReturnType<typeof createSessionEndpoint>;
let library: ReturnType<typeof createFakePayrocLibrary>;
let host: ReturnType<typeof hostScripts>;
beforeEach(() => {
  delete window.Payroc;
  endpoint = createSessionEndpoint();
  server.use(endpoint.handler);
  library = createFakePayrocLibrary();
  host = hostScripts(library.payroc);
  renewals.length = 0;
});
afterEach(() => {
  host.stop();
  server.resetHandlers();
  vi.useRealTimers();
});

/** A merchant's checkout: the session lives in the page; the card form is a child it can hide, show or switch off. */
interface PageProps {
  scripts: ReturnType<typeof uniqueScripts>;
  showForm: boolean;
  enabled: boolean;
  /** The page's own message, rendered by React inside the card number's errorTarget. */
  message?: string;
}
const renewals: string[] = [];
function Page({ scripts, showForm, enabled, message }: PageProps) {
  const session = useHostedFieldsSession({ endpoint: ENDPOINT, scenario: 'payment', environment: 'test', scripts });
  return showForm ? <CardForm session={session} enabled={enabled} message={message} /> : <p role="status">hidden</p>;
}
function CardForm({ session, enabled, message }: { session: ReturnType<typeof useHostedFieldsSession>; enabled: boolean; message?: string | undefined }) {
  const fields = useHostedFields({
    session,
    enabled,
    onReinitialize: () => renewals.push('renewed'),
    fields: {
      card: {
        cardNumber: { target: '#card-number', errorTarget: '#card-number-error' },
        expiryDate: { target: '#expiry' },
        cvv: { target: '#cvv', wrapperTarget: false },
        submit: { target: '#submit', value: 'Pay' },
      },
    },
  });
  return (
    <form>
      <p role="status">{fields.status}</p>
      <div id="card-number" />
      <p id="card-number-error">Card: {message && <span>{message}</span>}</p>
      <div id="expiry" />
      <div id="cvv" />
      <div id="submit" />
    </form>
  );
}

it('shows one card form for one token, and replaces it once when the session is refreshed', async () => {
  vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  render(<Page scripts={uniqueScripts(LIB_VERSION)} showForm enabled />, { wrapper: StrictMode });
  await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
  expect(library.instances.map((i) => i.config.sessionToken)).toEqual(['tok_1']);
  expect(library.instances[0]!.initializeCalls).toBe(1);
  expect(document.querySelectorAll('iframe')).toHaveLength(4);

  await act(() => vi.advanceTimersByTimeAsync(9 * 60_000));
  await waitFor(() => expect(library.instances).toHaveLength(2));
  await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
  expect(library.instances.map((i) => [i.config.sessionToken, i.destroyed])).toEqual([
    ['tok_1', true],
    ['tok_2', false],
  ]);
  expect(new Set([...document.querySelectorAll('iframe')].map((f) => f.dataset.sessionToken))).toEqual(new Set(['tok_2']));
  expect(endpoint.requests).toHaveLength(2);
});

it.each([
  ['the card form is shown again (a remounted child)', { showForm: false, enabled: true }],
  ['useHostedFields is switched off and on again', { showForm: true, enabled: false }],
])('creates the next form with a new token when %s, never again with the spent one', async (_, off) => {
  const scripts = uniqueScripts(LIB_VERSION);
  const view = render(<Page scripts={scripts} showForm enabled />, { wrapper: StrictMode });
  await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
  view.rerender(<Page scripts={scripts} {...off} />);
  await waitFor(() => expect(library.instances[0]!.destroyed).toBe(true));
  expect(document.querySelectorAll('iframe')).toHaveLength(0);

  view.rerender(<Page scripts={scripts} showForm enabled />);
  await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
  // tok_1 was spent by the first form: the library is never handed it again, a fresh session is fetched instead.
  expect(library.instances.map((instance) => instance.config.sessionToken)).toEqual(['tok_1', 'tok_2']);
  expect(endpoint.issued).toEqual(['tok_1', 'tok_2']);
  expect(new Set([...document.querySelectorAll('iframe')].map((frame) => frame.dataset.sessionToken))).toEqual(new Set(['tok_2']));
  // The customer sees a fresh form, not a "session renewed, enter your card again" notice.
  expect(renewals).toEqual([]);
  expect(library.instances.every((instance) => instance.initializeCalls === 1)).toBe(true);
});

it("leaves an errorTarget's content alone, so the page's own (React) content in it keeps working", async () => {
  vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  const scripts = uniqueScripts(LIB_VERSION);
  const view = render(<Page scripts={scripts} showForm enabled />, { wrapper: StrictMode });
  await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
  // The page shows its own message once the form is up (nodes the form's teardown must not take for the library's).
  view.rerender(<Page scripts={scripts} showForm enabled message="check the number" />);

  // The session is renewed: the form is re-created, and the message React rendered in the errorTarget is still React's.
  await act(() => vi.advanceTimersByTimeAsync(9 * 60_000));
  await waitFor(() => expect(library.instances).toHaveLength(2));
  await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
  expect(document.querySelector('#card-number-error')).toHaveTextContent('Card: check the number');
  view.rerender(<Page scripts={scripts} showForm enabled message="second" />);
  expect(document.querySelector('#card-number-error')).toHaveTextContent('Card: second');
  view.rerender(<Page scripts={scripts} showForm enabled />);
  expect(document.querySelector('#card-number-error')!.textContent).toBe('Card: ');
});
