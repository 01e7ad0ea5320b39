// Testing entry: `payroc-hosted-fields/testing`. An offline Payroc emulator for tests and demos (Node only).
export { HOSTED_FIELDS_SCRIPTS } from './core/hostedFieldsScripts';
export {
  createPayrocEmulator,
  DEFAULT_EMULATOR_API_KEY,
  type EmulatorFault,
  type EmulatorRequestRecord,
  type EmulatorRoute,
  type EmulatorSession,
  type PayrocEmulator,
  type PayrocEmulatorOptions,
} from './testing/createPayrocEmulator';
export { createPayrocMswHandlers, type PayrocMswHandlersOptions } from './testing/createPayrocMswHandlers';
