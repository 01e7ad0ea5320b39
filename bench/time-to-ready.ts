// Time to `ready` with a slow session endpoint and a slow script together (400 ms each, real HTTP on 127.0.0.1, the
// script really fetched and run by jsdom). With `environment` given, both load in parallel: ready ≈ the slower of the
// two; without it the script can only start once the session names its environment: ready ≈ their sum.
// Usage: npx tsx bench/time-to-ready.ts
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// jsdom ships no types (and @types/jsdom is not a dependency): this is the little of it used here.
const { JSDOM } = createRequire(import.meta.url)('jsdom') as {
  JSDOM: new (html: string, options: Record<string, unknown>) => { window: Window & typeof globalThis };
};

const SESSION_MS = 400;
const SCRIPT_MS = 400;
const LIB_VERSION = '1.7.0.261457';
const RUNS = 5;

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/api/hosted-fields-session') {
    setTimeout(() => {
      const now = Date.now();
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          processingTerminalId: '1234001',
          token: `tok_${now}`,
          expiresAt: new Date(now + 600_000).toISOString(),
          libVersion: LIB_VERSION,
          environment: 'test',
          serverTime: new Date(now).toISOString(),
        }),
      );
    }, SESSION_MS);
  } else if (url.pathname.startsWith('/js/hosted-fields/')) {
    setTimeout(() => {
      response.writeHead(200, { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' });
      response.end('window.Payroc = { hostedFields: class HostedFields {} };');
    }, SCRIPT_MS);
  } else {
    response.writeHead(404).end();
  }
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const dom = new JSDOM('<!doctype html><div id="root"></div>', { url: base, runScripts: 'dangerously', resources: 'usable', pretendToBeVisual: true });
const { window } = dom;
for (const key of ['window', 'document', 'navigator', 'HTMLElement', 'HTMLScriptElement', 'Node', 'MutationObserver', 'Event']) {
  Object.defineProperty(globalThis, key, { value: key === 'window' ? window : window[key as keyof Window], configurable: true, writable: true });
}
Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: false });

const { createElement, useEffect } = await import('react');
const { createRoot } = await import('react-dom/client');
const { useHostedFieldsSession } = await import('../src/index');

let run = 0;
function measure(withEnvironment: boolean): Promise<number> {
  delete window.Payroc;
  // A URL per run: the loader remembers each URL for the page's lifetime.
  const script = { url: `${base}/js/hosted-fields/hosted-fields-${LIB_VERSION}.js?run=${++run}`, libVersion: LIB_VERSION, integrity: '' };
  return new Promise((resolve) => {
    const container = window.document.createElement('div');
    window.document.body.appendChild(container);
    const root = createRoot(container);
    const started = performance.now();
    function Checkout() {
      const hf = useHostedFieldsSession({
        endpoint: `${base}/api/hosted-fields-session`,
        scenario: 'payment',
        ...(withEnvironment && { environment: 'test' as const }),
        scripts: { test: script },
      });
      useEffect(() => {
        if (hf.status === 'ready') {
          resolve(performance.now() - started);
          setTimeout(() => root.unmount());
        }
        if (hf.status === 'error') throw hf.error;
      }, [hf.status, hf.error]);
      return null;
    }
    root.render(createElement(Checkout));
  });
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
await measure(true); // warm-up: module loading, JIT
const results: Record<string, number> = {};
for (const withEnvironment of [true, false]) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await measure(withEnvironment));
  results[withEnvironment ? 'with' : 'without'] = median(times);
}

console.log(`time to ready: session endpoint ${SESSION_MS} ms + script ${SCRIPT_MS} ms (jsdom, real HTTP, median of ${RUNS})`);
console.log(`  environment given (parallel):    ${results.with!.toFixed(0)} ms   (slower of the two: ${Math.max(SESSION_MS, SCRIPT_MS)} ms)`);
console.log(`  environment from the session:    ${results.without!.toFixed(0)} ms   (sum: ${SESSION_MS + SCRIPT_MS} ms)`);
const parallel = results.with! < Math.max(SESSION_MS, SCRIPT_MS) + 150;
console.log(`  parallel load: ${parallel ? 'OK' : 'NOT PARALLEL'}`);
server.close();
window.close();
if (!parallel) process.exitCode = 1;
