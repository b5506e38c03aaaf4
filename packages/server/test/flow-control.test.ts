/**
 * Flow control over HTTP: a queue's `maxWaiting`, `concurrency` and `rateLimit` are set with
 * `PUT /v1/queues/{queue}`, validated precisely, and shape the answers: an enqueue past
 * `maxWaiting` is 429 QUEUE_FULL with Retry-After and writes nothing (a batch whole), a lease
 * long-poll on a used-up rate window waits for the next window rather than returning empty.
 */
import { describe, expect, test } from 'vitest';
import { emqEnqueue, emqWait } from '../../../test/support/emq-client.ts';
import { flowHarnessPerTest, issuePaths } from './support/flow-harness.ts';
import { errorOf } from './support/harness.ts';

const h = flowHarnessPerTest();
const { configure, enqueue } = h;

describe('flow control over HTTP', () => {
  test('the limits are stored with the queue config and read back', async () => {
    const config = { maxWaiting: 10, concurrency: 2, rateLimit: { max: 5, perMs: 1_000 } };
    const response = await configure('q', config);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ queue: { name: 'q', config } });
  });

  test.each([
    [{ concurrency: 0 }, '/concurrency'],
    [{ maxWaiting: -1 }, '/maxWaiting'],
    [{ rateLimit: { max: 5 } }, '/rateLimit/perMs'],
    [{ rateLimit: { max: 5, perMs: 1 } }, '/rateLimit/perMs'],
    [{ rateLimit: { max: 5, perMs: 1_000, burst: 2 } }, '/rateLimit/burst'],
  ])('a bad limit %j is 400 INVALID_ARGUMENT at %s and changes nothing', async (config, path) => {
    const response = await configure('q', config);
    expect(response.statusCode).toBe(400);
    const error = errorOf(response);
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(issuePaths(response)).toContain(path);
    const info = await h.app.inject({ method: 'GET', url: '/v1/queues/q' });
    expect(info.statusCode).toBe(404);
  });

  test('an enqueue past maxWaiting is 429 QUEUE_FULL with Retry-After; a batch is refused whole', async () => {
    expect((await configure('q', { maxWaiting: 2 })).statusCode).toBe(200);
    expect((await enqueue('q', { data: 1 })).statusCode).toBe(201);
    const batch = await enqueue('q', { jobs: [{ data: 2 }, { data: 3 }] });
    expect(batch.statusCode).toBe(429);
    expect(batch.headers['retry-after']).toBe('1');
    expect(errorOf(batch)).toMatchObject({ code: 'QUEUE_FULL', details: { queue: 'q', maxWaiting: 2 } });
    const stats = await h.app.inject({ method: 'GET', url: '/v1/queues/q' });
    expect(stats.json()).toMatchObject({ queue: { counts: { waiting: 1 } } });
    expect((await enqueue('q', { data: 2 })).statusCode).toBe(201);
    expect((await enqueue('q', { data: 3 })).statusCode).toBe(429);
  });

  test('a lease long-poll on a used-up rate window waits for the next window, then leases', async () => {
    expect((await configure('q', { rateLimit: { max: 1, perMs: 400 } })).statusCode).toBe(200);
    expect((await enqueue('q', { jobs: [{ data: 1 }, { data: 2 }] })).statusCode).toBe(201);
    const first = await h.app.inject({ method: 'POST', url: '/v1/lease', payload: { queues: ['q'], waitMs: 0 } });
    expect(first.json<{ jobs: unknown[] }>().jobs).toHaveLength(1);
    // A wait longer than the test's own timeout: only the window opening can answer it in time.
    const second = await h.app.inject({ method: 'POST', url: '/v1/lease', payload: { queues: ['q'], waitMs: 60_000 } });
    expect(second.json<{ jobs: unknown[] }>().jobs).toHaveLength(1);
  });

  test('an emq waiter on a used-up rate window simply waits, and gets its task when the window opens', async () => {
    expect((await configure('q', { rateLimit: { max: 1, perMs: 400 } })).statusCode).toBe(200);
    await emqEnqueue(h.app, 'q', { content: 'first' });
    await emqEnqueue(h.app, 'q', { content: 'second' });
    expect((await emqWait(h.app, ['q'])).map((task) => task?.content)).toEqual(['first']);
    // A wait longer than the test's own timeout: only the window opening can answer it in time.
    const answer = await emqWait(h.app, ['q'], 60_000);
    expect(answer.map((task) => task?.content)).toEqual(['second']);
  });

  test('an emq waiter on a full concurrency limit gets its task when the active one is acked', async () => {
    expect((await configure('q', { concurrency: 1 })).statusCode).toBe(200);
    await emqEnqueue(h.app, 'q', { content: 'first' });
    await emqEnqueue(h.app, 'q', { content: 'second' });
    expect((await emqWait(h.app, ['q'])).map((task) => task?.content)).toEqual(['first']);
    let answered = false;
    const waiter = emqWait(h.app, ['q'], 5_000).then((answer) => {
      answered = true;
      return answer;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(answered).toBe(false);
    const [active] = (await h.engine.list('q', { state: 'active' })).items;
    await h.engine.ack(active?.id ?? '', { token: active?.leaseToken ?? '' });
    expect((await waiter).map((task) => task?.content)).toEqual(['second']);
  });
});
