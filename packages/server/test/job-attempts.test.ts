import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { limits } from '@docket/protocol';
import { createHarness, errorOf, type Harness } from './support/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

interface Leased {
  readonly id: string;
  readonly leaseToken: string;
}

async function enqueueAndLease(queue: string, worker: string): Promise<Leased> {
  const enqueued = await h.app.inject({ method: 'POST', url: `/v1/queues/${queue}/jobs`, payload: { data: 1 } });
  expect(enqueued.statusCode).toBe(201);
  const leased = await h.app.inject({ method: 'POST', url: '/v1/lease', payload: { queues: [queue], worker } });
  const [job] = leased.json<{ jobs: Leased[] }>().jobs;
  if (job === undefined) throw new Error('expected a leased job');
  return job;
}

describe('GET /v1/jobs/{id}/attempts', () => {
  test('a failed nack shows up with its worker, error and stack; a missing job is a 404', async () => {
    const job = await enqueueAndLease('flaky', 'worker-a');
    const before = await h.app.inject({ method: 'GET', url: `/v1/jobs/${job.id}/attempts` });
    expect(before.statusCode).toBe(200);
    expect(before.json()).toEqual({ attempts: [], dropped: 0 });
    const stack = 'Error: boom\n    at handler (worker.ts:3:9)';
    const nack = await h.app.inject({
      method: 'POST',
      url: `/v1/jobs/${job.id}/nack`,
      payload: { lease: job.leaseToken, fail: true, error: { message: 'boom', stack } },
    });
    expect(nack.statusCode, nack.body).toBe(200);
    const after = await h.app.inject({ method: 'GET', url: `/v1/jobs/${job.id}/attempts` });
    expect(after.statusCode).toBe(200);
    expect(after.json()).toEqual({
      attempts: [
        {
          attempt: 1,
          leasedAt: expect.any(Number) as number,
          endedAt: expect.any(Number) as number,
          outcome: 'failed',
          worker: 'worker-a',
          error: { message: 'boom', stack },
          next: 'delayed',
          retryDelayMs: expect.any(Number) as number,
        },
      ],
      dropped: 0,
    });
    const missing = await h.app.inject({ method: 'GET', url: '/v1/jobs/no-such-job/attempts' });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('JOB_NOT_FOUND');
  });

  test('an oversized stack or message is refused with 400 and the job stays active', async () => {
    const job = await enqueueAndLease('flaky', 'worker-b');
    const tooLong = [
      { message: 'boom', stack: 'x'.repeat(limits.MAX_ERROR_STACK_LENGTH + 1) },
      { message: 'm'.repeat(limits.MAX_ERROR_MESSAGE_LENGTH + 1) },
    ];
    for (const error of tooLong) {
      const nack = await h.app.inject({
        method: 'POST',
        url: `/v1/jobs/${job.id}/nack`,
        payload: { lease: job.leaseToken, fail: true, error },
      });
      expect(nack.statusCode).toBe(400);
      expect(errorOf(nack).code).toBe('INVALID_ARGUMENT');
    }
    const read = await h.app.inject({ method: 'GET', url: `/v1/jobs/${job.id}` });
    expect(read.json<{ job: { state: string } }>().job.state).toBe('active');
    const attempts = await h.app.inject({ method: 'GET', url: `/v1/jobs/${job.id}/attempts` });
    expect(attempts.json()).toEqual({ attempts: [], dropped: 0 });
    const atTheBound = await h.app.inject({
      method: 'POST',
      url: `/v1/jobs/${job.id}/nack`,
      payload: {
        lease: job.leaseToken,
        fail: true,
        error: { message: 'boom', stack: 's'.repeat(limits.MAX_ERROR_STACK_LENGTH) },
      },
    });
    expect(atTheBound.statusCode, atTheBound.body).toBe(200);
    const kept = await h.app.inject({ method: 'GET', url: `/v1/jobs/${job.id}/attempts` });
    expect(kept.json<{ attempts: { error: { stack: string } }[] }>().attempts[0]?.error.stack).toHaveLength(
      limits.MAX_ERROR_STACK_LENGTH,
    );
  });
});
