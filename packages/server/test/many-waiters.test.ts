/**
 * A thousand concurrent long-polls over a real socket (issue 19, item 4): nothing shared collects
 * a listener per waiter (no MaxListenersExceededWarning), the close notice holds one listener per
 * parked waiter and none once they were answered, and the heap returns to its baseline.
 */
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { lifecycleOf } from '../src/shutdown.ts';
import type { Lifecycle } from '../src/lifecycle.ts';
import { createHarness, type Harness } from './support/harness.ts';

const WAITERS = 1000;
/** Heap growth allowed after a second round of 1 000 waiters (the first one warms the JIT and pools). */
const HEAP_SLACK_BYTES = 4 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let h: Harness;
let base: string;
let lifecycle: Lifecycle;
const warnings: Error[] = [];
const onWarning = (warning: Error): void => {
  warnings.push(warning);
};

beforeAll(async () => {
  h = await createHarness({ memory: true });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  const found = lifecycleOf(h.app);
  if (found === undefined) throw new Error('buildApp attaches a lifecycle');
  lifecycle = found;
  process.on('warning', onWarning);
});

afterAll(async () => {
  process.off('warning', onWarning);
  await h.close();
});

function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 3000 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

interface Leased {
  readonly jobs: ReadonlyArray<{ readonly id: string; readonly leaseToken: string }>;
}

/**
 * Parks WAITERS long-polls on `queue`, checks each holds one listener, feeds them one job each
 * and acks the jobs, so the round leaves nothing in flight.
 */
async function round(queue: string): Promise<void> {
  const polls = Array.from({ length: WAITERS }, () =>
    post('/v1/lease', { queues: [queue], max: 1, waitMs: 30_000 }).then(async (response) => {
      expect(response.status).toBe(200);
      return ((await response.json()) as Leased).jobs;
    }),
  );
  await until(() => lifecycle.closing.listenerCount === WAITERS, `${WAITERS} parked waiters`);
  const enqueued = await post(`/v1/queues/${queue}/jobs`, {
    jobs: Array.from({ length: WAITERS }, (_, i) => ({ data: i })),
  });
  expect(enqueued.status).toBe(201);
  const leased = (await Promise.all(polls)).flat();
  expect(leased).toHaveLength(WAITERS);
  expect(lifecycle.closing.listenerCount).toBe(0);
  const acked = await post('/v1/jobs/ack', { items: leased.map(({ id, leaseToken }) => ({ id, lease: leaseToken })) });
  expect(acked.status).toBe(200);
  await acked.arrayBuffer();
}

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

test('1 000 concurrent long-polls leave no listener and no heap behind', async () => {
  await round('q');
  const baseline = heapAfterGc();
  await round('q');
  expect(heapAfterGc() - baseline).toBeLessThan(HEAP_SLACK_BYTES);
  expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
}, 60_000);
