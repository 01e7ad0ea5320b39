import type { HostedFieldsEnvironment } from '../core/types';

/**
 * Where a Payroc environment lives: the Identity service's authorize URL (API key → Bearer token) and the API base
 * up to `/v1` (sessions are created under it).
 *
 * @example
 * const endpoints: PayrocEnvironmentEndpoints = { identityUrl: 'https://identity.uat.payroc.com/authorize', apiUrl: 'https://api.uat.payroc.com/v1' };
 */
export interface PayrocEnvironmentEndpoints {
  identityUrl: string;
  apiUrl: string;
}

/**
 * Payroc's Identity and API URLs per environment, as Payroc documents them. `test` is Payroc's UAT environment.
 * Override them per client with `createPayrocClient({ identityUrl, apiUrl })`, e.g. to talk to the emulator.
 *
 * @example
 * PAYROC_ENVIRONMENTS.production.apiUrl; // 'https://api.payroc.com/v1'
 */
export const PAYROC_ENVIRONMENTS: Readonly<Record<HostedFieldsEnvironment, Readonly<PayrocEnvironmentEndpoints>>> = {
  test: {
    identityUrl: 'https://identity.uat.payroc.com/authorize',
    apiUrl: 'https://api.uat.payroc.com/v1',
  },
  production: {
    identityUrl: 'https://identity.payroc.com/authorize',
    apiUrl: 'https://api.payroc.com/v1',
  },
};
