// Internal: one logical call to Payroc, with a timeout per attempt and retries decided by retryPolicy.
import { abortAfter } from '../core/abortAfter';
import { PayrocConfigurationError } from '../core/errors/PayrocConfigurationError';
import { PayrocNetworkError } from '../core/errors/PayrocNetworkError';
import { PayrocTimeoutError } from '../core/errors/PayrocTimeoutError';
import { decideRetry, parseRetryAfter, sleep } from './retryPolicy';

/**
 * The logger `createPayrocClient` accepts (`console` fits). Messages are plain strings that never contain the API key
 * or a Bearer token. A logger that throws is ignored: it never fails a call.
 *
 * @example
 * const logger: PayrocLogger = {
 *   // Retries and Bearer token renewals: the call still succeeds or fails on its own.
 *   warn: (message) => console.warn(message),
 *   // Token store calls that failed or timed out: the session is still created, so this is the only trace.
 *   error: (message) => console.error(message),
 * };
 * const payroc = createPayrocClient({ apiKey: process.env.PAYROC_API_KEY, environment: 'test', logger });
 */
export interface PayrocLogger {
  /** Retries (status or failure, attempt, delay) and Bearer token renewals after a 401. */
  warn(message: string): void;
  /**
   * A `tokenStore` call (`get`, `set`, `delete`) that threw, rejected or did not answer in time. The client carries
   * on without the cache, so nothing else reports it. Without `error`, these lines go to `warn`.
   */
  error?: ((message: string) => void) | undefined;
}

export interface SendOptions {
  /** For log lines, e.g. "Identity" or "create session". */
  what: string;
  url: string;
  init: { method: 'POST'; headers: Record<string, string>; body?: string };
  fetch: typeof fetch;
  timeoutMs: number;
  maxRetries: number;
  /**
   * Retries an earlier send of the same logical request already spent (the one before a 401 and a new Bearer
   * token): they count against `maxRetries`, so a 401 cannot restart the budget. Default 0.
   */
  retriesUsed?: number | undefined;
  signal?: AbortSignal | undefined;
  logger?: PayrocLogger | undefined;
  now: () => number;
  random?: () => number;
  /** Strings that must never leave this function in a body (the API key, the Bearer token). */
  secrets: readonly string[];
}

/** The final HTTP answer: status, headers and the body parsed as JSON (or the text when it is not JSON). */
export interface SendResult {
  status: number;
  headers: Headers;
  body: unknown;
  /** `Retry-After` in milliseconds, when the response had a valid one. */
  retryAfterMs: number | undefined;
  /** How many attempts count against `maxRetries`: 1 + the retries made, `retriesUsed` included. */
  attempts: number;
}

export const redact = (text: string, secrets: readonly string[]) =>
  secrets.reduce((result, secret) => (secret ? result.split(secret).join('[redacted]') : result), text);

/**
 * Redacts every string in parsed JSON, member names included. The raw text cannot be redacted instead: JSON may spell
 * a secret with escapes (`sk_live\u002Bab`, or every character as `\uXXXX`), which only parsing turns back into it.
 */
function redactJson(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (Array.isArray(value)) return value.map((item) => redactJson(item, secrets));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([name, member]) => [redact(name, secrets), redactJson(member, secrets)]));
  }
  return value;
}

/** The body as JSON when it parses (every string redacted), else as text (redacted). */
function redactedBody(raw: string, secrets: readonly string[]): unknown {
  if (!raw) return raw;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return redact(raw, secrets);
  }
  return redactJson(parsed, secrets);
}

/**
 * True when `error` or an error in its `cause` chain spells a secret in its message or stack, as is or JSON-escaped
 * (the way some runtimes quote a header value). An error that cannot even be read counts as one that does.
 */
function mentionsSecret(error: unknown, secrets: readonly string[]): boolean {
  const spellings = secrets.filter(Boolean).flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]);
  try {
    let current: unknown = error;
    for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth += 1) {
      const { message, stack, cause } = (typeof current === 'object' ? current : { message: current }) as Record<string, unknown>;
      const text = `${String(message)}\n${String(stack)}`;
      if (spellings.some((spelling) => text.includes(spelling))) return true;
      current = cause;
    }
    return false;
  } catch {
    return true;
  }
}

/**
 * Sends the request until it gets an answer that is not worth retrying, or retries run out. Resolves with the last
 * HTTP response whatever its status; rejects with {@link PayrocTimeoutError} or {@link PayrocNetworkError} when the
 * last attempt got none, with {@link PayrocConfigurationError} when the request could not be built, or with the
 * caller's abort reason.
 */
export async function sendWithRetries(options: SendOptions): Promise<SendResult> {
  const { signal, logger, maxRetries, now } = options;
  for (let attempt = 1 + (options.retriesUsed ?? 0); ; attempt += 1) {
    signal?.throwIfAborted();
    let result: SendResult | undefined;
    let failure: PayrocTimeoutError | PayrocNetworkError | undefined;
    try {
      result = await sendOnce(options, attempt);
    } catch (error) {
      if (error instanceof PayrocTimeoutError || error instanceof PayrocNetworkError) failure = error;
      else throw error;
    }
    const delay = decideRetry(
      result
        ? { kind: 'response', status: result.status, retryAfter: result.headers.get('retry-after') }
        : { kind: failure instanceof PayrocTimeoutError ? 'timeout' : 'network' },
      attempt,
      maxRetries,
      { now: now(), ...(options.random && { random: options.random }) },
    );
    if (delay === undefined) {
      if (result) return result;
      throw failure;
    }
    const reason = result ? `answered ${result.status}` : failure instanceof PayrocTimeoutError ? 'timed out' : 'could not be reached';
    // The client passes a logger that never throws, so a failing one cannot turn a retry into a hard failure.
    logger?.warn(`Payroc ${options.what} ${reason}; retry ${attempt} of ${maxRetries} in ${delay} ms`);
    await sleep(delay, signal);
  }
}

async function sendOnce(options: SendOptions, attempt: number): Promise<SendResult> {
  const { signal, timeoutMs, secrets } = options;
  const deadline = abortAfter(timeoutMs, signal);
  // Raced as well as passed on: a fetch that ignores its signal, or a body that stalls, must not hang the call.
  const aborted = new Promise<never>((_resolve, reject) => {
    deadline.signal.addEventListener('abort', () => reject(deadline.signal.reason), { once: true });
  });
  aborted.catch(() => undefined);
  const fetchImpl = options.fetch;
  try {
    const response = await Promise.race([fetchImpl(options.url, {
        ...options.init,
        // Payroc documents no redirects; following one would send x-api-key to whatever origin it names.
        redirect: 'error',
        signal: deadline.signal,
      }), aborted]);
    let raw: string;
    try {
      raw = await Promise.race([response.text(), aborted]);
    } catch (error) {
      response.body?.cancel().catch(() => undefined);
      throw error;
    }
    const body = redactedBody(raw, secrets);
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), options.now());
    return { status: response.status, headers: response.headers, body, retryAfterMs, attempts: attempt };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (deadline.timedOut()) throw new PayrocTimeoutError(timeoutMs, { detail: `Payroc ${options.what} took longer than ${timeoutMs} ms` });
    // An error that quotes a secret comes from building the request (fetch quotes a header value it rejects), not from
    // the network: retrying cannot help, and the error must not ride along as the cause.
    if (mentionsSecret(error, secrets)) {
      throw new PayrocConfigurationError(
        `Payroc ${options.what}: the request could not be built; the error is left out because it quotes a header ` +
          'that holds the API key or Bearer token',
      );
    }
    // The cause is kept for debugging: connection errors carry no request headers.
    throw new PayrocNetworkError(`Could not reach Payroc (${options.what})`, {
      detail: `Could not reach Payroc (${options.what})`,
      cause: error,
    });
  } finally {
    deadline.done();
  }
}
