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
});
afterEach(() => {
  host.stop();
  server.resetHandlers();
  vi.useRealTimers();
});

function Checkout({ scripts }: { scripts: ReturnType<typeof uniqueScripts> }) {
  const session = useHostedFieldsSession({ endpoint: ENDPOINT, scenario: 'payment', environment: 'test', scripts });
  const fields = useHostedFields({
    session,
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
    <form>
      <p role="status">{fields.status}</p>
      <div id="card-number" />
      <div id="expiry" />
      <div id="cvv" />
      <div id="submit" />
    </form>
  );
}

it('shows one card form for one token, and replaces it once when the session is refreshed', async () => {
  vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  render(<Checkout scripts={uniqueScripts(LIB_VERSION)} />, { wrapper: StrictMode });
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

/** The session lives in the page; the card form is a child the page can hide, show or switch off. */
function Page({ scripts, showForm, enabled }: { scripts: ReturnType<typeof uniqueScripts>; showForm: boolean; enabled: boolean }) {
  const session = useHostedFieldsSession({ endpoint: ENDPOINT, scenario: 'payment', environment: 'test', scripts });
  return showForm ? <CardForm session={session} enabled={enabled} /> : <p role="status">hidden</p>;
}
function CardForm({ session, enabled }: { session: ReturnType<typeof useHostedFieldsSession>; enabled: boolean }) {
  const fields = useHostedFields({
    session,
    enabled,
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
      <p id="card-number-error" />
      <div id="expiry" />
      <div id="cvv" />
      <div id="submit" />
    </form>
  );
}

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
});

it("clears the library's message under a field when the form is re-created for a new token", async () => {
  vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  render(<Page scripts={uniqueScripts(LIB_VERSION)} showForm enabled />, { wrapper: StrictMode });
  await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
  // What the library does when the customer types half a card number: a message in the field's errorTarget.
  document.querySelector('#card-number-error')!.textContent = 'Invalid card number';

  await act(() => vi.advanceTimersByTimeAsync(9 * 60_000));
  await waitFor(() => expect(library.instances).toHaveLength(2));
  await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('ready'));
  expect(document.querySelector('#card-number-error')!.textContent).toBe('');
});
