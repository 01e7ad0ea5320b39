import { http, HttpResponse, type HttpHandler } from 'msw';
import { HOSTED_FIELDS_SCRIPTS } from '../core/hostedFieldsScripts';
import type { HostedFieldsEnvironment } from '../core/types';
import type { PayrocEmulator } from './createPayrocEmulator';

// The stand-in script served without a listening emulator talks to Payroc's test gateway host (the production
// gateway host is not documented), so both environments answer it.
const GATEWAY = 'https://testpayments.worldnettps.com';
const HOSTS: Record<HostedFieldsEnvironment, string[]> = {
  test: ['https://identity.uat.payroc.com', 'https://api.uat.payroc.com', GATEWAY],
  production: ['https://identity.payroc.com', 'https://api.payroc.com', GATEWAY],
};

/**
 * Options of {@link createPayrocMswHandlers}.
 *
 * @example
 * setupServer(...createPayrocMswHandlers(emulator, { environment: 'production' }));
 */
export interface PayrocMswHandlersOptions {
  /** Whose URLs to answer: `test` (uat hosts, default) or `production`. */
  environment?: HostedFieldsEnvironment;
}

/**
 * msw handlers that answer Payroc's real URLs (Identity, the API, the CDN script and the test gateway) with the
 * emulator's logic, for tests that run code with its default URLs. A dropped connection becomes a network error.
 *
 * @example
 * import { setupServer } from 'msw/node';
 * const emulator = createPayrocEmulator();
 * const server = setupServer(...createPayrocMswHandlers(emulator));
 * server.listen({ onUnhandledRequest: 'error' });
 * const payroc = createPayrocClient({ apiKey: DEFAULT_EMULATOR_API_KEY, environment: 'test' }); // real URLs, answered by msw
 */
export function createPayrocMswHandlers(
  emulator: PayrocEmulator,
  options: PayrocMswHandlersOptions = {},
): HttpHandler[] {
  const environment = options.environment ?? 'test';
  const forward = async ({ request }: { request: Request }) => {
    try {
      return await emulator.handle(request);
    } catch {
      return HttpResponse.error();
    }
  };
  const script = new URL(HOSTED_FIELDS_SCRIPTS[environment].url);
  return [
    ...HOSTS[environment].map((host) => http.all(`${host}/*`, forward)),
    http.all(`${script.origin}/js/hosted-fields/*`, forward),
  ];
}
