import { HostedFieldsScriptError } from './errors/HostedFieldsScriptError';
import { HOSTED_FIELDS_SCRIPTS } from './hostedFieldsScripts';
import type { PayrocGlobal } from './payrocGlobal';
import type { HostedFieldsEnvironment, HostedFieldsScript } from './types';

/**
 * Which Hosted Fields script to load: Payroc's published build for an environment, or a whole record of your own
 * (URL, version and SRI hash together).
 *
 * @example
 * const source: HostedFieldsScriptSource = { environment: 'test' };
 */
export type HostedFieldsScriptSource = { environment: HostedFieldsEnvironment } | { script: HostedFieldsScript };

/**
 * Options of {@link loadHostedFieldsScript}.
 *
 * @example
 * const options: LoadHostedFieldsScriptOptions = { nonce: document.querySelector('meta[name=csp-nonce]')?.content };
 */
export interface LoadHostedFieldsScriptOptions {
  /** CSP nonce, set as the tag's real `nonce` attribute. */
  nonce?: string | undefined;
  /** Automatic retries after a failed load, each with a fresh tag. Default 2 (three tries in all). */
  retries?: number;
  /** Pause between tries. Default 1000 ms. */
  retryDelayMs?: number;
  /**
   * How long one try may take before it counts as failed. Default 20 000 ms. It also ends the wait on a tag already in
   * the page whose load or error happened before we listened (nothing would ever fire again).
   */
  timeoutMs?: number;
}

const pending = new Map<string, Promise<PayrocGlobal>>();

/**
 * Loads the Hosted Fields script once and resolves `window.Payroc` when it has defined `hostedFields`. Nothing happens
 * at import; one promise per URL; a tag already in the page (also one still loading) is reused, never duplicated; the
 * tag carries `integrity` and `crossorigin="anonymous"`; a failed load is retried (fresh tag, bounded) and then
 * forgotten, so a later call starts again. Resolves `null` where there is no `window` (server rendering).
 *
 * @example
 * const payroc = await loadHostedFieldsScript({ environment: 'test' }, { nonce });
 * if (payroc) new payroc.hostedFields({ sessionToken, mode: 'payment', fields });
 */
export function loadHostedFieldsScript(
  source: HostedFieldsScriptSource,
  options: LoadHostedFieldsScriptOptions = {},
): Promise<PayrocGlobal | null> {
  if (typeof window === 'undefined' || typeof document === 'undefined') return Promise.resolve(null);
  const script = 'script' in source ? source.script : HOSTED_FIELDS_SCRIPTS[source.environment];
  let promise = pending.get(script.url);
  if (!promise) {
    const { retries = 2, retryDelayMs = 1000, timeoutMs = 20_000 } = options;
    const attempt = (left: number): Promise<PayrocGlobal> =>
      inject(script, options.nonce, timeoutMs).catch((error: unknown) =>
        left > 0
          ? new Promise<void>((resolve) => setTimeout(resolve, retryDelayMs)).then(() => attempt(left - 1))
          : Promise.reject(error),
      );
    promise = attempt(retries).catch((error: unknown) => {
      pending.delete(script.url);
      throw error;
    });
    pending.set(script.url, promise);
  }
  return promise;
}

function inject({ url, integrity }: HostedFieldsScript, nonce: string | undefined, timeoutMs: number): Promise<PayrocGlobal> {
  return new Promise((resolve, reject) => {
    let tag = document.querySelector<HTMLScriptElement>(`script[src="${url}"]`);
    if (tag && window.Payroc?.hostedFields) return resolve(window.Payroc);
    // A tag in the page is still loading (a failed one of ours is always removed): wait for it. A tag of the page that
    // finished before we listened never fires again; the timeout ends that wait and the next try brings its own.
    if (!tag) {
      tag = document.createElement('script');
      tag.src = url;
      tag.async = true;
      tag.setAttribute('crossorigin', 'anonymous');
      if (integrity) tag.setAttribute('integrity', integrity);
      if (nonce) tag.setAttribute('nonce', nonce);
      document.head.appendChild(tag);
    }
    const element = tag;
    const fail = (detail: string) => {
      clearTimeout(timer);
      element.remove();
      reject(new HostedFieldsScriptError(url, detail));
    };
    const timer = setTimeout(fail, timeoutMs, `no load or error event within ${timeoutMs} ms`);
    // Listeners, not onload/onerror: a tag of the page may have its own handlers.
    element.addEventListener('load', () => {
      clearTimeout(timer);
      if (typeof window.Payroc?.hostedFields !== 'function') return fail('no window.Payroc.hostedFields');
      resolve(window.Payroc);
    });
    element.addEventListener('error', () => fail('blocked (CSP, content blocker, SRI) or unreachable'));
  });
}
