// jsdom does not fetch <script src>. This plays the browser's part for the tags the loader injects: after `delayMs` the
// file "arrives" and defines window.Payroc (the fake library), or the load fails as when CSP or a blocker stops it.
import type { PayrocGlobal } from '../../../src/core/payrocGlobal';

export function hostScripts(payroc: PayrocGlobal, options: { delayMs?: number; failTimes?: number } = {}) {
  const injected: HTMLScriptElement[] = [];
  let failuresLeft = options.failTimes ?? 0;
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof HTMLScriptElement) || !node.src) continue;
        injected.push(node);
        setTimeout(() => {
          if (failuresLeft > 0) {
            failuresLeft--;
            node.dispatchEvent(new Event('error'));
          } else {
            window.Payroc = payroc;
            node.dispatchEvent(new Event('load'));
          }
        }, options.delayMs ?? 0);
      }
    }
  });
  observer.observe(document.head, { childList: true });
  return {
    injected,
    stop: () => observer.disconnect(),
  };
}

let n = 0;
/** The loader remembers each URL for the page's lifetime; a per-test URL keeps tests apart. */
export function uniqueScripts(libVersion: string) {
  const script = {
    url: `https://cdn.uat.payroc.com/js/hosted-fields/hosted-fields-${libVersion}.js?case=${++n}`,
    libVersion,
    integrity: 'sha384-m1A0nfFYa8sAfpDN0d60o4ztd/aCPC2xDVaOT31Urrmn4xypfHqgHQMayZeIK1PM',
  };
  return { test: script };
}
