import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, screenshot } from './support/chromium';
import { serveFolder } from './support/staticServer';

const STATIC = resolve(import.meta.dirname, '../storybook-static');

let browser: Browser;
let server: Awaited<ReturnType<typeof serveFolder>>;

beforeAll(async () => {
  if (!existsSync(resolve(STATIC, 'index.json'))) {
    throw new Error('storybook-static/ is missing: run `npm run build-storybook` first (npm test does).');
  }
  browser = await launchChromium();
  server = await serveFolder(STATIC);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Storybook stories in Chromium', () => {
  it('renders every story without a console error', async () => {
    const index = JSON.parse(await readFile(resolve(STATIC, 'index.json'), 'utf8')) as {
      entries: Record<string, { id: string; type: string; title: string; name: string }>;
    };
    const stories = Object.values(index.entries).filter((entry) => entry.type === 'story');
    expect(stories.length).toBeGreaterThanOrEqual(6);

    for (const story of stories) {
      const { page, problems } = await openPage(browser);
      await page.goto(`${server.url}/iframe.html?id=${story.id}&viewMode=story`);
      await page.waitForFunction(() => (document.querySelector('#storybook-root')?.childElementCount ?? 0) > 0, null, {
        timeout: 15_000,
      });
      // Let the story reach the state it shows: "script blocked" needs its three load attempts (about 2 s).
      await page.waitForTimeout(3_500);
      await screenshot(page, `story-${story.id}`);
      expect(problems, `${story.title} / ${story.name}`).toEqual([]);
      await page.context().close();
    }
  });
});
