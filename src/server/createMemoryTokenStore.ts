import type { StoredBearerToken, TokenStore } from './TokenStore';

/**
 * The default {@link TokenStore}: a `Map` in this process. An entry is dropped once its `expiresAt` has passed
 * (measured with `now`), so the map never holds more than one entry per key.
 *
 * @example
 * const tokenStore = createMemoryTokenStore();
 * const payroc = createPayrocClient({ apiKey: process.env.PAYROC_API_KEY, environment: 'test', tokenStore });
 */
export function createMemoryTokenStore(options: { now?: () => number } = {}): TokenStore {
  const now = options.now ?? Date.now;
  const entries = new Map<string, StoredBearerToken>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry && entry.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry;
    },
    set(key, value) {
      entries.set(key, { token: value.token, expiresAt: value.expiresAt });
    },
    delete(key) {
      entries.delete(key);
    },
  };
}
