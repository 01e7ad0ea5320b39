export { PayrocError, isPayrocError, type PayrocErrorInit, type ProblemDetails } from './PayrocError';
export { PayrocApiError, isPayrocApiError, type PayrocApiErrorItem } from './PayrocApiError';
export { PayrocNetworkError, isPayrocNetworkError } from './PayrocNetworkError';
export { PayrocTimeoutError, isPayrocTimeoutError } from './PayrocTimeoutError';
export { PayrocValidationError, isPayrocValidationError } from './PayrocValidationError';
export { PayrocConfigurationError, isPayrocConfigurationError } from './PayrocConfigurationError';
export { PayrocInvalidResponseError, isPayrocInvalidResponseError } from './PayrocInvalidResponseError';
export { HostedFieldsScriptError, isHostedFieldsScriptError } from './HostedFieldsScriptError';
export {
  HostedFieldsVersionMismatchError,
  isHostedFieldsVersionMismatchError,
} from './HostedFieldsVersionMismatchError';
export { HostedFieldsError, isHostedFieldsError } from './HostedFieldsError';
