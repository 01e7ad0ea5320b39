// Browser entry: `payroc-hosted-fields`. Never import from ./server or ./testing here: a test on the built output
// proves that no server code or secret reaches the browser bundle.
export type {
  HostedFieldsEnvironment,
  HostedFieldsScenario,
  HostedFieldsScript,
  HostedFieldsSession,
  HostedFieldsSessionRequest,
} from './core/types';
export { HOSTED_FIELDS_SCRIPTS } from './core/hostedFieldsScripts';
export * from './core/errors/index';
