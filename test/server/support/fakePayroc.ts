// A scripted stand-in for Payroc's Identity and sessions endpoints, injected as `fetch`: it records every request
// exactly as sent and answers with what each test scripts (default: a valid token / a valid 201 session).

export interface RecordedCall {
  route: 'identity' | 'sessions' | 'other';
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

export type Responder = (call: RecordedCall, signal: AbortSignal | undefined) => Response | Promise<Response>;

export const TEST_API_KEY = 'sk_test_9f8e7d6c5b4a39281706';

export const problem = (status: number, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ type: 'https://docs.payroc.com/api/errors#x', title: `Error ${status}`, status, ...body }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });

/** Never answers; rejects when the request is aborted (like a real fetch). */
export const hang: Responder = (_call, signal) =>
  new Promise((_resolve, reject) => {
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

export function fakePayroc(
  options: { identity?: Responder[]; sessions?: Responder[]; now?: () => number; expiresIn?: number } = {},
) {
  const calls: RecordedCall[] = [];
  const now = options.now ?? Date.now;
  let identityCount = 0;
  let sessionCount = 0;
  const defaultIdentity: Responder = () =>
    Response.json({ access_token: `bearer-${identityCount}`, expires_in: options.expiresIn ?? 3600, scope: 'x', token_type: 'Bearer' });
  const defaultSession: Responder = (call) => {
    const terminal = decodeURIComponent(call.url.split('/processing-terminals/')[1]!.split('/')[0]!);
    return Response.json(
      { processingTerminalId: terminal, token: `session-${sessionCount}`, expiresAt: new Date(now() + 600_000).toISOString() },
      { status: 201, headers: { location: `/v1/hosted-fields-sessions/session-${sessionCount}` } },
    );
  };
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const url = request.url;
    const route = url.endsWith('/authorize') ? 'identity' : url.endsWith('/hosted-fields-sessions') ? 'sessions' : 'other';
    const call: RecordedCall = { route, url, method: request.method, headers, body: init?.body ? String(init.body) : '' };
    calls.push(call);
    const signal = init?.signal ?? undefined;
    signal?.throwIfAborted();
    if (route === 'identity') {
      const responder = options.identity?.[identityCount] ?? defaultIdentity;
      identityCount += 1;
      return responder(call, signal);
    }
    if (route === 'sessions') {
      const responder = options.sessions?.[sessionCount] ?? defaultSession;
      sessionCount += 1;
      return responder(call, signal);
    }
    return new Response('not found', { status: 404 });
  };
  return {
    fetch,
    calls,
    identityCalls: () => calls.filter((call) => call.route === 'identity'),
    sessionCalls: () => calls.filter((call) => call.route === 'sessions'),
  };
}
