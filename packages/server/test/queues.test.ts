import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createHarness, errorOf, type Harness, type WireJobShape } from './support/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

async function enqueue(queue: string, jobs: object[]): Promise<void> {
  const response = await h.app.inject({ method: 'POST', url: `/v1/queues/${queue}/jobs`, payload: { jobs } });
  expect(response.statusCode, response.body).toBe(201);
}

describe('queue routes', () => {
  test('GET /v1/queues lists queues with counts, a page at a time', async () => {
    await enqueue('a', [{ data: 1 }, { data: 2, delayMs: 60_000 }]);
    await enqueue('b', [{ data: 1 }]);
    await enqueue('c', [{ data: 1 }]);
    const first = await h.app.inject({ method: 'GET', url: '/v1/queues?limit=2' });
    const page = first.json<{
      items: Array<{ name: string; counts: Record<string, number> }>;
      cursor: string | null;
    }>();
    expect(page.items.map((q) => q.name)).toEqual(['a', 'b']);
    expect(page.items[0]?.counts).toEqual({ delayed: 1, waiting: 1, active: 0, completed: 0, dead: 0 });
    expect(page.cursor).not.toBeNull();
    const second = await h.app.inject({ method: 'GET', url: `/v1/queues?limit=2&cursor=${page.cursor}` });
    expect(second.json()).toMatchObject({ items: [{ name: 'c' }], cursor: null });
  });

  test('queue replies carry lifetime totals: acks, failed attempts, kept by a purge of the backlog', async () => {
    await enqueue('a', [{ data: 1 }, { data: 2 }, { data: 3 }, { data: 4 }]);
    const leased = await h.app.inject({ method: 'POST', url: '/v1/lease', payload: { queues: ['a'], max: 3 } });
    const [first, second, third] = leased.json<{ jobs: Array<{ id: string; leaseToken: string }> }>().jobs;
    for (const job of [first, second]) {
      const acked = await h.app.inject({
        method: 'POST',
        url: `/v1/jobs/${job?.id}/ack`,
        payload: { lease: job?.leaseToken },
      });
      expect(acked.statusCode, acked.body).toBe(200);
    }
    const nacked = await h.app.inject({
      method: 'POST',
      url: `/v1/jobs/${third?.id}/nack`,
      payload: { lease: third?.leaseToken, error: { message: 'boom' } },
    });
    expect(nacked.statusCode, nacked.body).toBe(200);
    const totals = { completed: 2, failed: 1 };
    expect((await h.app.inject({ method: 'GET', url: '/v1/queues/a' })).json()).toMatchObject({ queue: { totals } });
    expect((await h.app.inject({ method: 'GET', url: '/v1/queues' })).json()).toMatchObject({
      items: [{ name: 'a', totals }],
    });
    expect((await h.app.inject({ method: 'POST', url: '/v1/queues/a/pause' })).json()).toMatchObject({
      queue: { totals },
    });
    const backlog = await h.app.inject({
      method: 'POST',
      url: '/v1/queues/a/purge',
      payload: { states: ['waiting', 'delayed'] },
    });
    expect(backlog.statusCode, backlog.body).toBe(200);
    expect((await h.app.inject({ method: 'PUT', url: '/v1/queues/a' })).json()).toMatchObject({ queue: { totals } });
    await h.app.inject({ method: 'POST', url: '/v1/queues/a/purge' });
    expect((await h.app.inject({ method: 'GET', url: '/v1/queues/a' })).json()).toMatchObject({
      queue: { totals: { completed: 0, failed: 0 } },
    });
  });

  test('list limits outside 1..1000 are 400', async () => {
    for (const limit of ['0', '1001', 'ten', '1e400', '-1']) {
      const response = await h.app.inject({ method: 'GET', url: `/v1/queues?limit=${limit}` });
      expect(response.statusCode, limit).toBe(400);
      expect(errorOf(response).details).toMatchObject({ in: 'querystring' });
    }
  });

  test('GET /v1/queues/{queue} answers stats, 404 QUEUE_NOT_FOUND for an unknown queue', async () => {
    await enqueue('a', [{ data: 1 }]);
    const found = await h.app.inject({ method: 'GET', url: '/v1/queues/a' });
    expect(found.json()).toMatchObject({ queue: { name: 'a', paused: false, counts: { waiting: 1 } } });
    const missing = await h.app.inject({ method: 'GET', url: '/v1/queues/nope' });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing)).toMatchObject({ code: 'QUEUE_NOT_FOUND', details: { queue: 'nope' } });
  });

  test('PUT /v1/queues/{queue} creates a queue with a config, and an empty body is an empty config', async () => {
    const response = await h.app.inject({
      method: 'PUT',
      url: '/v1/queues/configured',
      payload: { leaseMs: 5_000, maxAttempts: 3 },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      queue: { name: 'configured', config: { leaseMs: 5_000, maxAttempts: 3 } },
    });
    const empty = await h.app.inject({ method: 'PUT', url: '/v1/queues/plain' });
    expect(empty.statusCode, empty.body).toBe(200);
    const bad = await h.app.inject({ method: 'PUT', url: '/v1/queues/plain', payload: { leaseMs: 1 } });
    expect(bad.statusCode).toBe(400);
  });

  test('pause stops leasing and resume restarts it', async () => {
    await enqueue('a', [{ data: 1 }]);
    const paused = await h.app.inject({ method: 'POST', url: '/v1/queues/a/pause' });
    expect(paused.json()).toMatchObject({ queue: { paused: true } });
    const lease = await h.app.inject({ method: 'POST', url: '/v1/lease', payload: { queues: ['a'] } });
    expect(lease.json()).toEqual({ jobs: [] });
    const resumed = await h.app.inject({ method: 'POST', url: '/v1/queues/a/resume' });
    expect(resumed.json()).toMatchObject({ queue: { paused: false } });
    const leased = await h.app.inject({ method: 'POST', url: '/v1/lease', payload: { queues: ['a'] } });
    expect(leased.json<{ jobs: unknown[] }>().jobs).toHaveLength(1);
  });

  test('purge deletes the jobs of the given states, or all', async () => {
    await enqueue('a', [{ data: 1 }, { data: 2 }, { data: 3, delayMs: 60_000 }]);
    const some = await h.app.inject({ method: 'POST', url: '/v1/queues/a/purge', payload: { states: ['delayed'] } });
    expect(some.json()).toEqual({ purged: 1 });
    const all = await h.app.inject({ method: 'POST', url: '/v1/queues/a/purge' });
    expect(all.json()).toEqual({ purged: 2 });
    const bad = await h.app.inject({ method: 'POST', url: '/v1/queues/a/purge', payload: { states: ['gone'] } });
    expect(bad.statusCode).toBe(400);
  });

  test('redrive moves dead jobs back to waiting', async () => {
    await enqueue('a', [{ data: 1 }]);
    const [leased] = await h.engine.lease({ queues: ['a'] });
    await h.engine.nack(leased?.id ?? '', { token: leased?.leaseToken ?? '', fail: true, retry: false });
    const response = await h.app.inject({
      method: 'POST',
      url: '/v1/queues/a/redrive',
      payload: { reason: 'rejected' },
    });
    expect(response.json()).toEqual({ redriven: 1 });
    expect((await h.engine.stats('a')).counts.waiting).toBe(1);
  });

  test('DELETE /v1/queues/{queue} answers 204, then 404', async () => {
    await enqueue('a', [{ data: 1 }]);
    expect((await h.app.inject({ method: 'DELETE', url: '/v1/queues/a' })).statusCode).toBe(204);
    const again = await h.app.inject({ method: 'DELETE', url: '/v1/queues/a' });
    expect(again.statusCode).toBe(404);
    expect(errorOf(again).code).toBe('QUEUE_NOT_FOUND');
  });

  test('GET /v1/queues/{queue}/jobs browses by state without leasing (peek)', async () => {
    await enqueue('a', [{ data: 1 }, { data: 2 }, { data: 3, delayMs: 60_000 }]);
    const waiting = await h.app.inject({ method: 'GET', url: '/v1/queues/a/jobs?state=waiting&limit=1' });
    const page = waiting.json<{ items: WireJobShape[]; cursor: string | null }>();
    expect(page.items.map((job) => job.data)).toEqual([1]);
    expect(page.cursor).not.toBeNull();
    const all = await h.app.inject({ method: 'GET', url: '/v1/queues/a/jobs' });
    expect(all.json<{ items: unknown[] }>().items).toHaveLength(3);
    expect((await h.engine.stats('a')).counts.active).toBe(0);
    const bad = await h.app.inject({ method: 'GET', url: '/v1/queues/a/jobs?state=running' });
    expect(bad.statusCode).toBe(400);
  });
});
