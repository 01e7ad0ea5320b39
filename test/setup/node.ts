import { afterEach, beforeEach, vi } from 'vitest';

// A console.error during a test is a bug we have not noticed yet: fail the test on it.
beforeEach(() => {
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    throw new Error(`console.error was called: ${args.map(String).join(' ')}`);
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});
