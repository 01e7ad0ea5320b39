// msw is an optional peer: the BUILT testing entry must load in a project without it, through `import` and `require`
// (laid out as npm installs it, in a directory outside this repository so Node cannot find our msw), and with msw its
// handlers must work from both builds.
// `npm test` builds first; run alone, this builds when dist/ is missing.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const entries = ['dist/testing.js', 'dist/testing.cjs'] as const;
let project: string;

beforeAll(() => {
  if (!entries.every((file) => existsSync(join(root, file)))) {
    execFileSync('npx', ['tsup'], { cwd: root, stdio: 'ignore', timeout: 120_000 });
  }
  project = mkdtempSync(join(tmpdir(), 'payroc-no-msw-'));
  const installed = join(project, 'node_modules', 'payroc-hosted-fields');
  mkdirSync(installed, { recursive: true });
  cpSync(join(root, 'package.json'), join(installed, 'package.json'));
  cpSync(join(root, 'dist'), join(installed, 'dist'), { recursive: true });
}, 130_000);
afterAll(() => rmSync(project, { recursive: true, force: true }));

// What a user's test does: run the emulator, then ask for msw handlers.
const useTheEntry = `
  const emulator = testing.createPayrocEmulator();
  await emulator.listen();
  const response = await fetch(emulator.identityUrl, {
    method: 'POST',
    headers: { 'x-api-key': testing.DEFAULT_EMULATOR_API_KEY },
  });
  await emulator.close();
  let mswError = null;
  try {
    testing.createPayrocMswHandlers(emulator);
  } catch (error) {
    mswError = error.message;
  }
  console.log(JSON.stringify({ identityStatus: response.status, mswError }));
`;

async function runInProject(args: string[]): Promise<unknown> {
  const env = { ...process.env };
  delete env.NODE_PATH;
  delete env.NODE_OPTIONS;
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: project, env, timeout: 20_000 });
  return JSON.parse(stdout) as unknown;
}

it('lays the package out where msw cannot be resolved', () => {
  const resolveFromProject = createRequire(join(project, 'index.js')).resolve;
  expect(resolveFromProject('payroc-hosted-fields/testing')).toBe(join(project, 'node_modules/payroc-hosted-fields/dist/testing.cjs'));
  expect(() => resolveFromProject('msw')).toThrow(/Cannot find module 'msw'/);
});

it.each([
  ['import', ['--input-type=module', '-e', `const testing = await import('payroc-hosted-fields/testing');${useTheEntry}`]],
  ['require', ['-e', `(async () => { const testing = require('payroc-hosted-fields/testing');${useTheEntry} })();`]],
])('without msw, through %s: loads, runs the emulator, and createPayrocMswHandlers says how to install msw', async (_, args) => {
  await expect(runInProject(args)).resolves.toEqual({
    identityStatus: 200,
    mswError: 'createPayrocMswHandlers needs msw 2: npm install -D msw',
  });
});

type TestingEntry = typeof import('../../src/testing');

it.each(entries)('with msw installed, %s gives handlers that setupServer answers with', async (file) => {
  const path = join(root, file);
  const testing = (
    file.endsWith('.cjs') ? createRequire(import.meta.url)(path) : await import(pathToFileURL(path).href)
  ) as TestingEntry;
  const emulator = testing.createPayrocEmulator();
  const server = setupServer(...testing.createPayrocMswHandlers(emulator));
  server.listen({ onUnhandledRequest: 'error' });
  try {
    const response = await fetch('https://identity.uat.payroc.com/authorize', {
      method: 'POST',
      headers: { 'x-api-key': testing.DEFAULT_EMULATOR_API_KEY },
    });
    expect(response.status).toBe(200);
    emulator.injectFault({ route: 'identity', drop: true });
    await expect(fetch('https://identity.uat.payroc.com/authorize', { method: 'POST' })).rejects.toThrow();
  } finally {
    server.close();
  }
});
