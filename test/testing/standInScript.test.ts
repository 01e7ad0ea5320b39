import { JSDOM, VirtualConsole } from 'jsdom';
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

async function newSessionToken(libVersion = '1.7.0.261457', on: PayrocEmulator = emulator): Promise<string> {
  const identity = await on.fetch(emulator.identityUrl, { method: 'POST', headers: { 'x-api-key': DEFAULT_EMULATOR_API_KEY } });
  const { access_token } = (await identity.json()) as { access_token: string };
  const response = await on.fetch(`/v1/processing-terminals/1234001/hosted-fields-sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}`, 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify({ libVersion, scenario: 'payment' }),
  });
  return ((await response.json()) as { token: string }).token;
}

async function page(
  options: { on?: PayrocEmulator; virtualConsole?: VirtualConsole; loadFrames?: boolean } = {},
) {
  const on = options.on ?? emulator;
  const dom = new JSDOM(
    `<div id="number"></div><div id="expiry"></div><div id="cvv"></div><div id="submit"></div><p id="number-error"></p>`,
    {
      runScripts: 'dangerously',
      url: 'https://merchant.example/checkout',
      ...(options.virtualConsole && { virtualConsole: options.virtualConsole }),
      ...(options.loadFrames && { resources: 'usable' as const }),
    },
  );
  const window = dom.window as unknown as Window & typeof globalThis;
  window.fetch = options.loadFrames ? fetch : on.fetch;
  const source = await (await on.fetch(on.scripts.test.url)).text();
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
  const post = (instanceId: string, data: Record<string, unknown>, origin = on.url) =>
    window.dispatchEvent(
      new window.MessageEvent('message', { origin, data: { source: 'payroc-emulator', instance: instanceId, ...data } }),
    );
  const enterTestCard = (id: string) => {
    post(id, { type: 'input', field: 'cardNumber', value: '4111 1111 1111 1111' });
    post(id, { type: 'input', field: 'expiryDate', value: '12/39' });
    post(id, { type: 'input', field: 'cvv', value: '123' });
  };
  return { window, document: window.document, create, events, post, enterTestCard, close: () => window.close() };
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

  it('ignores messages from another origin or another instance', async () => {
    const { document, create, events, post } = await page();
    await create({ sessionToken: await newSessionToken() }).initialize();
    const id = instanceIdOf(document);
    post(id, { type: 'input', field: 'cardNumber', value: '4111' }, 'https://evil.example');
    post('another-instance', { type: 'input', field: 'cardNumber', value: '4111' });
    expect(events).toEqual([]);
    post(id, { type: 'input', field: 'cardNumber', value: '4111' });
    expect(events).toEqual([['fieldValidityChange', { field: 'cardNumber', validationError: 'Invalid card number' }]]);
  });

  it('reports invalid fields on submit without contacting the gateway', async () => {
    const { document, create, events, post } = await page();
    const token = await newSessionToken();
    await create({ sessionToken: token }).initialize();
    const id = instanceIdOf(document);
    post(id, { type: 'input', field: 'cardNumber', value: '4111 1111 1111 1111' });
    post(id, { type: 'input', field: 'expiryDate', value: '01/20' });
    post(id, { type: 'submit' });
    await expect.poll(() => events.filter(([event]) => event === 'error')).toHaveLength(2);
    expect(events.filter(([event]) => event === 'error')).toEqual([
      ['error', { type: 'field', field: 'expiryDate', message: 'Card has expired' }],
      ['error', { type: 'field', field: 'cvv', message: 'Invalid CVV' }],
    ]);
    expect(emulator.requests.filter((request) => request.route === 'submission' && request.path.includes(token))).toEqual([]);
  });

  it('lets onPreSubmit cancel, and reports a throwing onPreSubmit as a submission error', async () => {
    let verdict: () => boolean = () => false;
    const { document, create, events, post, enterTestCard } = await page();
    const token = await newSessionToken();
    await create({ sessionToken: token, onPreSubmit: () => verdict() }).initialize();
    const id = instanceIdOf(document);
    enterTestCard(id);
    post(id, { type: 'submit' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events.some(([event]) => event === 'submissionSuccess' || event === 'error')).toBe(false);

    verdict = () => {
      throw new Error('form invalid');
    };
    post(id, { type: 'submit' });
    await expect.poll(() => events.at(-1)).toEqual(['error', { type: 'submission', message: 'onPreSubmit failed: form invalid' }]);
    expect(emulator.requests.filter((request) => request.route === 'submission' && request.path.includes(token))).toEqual([]);
  });

  it('reports a token that expired before the customer paid as a submission error, and records it', async () => {
    let clock = Date.now();
    const local = createPayrocEmulator({ now: () => clock });
    await local.listen();
    try {
      const { document, create, events, post, enterTestCard } = await page({ on: local });
      await create({ sessionToken: await newSessionToken('1.7.0.261457', local) }).initialize();
      const id = instanceIdOf(document);
      enterTestCard(id);
      clock += 600_000;
      post(id, { type: 'submit' });
      await expect.poll(() => events.at(-1)).toEqual(['error', { type: 'submission', message: 'The session token has expired' }]);
      expect(local.requests.filter((request) => request.route === 'submission').map((request) => request.tokenState)).toEqual([
        'expired',
      ]);
    } finally {
      await local.close();
    }
  });

  it('announces surcharging once the card number is valid when the emulator offers it', async () => {
    const local = createPayrocEmulator({ surcharging: { percentage: 3, disclosure: 'A 3% surcharge applies.' } });
    await local.listen();
    try {
      const { document, create, events, post } = await page({ on: local });
      await create({ sessionToken: await newSessionToken('1.7.0.261457', local) }).initialize();
      const id = instanceIdOf(document);
      post(id, { type: 'input', field: 'cardNumber', value: '4111 1111 1111 1111' });
      post(id, { type: 'input', field: 'cardNumber', value: '5555 5555 5555 4444' });
      expect(events.filter(([event]) => event.startsWith('surcharging'))).toEqual([
        ['surchargingAllowed', { percentage: 3, disclosure: 'A 3% surcharge applies.' }],
      ]);
    } finally {
      await local.close();
    }
  });

  it('reports a second initialize() as a config error, and renders nothing when destroyed while initialising', async () => {
    const { document, create, events } = await page();
    const instance = create({ sessionToken: await newSessionToken() });
    const initializing = instance.initialize();
    await instance.initialize();
    expect(events).toEqual([['error', { type: 'config', message: 'initialize() was already called on this instance' }]]);
    instance.destroy();
    await initializing;
    expect(document.querySelectorAll('iframe')).toHaveLength(0);
  });

  it('keeps working when a merchant handler throws, and reports the exception as uncaught', async () => {
    const uncaught: string[] = [];
    const virtualConsole = new VirtualConsole();
    virtualConsole.on('jsdomError', (error) => uncaught.push(error.message));
    const { document, create, events, post } = await page({ virtualConsole });
    const instance = create({ sessionToken: await newSessionToken() });
    instance.on('fieldValidityChange', () => {
      throw new Error('merchant bug');
    });
    await instance.initialize();
    const id = instanceIdOf(document);
    post(id, { type: 'input', field: 'cardNumber', value: '4111' });
    post(id, { type: 'input', field: 'cardNumber', value: '4111 1111 1111 1111' });
    expect(events.map(([event]) => event)).toEqual(['fieldValidityChange', 'fieldValidityChange', 'surchargingNotAllowed']);
    await expect.poll(() => uncaught).toHaveLength(2);
  });

  it('completes a payment typed into the real field iframes served over loopback', async () => {
    const { document, window, create, events } = await page({ loadFrames: true });
    // jsdom leaves MessageEvent.origin empty (the stand-in rightly ignores that); a browser sets it to the frame's
    // origin, so this bridge re-sends what the frames post with the origin a browser would give it.
    const posted: unknown[] = [];
    window.addEventListener('message', (event) => {
      if (event.origin) return;
      posted.push(event.data);
      window.dispatchEvent(new window.MessageEvent('message', { origin: emulator.url, data: event.data }));
    });
    await create({ sessionToken: await newSessionToken() }).initialize();
    const frames = [...document.querySelectorAll('iframe')];
    await expect.poll(() => frames.every((frame) => frame.contentDocument?.getElementById('control'))).toBe(true);
    const type = (index: number, value: string) => {
      const frame = frames[index]!;
      const input = frame.contentDocument!.getElementById('control') as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new (frame.contentWindow as typeof window).Event('input'));
    };
    type(0, '4111 1111 1111 1111');
    type(1, '12/39');
    type(2, '123');
    await expect.poll(() => events.filter(([event]) => event === 'fieldValidityChange')).toHaveLength(3);
    frames[3]!.contentDocument!.getElementById('control')!.click();
    await expect.poll(() => events.find(([event]) => event === 'submissionSuccess')).toBeDefined();
    expect(frames[3]!.contentDocument!.getElementById('control')!.textContent).toBe('Pay');
    const id = instanceIdOf(document);
    expect(posted).toEqual([
      { source: 'payroc-emulator', instance: id, field: 'cardNumber', type: 'input', value: '4111 1111 1111 1111' },
      { source: 'payroc-emulator', instance: id, field: 'expiryDate', type: 'input', value: '12/39' },
      { source: 'payroc-emulator', instance: id, field: 'cvv', type: 'input', value: '123' },
      { source: 'payroc-emulator', instance: id, field: 'submit', type: 'submit' },
    ]);
    window.close();
  });

  it('reports an unreachable gateway as an init error and resolves initialize()', async () => {
    const { create, events } = await page();
    emulator.injectFault({ route: 'configuration', drop: true });
    await expect(create({ sessionToken: await newSessionToken() }).initialize()).resolves.toBeUndefined();
    expect(events).toEqual([['error', { type: 'init', message: 'Could not reach the payment gateway' }]]);
  });

  it('uses nothing a strict CSP forbids: no eval, no inline styles or markup', async () => {
    const source = await (await emulator.fetch(emulator.scripts.test.url)).text();
    expect(source).not.toMatch(/\beval\(|new Function|setTimeout\(['"]|innerHTML|insertAdjacentHTML|document\.write|setAttribute\(['"]style/);
  });
});
