import { expect, it } from 'vitest';
import { loadHostedFieldsScript } from '../../src/core/loadHostedFieldsScript';

it('resolves null where there is no window (server rendering)', async () => {
  expect(typeof window).toBe('undefined');
  await expect(loadHostedFieldsScript({ environment: 'production' })).resolves.toBeNull();
});
