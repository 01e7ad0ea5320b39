// Size of the browser entry as an app bundles it: dist/index.js minified by esbuild, peers external, gzipped.
// Budget: 4 KB for the whole entry. Run `npm run build` first. Usage: npx tsx bench/browser-size.ts
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const BUDGET = 4096;
const root = fileURLToPath(new URL('..', import.meta.url));
const entry = `${root}dist/index.js`;
const external = ['react', 'react-dom', '@tanstack/react-query', 'react/jsx-runtime'];

async function measure(label: string, contents: string) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'js', sourcefile: `${label}.js` },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    external,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return { label, minified: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}

if (!existsSync(entry)) {
  console.error('dist/index.js is missing: run `npm run build` first.');
  process.exit(1);
}

const rows = [
  await measure('whole entry (export *)', `export * from ${JSON.stringify(entry)};`),
  await measure('both hooks (a checkout)', `export { useHostedFieldsSession, useHostedFields } from ${JSON.stringify(entry)};`),
  await measure(
    'session hook + loader only',
    `export { useHostedFieldsSession, loadHostedFieldsScript } from ${JSON.stringify(entry)};`,
  ),
  await measure('loader only', `export { loadHostedFieldsScript } from ${JSON.stringify(entry)};`),
  await measure('useHostedFields only', `export { useHostedFields } from ${JSON.stringify(entry)};`),
];

console.log('payroc-hosted-fields browser entry (esbuild --minify, peers external, gzip -9)');
for (const { label, minified, gzip } of rows) {
  console.log(`  ${label.padEnd(28)} ${String(minified).padStart(6)} B min  ${String(gzip).padStart(5)} B min+gzip`);
}
const whole = rows[0]!.gzip;
console.log(`  budget ${BUDGET} B: ${whole <= BUDGET ? 'OK' : 'OVER'} (${((whole / BUDGET) * 100).toFixed(0)}%)`);
if (whole > BUDGET) process.exitCode = 1;
