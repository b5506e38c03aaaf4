import { afterEach, describe, expect, test } from 'vitest';
import { manualClock, type ManualClock } from '@docket/core';
import { createHarness, errorOf, type Harness, type WireJobShape } from './support/harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

async function setUp(clock?: ManualClock): Promise<void> {
  h = await createHarness(clock === undefined ? {} : { clock });
}

async function enqueueAndLease(queue: string, count: number, options: object = {}): Promise<WireJobShape[]> {
  const jobs = Array.from({ length: count }, (_, i) => ({ data: { i }, ...options }));
  const enqueued = await h.app.inject({ method: 'POST', url: `/v1/queues/${queue}/jobs`, payload: { jobs } });
  expect(enqueued.statusCode, enqueued.body).toBe(201);
  const leased = await h.app.inject({
    method: 'POST',
    url: '/v1/lease',
    payload: { queues: [queue], max: count, worker: 'w-1' },
  });
  expect(leased.statusCode, leased.body).toBe(200);
  return leased.json<{ jobs: WireJobShape[] }>().jobs;
}

describe('POST /v1/lease', () => {
  test('leases up to max jobs, each with a lease token', async () => {
    await setUp();
    const jobs = await enqueueAndLease('q', 3);
    expect(jobs).toHaveLength(3);
    for (const job of jobs) {
      expect(job.state).toBe('active');
      expect(typeof job.leaseToken).toBe('string');
      expect(job['worker']).toBe('w-1');
    }
  });

  test('an empty queue with waitMs 0 answers at once with no jobs', async () => {
    await setUp();
    const response = await h.app.inject({ method: 'POST', url: '/v1/lease', payload: { queues: ['empty'] } });
    expect(response.json()).toEqual({ jobs: [] });
  });

  test('out-of-range max, waitMs and leaseMs are 400', async () => {
    await setUp();
    for (const payload of [
      { queues: ['q'], max: 1001 },
      { queues: ['q'], waitMs: 60_001 },
      { queues: ['q'], leaseMs: 10 },
      { queues: [] },
      { queues: ['bad name'] },
      {},
    ]) {
      const response = await h.app.inject({ method: 'POST', url: '/v1/lease', payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(errorOf(response).code).toBe('INVALID_ARGUMENT');
    }
  });
});

describe('ack, nack, extend', () => {
  test('ack with the lease token completes the job with its result', async () => {
    await setUp();
    const [job] = await enqueueAndLease('q', 1);
    const response = await h.app.inject({
      method: 'POST',
      url: `/v1/jobs/${job?.id}/ack`,
      payload: { lease: job?.leaseToken, result: { sent: true } },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ job: { state: 'completed', result: { sent: true }, leaseToken: null } });
  });

  test('a stale lease token is 409 LEASE_MISMATCH and changes nothing', async () => {
    await setUp();
    const [job] = await enqueueAndLease('q', 1);
    const response = await h.app.inject({
      method: 'POST',
      url: `/v1/jobs/${job?.id}/ack`,
      payload: { lease: 'stale-token' },
    });
    expect(response.statusCode).toBe(409);
    expect(errorOf(response)).toMatchObject({ code: 'LEASE_MISMATCH', details: { id: job?.id } });
    expect((await h.engine.get(job?.id ?? '')).state).toBe('active');
  });

  test('an ack after expiresAt is 409 JOB_EXPIRED and the job is dead', async () => {
    const clock = manualClock();
    await setUp(clock);
    const [job] = await enqueueAndLease('q', 1, { ttlMs: 1_000 });
    clock.advance(1_001);
    const response = await h.app.inject({
      method: 'POST',
      url: `/v1/jobs/${job?.id}/ack`,
      payload: { lease: job?.leaseToken },
    });
    expect(response.statusCode).toBe(409);
    expect(errorOf(response).code).toBe('JOB_EXPIRED');
    expect(await h.engine.get(job?.id ?? '')).toMatchObject({ state: 'dead', deadReason: 'expired' });
  });

  test('ack of an unknown job is 404 JOB_NOT_FOUND', async () => {
    await setUp();
    const response = await h.app.inject({ method: 'POST', url: '/v1/jobs/nope/ack', payload: { lease: 't' } });
    expect(response.statusCode).toBe(404);
    expect(errorOf(response).code).toBe('JOB_NOT_FOUND');
  });

  test('nack to the front makes the job waiting again, not failed', async () => {
    await setUp();
    const [job] = await enqueueAndLease('q', 1);
    const response = await h.app.inject({
      method: 'POST',
      url: `/v1/jobs/${job?.id}/nack`,
      payload: { lease: job?.leaseToken, placement: 'front' },
    });
    expect(response.json()).toMatchObject({ job: { state: 'waiting', nacks: 1 } });
  });

  test('nack with fail and retry false makes the job dead (rejected) with the error', async () => {
    await setUp();
    const [job] = await enqueueAndLease('q', 1);
    const response = await h.app.inject({
      method: 'POST',
      url: `/v1/jobs/${job?.id}/nack`,
      payload: { lease: job?.leaseToken, fail: true, retry: false, error: { message: 'boom', stack: 'at x' } },
    });
    expect(response.json()).toMatchObject({
      job: { state: 'dead', deadReason: 'rejected', error: { message: 'boom', stack: 'at x' } },
    });
  });

  test('nack with conflicting options is 400', async () => {
    await setUp();
    const [job] = await enqueueAndLease('q', 1);
    const response = await h.app.inject({
      method: 'POST',
      url: `/v1/jobs/${job?.id}/nack`,
      payload: { lease: job?.leaseToken, placement: 'front', fail: true },
    });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).details).toMatchObject({ field: 'placement' });
  });

  test('extend moves the lease deadline', async () => {
    const clock = manualClock();
    await setUp(clock);
    const [job] = await enqueueAndLease('q', 1);
    clock.advance(5_000);
    const response = await h.app.inject({
      method: 'POST',
      url: `/v1/jobs/${job?.id}/extend`,
      payload: { lease: job?.leaseToken, leaseMs: 60_000 },
    });
    expect(response.json<{ job: WireJobShape }>().job['leaseExpiresAt']).toBe(clock.now() + 60_000);
  });
});

describe('batch ack, nack, extend', () => {
  test('each item succeeds or fails on its own and the batch answers 200', async () => {
    await setUp();
    const [a, b] = await enqueueAndLease('q', 2);
    const response = await h.app.inject({
      method: 'POST',
      url: '/v1/jobs/ack',
      payload: {
        items: [
          { id: a?.id, lease: a?.leaseToken, result: 1 },
          { id: b?.id, lease: 'stale' },
          { id: 'missing', lease: 'x' },
        ],
      },
    });
    expect(response.statusCode).toBe(200);
    const { results } = response.json<{
      results: Array<{ id: string; job?: WireJobShape; error?: { code: string } }>;
    }>();
    expect(results.map((r) => r.job?.state ?? r.error?.code)).toEqual(['completed', 'LEASE_MISMATCH', 'JOB_NOT_FOUND']);
    expect(results.map((r) => r.id)).toEqual([a?.id, b?.id, 'missing']);
  });

  test('batch nack and extend', async () => {
    await setUp();
    const [a, b] = await enqueueAndLease('q', 2);
    const extended = await h.app.inject({
      method: 'POST',
      url: '/v1/jobs/extend',
      payload: { items: [{ id: a?.id, lease: a?.leaseToken, leaseMs: 120_000 }] },
    });
    expect(extended.json()).toMatchObject({ results: [{ id: a?.id, job: { state: 'active' } }] });
    const nacked = await h.app.inject({
      method: 'POST',
      url: '/v1/jobs/nack',
      payload: {
        items: [
          { id: a?.id, lease: a?.leaseToken, placement: 'back' },
          { id: b?.id, lease: b?.leaseToken, placement: 'delay', delayMs: 10_000 },
        ],
      },
    });
    expect(nacked.json()).toMatchObject({ results: [{ job: { state: 'waiting' } }, { job: { state: 'delayed' } }] });
  });

  test('an empty batch or one over 1000 items is 400', async () => {
    await setUp();
    const items = Array.from({ length: 1001 }, (_, i) => ({ id: `j${i}`, lease: 't' }));
    for (const payload of [{ items: [] }, { items }]) {
      const response = await h.app.inject({ method: 'POST', url: '/v1/jobs/ack', payload });
      expect(response.statusCode).toBe(400);
      expect(errorOf(response).details).toMatchObject({ in: 'body' });
    }
  });
});
