import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  format: ['esm', 'cjs'],
  dts: true,
  target: 'es2022',
  // One file per entry: the browser entry must never share a chunk with server code.
  splitting: false,
  sourcemap: false,
  // esbuild's own tree shaking; tsup's extra rollup pass would strip the 'use client' banner.
  treeshake: false,
  external: ['react', 'react-dom', '@tanstack/react-query', 'msw'],
};

export default defineConfig([
  {
    ...shared,
    entry: { index: 'src/index.ts' },
    clean: true,
    // Bundling drops module directives; the browser entry exports hooks, so React Server Components need it back.
    banner: { js: "'use client';" },
  },
  {
    ...shared,
    entry: { server: 'src/server.ts', testing: 'src/testing.ts' },
    // createPayrocMswHandlers requires the optional msw through createRequire(import.meta.url); without the shim
    // esbuild leaves import.meta empty in the CommonJS build.
    shims: true,
  },
]);
