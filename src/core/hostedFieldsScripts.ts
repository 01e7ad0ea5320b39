import type { HostedFieldsEnvironment, HostedFieldsScript } from './types';

/**
 * The Hosted Fields script for each environment, as Payroc publishes it: URL, version and SRI hash as one record.
 * Override the whole record (never one field of it) when Payroc publishes a new build.
 *
 * @example
 * HOSTED_FIELDS_SCRIPTS.test.libVersion; // '1.7.0.261457'
 */
export const HOSTED_FIELDS_SCRIPTS: Readonly<Record<HostedFieldsEnvironment, Readonly<HostedFieldsScript>>> = {
  test: {
    url: 'https://cdn.uat.payroc.com/js/hosted-fields/hosted-fields-1.7.0.261457.js',
    libVersion: '1.7.0.261457',
    integrity: 'sha384-m1A0nfFYa8sAfpDN0d60o4ztd/aCPC2xDVaOT31Urrmn4xypfHqgHQMayZeIK1PM',
  },
  production: {
    url: 'https://cdn.payroc.com/js/hosted-fields/hosted-fields-1.7.0.261471.js',
    libVersion: '1.7.0.261471',
    integrity: 'sha384-4KD8EaeEaCR2jLV6vnBwfEAEy/o2bR0GkODVpr8iePLTK5eOOmjoPuDVKJ0wM1oP',
  },
};
