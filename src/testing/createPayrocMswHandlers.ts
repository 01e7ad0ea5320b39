import { createRequire } from 'node:module';
import type * as Msw from 'msw';
import type { HttpHandler } from 'msw';
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
  const { http } = loadMsw();
  const environment = options.environment ?? 'test';
  const forward = async ({ request }: { request: Request }) => {
    try {
      return await emulator.handle(request);
    } catch {
      // What HttpResponse.error() returns too: msw turns any response of type "error" into a network error.
      return Response.error();
    }
  };
  const script = new URL(HOSTED_FIELDS_SCRIPTS[environment].url);
  return [
    ...HOSTS[environment].map((host) => http.all(`${host}/*`, forward)),
    http.all(`${script.origin}/js/hosted-fields/*`, forward),
  ];
}

const MISSING_MSW = 'createPayrocMswHandlers needs msw 2: npm install -D msw';

// msw is an optional peer: the emulator must load without it, and the handlers must stay synchronous for
// setupServer(...handlers), so msw is required when first needed, not imported. Node 20.19+ resolves this require to
// msw's ES module build (its "module-sync" export), the instance the caller's `msw/node` uses; older Node gets the
// CommonJS build, whose handlers msw still accepts since it tells handlers apart by their `kind` field.
function loadMsw(): typeof Msw {
  let msw: Partial<typeof Msw>;
  try {
    msw = createRequire(import.meta.url)('msw') as Partial<typeof Msw>;
  } catch (error) {
    const notFound = (error as { code?: unknown }).code === 'MODULE_NOT_FOUND' && String(error).includes("'msw'");
    if (notFound) throw new Error(MISSING_MSW, { cause: error });
    throw error;
  }
  // msw 1 has `rest` instead of `http`.
  if (typeof msw.http?.all !== 'function') throw new Error(MISSING_MSW);
  return msw as typeof Msw;
}
