/**
 * Producers and consumers against a real `docket serve` process over HTTP: enqueue, long-poll
 * lease woken by an enqueue on another connection, batch ack, and enqueue-and-wait.
 */
import { request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { ackMany, enqueue, getJob, lease, ok } from '../support/docket-http.ts';
import { untilLeaseWaiters } from '../support/lease-waiters.ts';
import { serverPerFile } from '../support/server-per-file.ts';

/**
 * Long enough for an enqueue-and-wait request to reach the server (a wait for a job shows in no
 * gauge, unlike a parked lease); it only sets up the precondition, never decides an outcome.
 */
const PARK_MS = 300;

const served = serverPerFile();

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** POST on a fresh connection of its own (agent: false), so no socket is shared with fetch. */
function postOwnConnection(url: string, path: string, body: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = httpRequest(
      url + path,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('produce and consume over HTTP', () => {
  it('enqueues, leases a batch and acks it; the jobs end completed', async () => {
    const ids = [];
    for (const n of [1, 2, 3]) ids.push((await enqueue(served.server.url, 'pc-basic', { data: { n } })).job.id);
    const jobs = await lease(served.server.url, { queues: ['pc-basic'], max: 10 });
    expect(jobs.map((job) => job.id).sort()).toEqual([...ids].sort());
    const results = await ackMany(served.server.url, jobs);
    expect(results.every((result) => result.job?.state === 'completed')).toBe(true);
    for (const id of ids) expect((await getJob(served.server.url, id)).state).toBe('completed');
    expect(await lease(served.server.url, { queues: ['pc-basic'], max: 10 })).toEqual([]);
  });

  it('wakes a long-polling lease on one connection as soon as another connection enqueues', async () => {
    // A wait longer than the test's own timeout: only the wake-up can answer it in time.
    const waitMs = 60_000;
    const leasing = postOwnConnection(served.server.url, '/v1/lease', { queues: ['pc-wake'], waitMs, max: 1 }).then(
      (reply) => ({
        ...reply,
        at: performance.now(),
      }),
    );
    await untilLeaseWaiters(served.server.url, 1);
    const enqueuedAt = performance.now();
    const { job } = await enqueue(served.server.url, 'pc-wake', { data: 'wake up' });
    const leased = await leasing;
    expect(leased.status).toBe(200);
    const jobs = (JSON.parse(leased.text) as { jobs: { id: string }[] }).jobs;
    expect(jobs.map((j) => j.id)).toEqual([job.id]);
    expect(leased.at).toBeGreaterThanOrEqual(enqueuedAt);
  });

  it('returns an empty lease when waitMs passes with nothing to lease', async () => {
    const started = performance.now();
    expect(await lease(served.server.url, { queues: ['pc-empty'], waitMs: 200 })).toEqual([]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('answers enqueue-and-wait with the result once a consumer acks', async () => {
    const { job } = await enqueue(served.server.url, 'pc-wait', { data: { question: 6 * 7 } });
    // A wait longer than the test's own timeout: only the ack can answer it in time.
    const waitMs = 60_000;
    const waiting = getJob(served.server.url, job.id, waitMs);
    await pause(PARK_MS);
    const [leased] = await lease(served.server.url, { queues: ['pc-wait'], max: 1 });
    expect(leased?.id).toBe(job.id);
    await ok(served.server.url, 'POST', `/v1/jobs/${job.id}/ack`, {
      lease: leased!.leaseToken,
      result: { answer: 42 },
    });
    const done = await waiting;
    expect(done.state).toBe('completed');
    expect(done.result).toEqual({ answer: 42 });
  });

  it('answers enqueue-and-wait with the unfinished job when waitMs passes', async () => {
    const { job } = await enqueue(served.server.url, 'pc-wait-timeout', { data: null });
    const current = await getJob(served.server.url, job.id, 200);
    expect(current.state).toBe('waiting');
  });
});
