// The demo checkout: `npm run demo`. One Node server serves the page (built with Vite, under a strict nonce CSP) and
// mounts the package's session handler; Payroc is the offline emulator unless PAYROC_API_KEY, PAYROC_ENVIRONMENT and
// PAYROC_TERMINAL_ID are set, in which case the same page talks to real Payroc.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { HOSTED_FIELDS_SCRIPTS } from '../src/core/hostedFieldsScripts';
import type { HostedFieldsEnvironment } from '../src/core/types';
import { createPayrocClient, createSessionHandler, toNodeHandler } from '../src/server';
import {
  createPayrocEmulator,
  DEFAULT_EMULATOR_API_KEY,
  type PayrocEmulator,
  type PayrocEmulatorOptions,
} from '../src/testing';
import type { DemoConfig } from './app/Checkout';

const here = fileURLToPath(new URL('.', import.meta.url));
const APP_ROOT = resolve(here, 'app');
const OUT_DIR = resolve(here, '../node_modules/.cache/payroc-hosted-fields-demo');
const TERMINAL_ID = '1234001';
/**
 * Where Hosted Fields' iframes and requests go. FACTS.md confirms the test gateway only; for production the demo allows
 * any https origin unless PAYROC_GATEWAY_ORIGIN names it.
 */
const PAYROC_GATEWAY: Record<HostedFieldsEnvironment, string> = {
  test: 'https://testpayments.worldnettps.com',
  production: 'https:',
};

export interface DemoOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** Options for the emulator (ignored when real Payroc credentials are given). */
  emulator?: PayrocEmulatorOptions;
  /** Passed to the page's useHostedFieldsSession. */
  refreshBeforeExpiryMs?: number;
  /** Use these instead of the environment variables; `null` forces the emulator. */
  payroc?: { apiKey: string; environment: HostedFieldsEnvironment; processingTerminalId: string } | null;
}

export interface Demo {
  url: string;
  /** The emulator standing in for Payroc, when there is one. */
  emulator: PayrocEmulator | undefined;
  close(): Promise<void>;
}

let built: Promise<void> | undefined;

/** Builds the page once per process. */
function buildPage(): Promise<void> {
  built ??= build({
    configFile: false,
    root: APP_ROOT,
    logLevel: 'warn',
    plugins: [react()],
    resolve: { alias: { 'payroc-hosted-fields': resolve(here, '../src/index.ts') } },
    build: { outDir: OUT_DIR, emptyOutDir: true, target: 'es2022' },
  }).then(() => undefined);
  return built;
}

function payrocFromEnvironment(): DemoOptions['payroc'] {
  const { PAYROC_API_KEY: apiKey, PAYROC_ENVIRONMENT: environment, PAYROC_TERMINAL_ID: processingTerminalId } =
    process.env;
  if (!apiKey || !processingTerminalId) return null;
  if (environment !== 'test' && environment !== 'production') {
    throw new Error("PAYROC_ENVIRONMENT must be 'test' or 'production'");
  }
  return { apiKey, environment, processingTerminalId };
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const payroc = options.payroc === undefined ? payrocFromEnvironment() : options.payroc;
  let emulator: PayrocEmulator | undefined;
  let config: DemoConfig;
  let client: ReturnType<typeof createPayrocClient>;
  let payrocOrigins: string[];

  if (payroc) {
    client = createPayrocClient({ apiKey: payroc.apiKey, environment: payroc.environment });
    config = { mode: 'payroc', environment: payroc.environment };
    payrocOrigins = [
      new URL(HOSTED_FIELDS_SCRIPTS[payroc.environment].url).origin,
      process.env.PAYROC_GATEWAY_ORIGIN ?? PAYROC_GATEWAY[payroc.environment],
    ];
  } else {
    emulator = createPayrocEmulator(options.emulator);
    await emulator.listen();
    client = createPayrocClient({
      apiKey: DEFAULT_EMULATOR_API_KEY,
      environment: 'test',
      identityUrl: emulator.identityUrl,
      apiUrl: emulator.apiUrl,
    });
    config = { mode: 'emulator', environment: 'test', scripts: { test: emulator.scripts.test } };
    payrocOrigins = [emulator.url];
  }
  if (options.refreshBeforeExpiryMs !== undefined) config.refreshBeforeExpiryMs = options.refreshBeforeExpiryMs;

  const handleSession = toNodeHandler(
    createSessionHandler({ client, processingTerminalId: payroc?.processingTerminalId ?? TERMINAL_ID }),
  );
  await buildPage();
  const indexHtml = await readFile(resolve(OUT_DIR, 'index.html'), 'utf8');

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      console.error('demo: unexpected error', error);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://demo').pathname;
    if (path === '/api/hosted-fields-session') return handleSession(request, response);
    if (path === '/api/demo-config') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      return void response.end(JSON.stringify(config));
    }
    if (path.startsWith('/assets/') && !path.includes('..')) {
      const file = await readFile(resolve(OUT_DIR, `.${path}`)).catch(() => undefined);
      if (!file) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' });
      return void response.end(file);
    }
    if (path === '/' || path === '/index.html') {
      const nonce = randomBytes(16).toString('base64');
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': contentSecurityPolicy(nonce, payrocOrigins),
      });
      return void response.end(indexHtml.replaceAll('<script ', `<script nonce="${nonce}" `));
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  }

  await new Promise<void>((done) => server.listen(options.port ?? 0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    emulator,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await emulator?.close();
    },
  };
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * A strict policy: scripts only from this origin or with this response's nonce (so the Hosted Fields script is let
 * in by the nonce the loader puts on it), no inline script, Payroc's origins for frames and requests.
 */
function contentSecurityPolicy(nonce: string, payrocOrigins: string[]): string {
  const payroc = payrocOrigins.join(' ');
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    `frame-src ${payroc}`,
    `connect-src 'self' ${payroc}`,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sessionTtlMs = Number(process.env.DEMO_SESSION_TTL_MS) || undefined;
  const demo = await startDemo({
    port: Number(process.env.PORT ?? 5173),
    ...(sessionTtlMs && { emulator: { sessionTtlMs }, refreshBeforeExpiryMs: Math.min(60_000, sessionTtlMs / 3) }),
  });
  const mode = demo.emulator ? `the Payroc emulator at ${demo.emulator.url}` : `Payroc (${process.env.PAYROC_ENVIRONMENT})`;
  console.log(`\n  Demo checkout: ${demo.url}\n  Talking to ${mode}. Ctrl+C to stop.\n`);
  const stop = () => void demo.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
