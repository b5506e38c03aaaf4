import { Writable } from 'node:stream';
import { afterEach, describe, expect, test } from 'vitest';
import { Registry } from 'prom-client';
import { createCommitMetrics } from '../src/mod.ts';
import { createHarness, errorOf, type Harness } from './support/harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('workers', () => {
  test('a heartbeat registers a worker and the registry lists it', async () => {
    h = await createHarness();
    const beat = await h.app.inject({
      method: 'POST',
      url: '/v1/workers/host-1:42/heartbeat',
      payload: { queues: ['emails'] },
    });
    expect(beat.statusCode, beat.body).toBe(204);
    const list = await h.app.inject({ method: 'GET', url: '/v1/workers' });
    expect(list.json()).toMatchObject({ items: [{ id: 'host-1:42', queues: ['emails'] }], cursor: null });
    const bad = await h.app.inject({ method: 'POST', url: '/v1/workers/bad%20id/heartbeat', payload: { queues: [] } });
    expect(bad.statusCode).toBe(400);
  });
});

describe('health', () => {
  test('livez, readyz and healthz answer 200 while serving', async () => {
    h = await createHarness();
    for (const url of ['/livez', '/readyz', '/healthz']) {
      expect((await h.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
  });

  test('readyz is 503 UNAVAILABLE with Retry-After when the readiness check fails', async () => {
    let reason: string | null = 'storage unreachable';
    h = await createHarness({ readyCheck: () => Promise.resolve(reason) });
    const response = await h.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(errorOf(response)).toMatchObject({ code: 'UNAVAILABLE', message: 'not ready: storage unreachable' });
    reason = null;
    expect((await h.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('metrics', () => {
  test('exposes queue depths, job counters, HTTP durations, commit histograms and build info', async () => {
    const commits = createCommitMetrics();
    commits.observeCommit({ ops: 3, durationMs: 2 });
    h = await createHarness({ commitMetrics: commits, buildInfo: { version: '9.9.9', store: 'sqlite' } });
    await h.app.inject({
      method: 'POST',
      url: '/v1/queues/emails/jobs',
      payload: { jobs: [{ data: 1 }, { data: 2 }] },
    });
    await h.app.inject({ method: 'POST', url: '/v1/lease', payload: { queues: ['emails'] } });
    const response = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    expect(text).toContain('docket_queue_jobs{queue="emails",state="waiting"} 1');
    expect(text).toContain('docket_queue_jobs{queue="emails",state="active"} 1');
    expect(text).toContain('docket_jobs_enqueued_total{queue="emails"} 2');
    expect(text).toContain('docket_jobs_leased_total{queue="emails"} 1');
    expect(text).toContain('docket_storage_commit_batch_size_count 1');
    expect(text).toContain('docket_storage_commit_duration_seconds_sum 0.002');
    expect(text).toMatch(/docket_build_info\{version="9\.9\.9",store="sqlite",node_version="v[\d.]+"\} 1/);
    expect(text).toContain(
      'docket_http_request_duration_seconds_count{method="POST",route="/v1/queues/:queue/jobs",status_code="201"} 1',
    );
  });

  test('docket_lease_waiters counts the long-polls parked now', async () => {
    h = await createHarness();
    const app = h.app;
    const waiters = async () =>
      /^docket_lease_waiters (\d+)$/m.exec((await app.inject({ method: 'GET', url: '/metrics' })).body)?.[1];
    expect(await waiters()).toBe('0');
    const polls = [0, 1].map(() =>
      app.inject({ method: 'POST', url: '/v1/lease', payload: { queues: ['parked'], waitMs: 10_000 } }),
    );
    const deadline = Date.now() + 5000;
    while ((await waiters()) !== '2' && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
    expect(await waiters()).toBe('2');
    await app.inject({ method: 'POST', url: '/v1/queues/parked/jobs', payload: { jobs: [{ data: 1 }, { data: 2 }] } });
    expect((await Promise.all(polls)).map((r) => r.statusCode)).toEqual([200, 200]);
    expect(await waiters()).toBe('0');
  });

  test('each app has its own registry, or the one it is given', async () => {
    const registry = new Registry();
    h = await createHarness({ registry, defaultMetrics: true });
    const other = await createHarness();
    try {
      expect(await registry.getSingleMetricAsString('docket_build_info')).toContain('docket_build_info');
      expect(await registry.metrics()).toContain('process_cpu_user_seconds_total');
      const otherText = (await other.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(otherText).not.toContain('process_cpu_user_seconds_total');
    } finally {
      await other.close();
    }
  });
});

describe('logging', () => {
  test('credentials are redacted and hot-path requests log at debug', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    h = await createHarness({ logger: { level: 'info', stream } });
    h.app.log.info({ headers: { authorization: 'Bearer secret-1', cookie: 'sid=secret-2' } }, 'probe');
    h.app.log.info({ worker: { token: 'secret-3' } }, 'probe');
    await h.app.inject({ method: 'POST', url: '/v1/lease', payload: { queues: ['q'] } });
    await h.app.inject({ method: 'GET', url: '/v1/queues' });
    const text = lines.join('');
    expect(text).not.toContain('secret');
    expect(text).toContain('[redacted]');
    expect(text).toContain('"url":"/v1/queues"');
    expect(text).not.toContain('"url":"/v1/lease"');
  });
});
