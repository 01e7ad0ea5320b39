'use client';
import { QueryClient, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { PayrocApiError } from '../core/errors/PayrocApiError';
import { PayrocConfigurationError } from '../core/errors/PayrocConfigurationError';
import { PayrocError, isPayrocError } from '../core/errors/PayrocError';
import { PayrocNetworkError } from '../core/errors/PayrocNetworkError';
import { PayrocTimeoutError } from '../core/errors/PayrocTimeoutError';
import { HostedFieldsVersionMismatchError } from '../core/errors/HostedFieldsVersionMismatchError';
import { fetchHostedFieldsSession, parseHostedFieldsSession } from '../core/fetchHostedFieldsSession';
import { HOSTED_FIELDS_SCRIPTS } from '../core/hostedFieldsScripts';
import { loadHostedFieldsScript } from '../core/loadHostedFieldsScript';
import type { PayrocGlobal } from '../core/payrocGlobal';
import { DEFAULT_REFRESH_BEFORE_EXPIRY_MS, sessionClock } from '../core/sessionClock';
import type {
  HostedFieldsEnvironment,
  HostedFieldsScenario,
  HostedFieldsScript,
  HostedFieldsSession,
  HostedFieldsSessionRequest,
} from '../core/types';

/**
 * A replacement for the default fetcher: gets a session from your backend however you like. Pass `signal` on, so
 * that unmounting cancels the request.
 *
 * @example
 * const fetchSession: FetchHostedFieldsSession = (request, { signal }) =>
 *   trpc.hostedFieldsSession.mutate(request, { signal });
 */
export type FetchHostedFieldsSession = (
  request: HostedFieldsSessionRequest,
  context: { signal: AbortSignal },
) => Promise<HostedFieldsSession>;

interface SessionOptionsBase {
  scenario: HostedFieldsScenario;
  /** Only to update the card saved behind this secure token (1–200 characters). */
  secureTokenId?: string | undefined;
  /** When you know it up front, the script starts loading at once, in parallel with the session request. */
  environment?: HostedFieldsEnvironment | undefined;
  /** How long before `expiresAt` (on the server's clock) to fetch the next session. Default 60 000 ms. */
  refreshBeforeExpiryMs?: number | undefined;
  /** `false` holds off the request and the script. Default `true`. */
  enabled?: boolean | undefined;
  /** Attributes of the script tag; `nonce` for a Content-Security-Policy with `script-src 'nonce-…'`. */
  scriptAttributes?: { nonce?: string | undefined } | undefined;
  /** Your own script record (URL, version, SRI hash together) per environment, e.g. a build Payroc published later. */
  scripts?: Partial<Record<HostedFieldsEnvironment, HostedFieldsScript>> | undefined;
  /** Timeout of the default fetcher. Default 15 000 ms. */
  timeoutMs?: number | undefined;
}

/**
 * Options of {@link useHostedFieldsSession}: your session `endpoint`, or a `fetchSession` function instead.
 *
 * @example
 * const options: UseHostedFieldsSessionOptions = { endpoint: '/api/hosted-fields-session', scenario: 'payment', environment: 'test' };
 */
export type UseHostedFieldsSessionOptions = SessionOptionsBase &
  ({ endpoint: string; fetchSession?: undefined } | { fetchSession: FetchHostedFieldsSession; endpoint?: undefined });

/**
 * `loading` (no usable token or script yet), `ready` (a valid token and the matching script), `refreshing` (the
 * token still works while its successor is fetched) or `error`.
 *
 * @example
 * const canPay: boolean = hf.status === 'ready' || hf.status === 'refreshing';
 */
export type HostedFieldsSessionStatus = 'loading' | 'ready' | 'refreshing' | 'error';

/**
 * What {@link useHostedFieldsSession} returns; pass it whole to `useHostedFields({ session })`.
 *
 * @example
 * const { status, session, error, refresh, expiresInMs } = useHostedFieldsSession(options);
 */
export interface UseHostedFieldsSessionResult {
  status: HostedFieldsSessionStatus;
  /** The current session while its token is valid; `undefined` otherwise (an expired token is never handed out). */
  session: HostedFieldsSession | undefined;
  /** The Hosted Fields script: `idle` until its environment is known, then `loading`, `ready` or `error`. */
  scriptStatus: 'idle' | 'loading' | 'ready' | 'error';
  /** `window.Payroc` once the script matching the session has loaded. */
  payroc: PayrocGlobal | undefined;
  /** Why `status` is `error`: a `PayrocApiError` from your endpoint, `PayrocNetworkError`, `PayrocTimeoutError`,
   * `PayrocInvalidResponseError`, `HostedFieldsScriptError` or `HostedFieldsVersionMismatchError`. */
  error: PayrocError | undefined;
  /** Fetches a new session now; after a script failure, loads the script again (keeping a still-valid session). Never rejects. */
  refresh: () => Promise<void>;
  /** Milliseconds the token has left, as of this render (render again, e.g. every second, for a countdown). */
  expiresInMs: number | undefined;
  scenario: HostedFieldsScenario;
}

interface Fetched {
  session: HostedFieldsSession;
  receivedAt: number;
}

let instances = 0;
const RETRY_ATTEMPTS = 3;
/** The longest delay setTimeout honours; a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const isTransient = (error: unknown) =>
  error instanceof PayrocNetworkError ||
  error instanceof PayrocTimeoutError ||
  (error instanceof PayrocApiError && (error.status === 408 || error.status === 429 || error.status >= 500));

/**
 * Gets a Hosted Fields session token from your backend and loads the matching Hosted Fields script, and keeps both
 * valid: each mounted hook has its own single-use token (StrictMode's double mount makes one request), the next
 * token is fetched `refreshBeforeExpiryMs` before expiry measured on the server's clock, a timer missed during sleep
 * or in a hidden tab is caught up on `visibilitychange`, `online` and `focus`, and an expired token is never handed
 * out. Uses a private TanStack Query client: it works without a `QueryClientProvider` and never touches your cache.
 *
 * @example
 * function Checkout() {
 *   const hf = useHostedFieldsSession({ endpoint: '/api/hosted-fields-session', scenario: 'payment', environment: 'test' });
 *   if (hf.status === 'error') return <p role="alert">{hf.error?.detail ?? hf.error?.message}</p>;
 *   if (hf.status === 'loading') return <p>Loading the card form…</p>;
 *   return <CardForm session={hf.session!} payroc={hf.payroc!} />;
 * }
 */
export function useHostedFieldsSession(options: UseHostedFieldsSessionOptions): UseHostedFieldsSessionResult {
  const { scenario, secureTokenId, environment, scripts, enabled = true } = options;
  const margin = options.refreshBeforeExpiryMs ?? DEFAULT_REFRESH_BEFORE_EXPIRY_MS;
  const latest = useRef(options);
  latest.current = options;
  // One client and one id per mounted hook: useState keeps them through StrictMode's simulated remount, and a real
  // remount starts over with a new session, as Payroc's single-use tokens require.
  const [[client, id]] = useState(() => [new QueryClient(), ++instances] as const);
  // A mounted client resumes retries TanStack paused while the tab was hidden or offline; without this, a first
  // request that failed in a background tab would never be tried again.
  useEffect(() => {
    client.mount();
    return () => client.unmount();
  }, [client]);
  const expiresAtRef = useRef(0);

  const query = useQuery(
    {
      queryKey: ['payroc-session', id, scenario, secureTokenId, options.endpoint],
      queryFn: async (context): Promise<Fetched> => {
        // Reading `signal` makes TanStack abort the request when the last observer leaves, and StrictMode's simulated
        // unmount would do that (and cause a second request); it remounts synchronously, so read it a microtask later.
        await Promise.resolve();
        const { signal } = context;
        const { endpoint, fetchSession, timeoutMs } = latest.current;
        const request = { scenario, ...(secureTokenId !== undefined && { secureTokenId }) };
        try {
          const session = fetchSession
            ? parseHostedFieldsSession(await fetchSession(request, { signal }))
            : endpoint
              ? await fetchHostedFieldsSession(request, { endpoint, signal, timeoutMs })
              : Promise.reject(new PayrocConfigurationError('endpoint or fetchSession is required'));
          return { session: await session, receivedAt: Date.now() };
        } catch (error) {
          if (isPayrocError(error) || signal.aborted) throw error;
          throw new PayrocError(String(error), { cause: error });
        }
      },
      enabled,
      staleTime: Infinity,
      gcTime: 0,
      refetchOnWindowFocus: false,
      refetchOnReconnect: false,
      // While the current token still works, keep trying for its successor; after that, only transient failures are
      // retried, a few times.
      retry: (failures, error) =>
        Date.now() < expiresAtRef.current || (failures < RETRY_ATTEMPTS && isTransient(error)),
      retryDelay: (failures, error) =>
        Math.min((error as Partial<PayrocApiError>).retryAfterMs ?? 1000 * 2 ** failures, 30_000),
    },
    client,
  );

  const fetched = query.data;
  const times = useMemo(
    () => fetched && sessionClock(fetched.session, fetched.receivedAt, margin),
    [fetched, margin],
  );
  expiresAtRef.current = times?.expiresAt ?? 0;
  const [, rerender] = useState(0);

  // Refresh when due and re-render at expiry. The refresh timer refreshes when it fires, whatever the clock says: a
  // timer may fire a millisecond before a fractional due time, or the wall clock may have stepped back. Timers can also
  // fire late or not at all while the machine sleeps, so the same check runs whenever the page comes back.
  const { refetch, isFetching } = query;
  useEffect(() => {
    if (!times || !enabled) return;
    const refresh = (due: boolean) => {
      if (due && !client.isFetching({ queryKey: ['payroc-session'] })) void refetch();
      rerender((n) => n + 1);
    };
    const check = () => refresh(Date.now() >= times.refreshAt);
    // setTimeout fires at once for a delay above 2^31 - 1 ms (about 24.9 days): a due time further out (a mocked
    // far-future expiresAt) gets a timer that only checks the clock, or it would refresh in a loop.
    const untilRefresh = times.refreshAt - Date.now();
    const timers = [
      setTimeout(untilRefresh < MAX_TIMER_MS ? refresh : check, Math.min(untilRefresh, MAX_TIMER_MS), true),
      setTimeout(check, Math.min(times.expiresAt - Date.now(), MAX_TIMER_MS)),
    ];
    const events = [
      [document, 'visibilitychange'],
      [window, 'online'],
      [window, 'focus'],
    ] as const;
    for (const [target, name] of events) target.addEventListener(name, check);
    return () => {
      timers.forEach(clearTimeout);
      for (const [target, name] of events) target.removeEventListener(name, check);
    };
  }, [times, enabled, client, refetch]);

  // The script: at once when the environment is given, else once the session names it. A query of the same private
  // client, so that nothing reaches a component that has gone; the loader retries on its own.
  const env = environment ?? fetched?.session.environment;
  const script = env && (scripts?.[env] ?? HOSTED_FIELDS_SCRIPTS[env]);
  const loaded = useQuery(
    {
      queryKey: ['payroc-script', script],
      queryFn: () => loadHostedFieldsScript({ script: script! }, { nonce: latest.current.scriptAttributes?.nonce }),
      enabled: enabled && !!script,
      staleTime: Infinity,
      gcTime: 0,
      retry: false,
    },
    client,
  );
  // A failed script being loaded again counts as loading, not as the old error.
  const scriptError = loaded.isFetching ? undefined : (loaded.error as PayrocError | null) ?? undefined;
  const scriptStatus = !script ? 'idle' : scriptError ? 'error' : loaded.data ? 'ready' : 'loading';

  // A session for another environment or script version than the page loads would fail inside Hosted Fields.
  const sessionEnvironment = fetched?.session.environment;
  const sessionVersion = fetched?.session.libVersion;
  const scriptVersion = script && script.libVersion;
  const mismatch = useMemo(() => {
    if (!sessionEnvironment || !sessionVersion || !scriptVersion) return undefined;
    if (environment && sessionEnvironment !== environment) {
      return new PayrocConfigurationError(`session is for ${sessionEnvironment}, not ${environment}`);
    }
    if (sessionVersion !== scriptVersion) return new HostedFieldsVersionMismatchError(sessionVersion, scriptVersion);
    return undefined;
  }, [environment, sessionEnvironment, sessionVersion, scriptVersion]);

  const now = Date.now();
  const valid = !!fetched && !!times && now < times.expiresAt && !mismatch;
  const error = mismatch ?? scriptError ?? (valid ? undefined : ((query.error as PayrocError | null) ?? undefined));
  const status: HostedFieldsSessionStatus = error
    ? 'error'
    : !valid || scriptStatus !== 'ready'
      ? 'loading'
      : isFetching || now >= times.refreshAt
        ? 'refreshing'
        : 'ready';

  return {
    status,
    session: valid ? fetched.session : undefined,
    scriptStatus,
    payroc: loaded.data ?? undefined,
    error,
    refresh: async () => {
      // A failed script is loaded again; a new session is fetched unless the current one is fine and only waits for it.
      await Promise.all([scriptError && loaded.refetch(), (!scriptError || !valid) && refetch()]);
    },
    expiresInMs: valid ? times.expiresAt - now : undefined,
    scenario,
  };
}
