/**
 * A Bearer token as the client caches it: the token and when it expires (epoch milliseconds).
 *
 * @example
 * const stored: StoredBearerToken = { token: 'eyJhbGc…', expiresAt: Date.now() + 3_600_000 };
 */
export interface StoredBearerToken {
  token: string;
  /** Epoch milliseconds at which Payroc stops accepting the token. */
  expiresAt: number;
}

/**
 * Where `createPayrocClient` keeps its Bearer token. The default keeps it in memory, per client; implement this over
 * Redis, a database or a KV store to let several server instances share one token. Keys never contain the API key
 * (the client uses a SHA-256 digest of it, or your `tokenStoreKey`). Values hold a live Bearer token: store them
 * somewhere only your servers can read.
 *
 * @example
 * const redisTokenStore: TokenStore = {
 *   async get(key) {
 *     const json = await redis.get(key);
 *     return json ? (JSON.parse(json) as StoredBearerToken) : undefined;
 *   },
 *   async set(key, value, ttlMs) {
 *     await redis.set(key, JSON.stringify(value), { PX: ttlMs });
 *   },
 *   async delete(key) {
 *     await redis.del(key);
 *   },
 * };
 */
export interface TokenStore {
  /** The stored token, or `undefined`. The client checks `expiresAt` itself; returning an expired one is harmless. */
  get(key: string): Promise<StoredBearerToken | undefined> | StoredBearerToken | undefined;
  /** Stores the token; `ttlMs` is how long it stays valid, for stores that expire entries themselves. */
  set(key: string, value: StoredBearerToken, ttlMs?: number): Promise<void> | void;
  /** Forgets the token (called when Payroc rejected it). */
  delete(key: string): Promise<void> | void;
}
