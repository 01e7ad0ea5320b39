// The Hosted Fields script of the stories: the emulator's stand-in, answered by msw at Payroc's real CDN URL, as
// `createPayrocMswHandlers` answers it in tests. The stand-in talks to Payroc's test gateway host, like the emulator's
// when it is not listening; no story initialises Hosted Fields, so nothing calls that host.
import { http, HttpResponse, type HttpHandler } from 'msw';
import { HOSTED_FIELDS_SCRIPTS, type HostedFieldsScript } from '../src/index';
import { standInScript } from '../src/testing/standInScript';

const { libVersion: LIB_VERSION, url: CDN_URL } = HOSTED_FIELDS_SCRIPTS.test;
const GATEWAY = 'https://testpayments.worldnettps.com';
const SCRIPT_PATH = `${new URL(CDN_URL).origin}/js/hosted-fields/:file`;
const source = standInScript(LIB_VERSION, GATEWAY);

/**
 * The record (URL, version, SRI hash of the stand-in's bytes) to pass as `scripts.test`. The query string is the
 * story's id: the loader keeps one promise per URL for the page's lifetime, and Storybook switches stories without
 * reloading the page, so each story gets a load of its own.
 *
 * @example
 * loaders: [async ({ id }) => ({ scripts: { test: await standInScriptRecord(id) } })]
 */
export async function standInScriptRecord(storyId: string): Promise<HostedFieldsScript> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-384', new TextEncoder().encode(source)));
  return {
    url: `${CDN_URL}?story=${encodeURIComponent(storyId)}`,
    libVersion: LIB_VERSION,
    integrity: `sha384-${btoa(String.fromCharCode(...digest))}`,
  };
}

/**
 * Serves the stand-in for the test environment's version; another version is a 404, as on the emulator.
 *
 * @example
 * parameters: { msw: { handlers: [sessionReply(), standInScriptServed()] } }
 */
export function standInScriptServed(): HttpHandler {
  return http.get(SCRIPT_PATH, ({ params }) =>
    params.file === `hosted-fields-${LIB_VERSION}.js`
      ? new HttpResponse(source, {
          headers: { 'content-type': 'application/javascript; charset=utf-8', 'access-control-allow-origin': '*' },
        })
      : new HttpResponse(null, { status: 404, headers: { 'access-control-allow-origin': '*' } }),
  );
}

/**
 * Fails every load of the script with a network error, as a content blocker or an unreachable CDN does.
 *
 * @example
 * parameters: { msw: { handlers: [sessionReply(), standInScriptBlocked()] } }
 */
export function standInScriptBlocked(): HttpHandler {
  return http.get(SCRIPT_PATH, () => HttpResponse.error());
}
