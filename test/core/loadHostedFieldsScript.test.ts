// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isHostedFieldsScriptError } from '../../src/core/errors/HostedFieldsScriptError';
import { HOSTED_FIELDS_SCRIPTS } from '../../src/core/hostedFieldsScripts';
import { loadHostedFieldsScript } from '../../src/core/loadHostedFieldsScript';
import type { PayrocGlobal } from '../../src/core/payrocGlobal';
import type { HostedFieldsScript } from '../../src/core/types';

// jsdom does not fetch scripts; these helpers play the browser's part: the file arrives (and defines window.Payroc),
// or the load fails (CSP, content blocker, network, SRI).
const fakePayroc = { hostedFields: class {} } as unknown as PayrocGlobal;
const tagsFor = (url: string) => [...document.querySelectorAll<HTMLScriptElement>('script')].filter((tag) => tag.src === url);
function arrive(tag: HTMLScriptElement | undefined, payroc: PayrocGlobal | null = fakePayroc) {
  if (payroc) window.Payroc = payroc;
  tag!.dispatchEvent(new Event('load'));
}
const fail = (tag: HTMLScriptElement | undefined) => tag!.dispatchEvent(new Event('error'));

let n = 0;
// The loader keeps one promise per URL for the page's lifetime, so each test uses its own URL.
const freshScript = (): HostedFieldsScript => ({
  url: `https://cdn.uat.payroc.com/js/hosted-fields/hosted-fields-1.7.0.${++n}.js`,
  libVersion: `1.7.0.${n}`,
  integrity: 'sha384-abc',
});

beforeEach(() => {
  delete window.Payroc;
});
afterEach(() => {
  document.head.innerHTML = '';
  document.body.innerHTML = '';
  vi.useRealTimers();
});

describe('loadHostedFieldsScript', () => {
  it('does nothing until called', async () => {
    vi.resetModules();
    await import('../../src/core/loadHostedFieldsScript');
    expect(document.querySelectorAll('script')).toHaveLength(0);
  });

  it("injects the environment's script with integrity, crossorigin and async, and resolves window.Payroc", async () => {
    const loading = loadHostedFieldsScript({ environment: 'test' });
    const [tag] = tagsFor(HOSTED_FIELDS_SCRIPTS.test.url);
    expect(tag).toBeDefined();
    expect(tag!.getAttribute('integrity')).toBe(HOSTED_FIELDS_SCRIPTS.test.integrity);
    expect(tag!.getAttribute('crossorigin')).toBe('anonymous');
    expect(tag!.async).toBe(true);
    arrive(tag);
    await expect(loading).resolves.toBe(fakePayroc);
  });

  it('sets the CSP nonce as a real attribute', async () => {
    const script = freshScript();
    const loading = loadHostedFieldsScript({ script }, { nonce: 'r4nd0m' });
    const [tag] = tagsFor(script.url);
    expect(tag!.getAttribute('nonce')).toBe('r4nd0m');
    arrive(tag);
    await loading;
  });

  it('leaves out integrity when the record has none', async () => {
    const script = { ...freshScript(), integrity: '' };
    const loading = loadHostedFieldsScript({ script });
    const [tag] = tagsFor(script.url);
    expect(tag!.hasAttribute('integrity')).toBe(false);
    arrive(tag);
    await loading;
  });

  it('returns one promise per URL and injects one tag, however often it is called', async () => {
    const script = freshScript();
    const first = loadHostedFieldsScript({ script });
    const second = loadHostedFieldsScript({ script });
    expect(second).toBe(first);
    expect(tagsFor(script.url)).toHaveLength(1);
    arrive(tagsFor(script.url)[0]);
    await first;
    expect(loadHostedFieldsScript({ script })).toBe(first);
    expect(tagsFor(script.url)).toHaveLength(1);
  });

  it('reuses a tag the page already has while it is still loading', async () => {
    const script = freshScript();
    const own = document.createElement('script');
    own.src = script.url;
    document.head.appendChild(own);
    const loading = loadHostedFieldsScript({ script });
    expect(tagsFor(script.url)).toEqual([own]);
    arrive(own);
    await expect(loading).resolves.toBe(fakePayroc);
  });

  it('reuses a tag that has already loaded', async () => {
    const script = freshScript();
    const own = document.createElement('script');
    own.src = script.url;
    document.body.appendChild(own);
    window.Payroc = fakePayroc;
    await expect(loadHostedFieldsScript({ script })).resolves.toBe(fakePayroc);
    expect(tagsFor(script.url)).toHaveLength(1);
  });

  it('retries a failed load with a fresh tag, a bounded number of times, then rejects with a typed error', async () => {
    vi.useFakeTimers();
    const script = freshScript();
    const loading = loadHostedFieldsScript({ script }, { retries: 2, retryDelayMs: 1000 });
    const outcome = loading.catch((error: unknown) => error);
    for (let attempt = 0; attempt < 3; attempt++) {
      const tags = tagsFor(script.url);
      expect(tags).toHaveLength(1);
      fail(tags[0]);
      expect(tagsFor(script.url)).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(tagsFor(script.url)).toHaveLength(0);
    const error = await outcome;
    expect(isHostedFieldsScriptError(error)).toBe(true);
    expect(error).toMatchObject({ url: script.url });
  });

  it('succeeds when an automatic retry loads', async () => {
    vi.useFakeTimers();
    const script = freshScript();
    const loading = loadHostedFieldsScript({ script }, { retryDelayMs: 500 });
    fail(tagsFor(script.url)[0]);
    await vi.advanceTimersByTimeAsync(500);
    arrive(tagsFor(script.url)[0]);
    await expect(loading).resolves.toBe(fakePayroc);
  });

  it('forgets a failure, so a later call starts again and can succeed', async () => {
    const script = freshScript();
    const first = loadHostedFieldsScript({ script }, { retries: 0 });
    fail(tagsFor(script.url)[0]);
    await expect(first).rejects.toSatisfy(isHostedFieldsScriptError);
    const second = loadHostedFieldsScript({ script }, { retries: 0 });
    expect(second).not.toBe(first);
    expect(tagsFor(script.url)).toHaveLength(1);
    arrive(tagsFor(script.url)[0]);
    await expect(second).resolves.toBe(fakePayroc);
  });

  it('rejects when the file loads but does not define window.Payroc.hostedFields', async () => {
    const script = freshScript();
    const loading = loadHostedFieldsScript({ script }, { retries: 0 });
    arrive(tagsFor(script.url)[0], null);
    await expect(loading).rejects.toThrow(/no window\.Payroc\.hostedFields/);
  });

  it('does not wait for ever on a tag of the page whose load already failed: it times out and loads its own', async () => {
    vi.useFakeTimers();
    const script = freshScript();
    const stale = document.createElement('script');
    stale.src = script.url; // the merchant's own tag, failed before we listened: no event will ever fire
    document.head.appendChild(stale);

    const loading = loadHostedFieldsScript({ script }, { timeoutMs: 5_000, retryDelayMs: 100 });
    await vi.advanceTimersByTimeAsync(5_000 + 100);
    const tags = tagsFor(script.url);
    expect(tags).toHaveLength(1);
    expect(tags[0]).not.toBe(stale);
    expect(tags[0]!.getAttribute('integrity')).toBe('sha384-abc');
    arrive(tags[0]);
    await expect(loading).resolves.toBe(fakePayroc);
  });

  it('counts a load that never answers as a failed try', async () => {
    vi.useFakeTimers();
    const script = freshScript();
    const loading = loadHostedFieldsScript({ script }, { timeoutMs: 1_000, retries: 0 });
    const outcome = loading.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1_000);
    const error = await outcome;
    expect(isHostedFieldsScriptError(error)).toBe(true);
    expect((error as Error).message).toMatch(/no load or error event within 1000 ms/);
    expect(tagsFor(script.url)).toHaveLength(0);
  });
});
