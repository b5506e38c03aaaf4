/**
 * Groups over HTTP: the enqueue option `group` is validated precisely (length, characters) and
 * read back on the job; `groupConcurrency` is queue config; a lease long-poll on a queue whose
 * only waiting jobs are in a held FIFO group waits, and gets the next job of the group as soon as
 * the previous one is acked; an emq waiter simply waits the same way.
 */
import { describe, expect, test } from 'vitest';
import { emqWait } from '../../../test/support/emq-client.ts';
import { flowHarnessPerTest, issuePaths } from './support/flow-harness.ts';
import { errorOf } from './support/harness.ts';

const h = flowHarnessPerTest();
const { configure, enqueue } = h;

const lease = (waitMs: number) =>
  h.app.inject({ method: 'POST', url: '/v1/lease', payload: { queues: ['q'], waitMs } });

interface WireJob {
  readonly id: string;
  readonly data: unknown;
  readonly group?: string;
  readonly leaseToken: string;
}

describe('groups over HTTP', () => {
  test('a job keeps its group, a raw bytes job takes it from the query, and a job without one has none', async () => {
    const grouped = await enqueue('q', { data: 1, group: 'customer-42' });
    expect(grouped.statusCode, grouped.body).toBe(201);
    expect(grouped.json<{ job: WireJob }>().job.group).toBe('customer-42');
    const bytes = await h.app.inject({
      method: 'POST',
      url: '/v1/queues/q/jobs?group=tenant.7',
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from([1, 2, 3]),
    });
    expect(bytes.statusCode, bytes.body).toBe(201);
    expect(bytes.json<{ job: WireJob }>().job.group).toBe('tenant.7');
    const plain = await enqueue('q', { data: 2 });
    expect(plain.json<{ job: WireJob }>().job).not.toHaveProperty('group');
  });

  test.each([[''], ['x'.repeat(129)], ['a b'], ['ünï'], ['a#b']])(
    'a bad group %j is 400 INVALID_ARGUMENT at /group and writes nothing',
    async (group) => {
      const response = await enqueue('q', { data: 1, group });
      expect(response.statusCode).toBe(400);
      const error = errorOf(response);
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(issuePaths(response)).toContain('/group');
      expect((await h.app.inject({ method: 'GET', url: '/v1/queues/q' })).statusCode).toBe(404);
    },
  );

  test('a bad groupConcurrency is 400 INVALID_ARGUMENT at /groupConcurrency', async () => {
    const response = await configure('q', { groupConcurrency: 0 });
    expect(response.statusCode).toBe(400);
    expect(issuePaths(response)).toContain('/groupConcurrency');
  });

  test('a long-poll on a held FIFO group waits and gets the next job once the previous is acked', async () => {
    expect((await configure('q', { groupConcurrency: 1 })).statusCode).toBe(200);
    await enqueue('q', {
      jobs: [
        { data: 'a1', group: 'a' },
        { data: 'a2', group: 'a' },
      ],
    });
    const [first] = (await lease(0)).json<{ jobs: WireJob[] }>().jobs;
    expect(first?.data).toBe('a1');
    let answered = false;
    const second = lease(5_000).then((response) => {
      answered = true;
      return response.json<{ jobs: WireJob[] }>().jobs;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(answered).toBe(false);
    const acked = await h.app.inject({
      method: 'POST',
      url: `/v1/jobs/${first?.id ?? ''}/ack`,
      payload: { lease: first?.leaseToken },
    });
    expect(acked.statusCode, acked.body).toBe(200);
    expect((await second).map((job) => job.data)).toEqual(['a2']);
  });

  test('an emq waiter on a held group gets its task when the active one is acked', async () => {
    expect((await configure('q', { groupConcurrency: 1 })).statusCode).toBe(200);
    await enqueue('q', {
      jobs: [
        { data: 'a1', group: 'a' },
        { data: 'a2', group: 'a' },
      ],
    });
    const [active] = (await lease(0)).json<{ jobs: WireJob[] }>().jobs;
    let answered = false;
    const waiter = emqWait(h.app, ['q'], 5_000).then((answer) => {
      answered = true;
      return answer;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(answered).toBe(false);
    await h.engine.ack(active?.id ?? '', { token: active?.leaseToken ?? '' });
    const answer = await waiter;
    expect(answer).toHaveLength(1);
    expect(answer[0]).not.toBeNull();
  });
});

describe('group stats over HTTP', () => {
  test('GET /v1/queues/{queue}/groups lists the deepest groups first, bounded by limit', async () => {
    expect((await configure('q', { groupConcurrency: 1 })).statusCode).toBe(200);
    await enqueue('q', {
      jobs: [
        { data: 1, group: 'small' },
        { data: 2, group: 'big' },
        { data: 3, group: 'big' },
      ],
    });
    const all = await h.app.inject({ method: 'GET', url: '/v1/queues/q/groups' });
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json()).toEqual({
      items: [
        { group: 'big', waiting: 2, held: 0 },
        { group: 'small', waiting: 1, held: 0 },
      ],
    });
    const top = await h.app.inject({ method: 'GET', url: '/v1/queues/q/groups?limit=1' });
    expect(top.json<{ items: unknown[] }>().items).toHaveLength(1);
    expect((await h.app.inject({ method: 'GET', url: '/v1/queues/q/groups?limit=0' })).statusCode).toBe(400);
    expect((await h.app.inject({ method: 'GET', url: '/v1/queues/q/groups?limit=1001' })).statusCode).toBe(400);
    const missing = await h.app.inject({ method: 'GET', url: '/v1/queues/nope/groups' });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('QUEUE_NOT_FOUND');
  });
});
