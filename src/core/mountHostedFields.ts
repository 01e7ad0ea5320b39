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
  /** Receives every library event, except a config or init error before `ready` (that rejects `ready` instead). */
  emit: <E extends keyof HostedFieldsEventMap>(event: E, payload: HostedFieldsEventMap[E]) => void;
  /** How long to wait for field targets that are not in the document yet. Default 10 s. */
  targetTimeoutMs?: number;
}

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
  let teardown = () => {};

  const ready = new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (error?: HostedFieldsError) => {
      if (closed || settled) return;
      settled = true;
      error ? reject(error) : resolve();
    };
    const start = (waited: number) => {
      if (closed) return;
      const counts = selectors.map(count);
      const bad = counts.findIndex((n) => n !== 1);
      if (bad >= 0) {
        // Targets may render after the hook mounts: wait for missing ones, but not for ever.
        if (counts[bad] === 0 && waited < targetTimeoutMs) return void setTimeout(start, POLL_MS, waited + POLL_MS);
        const problem = counts[bad]! < 0 ? 'is not a valid selector' : `matches ${counts[bad]} elements, not 1`;
        return settle(new HostedFieldsError('config', `"${selectors[bad]}" ${problem}`));
      }
      const targets = selectors.map((selector) => document.querySelector(selector)!);
      const before = new Set(targets.flatMap((target) => [...target.childNodes]));
      try {
        const instance = new payroc.hostedFields(config);
        teardown = () => {
          instance.destroy();
          for (const target of targets) for (const node of [...target.childNodes]) if (!before.has(node)) node.remove();
        };
        for (const event of EVENTS) {
          instance.on(event, (payload: HostedFieldsEventMap[typeof event]) => {
            if (closed) return;
            const error = payload as HostedFieldsEventMap['error'];
            // Before it is ready, a config or init error means this instance will never work.
            if (event === 'error' && !settled && (error.type === 'config' || error.type === 'init')) {
              return settle(new HostedFieldsError(error.type, error.message, error.field));
            }
            emit(event, payload as never);
          });
        }
        instance.initialize().then(() => settle(), (error: unknown) => settle(toHostedFieldsError('init', error)));
      } catch (error) {
        settle(toHostedFieldsError('config', error));
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

function count(selector: string): number {
  try {
    return document.querySelectorAll(selector).length;
  } catch {
    return -1; // not a valid selector
  }
}

function toHostedFieldsError(kind: 'config' | 'init', error: unknown): HostedFieldsError {
  return new HostedFieldsError(kind, error instanceof Error ? error.message : String(error), undefined, { cause: error });
}

/** Every element selector in a `fields` config whose element receives an iframe: `target` and `wrapperTarget`. */
function collectSelectors(fields: HostedFieldsConfig['fields']): string[] {
  const selectors: string[] = [];
  for (const group of Object.values(fields) as Record<string, { target?: unknown; wrapperTarget?: unknown }>[]) {
    for (const field of Object.values(group ?? {})) {
      for (const selector of [field?.target, field?.wrapperTarget]) if (typeof selector === 'string') selectors.push(selector);
    }
  }
  return selectors;
}
