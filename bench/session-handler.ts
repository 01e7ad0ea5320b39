// The session route's cost: requests/s and p50/p99 latency of createSessionHandler behind node:http + toNodeHandler,
// side by side with calling createHostedFieldsSession directly, both against the Payroc emulator on 127.0.0.1.
// The ratio is the handler's overhead (HTTP hop from the "browser", body parsing, validation, JSON reply).
// Usage: npx tsx bench/session-handler.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPayrocClient, createSessionHandler, toNodeHandler } from '../src/server';
import { createPayrocEmulator, DEFAULT_EMULATOR_API_KEY } from '../src/testing/createPayrocEmulator';

const REQUESTS = 2_000;
const CONCURRENCY = 20;
const WARMUP = 200;

const emulator = createPayrocEmulator();
await emulator.listen();
const payroc = createPayrocClient({
  apiKey: DEFAULT_EMULATOR_API_KEY,
  environment: 'test',
  identityUrl: emulator.identityUrl,
  apiUrl: emulator.apiUrl,
});
const server = createServer(toNodeHandler(createSessionHandler({ client: payroc, processingTerminalId: '1234001' })));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const route = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/hosted-fields-session`;

async function measure(label: string, once: () => Promise<void>) {
  for (let i = 0; i < WARMUP; i += 1) await once();
  emulator.reset(); // the emulator keeps every session; keep its maps small between runs
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next += 1;
        const t0 = performance.now();
        await once();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return { label, rps: latencies.length / seconds, p50: pct(50), p99: pct(99) };
}

try {
  const direct = await measure('createHostedFieldsSession (direct)', async () => {
    await payroc.createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' });
  });
  const viaHandler = await measure('POST /api/hosted-fields-session (handler)', async () => {
    const response = await fetch(route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"scenario":"payment"}' });
    if (response.status !== 200) throw new Error(`handler answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  });
  console.log(`${REQUESTS} sessions, ${CONCURRENCY} concurrent, emulator on loopback (Node ${process.version})`);
  console.log('path                                      |   req/s | p50 ms | p99 ms');
  console.log('----------------------------------------- | ------- | ------ | ------');
  for (const row of [direct, viaHandler]) {
    console.log(`${row.label.padEnd(41)} | ${row.rps.toFixed(0).padStart(7)} | ${row.p50.toFixed(2).padStart(6)} | ${row.p99.toFixed(2).padStart(6)}`);
  }
  console.log(
    `handler / direct: throughput ×${(viaHandler.rps / direct.rps).toFixed(2)}, p50 ×${(viaHandler.p50 / direct.p50).toFixed(2)}, p99 ×${(viaHandler.p99 / direct.p99).toFixed(2)}`,
  );
} finally {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await emulator.close();
}
