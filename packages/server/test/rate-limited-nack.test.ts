/**
 * The rate-limited nack over HTTP (`POST /v1/jobs/{id}/nack` and the batch form with
 * `rateLimited: true` and `delayMs`): the job goes back to delayed for delayMs and its lease is
 * given back (attempts as before the lease, nothing in the attempt history); bad combinations are
 * 400 INVALID_ARGUMENT naming the field and change nothing; a stale lease is 409 LEASE_MISMATCH.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { manualClock, type ManualClock } from '@docket/core';
import { createHarness, errorOf, type Harness, type WireJobShape } from './support/harness.ts';

let h: Harness;
let clock: ManualClock;
afterEach(async () => {
  await h.close();
});

async function leased(count: number): Promise<WireJobShape[]> {
  clock = manualClock();
  h = await createHarness({ clock });
  const jobs = Array.from({ length: count }, (_, i) => ({ data: { i }, maxAttempts: 1 }));
  const enqueued = await h.app.inject({ method: 'POST', url: '/v1/queues/q/jobs', payload: { jobs } });
  expect(enqueued.statusCode, enqueued.body).toBe(201);
  const lease = await h.app.inject({ method: 'POST', url: '/v1/lease', payload: { queues: ['q'], max: count } });
  return lease.json<{ jobs: WireJobShape[] }>().jobs;
}

const nack = (id: string, payload: object) => h.app.inject({ method: 'POST', url: `/v1/jobs/${id}/nack`, payload });

describe('rate-limited nack', () => {
  test('puts the job back in delayed for delayMs without spending its attempt', async () => {
    const [job] = (await leased(1)) as [WireJobShape];
    expect(job['attempts']).toBe(1);
    const response = await nack(job.id, { lease: job.leaseToken, rateLimited: true, delayMs: 5_000 });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      job: { state: 'delayed', runAt: clock.now() + 5_000, attempts: 0, maxAttempts: 1, nacks: 1, delayedNacks: 1 },
    });
    const history = await h.app.inject({ method: 'GET', url: `/v1/jobs/${job.id}/attempts` });
    expect(history.json()).toEqual({ attempts: [], dropped: 0 });
  });

  test('takes placement delay too, and answers a stale lease with 409 LEASE_MISMATCH', async () => {
    const [job] = (await leased(1)) as [WireJobShape];
    const body = { lease: job.leaseToken, placement: 'delay', rateLimited: true, delayMs: 100 };
    expect((await nack(job.id, body)).statusCode).toBe(200);
    const again = await nack(job.id, body);
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('LEASE_MISMATCH');
  });

  test('bad combinations are 400 with the field and leave the job active', async () => {
    const [job] = (await leased(1)) as [WireJobShape];
    const lease = job.leaseToken;
    for (const [payload, field] of [
      [{ lease, rateLimited: true }, 'delayMs'],
      [{ lease, rateLimited: true, placement: 'front', delayMs: 10 }, 'rateLimited'],
      [{ lease, rateLimited: true, fail: true, delayMs: 10 }, 'rateLimited'],
      [{ lease, rateLimited: true, retry: false, delayMs: 10 }, 'retry'],
    ] as const) {
      const response = await nack(job.id, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(errorOf(response)).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field } });
    }
    const typed = await nack(job.id, { lease, rateLimited: 'yes', delayMs: 10 });
    expect(typed.statusCode).toBe(400);
    expect(errorOf(typed).code).toBe('INVALID_ARGUMENT');
    expect(await h.engine.get(job.id)).toMatchObject({ state: 'active', attempts: 1 });
  });

  test('the batch form gives back each rate-limited item and refuses a bad one on its own', async () => {
    const [a, b] = (await leased(2)) as [WireJobShape, WireJobShape];
    const response = await h.app.inject({
      method: 'POST',
      url: '/v1/jobs/nack',
      payload: {
        items: [
          { id: a.id, lease: a.leaseToken, rateLimited: true, delayMs: 2_000 },
          { id: b.id, lease: b.leaseToken, rateLimited: true },
        ],
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      results: [
        { id: a.id, job: { state: 'delayed', runAt: clock.now() + 2_000, attempts: 0 } },
        { id: b.id, error: { code: 'INVALID_ARGUMENT', details: { field: 'delayMs' } } },
      ],
    });
    expect(await h.engine.get(b.id)).toMatchObject({ state: 'active', attempts: 1 });
  });
});
