'use client';
import { useEffect, useRef, useState } from 'react';
import type { PayrocError } from '../core/errors/PayrocError';
import type { HostedFieldsError } from '../core/errors/HostedFieldsError';
import { isSpentToken, mountHostedFields } from '../core/mountHostedFields';
import type {
  HostedFieldsConfig,
  HostedFieldsFieldValidityChange,
  HostedFieldsSubmissionSuccess,
  HostedFieldsSurchargingAllowed,
  PayrocGlobal,
} from '../core/payrocGlobal';
import type { HostedFieldsScenario, HostedFieldsSession } from '../core/types';

/**
 * What {@link useHostedFields} needs from the session: the result of `useHostedFieldsSession`.
 *
 * @example
 * const session: HostedFieldsSessionState = useHostedFieldsSession({ endpoint: '/api/hosted-fields-session', scenario: 'payment' });
 */
export interface HostedFieldsSessionState {
  /** A session token that is still valid, or `undefined`. */
  session: HostedFieldsSession | undefined;
  /** `window.Payroc` once the matching script has loaded. */
  payroc: PayrocGlobal | null | undefined;
  scenario: HostedFieldsScenario;
  status: 'loading' | 'ready' | 'refreshing' | 'error';
  error: PayrocError | null | undefined;
  /** Fetches a new session token. */
  refresh: () => unknown;
  /** Milliseconds the token has left (on the server's clock); else `session.expiresAt` is used. */
  expiresInMs?: number | undefined;
}

/**
 * Options of {@link useHostedFields}: the session, the library's own options (without `sessionToken` and `mode`, which
 * come from the session), and one callback per event the library emits.
 *
 * @example
 * const options: UseHostedFieldsOptions = {
 *   session,
 *   fields: { card: { cardNumber: { target: '#card-number' }, expiryDate: { target: '#expiry' }, submit: { target: '#submit' } } },
 *   onSubmissionSuccess: ({ token }) => pay(token),
 * };
 */
export interface UseHostedFieldsOptions extends Omit<HostedFieldsConfig, 'sessionToken' | 'mode'> {
  session: HostedFieldsSessionState;
  /** Set `false` to take the fields down (and not create new ones). Default `true`. */
  enabled?: boolean;
  /** The customer's card was accepted: `token` is the single-use token to charge or save on your server. */
  onSubmissionSuccess?: (result: HostedFieldsSubmissionSuccess) => void;
  /** Every error: the library's `error` events and failures to start, as {@link HostedFieldsError}. */
  onError?: (error: HostedFieldsError) => void;
  onFieldValidityChange?: (change: HostedFieldsFieldValidityChange) => void;
  /** Surcharging applies (`allowed`, with the percentage and disclosure to show) or not, once the card is known. */
  onSurcharging?: (surcharging: ({ allowed: true } & HostedFieldsSurchargingAllowed) | { allowed: false }) => void;
  /**
   * The session token was replaced (it was about to expire), so the fields are being created again and whatever the
   * customer typed is gone: a good moment to say so.
   */
  onReinitialize?: () => void;
}

/**
 * `idle` (no session or script yet), `initializing`, `ready`, `reinitializing` (a new session token replaces the old
 * one), `submitted` (after `submissionSuccess`; no new instance until `reset()`), or `error`.
 *
 * @example
 * const disabled: boolean = fields.status !== 'ready';
 */
export type HostedFieldsStatus = 'idle' | 'initializing' | 'ready' | 'reinitializing' | 'submitted' | 'error';

/**
 * What {@link useHostedFields} returns.
 *
 * @example
 * const { status, error, submission, reset } = useHostedFields(options);
 */
export interface UseHostedFieldsResult {
  status: HostedFieldsStatus;
  /** Why `status` is `error`: the session's error when it has one (no usable token or script), else the fields' own. */
  error: PayrocError | undefined;
  /** The result of the last successful submission, until `reset()`. */
  submission: HostedFieldsSubmissionSuccess | undefined;
  /** After a submission: forget it and create fresh fields (e.g. "pay again") with an unused session token. */
  reset: () => void;
}

/** The instance for one token; `replacing` when it took over from an instance for an earlier token. */
type Phase = {
  status: 'initializing' | 'ready' | 'error';
  token: string;
  replacing: boolean;
  error: HostedFieldsError | undefined;
};

/**
 * Runs Payroc Hosted Fields for you: one instance per session token, created only when the matching script is loaded
 * and every target element exists, `initialize()` called once (also under StrictMode), `destroy()` and iframe removal
 * on a new token and on unmount, and typed callbacks for the events the library really emits. Callbacks can change
 * on every render without re-creating the fields.
 *
 * @example
 * function Checkout() {
 *   const session = useHostedFieldsSession({ endpoint: '/api/hosted-fields-session', scenario: 'payment', environment: 'test' });
 *   const fields = useHostedFields({
 *     session,
 *     fields: {
 *       card: {
 *         cardNumber: { target: '#card-number' },
 *         expiryDate: { target: '#expiry' },
 *         cvv: { target: '#cvv', wrapperTarget: false },
 *         submit: { target: '#submit', value: 'Pay' },
 *       },
 *     },
 *     onSubmissionSuccess: ({ token }) => fetch('/api/pay', { method: 'POST', body: JSON.stringify({ token }) }),
 *   });
 *   return (
 *     <form>
 *       {fields.status === 'reinitializing' && <p>Your session was renewed: please enter your card again.</p>}
 *       <div id="card-number" /> <div id="expiry" /> <div id="cvv" /> <div id="submit" />
 *     </form>
 *   );
 * }
 */
export function useHostedFields(options: UseHostedFieldsOptions): UseHostedFieldsResult {
  const { session: source, enabled = true } = options;
  const latest = useRef(options);
  latest.current = options;

  const [phase, setPhase] = useState<Phase>();
  const [submission, setSubmission] = useState<{ result: HostedFieldsSubmissionSuccess; sessionToken: string }>();
  // A token that was submitted with is spent: after reset() the fields wait for the next one.
  const spentToken = useRef<string>(undefined);
  const mountedToken = useRef<string>(undefined);
  // A rejected token (expired after the machine slept, or already used) gets one automatic new session; a second
  // rejection in a row is reported, so that a permanent fault (a version mismatch) cannot loop.
  const initFailures = useRef(0);

  // While the customer's submission is in flight, a refreshed token must not replace the instance: destroying it would
  // drop the library's submissionSuccess, and with it the card token. The old token still works until it expires.
  const [submitting, setSubmitting] = useState<{ token: string; until: number }>();
  const holding = submitting && Date.now() < submitting.until ? submitting.token : undefined;
  useEffect(() => {
    if (!submitting) return;
    // Called with no argument: the hold ends when the held token expires.
    const timer = setTimeout(setSubmitting, submitting.until - Date.now());
    return () => clearTimeout(timer);
  }, [submitting]);
  const sessionToken = source.session?.token;
  // After a submission the instance stays as it is: a refreshed session token must not wipe the success state.
  const token = submission
    ? submission.sessionToken
    : (holding ?? (sessionToken === spentToken.current ? undefined : sessionToken));
  const payroc = source.payroc;

  useEffect(() => {
    // Switched off, the form is gone: the next one is a fresh form, not a replacement the customer must be told about.
    if (!enabled) mountedToken.current = undefined;
    if (!enabled || !token || !payroc) return;
    // A token an earlier form spent (this one before it was switched off, or a form whose component remounted) cannot
    // serve another: wait for a new one, without telling the customer anything was renewed.
    if (isSpentToken(payroc, token)) {
      setPhase(undefined);
      return void latest.current.session.refresh();
    }
    let live = true;
    const replacing = mountedToken.current !== undefined && mountedToken.current !== token;
    mountedToken.current = token;
    if (replacing) latest.current.onReinitialize?.();
    const set = (status: Phase['status'], error?: HostedFieldsError) =>
      live && setPhase({ status, token, replacing, error });
    set('initializing');
    const { session, fields, styles, locale } = latest.current;
    const until = Date.now() + (session.expiresInMs ?? Date.parse(session.session?.expiresAt ?? '') - Date.now());
    const mounted = mountHostedFields({
      payroc,
      config: {
        sessionToken: token,
        mode: session.scenario,
        fields,
        ...(styles && { styles }),
        ...(locale && { locale }),
        // Always wrapped, so that the hook knows when a submission starts.
        onPreSubmit: async () => {
          const proceed = (await latest.current.onPreSubmit?.()) ?? true;
          if (proceed !== false && live) setSubmitting({ token, until });
          return proceed;
        },
      },
      // Never called after unmount(), so no `live` check.
      emit: (event, payload) => {
        const handlers = latest.current;
        if (event === 'submissionSuccess') {
          const result = payload as HostedFieldsSubmissionSuccess;
          setSubmission({ result, sessionToken: token });
          setSubmitting(undefined);
          handlers.onSubmissionSuccess?.(result);
        } else if (event === 'error') {
          const error = payload as HostedFieldsError;
          // A config or init error after start-up ends this instance; a declined or invalid card ends the submission.
          if (error.kind === 'config' || error.kind === 'init') set('error', error);
          else setSubmitting(undefined);
          handlers.onError?.(error);
        } else if (event === 'fieldValidityChange') {
          handlers.onFieldValidityChange?.(payload as HostedFieldsFieldValidityChange);
        } else {
          const allowed = event === 'surchargingAllowed';
          handlers.onSurcharging?.(allowed ? { allowed, ...(payload as HostedFieldsSurchargingAllowed) } : { allowed });
        }
      },
    });
    mounted.ready.then(
      () => {
        initFailures.current = 0;
        set('ready');
      },
      (error: HostedFieldsError) => {
        if (!live) return;
        if (error.kind === 'init' && initFailures.current++ === 0) return void latest.current.session.refresh();
        set('error', error);
        latest.current.onError?.(error);
      },
    );
    return () => {
      live = false;
      mounted.unmount();
    };
  }, [enabled, token, payroc]);

  // `submitted` until reset(); the session's error; `idle` before the first instance; `reinitializing` while the token
  // changed (or expired) and the new instance has not started yet, or is starting in place of an earlier one.
  const status: HostedFieldsStatus = submission
    ? 'submitted'
    : source.status === 'error'
      ? 'error'
      : !enabled || !phase
        ? 'idle'
        : phase.token !== token || (phase.replacing && phase.status === 'initializing')
          ? 'reinitializing'
          : phase.status;

  return {
    status,
    error: status !== 'error' ? undefined : source.status === 'error' ? (source.error ?? undefined) : phase?.error,
    submission: submission?.result,
    reset: () => {
      if (!submission) return;
      spentToken.current = submission.sessionToken;
      setSubmission(undefined);
      setPhase(undefined);
      mountedToken.current = undefined;
      // The session may have renewed its token while the receipt was shown: that one is unused, so take it. A second
      // refresh would only replace it under the fresh form and spend one more token.
      if (!sessionToken || sessionToken === submission.sessionToken) source.refresh();
    },
  };
}
