import type { Meta, StoryObj } from '@storybook/react-vite';
import type { RequestHandler } from 'msw';
import type { MswParameters } from '../.storybook/preview';
import type { HostedFieldsScript } from '../src/index';
import { standInScriptBlocked, standInScriptRecord, standInScriptServed } from './hostedFieldsScript';
import { SessionPanel } from './SessionPanel';
import { SESSION_ENDPOINT, sessionNeverAnswers, sessionProblem, sessionReply } from './sessionEndpoint';

/** The requests a story answers (see .storybook/preview.ts): every other request goes to Storybook's server. */
const network = (...handlers: RequestHandler[]): { msw: MswParameters } => ({ msw: { handlers } });

const meta = {
  title: 'useHostedFieldsSession',
  component: SessionPanel,
  args: { endpoint: SESSION_ENDPOINT, scenario: 'payment', environment: 'test' },
  loaders: [async ({ id }) => ({ scripts: { test: await standInScriptRecord(id) } })],
  render: (args, { loaded }) => (
    <SessionPanel {...args} scripts={loaded.scripts as Partial<Record<'test', HostedFieldsScript>>} />
  ),
} satisfies Meta<typeof SessionPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

/**
 * The session request is on its way (this endpoint never answers); the script has loaded in parallel. After the
 * default fetcher's 15 s timeout and its retries, the story ends in a PayrocTimeoutError.
 */
export const Loading: Story = {
  parameters: network(sessionNeverAnswers(), standInScriptServed()),
};

/** A valid session and the matching script: Hosted Fields can be initialised. */
export const Ready: Story = {
  parameters: network(sessionReply(), standInScriptServed()),
};

/**
 * The next session is being fetched while the current token still works: the form stays usable. Here each token lives
 * 8 s and its successor is asked for 4 s before expiry, from an endpoint that then takes 2.5 s to answer.
 */
export const Refreshing: Story = {
  args: { refreshBeforeExpiryMs: 4_000 },
  parameters: network(
    sessionReply({ lifetimeMs: 8_000, once: true }),
    sessionReply({ lifetimeMs: 8_000, delayMs: 2_500 }),
    standInScriptServed(),
  ),
};

/**
 * The laptop slept past `expiresAt` and the network is slow to come back: the expired token is withdrawn at once
 * (`session` is `undefined`, `status` is `loading`) until a new one arrives. Here the first session lives one second
 * and the next one takes 5 s.
 */
export const ExpiredAfterSleep: Story = {
  name: 'Expired after sleep',
  parameters: network(sessionReply({ lifetimeMs: 1_000, once: true }), sessionReply({ delayMs: 5_000 }), standInScriptServed()),
};

/**
 * Your endpoint answered with an RFC 7807 problem: Payroc was busy, so the server handler sent a 503 with
 * `Retry-After`. The hook tries again a few times, as told, then shows it as a typed error.
 */
export const EndpointError: Story = {
  parameters: network(
    sessionProblem({
      status: 503,
      code: 'payroc-unavailable',
      title: 'Service Unavailable',
      detail: 'Payroc is busy; try again later',
      headers: { 'retry-after': '1' },
    }),
    standInScriptServed(),
  ),
};

/**
 * A content blocker (or an unreachable CDN) stops the Hosted Fields script. The loader tries three times, a second
 * apart, then reports a HostedFieldsScriptError; "Try again" loads it afresh.
 */
export const ScriptBlocked: Story = {
  parameters: network(sessionReply(), standInScriptBlocked()),
};
