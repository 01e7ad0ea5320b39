import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
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
    ],
  },
});
