import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', ['json', { outputFile: 'e2e-artifacts/vitest-results.json' }]],
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts', 'test/**/*.node.test.tsx'],
          setupFiles: ['test/setup/node.ts'],
        },
      },
      {
        test: {
          name: 'browser',
          environment: 'jsdom',
          include: ['test/**/*.test.tsx'],
          exclude: ['test/**/*.node.test.tsx'],
          setupFiles: ['test/setup/jsdom.ts'],
        },
      },
      {
        // Real Chromium (Debian's) against the demo and the built Storybook; see e2e/support/chromium.ts.
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.e2e.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
