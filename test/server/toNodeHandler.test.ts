import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPayrocClient, createSessionHandler, MAX_SESSION_REQUEST_BYTES, toNodeHandler, type NodeRequest } from '../../src/server';
import { fakePayroc, hang, TEST_API_KEY } from './support/fakePayroc';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function listen(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(listener);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/hosted-fields-session`;
}

const sessionHandler = (payroc = fakePayroc()) =>
  createSessionHandler({
    client: createPayrocClient({ apiKey: TEST_API_KEY, environment: 'test', fetch: payroc.fetch, maxRetries: 0 }),
    processingTerminalId: '1234001',
  });

/** A stand-in for express.json(): reads the whole stream and sets req.body. */
const jsonBodyParser = (req: NodeRequest, done: () => void) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    req.body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    done();
  });
};

describe('toNodeHandler over node:http', () => {
  it('streams the request to the handler and writes its response', async () => {
    const url = await listen(toNodeHandler(sessionHandler()));
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"scenario":"payment"}' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ processingTerminalId: '1234001', token: 'session-1', environment: 'test' });
  });

  it('gives the handler the URL, method and headers as sent', async () => {
    let seen: { url: string; method: string; cookie: string | null } | undefined;
    const url = await listen(
      toNodeHandler(async (request) => {
        seen = { url: request.url, method: request.method, cookie: request.headers.get('cookie') };
        return new Response('ok');
      }),
    );
    await fetch(`${url}?from=test`, { method: 'PUT', headers: { cookie: 'sid=1' }, body: 'x' });
    expect(seen).toEqual({ url: `${url}?from=test`, method: 'PUT', cookie: 'sid=1' });
  });

  it('uses req.body when a body parser (express.json) already consumed the stream', async () => {
    const handle = toNodeHandler(sessionHandler());
    const url = await listen((req, res) => jsonBodyParser(req, () => void handle(req, res)));
    const ok = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"scenario":"tokenization","secureTokenId":"MREF_9"}' });
    expect(ok.status).toBe(200);
    const bad = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"scenario":"payment","processingTerminalId":"666666"}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Array<{ parameter: string }> }).errors[0]!.parameter).toBe('processingTerminalId');
  });

  it('reads the stream when req.body is only a placeholder (body-parser 1.x skipped the request)', async () => {
    const handle = toNodeHandler(sessionHandler());
    const url = await listen((req, res) => {
      (req as NodeRequest).body = {};
      void handle(req, res);
    });
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"scenario":"payment"}' });
    expect(response.status).toBe(200);
  });

  it('answers 413 to a chunked upload that never ends, and closes the connection', async () => {
    const url = await listen(toNodeHandler(sessionHandler()));
    const { status, connection } = await new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } });
      req.on('response', (res) => {
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
        res.resume();
        req.destroy();
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(4096, 0x20);
      let written = 0;
      const pump = () => {
        while (written < 100 * MAX_SESSION_REQUEST_BYTES && !req.destroyed) {
          written += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    expect(status).toBe(413);
    expect(connection).toBe('close');
  });

  it('aborts request.signal when the client disconnects', async () => {
    let aborted: Promise<boolean> | undefined;
    let handling!: () => void;
    const handled = new Promise<void>((resolve) => (handling = resolve));
    const url = await listen(
      toNodeHandler(
        (request) =>
          new Promise<Response>((resolve) => {
            aborted = new Promise((done) => request.signal.addEventListener('abort', () => done(true)));
            void aborted.then(() => resolve(new Response('late')));
            handling();
          }),
      ),
    );
    const controller = new AbortController();
    const pending = fetch(url, { method: 'POST', body: '{}', signal: controller.signal }).catch(() => 'aborted');
    await handled;
    controller.abort();
    expect(await pending).toBe('aborted');
    await expect(aborted).resolves.toBe(true);
  });

  it('abandons the Payroc call when the browser goes away', async () => {
    let sent!: (signal: AbortSignal | undefined) => void;
    const upstream = new Promise<AbortSignal | undefined>((resolve) => (sent = resolve));
    const payroc = fakePayroc({
      sessions: [
        (call, signal) => {
          sent(signal);
          return hang(call, signal);
        },
      ],
    });
    const url = await listen(toNodeHandler(sessionHandler(payroc)));
    const controller = new AbortController();
    const pending = fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"scenario":"payment"}', signal: controller.signal }).catch(
      () => 'aborted',
    );
    // Awaited, not polled within a time limit: on a loaded machine the request may take a while to get here.
    const signal = await upstream;
    expect(payroc.sessionCalls()).toHaveLength(1);
    expect(signal?.aborted).toBe(false);
    const upstreamAborted = new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true }));
    controller.abort();
    expect(await pending).toBe('aborted');
    // The request to Payroc itself is aborted, not only the browser's side.
    await upstreamAborted;
    expect(signal?.aborted).toBe(true);
  });

  it('passes a handler crash to next(), or answers 502 without next', async () => {
    const crash = toNodeHandler(() => {
      throw new Error('bug');
    });
    const nextErrors: unknown[] = [];
    const url = await listen((req, res) => {
      if (req.url?.endsWith('with-next')) {
        void crash(req, res, (error) => {
          nextErrors.push(error);
          res.statusCode = 418;
          res.end();
        });
      } else void crash(req, res);
    });
    expect((await fetch(`${url}/with-next`, { method: 'POST' })).status).toBe(418);
    expect(nextErrors).toEqual([new Error('bug')]);
    const response = await fetch(url, { method: 'POST' });
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('survives a malformed Host header', async () => {
    const url = await listen(toNodeHandler(sessionHandler()));
    const { port } = new URL(url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/x', method: 'GET', headers: { host: 'bad host:99999' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(405);
  });
});

describe('methods the Fetch API refuses', () => {
  it('answers TRACE with 405 and Allow: POST, never next()', async () => {
    const { createServer, request } = await import('node:http');
    const { toNodeHandler: adapt } = await import('../../src/server/toNodeHandler');
    const next = vi.fn();
    const route = adapt(async () => new Response('should not run', { status: 200 }));
    const server = createServer((req, res) => void route(req, res, next));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as import('node:net').AddressInfo;
    try {
      const reply = await new Promise<{ status: number; allow: string | undefined; type: string | undefined }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'TRACE', path: '/api/hosted-fields-session' }, (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, allow: res.headers.allow, type: res.headers['content-type'] });
        });
        req.on('error', reject);
        req.end();
      });
      expect(reply).toEqual({ status: 405, allow: 'POST', type: 'application/problem+json' });
      expect(next).not.toHaveBeenCalled();
    } finally {
      server.close();
    }
  });
});
