import { useEffect, useState } from 'react';
import {
  useHostedFields,
  useHostedFieldsSession,
  type HostedFieldsEnvironment,
  type HostedFieldsScript,
} from 'payroc-hosted-fields';

/** What the demo server tells the page: which Payroc it talks to, and (emulator) where the stand-in script is. */
export interface DemoConfig {
  mode: 'emulator' | 'payroc';
  environment: HostedFieldsEnvironment;
  scripts?: Partial<Record<HostedFieldsEnvironment, HostedFieldsScript>>;
  refreshBeforeExpiryMs?: number;
}

interface LogEntry {
  at: string;
  text: string;
}

export function Checkout({ config, nonce }: { config: DemoConfig; nonce: string | undefined }) {
  const [log, setLog] = useState<LogEntry[]>([]);
  const note = (text: string) => setLog((entries) => [{ at: new Date().toLocaleTimeString(), text }, ...entries].slice(0, 12));

  const hf = useHostedFieldsSession({
    endpoint: '/api/hosted-fields-session',
    scenario: 'payment',
    environment: config.environment,
    ...(config.scripts && { scripts: config.scripts }),
    ...(config.refreshBeforeExpiryMs !== undefined && { refreshBeforeExpiryMs: config.refreshBeforeExpiryMs }),
    ...(nonce && { scriptAttributes: { nonce } }),
  });

  const fields = useHostedFields({
    session: hf,
    fields: {
      card: {
        cardholderName: { target: '#cardholder-name', placeholder: 'Name on card' },
        cardNumber: { target: '#card-number', errorTarget: '#card-number-error', placeholder: '4111 1111 1111 1111' },
        expiryDate: { target: '#expiry-date', errorTarget: '#expiry-date-error', placeholder: 'MM/YY' },
        cvv: { target: '#cvv', errorTarget: '#cvv-error', wrapperTarget: false, placeholder: 'CVV' },
        submit: { target: '#submit', value: 'Pay $25.00' },
      },
    },
    onSubmissionSuccess: ({ token }) => note(`submissionSuccess: single-use token ${token}`),
    onError: (error) => note(`error (${error.kind}): ${error.message}`),
    onFieldValidityChange: ({ field, validationError }) =>
      note(`${field}: ${validationError ? validationError : 'valid'}`),
    onSurcharging: (surcharging) => note(surcharging.allowed ? `surcharge ${surcharging.percentage}%` : 'no surcharge'),
    onReinitialize: () => note('session renewed: card fields re-created'),
  });

  const lastToken = hf.session?.token;
  useEffect(() => {
    if (lastToken) note(`session ${shorten(lastToken)} ready`);
  }, [lastToken]);

  useEverySecond();
  const expiresIn = formatRemaining(hf.expiresInMs);

  return (
    <main>
      <header>
        <h1>Demo checkout</h1>
        <span className={`badge ${config.mode}`}>
          {config.mode === 'emulator' ? 'Payroc emulator (offline)' : `Payroc ${config.environment}`}
        </span>
      </header>

      <section aria-labelledby="session-heading" className="panel">
        <h2 id="session-heading">Session</h2>
        <dl>
          <dt>Status</dt>
          <dd>
            <span className={`status ${hf.status}`} data-testid="session-status">
              {hf.status}
            </span>
          </dd>
          <dt>Expires in</dt>
          <dd data-testid="expires-in">{hf.session ? expiresIn : '—'}</dd>
          <dt>Token</dt>
          <dd>
            <code data-testid="session-token">{hf.session ? shorten(hf.session.token) : '—'}</code>
          </dd>
          <dt>Script</dt>
          <dd data-testid="script-status">
            {hf.session ? `Hosted Fields ${hf.session.libVersion}` : 'Hosted Fields'} · {hf.scriptStatus}
          </dd>
        </dl>
        <button type="button" onClick={() => void hf.refresh()}>
          New session
        </button>
      </section>

      {hf.error && (
        <div role="alert" className="alert">
          <strong>{hf.error.title}</strong>
          <p>{hf.error.detail ?? hf.error.message}</p>
          <button type="button" onClick={() => void hf.refresh()}>
            Try again
          </button>
        </div>
      )}

      <section aria-labelledby="card-heading" className="panel">
        <h2 id="card-heading">Card details</h2>
        <p className="fields-status" data-testid="fields-status">
          Card form: {fields.status}
        </p>
        {fields.status === 'reinitializing' && (
          <p role="status" className="notice">
            Your secure session was renewed. Please enter your card details again.
          </p>
        )}
        {fields.error && fields.error !== hf.error && (
          <div role="alert" className="alert">
            <strong>{fields.error.title}</strong>
            <p>{fields.error.message}</p>
          </div>
        )}
        <form
          className={fields.status === 'ready' || fields.status === 'reinitializing' ? '' : 'inactive'}
          aria-busy={fields.status === 'initializing' || fields.status === 'reinitializing'}
          onSubmit={(event) => event.preventDefault()}
        >
          {/* The library writes its messages into the *-error elements; keyed by the token, each new form starts clean. */}
          <label htmlFor="cardholder-name">Cardholder name</label>
          <div id="cardholder-name" className="field" />
          <label htmlFor="card-number">Card number</label>
          <div id="card-number" className="field" />
          <p id="card-number-error" className="field-error" key={hf.session?.token} />
          <div className="row">
            <div>
              <label htmlFor="expiry-date">Expiry</label>
              <div id="expiry-date" className="field" />
              <p id="expiry-date-error" className="field-error" key={hf.session?.token} />
            </div>
            <div>
              <label htmlFor="cvv">CVV</label>
              <div id="cvv" className="field" />
              <p id="cvv-error" className="field-error" key={hf.session?.token} />
            </div>
          </div>
          <div id="submit" className="submit" />
        </form>
        {config.mode === 'emulator' && (
          <p className="hint">Test card: 4111 1111 1111 1111, any future expiry date, CVV 123.</p>
        )}
      </section>

      {fields.submission && (
        <section aria-labelledby="result-heading" className="panel result">
          <h2 id="result-heading">Payment details accepted</h2>
          <p>
            Single-use token: <code data-testid="payment-token">{fields.submission.token}</code>
          </p>
          <p className="hint">
            Your server would now run the sale with this token, before{' '}
            {new Date(fields.submission.expiresAt).toLocaleTimeString()}.
          </p>
          <button type="button" onClick={fields.reset}>
            Pay again
          </button>
        </section>
      )}

      <section aria-labelledby="log-heading" className="panel log">
        <h2 id="log-heading">Events</h2>
        <ol>
          {log.map((entry, index) => (
            <li key={`${entry.at}-${index}`}>
              <time>{entry.at}</time> {entry.text}
            </li>
          ))}
        </ol>
      </section>
    </main>
  );
}

function shorten(token: string): string {
  return token.length > 14 ? `${token.slice(0, 6)}…${token.slice(-6)}` : token;
}

/** Re-renders every second, so the hook's `expiresInMs` (computed at render) counts down. */
function useEverySecond(): void {
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
}

function formatRemaining(ms: number | undefined): string {
  if (ms === undefined) return '—';
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
