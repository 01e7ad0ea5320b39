import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostedFieldsConfig, HostedFieldsEventMap, PayrocGlobal } from '../../src/core/payrocGlobal';
import { createPayrocEmulator, DEFAULT_EMULATOR_API_KEY, type PayrocEmulator } from '../../src/testing';

// The stand-in runs in a jsdom page (its own realm), fetching from the emulator; card input is simulated with the
// messages the field iframes post.

let emulator: PayrocEmulator;
beforeAll(async () => {
  emulator = createPayrocEmulator();
  await emulator.listen();
});
afterAll(() => emulator.close());

async function newSessionToken(libVersion = '1.7.0.261457'): Promise<string> {
  const identity = await emulator.fetch(emulator.identityUrl, { method: 'POST', headers: { 'x-api-key': DEFAULT_EMULATOR_API_KEY } });
  const { access_token } = (await identity.json()) as { access_token: string };
  const response = await emulator.fetch(`${emulator.apiUrl}/processing-terminals/1234001/hosted-fields-sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}`, 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify({ libVersion, scenario: 'payment' }),
  });
  return ((await response.json()) as { token: string }).token;
}

async function page() {
  const dom = new JSDOM(
    `<div id="number"></div><div id="expiry"></div><div id="cvv"></div><div id="submit"></div><p id="number-error"></p>`,
    { runScripts: 'dangerously', url: 'https://merchant.example/checkout' },
  );
  const window = dom.window as unknown as Window & typeof globalThis;
  window.fetch = emulator.fetch;
  const source = await (await emulator.fetch(emulator.scripts.test.url)).text();
  const script = window.document.createElement('script');
  script.textContent = source;
  window.document.body.appendChild(script);
  const Payroc = window.Payroc as PayrocGlobal;
  const events: [string, unknown][] = [];
  const create = (config: Partial<HostedFieldsConfig>) => {
    const instance = new Payroc.hostedFields({
      mode: 'payment',
      fields: {
        card: {
          cardNumber: { target: '#number', errorTarget: '#number-error' },
          expiryDate: { target: '#expiry' },
          cvv: { target: '#cvv', wrapperTarget: false },
          submit: { target: '#submit', value: 'Pay' },
        },
      },
      ...config,
    } as HostedFieldsConfig);
    for (const event of ['submissionSuccess', 'error', 'fieldValidityChange', 'surchargingAllowed', 'surchargingNotAllowed'] as const) {
      instance.on(event, (payload: HostedFieldsEventMap[typeof event]) => events.push([event, payload]));
    }
    return instance;
  };
  const post = (instanceId: string, data: Record<string, unknown>) =>
    window.dispatchEvent(
      new window.MessageEvent('message', { origin: emulator.url, data: { source: 'payroc-emulator', instance: instanceId, ...data } }),
    );
  return { window, document: window.document, create, events, post };
}

const instanceIdOf = (document: Document) =>
  new URL(document.querySelector<HTMLIFrameElement>('#number iframe')!.src).searchParams.get('instance')!;

describe('stand-in Hosted Fields script', () => {
  it('initialises once per token, renders one iframe per field, and completes a payment', async () => {
    const { document, create, events, post } = await page();
    const token = await newSessionToken();
    const instance = create({ sessionToken: token });
    await instance.initialize();
    expect(events).toEqual([]);
    expect([...document.querySelectorAll('iframe')].map((frame) => frame.getAttribute('data-payroc-field'))).toEqual([
      'cardNumber',
      'expiryDate',
      'cvv',
      'submit',
    ]);

    const id = instanceIdOf(document);
    post(id, { type: 'input', field: 'cardNumber', value: '4111 1111 1111 1112' });
    expect(document.querySelector('#number-error')!.textContent).toBe('Invalid card number');
    post(id, { type: 'input', field: 'cardNumber', value: '4111 1111 1111 1111' });
    post(id, { type: 'input', field: 'expiryDate', value: '12/39' });
    post(id, { type: 'input', field: 'cvv', value: '123' });
    post(id, { type: 'submit' });
    await expect.poll(() => events.find(([event]) => event === 'submissionSuccess')).toBeDefined();
    expect(events.map(([event]) => event)).toEqual([
      'fieldValidityChange',
      'fieldValidityChange',
      'surchargingNotAllowed',
      'fieldValidityChange',
      'fieldValidityChange',
      'submissionSuccess',
    ]);
    expect(events.at(-1)![1]).toEqual({ token: expect.stringMatching(/^card_/), expiresAt: expect.any(String) });
  });

  it('reports a reused, an expired-or-unknown and a wrong-version token as init errors', async () => {
    const { create, events } = await page();
    const token = await newSessionToken();
    await create({ sessionToken: token }).initialize();
    await create({ sessionToken: token }).initialize();
    await create({ sessionToken: 'not-a-token' }).initialize();
    await create({ sessionToken: await newSessionToken('1.7.0.261471') }).initialize();
    expect(events).toEqual([
      ['error', { type: 'init', message: 'The session token has already been used' }],
      ['error', { type: 'init', message: 'Invalid session token' }],
      ['error', { type: 'init', message: 'Invalid libVersion' }],
    ]);
  });

  it.each<[string, Partial<HostedFieldsConfig>, RegExp]>([
    ['a missing session token', { sessionToken: '' }, /sessionToken is required/],
    ['an unknown mode', { sessionToken: 't', mode: 'refund' as never }, /mode must be/],
    ['wrapper instead of wrapperTarget', { sessionToken: 't', fields: { card: { cardNumber: { target: '#number' }, expiryDate: { target: '#expiry' }, cvv: { target: '#cvv', wrapper: '#cvv' } as never, submit: { target: '#submit' } } } }, /use wrapperTarget/],
    ['a submit outside fields.card', { sessionToken: 't', fields: { card: { cardNumber: { target: '#number' }, expiryDate: { target: '#expiry' } }, submit: { target: '#submit' } } as never }, /submit must be inside fields.card/],
    ['a selector that matches nothing', { sessionToken: 't', fields: { card: { cardNumber: { target: '#nothing' }, expiryDate: { target: '#expiry' }, submit: { target: '#submit' } } } }, /"#nothing" matches 0 elements/],
  ])('reports %s as a config error', async (_, config, message) => {
    const { create, events } = await page();
    await create(config).initialize();
    expect(events).toEqual([['error', { type: 'config', message: expect.stringMatching(message) }]]);
  });

  it('throws on an event the library does not emit', async () => {
    const { create } = await page();
    const instance = create({ sessionToken: 't' });
    expect(() => instance.on('ready' as never, () => {})).toThrow(/unknown event "ready"/);
  });

  it('destroy() stops listening but, like the real library, leaves the iframes', async () => {
    const { document, create, events, post } = await page();
    const instance = create({ sessionToken: await newSessionToken() });
    await instance.initialize();
    const id = instanceIdOf(document);
    instance.destroy();
    post(id, { type: 'input', field: 'cardNumber', value: '4111' });
    expect(events).toEqual([]);
    expect(document.querySelectorAll('iframe')).toHaveLength(4);
  });
});
