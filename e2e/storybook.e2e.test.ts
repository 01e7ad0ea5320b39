import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Browser, Page, Request, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, screenshot } from './support/chromium';
import { serveFolder } from './support/staticServer';

const STATIC = resolve(import.meta.dirname, '../storybook-static');
const ENDPOINT = '/api/hosted-fields-session';
const SCRIPT = /^https:\/\/cdn\.uat\.payroc\.com\/js\/hosted-fields\/hosted-fields-[\d.]+\.js\?/;

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

/** A story open in Chromium, with what its page asked for and what msw (in the service worker) answered. */
interface OpenStory {
  page: Page;
  /** Takes the story's screenshot: called once, when the page shows the story's state. */
  snap: () => Promise<void>;
  /** Console errors and uncaught exceptions. */
  problems: string[];
  requests: Request[];
  responses: Response[];
  failed: Request[];
}

async function openStory(id: string): Promise<OpenStory> {
  const { page, problems } = await openPage(browser);
  const snap = async () => void (await screenshot(page, `story-${id}`));
  const story: OpenStory = { page, snap, problems, requests: [], responses: [], failed: [] };
  page.on('request', (request) => story.requests.push(request));
  page.on('response', (response) => story.responses.push(response));
  page.on('requestfailed', (request) => story.failed.push(request));
  await page.goto(`${server.url}/iframe.html?id=${id}&viewMode=story`);
  return story;
}

const isSessionRequest = (request: Request) => new URL(request.url()).pathname === ENDPOINT;
const isScriptRequest = (request: Request) => SCRIPT.test(request.url());

/** Waits until the panel's status line reads `text` (as a merchant sees it) and the hook's status is `status`. */
async function reach(page: Page, status: string, text: string): Promise<void> {
  await page.getByText(text, { exact: true }).waitFor({ timeout: 15_000 });
  expect(await page.getByRole('status').getAttribute('data-status')).toBe(status);
}

/** The value the panel shows for `term` (status, script, token, expires in). */
const shown = (page: Page, term: string) => page.locator(`dt:text-is("${term}") + dd`).innerText();

/** Every response to the session endpoint came from msw in the service worker, never from the static server. */
function sessionResponses({ responses }: OpenStory): Response[] {
  const answered = responses.filter((response) => isSessionRequest(response.request()));
  for (const response of answered) expect(response.fromServiceWorker(), response.url()).toBe(true);
  return answered;
}

const TOKEN = /^[0-9a-f]{32}$/;

/**
 * What each story must show, checked on the page; `networkErrors` are the console errors Chrome itself logs for the
 * failed loads the story is about (any other console error fails the test).
 */
const STORIES: Record<string, { check: (story: OpenStory) => Promise<void>; networkErrors?: RegExp }> = {
  'usehostedfieldssession--loading': {
    async check(story) {
      const { page } = story;
      await reach(page, 'loading', 'Getting a secure session…');
      await expect.poll(() => shown(page, 'script')).toBe('ready');
      // Still loading a while later: the request went out and msw has not answered it.
      await page.waitForTimeout(2_000);
      await reach(page, 'loading', 'Getting a secure session…');
      expect(await shown(page, 'token')).toBe('—');
      expect(story.requests.filter(isSessionRequest)).toHaveLength(1);
      expect(sessionResponses(story)).toEqual([]);
      await story.snap();
    },
  },
  'usehostedfieldssession--ready': {
    async check(story) {
      const { page } = story;
      await reach(page, 'ready', 'Ready: enter your card details');
      expect(await shown(page, 'script')).toBe('ready');
      const [session, ...more] = sessionResponses(story);
      expect(more).toEqual([]);
      expect(session!.request().method()).toBe('POST');
      expect(session!.request().postDataJSON()).toEqual({ scenario: 'payment' });
      const { token } = (await session!.json()) as { token: string };
      expect(token).toMatch(TOKEN);
      expect(await shown(page, 'token')).toBe(token);
      const script = story.responses.find((response) => isScriptRequest(response.request()));
      expect(script?.fromServiceWorker()).toBe(true);
      expect(
        await page.evaluate(() => {
          const tag = document.querySelector<HTMLScriptElement>('script[src*="/js/hosted-fields/"]');
          return { integrity: tag?.integrity, crossOrigin: tag?.crossOrigin, payroc: typeof window.Payroc?.hostedFields };
        }),
      ).toEqual({ integrity: expect.stringMatching(/^sha384-/), crossOrigin: 'anonymous', payroc: 'function' });
      await story.snap();
    },
  },
  'usehostedfieldssession--refreshing': {
    async check(story) {
      const { page } = story;
      await reach(page, 'ready', 'Ready: enter your card details');
      const first = await shown(page, 'token');
      expect(first).toMatch(TOKEN);
      await reach(page, 'refreshing', 'Renewing the secure session…');
      expect(await shown(page, 'token')).toBe(first);
      await story.snap();
      // The successor arrives and replaces the token.
      await reach(page, 'ready', 'Ready: enter your card details');
      expect(await shown(page, 'token')).not.toBe(first);
      expect(sessionResponses(story)).toHaveLength(2);
    },
  },
  'usehostedfieldssession--expired-after-sleep': {
    async check(story) {
      const { page } = story;
      await reach(page, 'loading', 'Your session expired: getting a new one…');
      expect(await shown(page, 'token')).toBe('—');
      expect(await shown(page, 'expires in')).toBe('—');
      await story.snap();
      await reach(page, 'ready', 'Ready: enter your card details');
      expect(await shown(page, 'token')).toMatch(TOKEN);
      expect(sessionResponses(story)).toHaveLength(2);
    },
  },
  'usehostedfieldssession--endpoint-error': {
    networkErrors: /^console\.error: Failed to load resource: the server responded with a status of 503 /,
    async check(story) {
      const { page } = story;
      await reach(page, 'error', 'The card form is unavailable');
      expect((await page.getByRole('alert').innerText()).split(/\n+/)).toEqual([
        'Service Unavailable',
        'Payroc is busy; try again later',
        'PayrocApiError',
      ]);
      expect(await page.getByRole('button').innerText()).toBe('Try again');
      const answered = sessionResponses(story);
      // Retried as Retry-After said before giving up.
      expect(answered.length).toBeGreaterThan(1);
      for (const response of answered) {
        expect(response.status()).toBe(503);
        expect(response.headers()['content-type']).toBe('application/problem+json');
      }
      await story.snap();
    },
  },
  'usehostedfieldssession--script-blocked': {
    networkErrors: /^console\.error: Failed to load resource: net::ERR_FAILED$/,
    async check(story) {
      const { page } = story;
      await reach(page, 'error', 'The card form is unavailable');
      expect(await shown(page, 'script')).toBe('error');
      expect(await shown(page, 'token')).toMatch(TOKEN);
      expect(await page.getByRole('alert').innerText()).toContain('HostedFieldsScriptError');
      // Every try failed, and the loader tried more than once.
      const tries = story.requests.filter(isScriptRequest);
      expect(tries.length).toBeGreaterThan(1);
      expect(story.failed.filter(isScriptRequest)).toEqual(tries);
      await story.snap();
    },
  },
};

describe('Storybook stories in Chromium, answered by msw', () => {
  it('has a check for every story', async () => {
    const index = JSON.parse(await readFile(resolve(STATIC, 'index.json'), 'utf8')) as {
      entries: Record<string, { id: string; type: string }>;
    };
    const stories = Object.values(index.entries).filter((entry) => entry.type === 'story');
    expect(stories.map((story) => story.id).sort()).toEqual(Object.keys(STORIES).sort());
  });

  it.each(Object.entries(STORIES))('%s reaches its state without a console error', async (id, { check, networkErrors }) => {
    const story = await openStory(id);
    try {
      await check(story);
      const expected = networkErrors ? story.problems.filter((problem) => networkErrors.test(problem)) : [];
      if (networkErrors) expect(expected.length, 'the failed loads are logged').toBeGreaterThan(0);
      expect(story.problems.filter((problem) => !expected.includes(problem))).toEqual([]);
    } finally {
      await story.page.context().close();
    }
  });
});
