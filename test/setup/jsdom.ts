import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';

// React Testing Library cleans up by itself only with vitest globals; we do not use them.
afterEach(() => {
  cleanup();
});

// A console.error during a test is a bug we have not noticed yet (a state update after unmount, a missing act(),
// an unhandled error): fail the test on it.
beforeEach(() => {
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    throw new Error(`console.error was called: ${args.map(String).join(' ')}`);
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});
