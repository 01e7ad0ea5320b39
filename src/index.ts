// Browser entry: `payroc-hosted-fields`. Never import from ./server or ./testing here: a test on the built output
// proves that no server code or secret reaches the browser bundle. fetchHostedFieldsSession is exported for callers
// without React; sessionClock and mountHostedFields stay internal (their behaviour is reached through the hooks).
export type {
  HostedFieldsEnvironment,
  HostedFieldsScenario,
  HostedFieldsScript,
  HostedFieldsSession,
  HostedFieldsSessionRequest,
} from './core/types';
export type {
  HostedFieldsCardFields,
  HostedFieldsConfig,
  HostedFieldsConstructor,
  HostedFieldsCvvFieldConfig,
  HostedFieldsErrorEvent,
  HostedFieldsEventMap,
  HostedFieldsFieldConfig,
  HostedFieldsFieldValidityChange,
  HostedFieldsFields,
  HostedFieldsInstance,
  HostedFieldsStyles,
  HostedFieldsSubmissionSuccess,
  HostedFieldsSubmitConfig,
  HostedFieldsSurchargingAllowed,
  PayrocGlobal,
} from './core/payrocGlobal';
export { HOSTED_FIELDS_SCRIPTS } from './core/hostedFieldsScripts';
// Every error the browser entry can throw, with its guard. PayrocValidationError is server-side only.
export { PayrocError, isPayrocError, type PayrocErrorInit, type ProblemDetails } from './core/errors/PayrocError';
export { PayrocApiError, isPayrocApiError, type PayrocApiErrorItem } from './core/errors/PayrocApiError';
export { PayrocNetworkError, isPayrocNetworkError } from './core/errors/PayrocNetworkError';
export { PayrocTimeoutError, isPayrocTimeoutError } from './core/errors/PayrocTimeoutError';
export { PayrocConfigurationError, isPayrocConfigurationError } from './core/errors/PayrocConfigurationError';
export { PayrocInvalidResponseError, isPayrocInvalidResponseError } from './core/errors/PayrocInvalidResponseError';
export { HostedFieldsScriptError, isHostedFieldsScriptError } from './core/errors/HostedFieldsScriptError';
export {
  HostedFieldsVersionMismatchError,
  isHostedFieldsVersionMismatchError,
} from './core/errors/HostedFieldsVersionMismatchError';
export { HostedFieldsError, isHostedFieldsError } from './core/errors/HostedFieldsError';
export {
  loadHostedFieldsScript,
  type HostedFieldsScriptSource,
  type LoadHostedFieldsScriptOptions,
} from './core/loadHostedFieldsScript';
export { fetchHostedFieldsSession, type FetchHostedFieldsSessionOptions } from './core/fetchHostedFieldsSession';
export { DEFAULT_REFRESH_BEFORE_EXPIRY_MS } from './core/sessionClock';
export {
  useHostedFieldsSession,
  type FetchHostedFieldsSession,
  type HostedFieldsSessionStatus,
  type UseHostedFieldsSessionOptions,
  type UseHostedFieldsSessionResult,
} from './react/useHostedFieldsSession';
export {
  useHostedFields,
  type HostedFieldsSessionState,
  type HostedFieldsStatus,
  type UseHostedFieldsOptions,
  type UseHostedFieldsResult,
} from './react/useHostedFields';
