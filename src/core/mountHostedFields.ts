import { HostedFieldsError } from './errors/HostedFieldsError';
import type { HostedFieldsConfig, HostedFieldsEventMap, HostedFieldsInstance, PayrocGlobal } from './payrocGlobal';

/** The events the library emits; `on()` is called for these and no others. */
const EVENTS = [
  'submissionSuccess',
  'error',
  'fieldValidityChange',
  'surchargingAllowed',
  'surchargingNotAllowed',
] as const satisfies readonly (keyof HostedFieldsEventMap)[];

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
  /** Receives every library event. Called with the latest handler each time, so the caller may swap handlers freely. */
  emit: <E extends keyof HostedFieldsEventMap>(event: E, payload: HostedFieldsEventMap[E]) => void;
  /** How long to wait for field targets that are not in the document yet. Default 10 s. */
  targetTimeoutMs?: number;
  root?: Document;
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
   * comes before that. Later `error` events of any type go to `emit`. Never settles after an early `unmount()`.
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
 * @example
 * const mounted = mountHostedFields({
 *   payroc: await loadHostedFieldsScript({ environment: 'test' }),
 *   config: { sessionToken: session.token, mode: 'payment', fields: { card } },
 *   emit: (event, payload) => { if (event === 'submissionSuccess') pay(payload) },
 * });
 * mounted.ready.catch((error) => showError(error.message));
 */
export function mountHostedFields(options: MountHostedFieldsOptions): MountedHostedFields {
  const { payroc, config, emit, targetTimeoutMs = 10_000, root = document } = options;
  const selectors = collectSelectors(config.fields);
  const added: Node[] = [];
  let instance: HostedFieldsInstance | undefined;
  let stopWaiting: (() => void) | undefined;
  let closed = false;

  // The instance is always constructed at least a microtask later (after the target check), so a mount that is
  // unmounted synchronously, as React StrictMode does, never constructs one and never spends the single-use token.
  const ready = waitForTargets(root, selectors, targetTimeoutMs, (stop) => (stopWaiting = stop)).then(
    () =>
      new Promise<void>((resolve, reject) => {
        if (closed) return resolve();
        const targets = selectors.map((selector) => root.querySelector(selector)!);
        const before = new Set<Node>(targets.flatMap((target) => [...target.childNodes]));
        // Any node the library adds to a target is removed again on unmount.
        const observer = new MutationObserver((records) => {
          for (const record of records) for (const node of record.addedNodes) if (!before.has(node)) added.push(node);
        });
        for (const target of targets) observer.observe(target, { childList: true });
        let settled = false;
        const fail = (error: unknown) => {
          settled = true;
          observer.disconnect();
          reject(error);
        };
        try {
          instance = new payroc.hostedFields(config);
          for (const event of EVENTS) {
            instance.on(event, (payload: HostedFieldsEventMap[typeof event]) => {
              if (closed) return;
              if (event === 'error' && !settled) {
                // Before it is ready, a config or init error means this instance will never work: reject `ready`.
                const { type, message, field } = payload as HostedFieldsEventMap['error'];
                if (type === 'config' || type === 'init') return fail(new HostedFieldsError(type, message, field));
              }
              emit(event, payload as never);
            });
          }
          instance.initialize().then(() => {
            if (settled) return;
            settled = true;
            // Record the iframes inserted synchronously before observer callbacks ran.
            for (const record of observer.takeRecords())
              for (const node of record.addedNodes) if (!before.has(node)) added.push(node);
            observer.disconnect();
            resolve();
          }, (error: unknown) => fail(toHostedFieldsError('init', error)));
        } catch (error) {
          fail(toHostedFieldsError('config', error));
        }
      }),
  );

  return {
    ready,
    unmount() {
      if (closed) return;
      closed = true;
      stopWaiting?.();
      instance?.destroy();
      for (const node of added.splice(0)) node.parentNode?.removeChild(node);
    },
  };
}

function toHostedFieldsError(kind: 'config' | 'init', error: unknown): HostedFieldsError {
  return new HostedFieldsError(kind, error instanceof Error ? error.message : String(error), undefined, { cause: error });
}

/** Every element selector in a `fields` config whose element receives an iframe: `target` and `wrapperTarget`. */
function collectSelectors(fields: HostedFieldsConfig['fields']): string[] {
  const selectors: string[] = [];
  for (const group of Object.values(fields) as Record<string, { target?: unknown; wrapperTarget?: unknown }>[]) {
    for (const field of Object.values(group ?? {})) {
      if (typeof field?.target === 'string') selectors.push(field.target);
      if (typeof field?.wrapperTarget === 'string') selectors.push(field.wrapperTarget);
    }
  }
  return selectors;
}

/**
 * Resolves when each selector matches exactly one element. Waits for missing ones (a merchant may render the
 * targets after the hook mounts); rejects with a config error on a selector that matches several, or on timeout.
 */
function waitForTargets(
  root: Document,
  selectors: string[],
  timeoutMs: number,
  onStop: (stop: () => void) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const missing = [];
      for (const selector of selectors) {
        let count: number;
        try {
          count = root.querySelectorAll(selector).length;
        } catch {
          stop();
          reject(new HostedFieldsError('config', `"${selector}" is not a valid selector`));
          return true;
        }
        if (count > 1) {
          stop();
          reject(new HostedFieldsError('config', `"${selector}" matches ${count} elements; it must match exactly one`));
          return true;
        }
        if (count === 0) missing.push(selector);
      }
      if (missing.length === 0) {
        stop();
        resolve();
        return true;
      }
      lastMissing = missing;
      return false;
    };
    let lastMissing: string[] = [];
    const observer = new MutationObserver(() => void check());
    const timer = setTimeout(() => {
      stop();
      reject(new HostedFieldsError('config', `no element matches ${lastMissing.map((s) => `"${s}"`).join(', ')}`));
    }, timeoutMs);
    function stop() {
      observer.disconnect();
      clearTimeout(timer);
    }
    onStop(stop);
    if (!check()) observer.observe(root, { childList: true, subtree: true });
  });
}
