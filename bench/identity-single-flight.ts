// How many Identity calls N concurrent sessions cost: one, whatever N (single-flight Bearer token), against the
// Payroc emulator on 127.0.0.1 with 50 ms of Identity latency so that the callers really overlap.
// Usage: npx tsx bench/identity-single-flight.ts
import { createPayrocClient } from '../src/server';
import { createPayrocEmulator, DEFAULT_EMULATOR_API_KEY } from '../src/testing/createPayrocEmulator';

const emulator = createPayrocEmulator({ latencyMs: { identity: 50 } });
await emulator.listen();
try {
  console.log('concurrent sessions | Identity calls | sessions created | wall time');
  console.log('------------------- | -------------- | ---------------- | ---------');
  for (const n of [1, 10, 100, 1000]) {
    emulator.reset();
    // A fresh client per row: an empty token cache, as after a deploy.
    const payroc = createPayrocClient({
      apiKey: DEFAULT_EMULATOR_API_KEY,
      environment: 'test',
      identityUrl: emulator.identityUrl,
      apiUrl: emulator.apiUrl,
    });
    const started = performance.now();
    await Promise.all(Array.from({ length: n }, () => payroc.createHostedFieldsSession({ processingTerminalId: '1234001', scenario: 'payment' })));
    const ms = performance.now() - started;
    const count = (route: string) => emulator.requests.filter((request) => request.route === route && request.status < 300).length;
    console.log(`${String(n).padStart(19)} | ${String(count('identity')).padStart(14)} | ${String(count('sessions')).padStart(16)} | ${ms.toFixed(0).padStart(6)} ms`);
  }
} finally {
  await emulator.close();
}
