// Testing entry: `payroc-hosted-fields/testing`. An offline Payroc emulator for tests and demos.
export { HOSTED_FIELDS_SCRIPTS } from './core/hostedFieldsScripts';
