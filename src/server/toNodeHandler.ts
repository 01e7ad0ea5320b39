import type { IncomingMessage, ServerResponse } from 'node:http';
import { problemResponse } from './problemResponse';

/**
 * A Node request as `node:http`, Express and Connect pass it; `body` is set when a body parser (e.g. `express.json()`)
 * already read the stream.
 *
 * @example
 * const handle = (req: NodeRequest, res: ServerResponse) => nodeHandler(req, res);
 */
export type NodeRequest = IncomingMessage & { body?: unknown };

/**
 * A `node:http` / Express / Connect request listener. It resolves once the response is written and never rejects.
 *
 * @example
 * const listener: NodeHandler = toNodeHandler(handler);
 * http.createServer(listener).listen(3000);
 */
export type NodeHandler = (req: NodeRequest, res: ServerResponse, next?: (error?: unknown) => void) => Promise<void>;

/**
 * Adapts a Fetch API handler (such as {@link createSessionHandler}'s) to `node:http`, Express and Connect. Streams the
 * request body to the handler (so its size limit holds without buffering), or, when `express.json()` or another
 * parser already consumed it, hands over `req.body`. Aborts the handler's `request.signal` when the client goes away.
 *
 * @example
 * import express from 'express';
 * import { createPayrocClient, createSessionHandler, toNodeHandler } from 'payroc-hosted-fields/server';
 *
 * const payroc = createPayrocClient({ apiKey: process.env.PAYROC_API_KEY, environment: 'test' });
 * const app = express();
 * app.post('/api/hosted-fields-session', toNodeHandler(createSessionHandler({ client: payroc, processingTerminalId: '1234001' })));
 */
export function toNodeHandler(handler: (request: Request) => Response | Promise<Response>): NodeHandler {
  return async (req, res, next) => {
    const controller = new AbortController();
    const onClose = () => {
      if (!res.writableFinished) controller.abort();
    };
    res.once('close', onClose);
    let response: Response;
    let request: Request;
    try {
      request = toRequest(req, controller.signal);
    } catch {
      // The Fetch API refuses some methods (TRACE, CONNECT) and malformed requests: a request-shape problem, answered
      // here as a 4xx, never passed to next() as if the route had crashed.
      const post = req.method === 'POST';
      response = problemResponse({
        status: post ? 400 : 405,
        code: post ? 'invalid-request' : 'method-not-allowed',
        title: post ? 'Bad Request' : 'Method Not Allowed',
        detail: post ? 'The request could not be read' : 'Use POST',
        ...(!post && { headers: { allow: 'POST' } }),
      });
      await writeResponse(req, res, response).catch(() => res.destroy());
      res.off('close', onClose);
      return;
    }
    try {
      response = await handler(request);
    } catch (error) {
      if (next) {
        next(error);
        return;
      }
      response = problemResponse({ status: 502, code: 'session-failed', title: 'Bad Gateway', detail: 'The request could not be handled' });
    }
    try {
      await writeResponse(req, res, response);
    } catch (error) {
      if (!res.headersSent && next) next(error);
      else res.destroy();
    } finally {
      res.off('close', onClose);
    }
  };
}

function requestUrl(req: IncomingMessage): string {
  const path = req.url?.startsWith('/') ? req.url : '/';
  const encrypted = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const host = typeof req.headers.host === 'string' ? req.headers.host : '';
  try {
    return new URL(path, `${encrypted ? 'https' : 'http'}://${host || 'localhost'}`).href;
  } catch {
    // A malformed Host header must not crash the route.
    try {
      return new URL(path, 'http://localhost').href;
    } catch {
      return 'http://localhost/';
    }
  }
}

function toRequest(req: NodeRequest, signal: AbortSignal): Request {
  const method = (req.method ?? 'GET').toUpperCase();
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      try {
        headers.append(name, item);
      } catch {
        // Skip a header value the Fetch API refuses; the handler does not need it.
      }
    }
  }
  let body: BodyInit | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    // A body parser ran (it read the stream to its end): use what it parsed.
    if (req.body !== undefined && req.readableEnded) {
      headers.delete('content-length');
      headers.delete('transfer-encoding');
      headers.delete('content-encoding');
      body = parsedBody(req.body);
    } else if (!req.readableEnded && !req.destroyed) {
      body = streamBody(req);
    }
  }
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal };
  if (body !== undefined) {
    init.body = body;
    init.duplex = 'half';
  }
  return new Request(requestUrl(req), init);
}

function parsedBody(value: unknown): BodyInit {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new Uint8Array(value);
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    // Not serialisable (a cycle, a BigInt): the handler answers 400 for an empty body.
    return '';
  }
}

// Pull-based: the socket is paused until the handler asks for the next chunk, so a large upload is never buffered.
function streamBody(req: IncomingMessage): ReadableStream<Uint8Array> {
  let settled = false;
  let onData: (chunk: Buffer | string) => void;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const encoder = new TextEncoder();
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        try {
          finish();
        } catch {
          // Already cancelled.
        }
      };
      onData = (chunk) => {
        if (settled) return;
        controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      };
      req.on('data', onData);
      req.once('end', () => settle(() => controller.close()));
      req.once('error', (error) => settle(() => controller.error(error)));
      req.once('close', () => settle(() => controller.error(new Error('The request closed before its body ended'))));
      req.pause();
    },
    pull() {
      req.resume();
    },
    cancel() {
      settled = true;
      req.off('data', onData);
      // Discard the rest; writeResponse sends `Connection: close` so the client stops sending.
      req.resume();
    },
  });
}

async function writeResponse(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
  if (res.headersSent || res.destroyed) return;
  const payload = new Uint8Array(await response.arrayBuffer());
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie?.() ?? [];
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  // The handler answered without reading the whole body (413, 403…): close the connection instead of draining it.
  if (!req.readableEnded) res.setHeader('connection', 'close');
  res.setHeader('content-length', String(payload.byteLength));
  await new Promise<void>((resolve) => res.end(payload, resolve));
}
