// Server entry: `payroc-hosted-fields/server`. Runs on Node >= 18 and any Fetch runtime (Next.js, Bun, Deno,
// Workers); `createPayrocClient` refuses to run in a browser. Nothing runs at import time.
export type {
  HostedFieldsEnvironment,
  HostedFieldsScenario,
  HostedFieldsScript,
  HostedFieldsSession,
  HostedFieldsSessionRequest,
} from './core/types';
export { HOSTED_FIELDS_SCRIPTS } from './core/hostedFieldsScripts';
export * from './core/errors/index';

export { createPayrocClient } from './server/createPayrocClient';
export type {
  CreateHostedFieldsSessionParams,
  PayrocClient,
  PayrocClientOptions,
  PayrocLogger,
} from './server/createPayrocClient';
export { PAYROC_ENVIRONMENTS, type PayrocEnvironmentEndpoints } from './server/payrocEnvironments';
export type { StoredBearerToken, TokenStore } from './server/TokenStore';
export { createMemoryTokenStore } from './server/createMemoryTokenStore';
export { createSessionHandler, MAX_SESSION_REQUEST_BYTES } from './server/createSessionHandler';
export type { SessionHandler, SessionHandlerOptions } from './server/createSessionHandler';
export { toNodeHandler } from './server/toNodeHandler';
export type { NodeHandler, NodeRequest } from './server/toNodeHandler';
// Not exported: the retry policy, the body reader and the problem builder (src/server/ internals).
