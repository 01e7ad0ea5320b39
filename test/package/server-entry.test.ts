// @vitest-environment jsdom
// The BUILT server entry (what `payroc-hosted-fields/server` resolves to) refuses to run in a browser.
// `npm test` builds before vitest; run alone, build first with `npx tsup`.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeAll, expect, it, vi } from 'vitest';

// String form: under jsdom the global URL is jsdom's, which node:url does not accept.
const entry = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/server.js');
afterEach(() => vi.unstubAllGlobals());

type ServerEntry = typeof import('../../src/server');
let server: ServerEntry;

beforeAll(async () => {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` (npm test builds before vitest)`);
  server = (await import(pathToFileURL(entry).href)) as ServerEntry;
});

it('imports in a browser environment without side effects, and exports the server API', () => {
  expect(typeof window).toBe('object');
  expect(Object.keys(server)).toEqual(
    expect.arrayContaining(['createPayrocClient', 'createSessionHandler', 'toNodeHandler', 'createMemoryTokenStore', 'PAYROC_ENVIRONMENTS']),
  );
});

it('createPayrocClient throws PayrocConfigurationError in a browser', () => {
  let thrown: unknown;
  try {
    server.createPayrocClient({ apiKey: 'sk_browser_should_never_have_this', environment: 'test' });
  } catch (error) {
    thrown = error;
  }
  expect(server.isPayrocConfigurationError(thrown)).toBe(true);
  expect((thrown as Error).message).toMatch(/server only/);
  expect((thrown as Error).message).not.toContain('sk_browser_should_never_have_this');
});

it('works once window and document are gone (a server runtime), against an injected fetch', async () => {
  vi.stubGlobal('window', undefined);
  vi.stubGlobal('document', undefined);
  const calls: string[] = [];
  const payroc = server.createPayrocClient({
    apiKey: 'sk_node_ok',
    environment: 'test',
    fetch: async (input) => {
      calls.push(String(input));
      return Response.json({ access_token: 'bearer', expires_in: 3600 });
    },
  });
  await expect(payroc.getBearerToken()).resolves.toBe('bearer');
  expect(calls).toEqual(['https://identity.uat.payroc.com/authorize']);
});
