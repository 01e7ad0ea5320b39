// The README's first-screen examples, type-checked by `npm run typecheck` so that they stay true.
// (Not a test file: nothing here runs.)
import { useHostedFields, useHostedFieldsSession } from 'payroc-hosted-fields';
import { createPayrocClient, createSessionHandler, toNodeHandler } from 'payroc-hosted-fields/server';
import { createPayrocEmulator, DEFAULT_EMULATOR_API_KEY } from 'payroc-hosted-fields/testing';

// Server (Next.js App Router route)
const client = createPayrocClient({ apiKey: process.env.PAYROC_API_KEY!, environment: 'test' });
export const POST = createSessionHandler({ client, processingTerminalId: process.env.PAYROC_TERMINAL_ID! });
export const expressRoute = toNodeHandler(POST);

// React
export function CardForm({ onToken }: { onToken: (token: string) => void }) {
  const session = useHostedFieldsSession({ endpoint: '/api/hosted-fields-session', scenario: 'payment', environment: 'test' });
  const form = useHostedFields({
    session,
    fields: { card: { cardNumber: { target: '#card-number' }, expiryDate: { target: '#expiry' },
      cvv: { target: '#cvv', wrapperTarget: false }, submit: { target: '#submit', value: 'Pay' } } },
    onSubmissionSuccess: ({ token }) => onToken(token),
  });
  return (
    <div aria-busy={form.status !== 'ready'}>
      {form.status === 'reinitializing' && <p>Your session was renewed: please enter your card again.</p>}
      {form.error && <p role="alert">{form.error.message}</p>}
      <div id="card-number" /> <div id="expiry" /> <div id="cvv" /> <div id="submit" />
    </div>
  );
}

// Testing
export async function emulatorExample(): Promise<void> {
  const emulator = createPayrocEmulator({ sessionTtlMs: 5_000 });
  await emulator.listen();
  const payroc = createPayrocClient({
    apiKey: DEFAULT_EMULATOR_API_KEY,
    environment: 'test',
    identityUrl: emulator.identityUrl,
    apiUrl: emulator.apiUrl,
  });
  emulator.injectFault({ route: 'sessions', status: 503, times: 2 });
  await payroc.createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' });
  await emulator.close();
}
