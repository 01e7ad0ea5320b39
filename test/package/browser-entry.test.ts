// Proves on the BUILT browser entry (what apps bundle) that it is a client module and that no server code or secret
// handling reaches it. `npm test` builds first; run alone, this builds when dist/ is missing.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const files = ['dist/index.js', 'dist/index.cjs'] as const;
const PEERS = new Set(['react', 'react-dom', '@tanstack/react-query', 'react/jsx-runtime']);
const read = (file: string) => readFileSync(`${root}${file}`, 'utf8');

beforeAll(() => {
  if (!files.every((file) => existsSync(`${root}${file}`))) {
    execFileSync('npx', ['tsup'], { cwd: root, stdio: 'ignore', timeout: 120_000 });
  }
}, 130_000);

describe.each(files)('%s', (file) => {
  it("starts with the 'use client' directive", () => {
    expect(read(file).trimStart()).toMatch(/^['"]use client['"];/);
  });

  it('holds no server code: no API key header, no Identity or API URL, no Bearer handling', () => {
    const code = read(file);
    for (const secretish of [/x-api-key/i, /identity(\.uat)?\.payroc\.com/, /api(\.uat)?\.payroc\.com/, /authorization/i, /bearer/i]) {
      expect(code).not.toMatch(secretish);
    }
    // tsup names every bundled source file in a comment.
    expect(code).not.toMatch(/\/\/ src\/(server|testing)/);
    expect(code).not.toMatch(/createSessionHandler|createPayrocClient|createPayrocEmulator/);
  });

  it('imports nothing but its peers, and no node: module', () => {
    const code = read(file);
    const specifiers = [
      ...code.matchAll(/\bfrom\s*["']([^"']+)["']/g),
      ...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g),
      ...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
      ...code.matchAll(/\bimport\s*["']([^"']+)["']/g),
    ].map((match) => match[1]!);
    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.filter((specifier) => !PEERS.has(specifier))).toEqual([]);
  });
});

it('loads in Node without a window and exports the browser API', async () => {
  const entry = (await import(pathToFileURL(`${root}dist/index.js`).href)) as Record<string, unknown>;
  expect(Object.keys(entry)).toEqual(
    expect.arrayContaining(['useHostedFieldsSession', 'useHostedFields', 'loadHostedFieldsScript', 'HOSTED_FIELDS_SCRIPTS']),
  );
  const load = entry.loadHostedFieldsScript as (source: { environment: 'test' }) => Promise<unknown>;
  await expect(load({ environment: 'test' })).resolves.toBeNull();
});
