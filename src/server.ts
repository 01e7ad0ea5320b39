// Server entry: `payroc-hosted-fields/server`. Runs on Node >= 18 and any Fetch runtime; refuses to run in a browser.
export type {
  HostedFieldsEnvironment,
  HostedFieldsScenario,
  HostedFieldsScript,
  HostedFieldsSession,
  HostedFieldsSessionRequest,
} from './core/types';
export { HOSTED_FIELDS_SCRIPTS } from './core/hostedFieldsScripts';
export * from './core/errors/index';
