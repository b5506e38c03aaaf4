import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createHarness, errorOf, type Harness, type WireJobShape } from './support/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

interface EnqueueReply {
  readonly job: WireJobShape;
  readonly created: boolean;
}

async function enqueue(queue: string, body: unknown): Promise<EnqueueReply> {
  const response = await h.app.inject({ method: 'POST', url: `/v1/queues/${queue}/jobs`, payload: body as object });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<EnqueueReply>();
}

describe('POST /v1/queues/{queue}/jobs', () => {
  test('a JSON job is created with 201 and rendered with every field', async () => {
    const { job, created } = await enqueue('emails', { data: { to: 'a@example.com' }, priority: 5, name: 'send' });
    expect(created).toBe(true);
    expect(job).toMatchObject({ queue: 'emails', state: 'waiting', encoding: 'json', priority: 5, name: 'send' });
    expect(job.data).toEqual({ to: 'a@example.com' });
    expect(job.leaseToken).toBeNull();
    expect(Object.keys(job)).toContain('deadReason');
  });

  test('an existing id answers 200 with created false and the same job', async () => {
    const first = await enqueue('emails', { data: 1, id: 'order-42' });
    const again = await h.app.inject({
      method: 'POST',
      url: '/v1/queues/emails/jobs',
      payload: { data: 2, id: 'order-42' },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: false, job: { id: first.job.id, data: 1 } });
  });

  test('a batch is enqueued atomically with per-job created flags', async () => {
    await enqueue('emails', { data: 0, id: 'known' });
    const response = await h.app.inject({
      method: 'POST',
      url: '/v1/queues/emails/jobs',
      payload: { jobs: [{ data: 1 }, { data: 2, id: 'known' }, { data: 3, priority: 1 }] },
    });
    expect(response.statusCode).toBe(201);
    const body = response.json<{ jobs: WireJobShape[]; created: boolean[] }>();
    expect(body.created).toEqual([true, false, true]);
    expect(body.jobs.map((job) => job.data)).toEqual([1, 0, 3]);
  });

  test('a batch with one invalid job enqueues nothing', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/v1/queues/emails/jobs',
      payload: { jobs: [{ data: 1 }, { data: 2, priority: 5000 }] },
    });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).code).toBe('INVALID_ARGUMENT');
    expect((await h.engine.listQueues()).items.flatMap((q) => Object.values(q.counts))).not.toContain(1);
  });

  test('a non-JSON body is one job of raw bytes, options from the query string', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const response = await h.app.inject({
      method: 'POST',
      url: '/v1/queues/blobs/jobs?name=resize&priority=7&delayMs=60000',
      headers: { 'content-type': 'application/octet-stream' },
      payload: bytes,
    });
    expect(response.statusCode, response.body).toBe(201);
    const { job } = response.json<EnqueueReply>();
    expect(job).toMatchObject({ encoding: 'bytes', data: bytes.toString('base64'), name: 'resize', priority: 7 });
    expect(job.state).toBe('delayed');
    const stored = await h.engine.get(job.id);
    expect(Buffer.from(stored.data as Uint8Array)).toEqual(bytes);
  });

  test('a missing content type is bytes too; text/plain, which a browser sends cross-site, is 415', async () => {
    const text = await h.app.inject({
      method: 'POST',
      url: '/v1/queues/blobs/jobs',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(text.statusCode).toBe(415);
    expect(errorOf(text).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const none = await h.app.inject({ method: 'POST', url: '/v1/queues/blobs/jobs', payload: Buffer.from('raw') });
    expect(none.statusCode).toBe(201);
  });

  test('a JSON job may carry bytes as base64 with encoding bytes', async () => {
    const { job } = await enqueue('blobs', { data: Buffer.from('hi').toString('base64'), encoding: 'bytes' });
    expect(job).toMatchObject({ encoding: 'bytes', data: 'aGk=' });
    const bad = await h.app.inject({
      method: 'POST',
      url: '/v1/queues/blobs/jobs',
      payload: { data: 'not base64!', encoding: 'bytes' },
    });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details).toMatchObject({ field: 'data' });
  });

  test('no body and no content type is 400, not an empty job', async () => {
    const response = await h.app.inject({ method: 'POST', url: '/v1/queues/q/jobs' });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toMatchObject({ code: 'INVALID_ARGUMENT', details: { in: 'body' } });
  });

  test('query options with a JSON body are refused', async () => {
    const response = await h.app.inject({ method: 'POST', url: '/v1/queues/q/jobs?priority=1', payload: { data: 1 } });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).details).toMatchObject({ in: 'querystring' });
  });

  test('a 200-character queue name and a percent-encoded slash are accepted', async () => {
    const long = 'q'.repeat(200);
    const { job } = await enqueue(long, { data: 1 });
    expect(job.queue).toBe(long);
    const slashed = await enqueue('team%2Femails', { data: 1 });
    expect(slashed.job.queue).toBe('team/emails');
    const stats = await h.app.inject({ method: 'GET', url: '/v1/queues/team%2Femails' });
    expect(stats.json()).toMatchObject({ queue: { name: 'team/emails', counts: { waiting: 1 } } });
    const allSlashes = encodeURIComponent('/'.repeat(200));
    expect(
      (await h.app.inject({ method: 'POST', url: `/v1/queues/${allSlashes}/jobs`, payload: { data: 1 } })).statusCode,
    ).toBe(201);
  });

  test('a 201-character queue name and invalid characters are 400', async () => {
    for (const name of ['q'.repeat(201), 'bad%20name', 'caf%C3%A9']) {
      const response = await h.app.inject({ method: 'POST', url: `/v1/queues/${name}/jobs`, payload: { data: 1 } });
      expect(response.statusCode, name).toBe(400);
      expect(errorOf(response).details).toMatchObject({ in: 'params' });
    }
  });

  test('unknown options, missing data and bad option types are 400 with details', async () => {
    const cases: Array<[unknown, string]> = [
      [{ data: 1, delay: 5 }, '/delay'],
      [{ priority: 1 }, '/data'],
      [{ data: 1, priority: 'high' }, '/priority'],
      [{ data: 1, maxAttempts: 0 }, '/maxAttempts'],
      [{ jobs: [] }, '/jobs'],
    ];
    for (const [payload, path] of cases) {
      const response = await h.app.inject({ method: 'POST', url: '/v1/queues/q/jobs', payload: payload as object });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      const error = errorOf(response);
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(JSON.stringify(error.details)).toContain(path);
    }
  });

  test('a payload over 1 MiB is 413 PAYLOAD_TOO_LARGE', async () => {
    const json = await h.app.inject({
      method: 'POST',
      url: '/v1/queues/q/jobs',
      payload: { data: 'x'.repeat(1024 * 1024 + 10) },
    });
    expect(json.statusCode).toBe(413);
    expect(errorOf(json).code).toBe('PAYLOAD_TOO_LARGE');
    const bytes = await h.app.inject({
      method: 'POST',
      url: '/v1/queues/q/jobs',
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.alloc(1024 * 1024 + 1),
    });
    expect(bytes.statusCode).toBe(413);
    expect(errorOf(bytes)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limit: 1024 * 1024 } });
    const batch = await h.app.inject({
      method: 'POST',
      url: '/v1/queues/q/jobs',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ jobs: [{ data: 'x'.repeat(16 * 1024 * 1024) }] }),
    });
    expect(batch.statusCode).toBe(413);
    expect(errorOf(batch).details).toEqual({ limit: 16 * 1024 * 1024 });
  });
});

describe('GET /v1/jobs/{id}', () => {
  test('reads a job, and 404 JOB_NOT_FOUND for an unknown id', async () => {
    const { job } = await enqueue('q', { data: 'x' });
    const found = await h.app.inject({ method: 'GET', url: `/v1/jobs/${job.id}` });
    expect(found.json()).toMatchObject({ job: { id: job.id, state: 'waiting' } });
    const missing = await h.app.inject({ method: 'GET', url: '/v1/jobs/nope' });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing)).toMatchObject({ code: 'JOB_NOT_FOUND', details: { id: 'nope' } });
  });

  test('waitMs answers when the job completes (enqueue-and-wait)', async () => {
    const { job } = await enqueue('q', { data: 'x' });
    const waiting = h.app.inject({ method: 'GET', url: `/v1/jobs/${job.id}?waitMs=10000` });
    const [leased] = await h.engine.lease({ queues: ['q'] });
    await h.engine.ack(job.id, { token: leased?.leaseToken ?? '', result: { ok: true } });
    const response = await waiting;
    expect(response.json()).toMatchObject({ job: { state: 'completed', result: { ok: true } } });
  });

  test('waitMs above the long-poll limit is 400', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/v1/jobs/x?waitMs=60001' });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).details).toMatchObject({ in: 'querystring' });
  });
});

describe('cancel and delete', () => {
  test('POST /v1/jobs/{id}/cancel makes the job dead with reason cancelled', async () => {
    const { job } = await enqueue('q', { data: 1 });
    const response = await h.app.inject({ method: 'POST', url: `/v1/jobs/${job.id}/cancel` });
    expect(response.json()).toMatchObject({ job: { state: 'dead', deadReason: 'cancelled' } });
    const again = await h.app.inject({ method: 'POST', url: `/v1/jobs/${job.id}/cancel`, payload: {} });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('JOB_FINISHED');
  });

  test('DELETE /v1/jobs/{id} answers 204, then 404', async () => {
    const { job } = await enqueue('q', { data: 1 });
    const deleted = await h.app.inject({ method: 'DELETE', url: `/v1/jobs/${job.id}` });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    const again = await h.app.inject({ method: 'DELETE', url: `/v1/jobs/${job.id}` });
    expect(again.statusCode).toBe(404);
    expect(errorOf(again).code).toBe('JOB_NOT_FOUND');
  });
});

describe('POST /v1/jobs/{id}/promote', () => {
  test('a delayed job becomes waiting now and is leased next; another state is a 400, a missing job a 404', async () => {
    const { job } = await enqueue('later', { data: 1, delayMs: 3_600_000 });
    const before = Date.now();
    const promoted = await h.app.inject({ method: 'POST', url: `/v1/jobs/${job.id}/promote` });
    expect(promoted.statusCode, promoted.body).toBe(200);
    const reply = promoted.json<{ job: WireJobShape & { runAt: number } }>().job;
    expect(reply).toMatchObject({ id: job.id, state: 'waiting' });
    expect(reply.runAt).toBeGreaterThanOrEqual(before - 1000);
    expect(reply.runAt).toBeLessThanOrEqual(Date.now());
    const leased = await h.app.inject({ method: 'POST', url: '/v1/lease', payload: { queues: ['later'] } });
    expect(leased.json<{ jobs: { id: string }[] }>().jobs.map((j) => j.id)).toEqual([job.id]);

    const again = await h.app.inject({ method: 'POST', url: `/v1/jobs/${job.id}/promote` });
    expect(again.statusCode).toBe(400);
    expect(errorOf(again)).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'state', state: 'active' } });
    const missing = await h.app.inject({ method: 'POST', url: '/v1/jobs/no-such-job/promote' });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('JOB_NOT_FOUND');
  });
});

describe('POST /v1/jobs/{id}/retry', () => {
  test('a dead job goes back to waiting with attempts reset and its error kept; another state is a 400', async () => {
    const { job } = await enqueue('flaky', { data: 1 });
    const leased = await h.app.inject({ method: 'POST', url: '/v1/lease', payload: { queues: ['flaky'] } });
    const token = leased.json<{ jobs: { leaseToken: string }[] }>().jobs[0]?.leaseToken;
    const nack = await h.app.inject({
      method: 'POST',
      url: `/v1/jobs/${job.id}/nack`,
      payload: { lease: token, retry: false, error: { message: 'boom' } },
    });
    expect(nack.json<{ job: { state: string } }>().job.state).toBe('dead');
    const retried = await h.app.inject({ method: 'POST', url: `/v1/jobs/${job.id}/retry` });
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json<{ job: unknown }>().job).toMatchObject({
      state: 'waiting',
      attempts: 0,
      deadReason: null,
      error: { message: 'boom' },
    });
    const again = await h.app.inject({ method: 'POST', url: `/v1/jobs/${job.id}/retry` });
    expect(again.statusCode).toBe(400);
    expect(errorOf(again)).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'state', state: 'waiting' } });
    expect((await h.app.inject({ method: 'POST', url: '/v1/jobs/nope/retry' })).statusCode).toBe(404);
  });
});
