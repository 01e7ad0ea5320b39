// Internal: RFC 7807 responses of the session handler. Never given an upstream error's text: callers pass our own words.

export interface ProblemInit {
  status: number;
  /** Last segment of a `urn:payroc-hosted-fields:` type. */
  code: string;
  title: string;
  detail: string;
  /** Per-field problems, in Payroc's own shape (`parameter`, `detail`, `message`). */
  errors?: Array<{ parameter: string; detail: string; message: string }>;
  headers?: Record<string, string>;
}

export function problemResponse({ status, code, title, detail, errors, headers }: ProblemInit): Response {
  const body = { type: `urn:payroc-hosted-fields:${code}`, title, status, detail, ...(errors && { errors }) };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers },
  });
}

export const fieldProblem = (parameter: string, message: string): ProblemInit => ({
  status: 400,
  code: 'invalid-request',
  title: 'Bad Request',
  detail: `${parameter} ${message}`,
  errors: [{ parameter, detail: `${parameter} ${message}`, message }],
});
