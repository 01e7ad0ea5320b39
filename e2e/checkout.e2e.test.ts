import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../demo/server';
import { launchChromium, openPage, SCREENSHOT_DIR, screenshot } from './support/chromium';

let browser: Browser;
let demo: Demo | undefined;

beforeAll(async () => {
  browser = await launchChromium();
  console.info(`e2e screenshots: ${SCREENSHOT_DIR}`);
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await demo?.close();
  demo = undefined;
});

const sessionStatus = (page: Page) => page.getByTestId('session-status');
const fieldsStatus = (page: Page) => page.getByTestId('fields-status');

/** Records, inside the page, the most card-number iframes ever present at once and every CSP violation. */
async function watchPage(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const state = { maxCardFrames: 0, violations: [] as string[] };
    (window as unknown as { __e2e: typeof state }).__e2e = state;
    document.addEventListener('securitypolicyviolation', (event) =>
      state.violations.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
    new MutationObserver(() => {
      state.maxCardFrames = Math.max(state.maxCardFrames, document.querySelectorAll('iframe[src*="cardNumber"]').length);
    }).observe(document, { childList: true, subtree: true });
  });
}
const pageState = (page: Page) =>
  page.evaluate(() => (window as unknown as { __e2e: { maxCardFrames: number; violations: string[] } }).__e2e);

/** The entries of the page's Events log, newest first. */
const events = (page: Page) => page.getByRole('region', { name: 'Events' }).getByRole('listitem').allTextContents();

async function payWithTestCard(page: Page): Promise<void> {
  await page.frameLocator('#cardholder-name iframe').locator('input').fill('Ada Lovelace');
  await page.frameLocator('#card-number iframe').locator('input').fill('4111 1111 1111 1111');
  await page.frameLocator('#expiry-date iframe').locator('input').fill('12/39');
  await page.frameLocator('#cvv iframe').locator('input').fill('123');
  await page.frameLocator('#submit iframe').locator('button').click();
}

describe('demo checkout in Chromium', () => {
  it('loads the matching script once, shows the card fields, and a payment returns a single-use token', async () => {
    demo = await startDemo({ payroc: null });
    const { page, problems } = await openPage(browser);
    await watchPage(page);
    const response = await page.goto(demo.url);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-/);

    await expect.poll(() => fieldsStatus(page).textContent(), { timeout: 15_000 }).toContain('ready');
    expect(await sessionStatus(page).textContent()).toBe('ready');

    const scripts = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLScriptElement>('script[src*="hosted-fields-"]')].map((script) => ({
        src: script.src,
        integrity: script.integrity,
        crossOrigin: script.crossOrigin,
        nonce: script.nonce,
      })),
    );
    const expected = demo.emulator!.scripts.test;
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toMatchObject({ src: expected.url, integrity: expected.integrity, crossOrigin: 'anonymous' });
    expect(scripts[0]!.src).toContain(`hosted-fields-${expected.libVersion}.js`);
    expect(scripts[0]!.nonce).not.toBe('');

    for (const target of ['#cardholder-name', '#card-number', '#expiry-date', '#cvv', '#submit']) {
      expect(await page.locator(`${target} iframe`).count(), target).toBe(1);
    }
    console.info(`screenshot: ${await screenshot(page, 'ready')}`);

    await payWithTestCard(page);
    const token = page.getByTestId('payment-token');
    await expect.poll(() => token.textContent(), { timeout: 10_000 }).toMatch(/\S{8,}/);
    expect(await fieldsStatus(page).textContent()).toContain('submitted');
    console.info(`screenshot: ${await screenshot(page, 'submitted')}`);

    const submissions = demo.emulator!.requests.filter(
      (request) => request.route === 'submission' && request.method === 'POST',
    );
    expect(submissions.map((request) => request.status)).toEqual([201]);
    expect((await pageState(page)).violations).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('refreshes a short-lived session before it expires and re-creates the fields once, never two forms', async () => {
    // A slow session endpoint keeps the 'refreshing' state (old token still valid) on screen long enough to see.
    demo = await startDemo({
      payroc: null,
      emulator: { sessionTtlMs: 9_000, latencyMs: { sessions: 1_500 } },
      refreshBeforeExpiryMs: 5_000,
    });
    const { page, problems } = await openPage(browser);
    await watchPage(page);
    await page.goto(demo.url);
    await expect.poll(() => fieldsStatus(page).textContent(), { timeout: 15_000 }).toContain('ready');
    const firstToken = await page.getByTestId('session-token').textContent();

    // The first token lives 9 s and its successor is fetched 5 s before it expires, while the old one still works.
    await expect.poll(() => sessionStatus(page).textContent(), { timeout: 10_000, interval: 50 }).toBe('refreshing');
    expect(await fieldsStatus(page).textContent()).toContain('ready');
    console.info(`screenshot: ${await screenshot(page, 'refreshing')}`);
    // 'reinitializing' lasts only tens of milliseconds, too short to poll for; the page's Events log keeps the record.
    const renewals = async () =>
      (await events(page)).filter((text) => text.includes('session renewed: card fields re-created')).length;
    await expect.poll(renewals, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => fieldsStatus(page).textContent(), { timeout: 10_000 }).toContain('ready');
    expect(await page.getByTestId('session-token').textContent()).not.toBe(firstToken);
    expect(await renewals()).toBe(1);

    const emulator = demo.emulator!;
    const sessions = emulator.requests.filter((request) => request.route === 'sessions' && request.status === 201);
    expect(sessions).toHaveLength(2);
    // The next session was asked for while the first token still worked, not after it had lapsed.
    expect(emulator.sessions).toHaveLength(2);
    expect(sessions[1]!.at).toBeLessThan(emulator.sessions[0]!.expiresAt);
    // Each token was used by exactly one Hosted Fields instance, and none after it expired.
    const configurations = emulator.requests.filter((request) => request.route === 'configuration');
    expect(configurations.map((request) => request.status)).toEqual([200, 200]);
    expect(configurations.map((request) => request.tokenState)).toEqual(['valid', 'valid']);
    expect(emulator.requests.filter((request) => request.tokenState === 'expired')).toEqual([]);
    expect(emulator.sessions.filter((session) => session.used)).toHaveLength(2);
    expect((await pageState(page)).maxCardFrames).toBe(1);
    expect(await page.locator('#card-number iframe').count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it('runs under the strict CSP, which really blocks a script without the nonce', async () => {
    demo = await startDemo({ payroc: null });
    const { page } = await openPage(browser);
    await watchPage(page);
    await page.goto(demo.url);
    await expect.poll(() => fieldsStatus(page).textContent(), { timeout: 15_000 }).toContain('ready');
    expect((await pageState(page)).violations).toEqual([]);

    // Control: the same script without the nonce is refused, so the page works because of the nonce, not despite CSP.
    const blocked = await page.evaluate(
      (url) =>
        new Promise<boolean>((resolve) => {
          const script = document.createElement('script');
          script.src = `${url}?control`;
          script.onload = () => resolve(false);
          script.onerror = () => resolve(true);
          document.head.appendChild(script);
        }),
      demo.emulator!.scripts.test.url,
    );
    expect(blocked).toBe(true);
    expect((await pageState(page)).violations.some((violation) => violation.startsWith('script-src'))).toBe(true);
  });

  it('shows an endpoint failure and recovers without a reload', async () => {
    demo = await startDemo({ payroc: null });
    demo.emulator!.injectFault({ route: 'sessions', status: 503, times: 1_000 });
    const { page, problems } = await openPage(browser);
    await page.goto(demo.url);

    const alert = page.getByRole('alert').first();
    await expect.poll(() => alert.textContent(), { timeout: 30_000 }).toMatch(/unavailable|failed|error/i);
    expect(await sessionStatus(page).textContent()).toBe('error');
    console.info(`screenshot: ${await screenshot(page, 'error')}`);

    demo.emulator!.clearFaults();
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => fieldsStatus(page).textContent(), { timeout: 15_000 }).toContain('ready');
    expect(await page.locator('#card-number iframe').count()).toBe(1);
    expect(problems.filter((problem) => !problem.includes('503') && !problem.includes('502'))).toEqual([]);
  });

  it('recovers when the Hosted Fields script fails to load at first', async () => {
    demo = await startDemo({ payroc: null });
    demo.emulator!.injectFault({ route: 'script', status: 503, times: 1 });
    const { page } = await openPage(browser);
    await page.goto(demo.url);
    // The loader retries on its own: one failed load is invisible to the customer.
    await expect.poll(() => fieldsStatus(page).textContent(), { timeout: 20_000 }).toContain('ready');
    const scriptRequests = demo.emulator!.requests.filter((request) => request.route === 'script');
    expect(scriptRequests.map((request) => request.status)).toEqual([503, 200]);
    expect(await page.locator('script[src*="hosted-fields-"]').count()).toBe(1);
  });

  it('shows a script that keeps failing, and loads it on "Try again"', async () => {
    demo = await startDemo({ payroc: null });
    demo.emulator!.injectFault({ route: 'script', status: 503, times: 1_000 });
    const { page } = await openPage(browser);
    await page.goto(demo.url);
    await expect.poll(() => sessionStatus(page).textContent(), { timeout: 30_000 }).toBe('error');
    expect(await page.getByRole('alert').first().textContent()).toMatch(/script/i);

    demo.emulator!.clearFaults();
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => fieldsStatus(page).textContent(), { timeout: 15_000 }).toContain('ready');
    expect(await page.locator('script[src*="hosted-fields-"]').count()).toBe(1);
  });
});
