// What a merchant's checkout shows for each state of useHostedFieldsSession. The stories run the real hook with its
// default fetcher; msw answers the session endpoint and the Hosted Fields script, so that Storybook runs offline.
import { useEffect, useState } from 'react';
import { useHostedFieldsSession, type UseHostedFieldsSessionOptions } from '../src/index';

const LABEL = {
  loading: 'Getting a secure session…',
  ready: 'Ready: enter your card details',
  refreshing: 'Renewing the secure session…',
  error: 'The card form is unavailable',
} as const;

const COLOR = { loading: '#555', ready: '#13795b', refreshing: '#9a6700', error: '#b42318' } as const;

/** The hook's options with an `endpoint` (the stories' msw answers it through the default fetcher). */
export type SessionPanelProps = Extract<UseHostedFieldsSessionOptions, { endpoint: string }>;

/**
 * A card form's frame around {@link useHostedFieldsSession}: the status line a customer reads, the hook's fields, and
 * "New session" / "Try again".
 *
 * @example
 * <SessionPanel endpoint="/api/hosted-fields-session" scenario="payment" environment="test" />
 */
export function SessionPanel(options: SessionPanelProps) {
  const hf = useHostedFieldsSession(options);
  const [everHadSession, setEverHadSession] = useState(false);
  useEffect(() => {
    if (hf.session) setEverHadSession(true);
  }, [hf.session]);
  useEverySecond();

  const expired = hf.status === 'loading' && everHadSession && !hf.session;
  return (
    <section style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 420, border: '1px solid #ddd', borderRadius: 8, padding: 16 }}>
      <h2 style={{ margin: '0 0 8px', fontSize: 18 }}>Card details</h2>
      <p role="status" style={{ color: COLOR[hf.status], fontWeight: 600, margin: '0 0 12px' }} data-status={hf.status}>
        {expired ? 'Your session expired: getting a new one…' : LABEL[hf.status]}
      </p>
      <dl style={{ display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '4px 12px', margin: 0, fontSize: 14 }}>
        <dt>status</dt>
        <dd style={{ margin: 0 }}>
          <code>{hf.status}</code>
        </dd>
        <dt>script</dt>
        <dd style={{ margin: 0 }}>
          <code>{hf.scriptStatus}</code>
        </dd>
        <dt>token</dt>
        <dd style={{ margin: 0 }}>
          <code>{hf.session ? hf.session.token : '—'}</code>
        </dd>
        <dt>expires in</dt>
        <dd style={{ margin: 0 }}>{hf.expiresInMs === undefined ? '—' : `${Math.ceil(hf.expiresInMs / 1000)} s`}</dd>
      </dl>
      {hf.error && (
        <div role="alert" style={{ marginTop: 12, padding: 12, background: '#fef3f2', borderRadius: 6 }}>
          <strong>{hf.error.title}</strong>
          <p style={{ margin: '4px 0 8px' }}>{hf.error.detail ?? hf.error.message}</p>
          <code style={{ fontSize: 12 }}>{hf.error.name}</code>
        </div>
      )}
      <button type="button" style={{ marginTop: 12 }} onClick={() => void hf.refresh()}>
        {hf.error ? 'Try again' : 'New session'}
      </button>
    </section>
  );
}

function useEverySecond() {
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
}
