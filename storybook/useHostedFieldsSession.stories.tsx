import type { Meta, StoryObj } from '@storybook/react-vite';
import {
  fetchHostedFieldsSession,
  HOSTED_FIELDS_SCRIPTS,
  type FetchHostedFieldsSession,
  type HostedFieldsScript,
  type HostedFieldsSession,
} from '../src/index';
import { SessionPanel } from './SessionPanel';

const LIB_VERSION = HOSTED_FIELDS_SCRIPTS.test.libVersion;

/**
 * A stand-in for the Hosted Fields script, so the stories run offline: a data: URL that defines window.Payroc.
 * (`integrity` is empty: a data: URL has nothing to pin.) The query string makes each story's URL unique, since the
 * loader remembers one promise per URL for the page's lifetime.
 */
const standInScript = (name: string, body = 'window.Payroc={hostedFields:class HostedFields{}}'): Partial<Record<'test', HostedFieldsScript>> => ({
  test: { url: `data:text/javascript,${encodeURIComponent(`${body};//${name}`)}`, libVersion: LIB_VERSION, integrity: '' },
});

const sessionFor = (lifetimeMs: number): HostedFieldsSession => {
  const now = Date.now();
  return {
    processingTerminalId: '1234001',
    token: `tok_${Math.random().toString(36).slice(2, 10)}`,
    expiresAt: new Date(now + lifetimeMs).toISOString(),
    serverTime: new Date(now).toISOString(),
    libVersion: LIB_VERSION,
    environment: 'test',
  };
};

/** A backend that never answers (until the story is left, when the hook aborts it). */
const never = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));

/**
 * Replies at once with a session of the given lifetime, then leaves the next requests hanging for a few seconds (a
 * backend gone slow), so the story holds the state it shows; coming back to the story later starts afresh.
 */
const backend = (lifetimeMs: number): FetchHostedFieldsSession => {
  let lastReply = 0;
  return (_request, { signal }) => {
    if (Date.now() - lastReply < 5_000) return never(signal);
    lastReply = Date.now();
    return Promise.resolve(sessionFor(lifetimeMs));
  };
};

const meta = {
  title: 'useHostedFieldsSession',
  component: SessionPanel,
  args: { scenario: 'payment', environment: 'test' },
} satisfies Meta<typeof SessionPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The session request is on its way; the script loads in parallel because `environment` is given. */
export const Loading: Story = {
  args: { fetchSession: (_request, { signal }) => never(signal), scripts: standInScript('loading') },
};

/** A valid session and the matching script: Hosted Fields can be initialised. */
export const Ready: Story = {
  args: { fetchSession: () => Promise.resolve(sessionFor(10 * 60_000)), scripts: standInScript('ready') },
};

/** The next session is being fetched while the current token still works: the form stays usable. */
export const Refreshing: Story = {
  args: { fetchSession: backend(10 * 60_000), scripts: standInScript('refreshing'), refreshOnceReady: true },
};

/**
 * The laptop slept past `expiresAt` and the network is slow to come back: the expired token is withdrawn at once
 * (`session` is `undefined`, `status` is `loading`) while a new one is fetched. Here the first session lives one second.
 */
export const ExpiredAfterSleep: Story = {
  name: 'Expired after sleep',
  args: { fetchSession: backend(1_000), scripts: standInScript('expired') },
};

/** Your endpoint answered with an RFC 7807 problem (here a 403 from the server helper), shown as a typed error. */
export const EndpointError: Story = {
  args: {
    scripts: standInScript('endpoint-error'),
    fetchSession: (request, { signal }) =>
      fetchHostedFieldsSession(request, {
        endpoint: '/api/hosted-fields-session',
        signal,
        fetch: () =>
          Promise.resolve(
            new Response(
              JSON.stringify({
                type: 'https://docs.payroc.com/api/errors#forbidden',
                title: 'Forbidden',
                status: 403,
                detail: 'The API key may not use processing terminal 1234001.',
              }),
              { status: 403, headers: { 'content-type': 'application/problem+json' } },
            ),
          ),
      }),
  },
};

/**
 * A content blocker replaced the Hosted Fields script with an empty stub, so `window.Payroc` never appears. The loader
 * tries three times, a second apart, then reports a HostedFieldsScriptError; "Try again" loads it afresh.
 */
export const ScriptBlocked: Story = {
  args: { fetchSession: backend(10 * 60_000), scripts: standInScript('blocked', 'delete window.Payroc') },
};
