import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    server: 'src/server.ts',
    testing: 'src/testing.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'es2020',
  // One file per entry: the browser entry must never share a chunk with server code.
  splitting: false,
  sourcemap: false,
  treeshake: true,
  external: ['react', 'react-dom', '@tanstack/react-query', 'msw', 'node:http', 'node:crypto'],
});
