/**
 * Flow control of the consumer stream over a real socket, on an app with short stream limits:
 * a consumer that stops reading is held to what its socket buffer allows (delivery pauses, so
 * fewer than its prefetch window are leased), then disconnected as a slow consumer with its
 * jobs back in the queue; a client that reads again sees why, and /metrics counts it.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { createHarness, type Harness } from './support/harness.ts';
import { openStream } from './support/stream-client.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** 64 KiB payloads: 400 of them (25 MiB) are far more than loopback socket buffers hold. */
const PAYLOAD = 'x'.repeat(64 * 1024);
const JOBS = 400;

test('a consumer that stops reading is held below its window, then disconnected as slow-consumer', async () => {
  h = await createHarness({
    streams: { highWaterBytes: 256 * 1024, slowConsumerMs: 500, closeGraceMs: 5000 },
  });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  const engine = h.engine;
  await engine.enqueueMany(
    'slow',
    Array.from({ length: JOBS }, () => ({ data: PAYLOAD })),
  );
  const stream = await openStream(url, { queues: 'slow', prefetch: JOBS });
  stream.socket.pause();

  const seen: number[] = [];
  const deadline = Date.now() + 15_000;
  let stats = await engine.stats('slow');
  while (stats.counts.active > 0 || seen.length === 0) {
    seen.push(stats.counts.active);
    if (Date.now() > deadline) throw new Error(`never given back: ${JSON.stringify(seen.slice(-20))}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
    stats = await engine.stats('slow');
  }
  // While it did not read, delivery stopped well short of its window: memory stayed bounded.
  expect(Math.max(...seen)).toBeGreaterThan(0);
  expect(Math.max(...seen)).toBeLessThan(JOBS);
  // Then the server gave up on it: every job is back, none lost.
  expect(stats.counts).toMatchObject({ active: 0, waiting: JOBS });

  stream.socket.resume();
  const [closing] = await stream.waitFor((m) => m.type === 'closing');
  expect(closing).toMatchObject({ reason: 'slow-consumer' });
  expect((await stream.closed).code).toBe(4008);
  const app = h.app;
  const metrics = async (): Promise<string> => (await app.inject({ method: 'GET', url: '/metrics' })).body;
  expect(await metrics()).toContain('docket_stream_slow_consumer_disconnects_total 1');
  // The server's side of the socket closes a moment after the client's.
  const until = Date.now() + 5000;
  while (!(await metrics()).includes('docket_stream_subscribers{queue="slow"} 0') && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(await metrics()).toContain('docket_stream_subscribers{queue="slow"} 0');
});
