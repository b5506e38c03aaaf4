/**
 * `maxBytes` over HTTP: set with `PUT /v1/queues/{queue}` and validated precisely; an enqueue
 * that would make the queue's waiting and delayed payload bytes pass it is 429 QUEUE_FULL with
 * Retry-After and `details.maxBytes`, and writes nothing (an atomic batch whole); in
 * `POST /v1/jobs` the full queue's items get that error as their outcome while other queues'
 * items go in; a lease makes room.
 */
import { describe, expect, test } from 'vitest';
import { flowHarnessPerTest, issuePaths } from './support/flow-harness.ts';
import { errorOf } from './support/harness.ts';

const h = flowHarnessPerTest();
const { configure, enqueue } = h;

/** A JSON string payload stored as exactly `bytes` bytes (its text and two quotes). */
const sized = (bytes: number) => 'x'.repeat(bytes - 2);

async function waiting(queue: string): Promise<number> {
  const info = await h.app.inject({ method: 'GET', url: `/v1/queues/${queue}` });
  return info.json<{ queue: { counts: { waiting: number } } }>().queue.counts.waiting;
}

describe('maxBytes over HTTP', () => {
  test('is stored with the queue config; a bad value is 400 at /maxBytes and changes nothing', async () => {
    const response = await configure('q', { maxBytes: 1_048_576 });
    expect(response.json()).toMatchObject({ queue: { name: 'q', config: { maxBytes: 1_048_576 } } });
    for (const maxBytes of [0, -5, 1.5, 2 ** 40 + 1, '1MiB']) {
      const bad = await configure('r', { maxBytes });
      expect(bad.statusCode, String(maxBytes)).toBe(400);
      expect(issuePaths(bad)).toContain('/maxBytes');
    }
    expect((await h.app.inject({ method: 'GET', url: '/v1/queues/r' })).statusCode).toBe(404);
  });

  test('an enqueue past maxBytes is 429 QUEUE_FULL with Retry-After; a batch is refused whole', async () => {
    expect((await configure('q', { maxBytes: 100 })).statusCode).toBe(200);
    expect((await enqueue('q', { data: sized(60) })).statusCode).toBe(201);
    const batch = await enqueue('q', { jobs: [{ data: sized(20) }, { data: sized(21) }] });
    expect(batch.statusCode).toBe(429);
    expect(batch.headers['retry-after']).toBe('1');
    expect(errorOf(batch)).toMatchObject({ code: 'QUEUE_FULL', details: { queue: 'q', maxBytes: 100 } });
    expect(await waiting('q')).toBe(1);
    expect((await enqueue('q', { jobs: [{ data: sized(20) }, { data: sized(20) }] })).statusCode).toBe(201);
    expect((await enqueue('q', { data: sized(2) })).statusCode).toBe(429);
    const lease = await h.app.inject({ method: 'POST', url: '/v1/lease', payload: { queues: ['q'] } });
    expect(lease.json<{ jobs: unknown[] }>().jobs).toHaveLength(1);
    expect((await enqueue('q', { data: sized(60) })).statusCode).toBe(201);
  });

  test('in POST /v1/jobs the full queue items fail with QUEUE_FULL, the other queues go in', async () => {
    expect((await configure('full', { maxBytes: 50 })).statusCode).toBe(200);
    const response = await h.app.inject({
      method: 'POST',
      url: '/v1/jobs',
      payload: {
        items: [
          { queue: 'full', data: sized(40) },
          { queue: 'open', data: sized(40) },
          { queue: 'full', data: sized(40) },
        ],
      },
    });
    expect(response.statusCode).toBe(200);
    const { results } = response.json<{ results: Array<{ created?: boolean; error?: { code: string } }> }>();
    expect(results.map((r) => r.error?.code ?? r.created)).toEqual(['QUEUE_FULL', true, 'QUEUE_FULL']);
    expect(results[0]?.error).toMatchObject({ details: { queue: 'full', maxBytes: 50 } });
    expect(await waiting('full')).toBe(0);
    expect(await waiting('open')).toBe(1);
  });
});
