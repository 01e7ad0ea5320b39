// Internal: reads a request body chunk by chunk, stopping as soon as it passes the limit or stalls.

export type BodyReadResult =
  | { ok: true; text: string }
  | { ok: false; reason: 'too-large' | 'timeout' | 'unreadable' | 'not-utf8' };

export async function readBodyLimited(request: Request, maxBytes: number, timeoutMs: number): Promise<BodyReadResult> {
  const stream = request.body;
  if (!stream) return { ok: true, text: '' };
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = stream.getReader();
  } catch {
    // Locked or already read (e.g. by `authorize`).
    return { ok: false, reason: 'unreadable' };
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const stop = (reason: 'too-large' | 'timeout' | 'unreadable'): BodyReadResult => {
    reader.cancel().catch(() => undefined);
    return { ok: false, reason };
  };
  try {
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array> | 'timeout';
      try {
        step = await Promise.race([reader.read(), stalled]);
      } catch {
        return stop('unreadable');
      }
      if (step === 'timeout') return stop('timeout');
      if (step.done) break;
      const value = step.value as unknown;
      // ArrayBuffer.isView rather than instanceof: the stream may come from another realm.
      if (!ArrayBuffer.isView(value)) return stop('unreadable');
      const chunk = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      total += chunk.byteLength;
      if (total > maxBytes) return stop('too-large');
      chunks.push(chunk);
    }
  } finally {
    clearTimeout(timer);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, reason: 'not-utf8' };
  }
}
