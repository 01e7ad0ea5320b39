// Internal: Web Crypto where the runtime has it (Node >= 19, Deno, Bun, Workers, Next.js edge); `node:crypto`,
// loaded only when needed, on Node 18 where `globalThis.crypto` may be missing.

interface NodeCryptoSubset {
  randomUUID(): string;
  createHash(algorithm: 'sha256'): { update(data: string): { digest(encoding: 'hex'): string } };
}

let nodeCrypto: Promise<NodeCryptoSubset> | undefined;
const loadNodeCrypto = () => {
  // A variable specifier keeps edge bundlers from trying to resolve a Node built-in they would never load.
  const specifier = 'node:crypto';
  nodeCrypto ??= import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<NodeCryptoSubset>;
  return nodeCrypto;
};

/** A random UUID v4. */
export async function randomUuid(): Promise<string> {
  const webCrypto = globalThis.crypto as Crypto | undefined;
  if (typeof webCrypto?.randomUUID === 'function') return webCrypto.randomUUID();
  return (await loadNodeCrypto()).randomUUID();
}

/** Lower-case hex SHA-256 of a UTF-8 string. */
export async function sha256Hex(text: string): Promise<string> {
  const subtle = (globalThis.crypto as Crypto | undefined)?.subtle;
  if (subtle) {
    const digest = await subtle.digest('SHA-256', new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
  }
  return (await loadNodeCrypto()).createHash('sha256').update(text).digest('hex');
}
