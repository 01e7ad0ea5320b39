/**
 * A signal that aborts when `signal` does or after `timeoutMs`, whichever comes first; `timedOut()` tells which, and
 * `done()` releases the timer and the listener. The browser's session fetcher and the server client share it, so a
 * timeout and a caller's abort mean the same thing on both sides.
 * @internal
 */
export function abortAfter(timeoutMs: number, signal?: AbortSignal) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}
