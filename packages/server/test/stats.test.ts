import { afterEach, describe, expect, test } from 'vitest';
import { EventHub, type EngineEvents } from '@docket/core';
import type { Engine } from '@docket/core';
import { ActivityFeed, type ActivityFrame } from '../src/stats/activity-feed.ts';
import { DepthHistory } from '../src/stats/depth-history.ts';
import { QueueTotals, WALK_BUDGET_FACTOR } from '../src/stats/queue-totals.ts';
import { Throughput } from '../src/stats/throughput.ts';
import { createHarness, errorOf, type Harness } from './support/harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface Rates {
  enqueued: number;
  leased: number;
  acked: number;
  failed: number;
}

describe('Throughput', () => {
  test('rates average whole slots over the window, the series has one point per step, idle queues are swept', () => {
    let now = 1_000_000;
    const hub = new EventHub<EngineEvents>();
    const throughput = new Throughput(hub, () => now);
    for (let i = 0; i < 30; i += 1) throughput.record('a', 'enqueued');
    throughput.record('a', 'failed');
    expect(throughput.rates(5 * 60_000)).toEqual({ enqueued: 30 / 300, leased: 0, acked: 0, failed: 1 / 300 });
    expect(throughput.queueRates('a').enqueued).toBeCloseTo(30 / 300);
    expect(throughput.queueRates('b')).toEqual({ enqueued: 0, leased: 0, acked: 0, failed: 0 });
    const series = throughput.series(5 * 60_000, 5000);
    expect(series.stepMs).toBe(5000);
    expect(series.points).toHaveLength(60);
    expect(series.points.at(-1)?.enqueued).toBe(30 / 5);
    expect(series.points.slice(0, -1).every((p) => p.enqueued === 0)).toBe(true);
    now += 6 * 60_000;
    expect(throughput.rates(5 * 60_000).enqueued).toBe(0);
    expect(throughput.rates(60 * 60_000).enqueued).toBe(30 / 3600);
    throughput.sweep();
    expect(throughput.trackedQueues).toBe(0);
    throughput.close();
  });
});

describe('QueueTotals', () => {
  test('a walk is reused for 1 s, or for WALK_BUDGET_FACTOR times as long as it took when longer', async () => {
    let elapsed = 0;
    let walks = 0;
    const engine = {
      listQueues: () => {
        walks += 1;
        elapsed += 50;
        const counts = { waiting: walks, delayed: 0, active: 0, completed: 0, dead: 0 };
        return Promise.resolve({ items: [{ name: 'q', counts }], cursor: null });
      },
    } as unknown as Engine;
    const totals = new QueueTotals(engine, new DepthHistory(), 1000, () => elapsed);
    const t0 = 1_000_000;
    expect((await totals.get(t0)).counts.waiting).toBe(1);
    expect((await totals.get(t0 + 1000)).counts.waiting).toBe(1);
    expect((await totals.get(t0 + 50 * WALK_BUDGET_FACTOR - 1)).counts.waiting).toBe(1);
    expect((await totals.get(t0 + 50 * WALK_BUDGET_FACTOR)).counts.waiting).toBe(2);
    expect(walks).toBe(2);
  });
});

describe('ActivityFeed', () => {
  test('runs only with subscribers and names, each tick, the queues that had events since the last', async () => {
    const throughput = new Throughput(new EventHub<EngineEvents>());
    const feed = new ActivityFeed(throughput, 10);
    throughput.record('before', 'enqueued');
    const frames: ActivityFrame[] = [];
    let next: () => void = () => undefined;
    const unsubscribe = feed.subscribe((frame) => {
      frames.push(frame);
      next();
    });
    const tick = () => new Promise<void>((resolve) => (next = resolve));
    expect(feed.subscribers).toBe(1);
    throughput.record('b', 'enqueued');
    throughput.record('a', 'acked');
    await tick();
    await tick();
    throughput.record('a', 'leased');
    await tick();
    unsubscribe();
    expect(feed.subscribers).toBe(0);
    expect(frames.slice(0, 3).map((f) => f.queues)).toEqual([['a', 'b'], [], ['a']]);
    feed.close();
    throughput.close();
  });
});

describe('DepthHistory', () => {
  test('keeps the last sample of each 10 s slot over 5 minutes, oldest first, and forgets idle queues', () => {
    const history = new DepthHistory();
    const t0 = 1_000_000_000;
    history.record('a', 5, t0);
    history.record('a', 7, t0 + 1000);
    history.record('a', 9, t0 + 10_000);
    expect(history.series('a', t0 + 10_000)).toEqual([7, 9]);
    expect(history.series('a', t0 + 305_000)).toEqual([9]);
    expect(history.series('b', t0)).toEqual([]);
    history.sweep(t0 + 301_000);
    expect(history.trackedQueues).toBe(1);
    history.sweep(t0 + 320_000);
    expect(history.trackedQueues).toBe(0);
  });
});

describe('server and stats routes', () => {
  test('GET /v1/server reports version, uptime and the store with its files', async () => {
    h = await createHarness({
      buildInfo: { version: '9.9.9', store: 'sqlite' },
      storeFiles: () => Promise.resolve([{ name: 'docket.db', bytes: 4096 }]),
      readyCheck: () => Promise.resolve('disk full'),
    });
    const response = await h.app.inject({ method: 'GET', url: '/v1/server' });
    expect(response.statusCode).toBe(200);
    const { server } = response.json<{ server: Record<string, unknown> }>();
    expect(server).toMatchObject({
      version: '9.9.9',
      store: { kind: 'sqlite', ready: false, reason: 'disk full', files: [{ name: 'docket.db', bytes: 4096 }] },
    });
    expect(server['uptimeMs']).toBeGreaterThanOrEqual(0);
  });

  test('GET /v1/stats sums counts over every queue and counts this process’s enqueues, leases and acks', async () => {
    h = await createHarness();
    await h.app.inject({ method: 'POST', url: '/v1/queues/a/jobs', payload: { jobs: [{ data: 1 }, { data: 2 }] } });
    await h.app.inject({ method: 'POST', url: '/v1/queues/b/jobs', payload: { data: 3, delayMs: 60_000 } });
    const leased = await h.app.inject({ method: 'POST', url: '/v1/lease', payload: { queues: ['a'], max: 1 } });
    const job = leased.json<{ jobs: { id: string; leaseToken: string }[] }>().jobs[0];
    await h.app.inject({ method: 'POST', url: `/v1/jobs/${job?.id}/ack`, payload: { lease: job?.leaseToken } });
    const response = await h.app.inject({ method: 'GET', url: '/v1/stats?window=1h' });
    expect(response.statusCode).toBe(200);
    const { stats } = response.json<{
      stats: {
        queues: number;
        counts: Record<string, number>;
        rates: Record<string, Rates>;
        series: { stepMs: number; points: Rates[] };
      };
    }>();
    expect(stats.queues).toBe(2);
    expect(stats.counts).toEqual({ waiting: 1, delayed: 1, active: 0, completed: 1, dead: 0 });
    expect(stats.rates['5m']).toEqual({ enqueued: 3 / 300, leased: 1 / 300, acked: 1 / 300, failed: 0 });
    expect(stats.series.stepMs).toBe(60_000);
    expect(stats.series.points).toHaveLength(60);
  });

  test('GET /v1/stats/queues pages queues with rates and the oldest waiting age', async () => {
    h = await createHarness();
    await h.app.inject({ method: 'POST', url: '/v1/queues/a/jobs', payload: { data: 1 } });
    await h.app.inject({ method: 'PUT', url: '/v1/queues/b', payload: {} });
    const first = await h.app.inject({ method: 'GET', url: '/v1/stats/queues?limit=1' });
    const page = first.json<{
      items: { queue: { name: string }; rates: Rates; oldestWaitingAgeMs: number | null; depth: number[] }[];
      cursor: string;
    }>();
    expect(page.items.map((item) => item.queue.name)).toEqual(['a']);
    expect(page.items[0]?.oldestWaitingAgeMs).toBeGreaterThanOrEqual(0);
    expect(page.items[0]?.rates.enqueued).toBeCloseTo(1 / 300);
    expect(page.items[0]?.depth).toEqual([1]);
    const second = await h.app.inject({ method: 'GET', url: `/v1/stats/queues?limit=1&cursor=${page.cursor}` });
    expect(second.json<{ items: { queue: { name: string }; oldestWaitingAgeMs: null }[] }>().items).toMatchObject([
      { queue: { name: 'b' }, oldestWaitingAgeMs: null },
    ]);
  });

  test('the reads that count a queue say in Server-Timing how long the counting took', async () => {
    h = await createHarness();
    await h.app.inject({ method: 'POST', url: '/v1/queues/a/jobs', payload: { data: 1 } });
    for (const url of ['/v1/queues/a', '/v1/stats/queues']) {
      const response = await h.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      const match = /^count;dur=(\d+\.\d{2})$/.exec(String(response.headers['server-timing']));
      expect(match, url).not.toBeNull();
      expect(Number(match?.[1])).toBeGreaterThanOrEqual(0);
    }
    const missing = await h.app.inject({ method: 'GET', url: '/v1/queues/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['server-timing']).toBeUndefined();
  });

  test('bad stats parameters are a precise 400', async () => {
    h = await createHarness();
    for (const url of ['/v1/stats?window=2d', '/v1/stats/queues?limit=1001', '/v1/stats/queues?limit=0']) {
      const response = await h.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(errorOf(response).code).toBe('INVALID_ARGUMENT');
    }
  });
});

describe('read-only UI sessions', () => {
  test('a mutating call marked as a dashboard session is refused with 403 and changes nothing', async () => {
    h = await createHarness({ uiReadOnly: true });
    const refused = await h.app.inject({
      method: 'POST',
      url: '/v1/queues/a/jobs',
      headers: { 'x-docket-ui': '1' },
      payload: { data: 1 },
    });
    expect(refused.statusCode).toBe(403);
    expect(errorOf(refused).code).toBe('FORBIDDEN');
    const read = await h.app.inject({ method: 'GET', url: '/v1/stats', headers: { 'x-docket-ui': '1' } });
    expect(read.json<{ stats: { queues: number } }>().stats.queues).toBe(0);
    const api = await h.app.inject({ method: 'POST', url: '/v1/queues/a/jobs', payload: { data: 1 } });
    expect(api.statusCode).toBe(201);
  });
});
