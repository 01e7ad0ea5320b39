import { HostedFieldsError } from './errors/HostedFieldsError';
import type { HostedFieldsConfig, HostedFieldsEventMap, PayrocGlobal } from './payrocGlobal';

/** The events the library emits; `on()` is called for these and no others. */
const EVENTS = [
  'submissionSuccess',
  'error',
  'fieldValidityChange',
  'surchargingAllowed',
  'surchargingNotAllowed',
] as const satisfies readonly (keyof HostedFieldsEventMap)[];

const POLL_MS = 50;

/** Session tokens an instance was created with, per library: Payroc accepts each token once. */
const spent = new WeakMap<PayrocGlobal, Set<string>>();

/**
 * True when an instance was already created with this token (and so spent it): a form that was taken down (enabled
 * toggled, a remounted child) cannot come back on it, as the library would reject it or fail only on submit.
 * @internal
 */
export const isSpentToken = (payroc: PayrocGlobal, token: string): boolean => !!spent.get(payroc)?.has(token);

/**
 * Options of {@link mountHostedFields}.
 *
 * @example
 * const options: MountHostedFieldsOptions = {
 *   payroc: window.Payroc!,
 *   config: { sessionToken: session.token, mode: 'payment', fields: { card } },
 *   emit: (event, payload) => console.log(event, payload),
 * };
 */
export interface MountHostedFieldsOptions {
  payroc: PayrocGlobal;
  config: HostedFieldsConfig;
  /**
   * Receives every library event, the `error` event as a {@link HostedFieldsError}; except a config or init error
   * before `ready` (that rejects `ready` instead).
   */
  emit: <E extends keyof MountedEvents>(event: E, payload: MountedEvents[E]) => void;
  /** How long to wait for field targets that are not in the document yet. Default 10 s. */
  targetTimeoutMs?: number;
}

/** The library's events as `emit` passes them on. */
export type MountedEvents = Omit<HostedFieldsEventMap, 'error'> & { error: HostedFieldsError };

/**
 * A live Hosted Fields instance and how to take it down.
 *
 * @example
 * const mounted = mountHostedFields(options);
 * await mounted.ready;
 * mounted.unmount();
 */
export interface MountedHostedFields {
  /**
   * Resolves once `initialize()` succeeded; rejects with a {@link HostedFieldsError} for a config or init error that
   * comes before that. Never settles after an early `unmount()`.
   */
  ready: Promise<void>;
  /** Destroys the instance and removes the iframes it left in the targets. Safe to call at any time, more than once. */
  unmount: () => void;
}

/**
 * Creates one Hosted Fields instance for one session token, the way the library needs it: only once every target
 * selector matches exactly one element, with `on()` for the five real events before `initialize()`, and a teardown
 * that also removes the iframes (the library's own `destroy()` leaves them).
 *
 * The instance is always constructed at least one tick later, so a mount that is unmounted synchronously, as React
 * StrictMode does, never constructs one and never spends the single-use token.
 *
 * @example
 * const mounted = mountHostedFields({
 *   payroc: await loadHostedFieldsScript({ environment: 'test' }),
 *   config: { sessionToken: session.token, mode: 'payment', fields: { card } },
 *   emit: (event, payload) => { if (event === 'submissionSuccess') pay(payload) },
 * });
 * mounted.ready.catch((error) => showError(error.message));
 */
export function mountHostedFields(options: MountHostedFieldsOptions): MountedHostedFields {
  const { payroc, config, emit, targetTimeoutMs = 10_000 } = options;
  const selectors = collectSelectors(config.fields);
  let closed = false;
  let settled = false;
  let teardown = () => {};

  const ready = new Promise<void>((resolve, reject) => {
    const settle = (error?: HostedFieldsError) => {
      if (closed || settled) return;
      settled = true;
      error ? reject(error) : resolve();
    };
    const fail = (kind: 'config' | 'init', error: unknown) =>
      settle(new HostedFieldsError(kind, error instanceof Error ? error.message : String(error), undefined, { cause: error }));
    const start = (waited: number) => {
      if (closed) return;
      try {
        // querySelectorAll throws a SyntaxError, with the browser's own message, for a selector that is not valid.
        const matches = selectors.map(([, selector]) => document.querySelectorAll(selector));
        const bad = matches.findIndex((match) => match.length !== 1);
        if (bad >= 0) {
          const count = matches[bad]!.length;
          // Targets may render after the hook mounts: wait for missing ones, but not for ever.
          if (!count && waited < targetTimeoutMs) return void setTimeout(start, POLL_MS, waited + POLL_MS);
          throw new Error(`"${selectors[bad]![1]}" matches ${count} elements, not 1`);
        }
        // Only what receives iframes is cleaned up: an errorTarget's content may be your page's own (React's) nodes.
        const targets = matches.flatMap((match, index) => (selectors[index]![0] === 'errorTarget' ? [] : [match[0]!]));
        const before = new Set(targets.flatMap((target) => [...target.childNodes]));
        const instance = new payroc.hostedFields(config);
        spent.set(payroc, (spent.get(payroc) ?? new Set()).add(config.sessionToken));
        teardown = () => {
          instance.destroy();
          for (const target of targets) for (const node of [...target.childNodes]) if (!before.has(node)) node.remove();
        };
        for (const event of EVENTS) {
          instance.on(event, (payload: HostedFieldsEventMap[typeof event]) => {
            if (closed) return;
            if (event !== 'error') return emit(event, payload as never);
            const { type, message, field } = payload as HostedFieldsEventMap['error'];
            const error = new HostedFieldsError(type, message, field);
            // Before it is ready, a config or init error means this instance will never work.
            if (!settled && (type === 'config' || type === 'init')) settle(error);
            else emit('error', error);
          });
        }
        instance.initialize().then(() => settle(), (error: unknown) => fail('init', error));
      } catch (error) {
        fail('config', error);
      }
    };
    setTimeout(start, 0, 0);
  });

  return {
    ready,
    unmount() {
      if (!closed) teardown();
      closed = true;
    },
  };
}

type SelectorKind = 'target' | 'wrapperTarget' | 'errorTarget';

/**
 * Every element selector in a `fields` config, each of which must match exactly one element: `target` and
 * `wrapperTarget` receive iframes, `errorTarget` the library's messages.
 */
function collectSelectors(fields: HostedFieldsConfig['fields']): [SelectorKind, string][] {
  const selectors: [SelectorKind, string][] = [];
  for (const group of Object.values(fields) as Record<string, Partial<Record<SelectorKind, unknown>>>[]) {
    for (const field of Object.values(group ?? {})) {
      for (const kind of ['target', 'wrapperTarget', 'errorTarget'] as const) {
        const selector = field?.[kind];
        if (typeof selector === 'string') selectors.push([kind, selector]);
      }
    }
  }
  return selectors;
}
