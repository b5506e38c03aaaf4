/**
 * Flow control across three servers over one prefix on Redis time (`time: 'backend'`): the
 * stores lease as fast as they can for a while, and the recorded lease times (Redis `TIME`,
 * which every script reads) must show no fixed rate window with more than its `max`, and no
 * instant with more active jobs than the queue's `concurrency`.
 */
import { afterEach, expect, it } from 'vitest';
import type { Job } from '@docket/protocol';
import type { Store } from '@docket/core';
import { freshTokens, jobFactory } from '@docket/store-testkit';
import { describeRedis, openStore, testPrefixes } from './support/redis-service.ts';

const nextPrefix = testPrefixes();
const open: Store[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

async function threeServers(): Promise<Store[]> {
  const prefix = nextPrefix();
  const stores = await Promise.all([1, 2, 3].map(() => openStore(prefix, { time: 'backend' })));
  open.push(...stores);
  return stores;
}

/** Runs `step` in `loops` concurrent loops per store until `ms` of real time pass. */
async function hammer(stores: readonly Store[], ms: number, step: (store: Store) => Promise<void>): Promise<void> {
  const until = Date.now() + ms;
  const loop = async (store: Store): Promise<void> => {
    while (Date.now() < until) await step(store);
  };
  await Promise.all(stores.flatMap((store) => [loop(store), loop(store)]));
}

describeRedis('flow control across servers on Redis time', () => {
  it('three servers never pass a rate limit in any fixed window', async () => {
    const stores = await threeServers();
    const [first] = stores as [Store];
    const makeJob = jobFactory({ queue: 'rated', now: Date.now() });
    await first.queueConfigure({ queue: 'rated', config: { rateLimit: { max: 10, perMs: 100 } }, now: Date.now() });
    await first.jobEnqueueMany({ jobs: Array.from({ length: 300 }, () => makeJob()), now: Date.now() });
    const leased: Job[] = [];
    await hammer(stores, 700, async (store) => {
      const jobs = await store.jobLease({
        queues: ['rated'],
        max: 4,
        now: Date.now(),
        leaseMs: null,
        worker: null,
        tokens: freshTokens(4),
      });
      leased.push(...jobs);
      if (jobs.length === 0) await new Promise((r) => setTimeout(r, 2));
    });
    const perWindow = new Map<number, number>();
    for (const job of leased) {
      const window = Math.floor((job.attemptStartedAt ?? 0) / 100);
      perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
    }
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(10);
    expect([...perWindow.values()].filter((n) => n === 10).length).toBeGreaterThanOrEqual(3);
    expect(new Set(leased.map((j) => j.id)).size).toBe(leased.length);
  });

  it('three servers leasing and acking never hold more active jobs than the concurrency', async () => {
    const stores = await threeServers();
    const [first] = stores as [Store];
    const makeJob = jobFactory({ queue: 'capped', now: Date.now() });
    await first.queueConfigure({ queue: 'capped', config: { concurrency: 3 }, now: Date.now() });
    await first.jobEnqueueMany({ jobs: Array.from({ length: 300 }, () => makeJob()), now: Date.now() });
    const done: Job[] = [];
    await hammer(stores, 600, async (store) => {
      const jobs = await store.jobLease({
        queues: ['capped'],
        max: 2,
        now: Date.now(),
        leaseMs: null,
        worker: null,
        tokens: freshTokens(2),
      });
      await new Promise((r) => setTimeout(r, 1));
      for (const job of jobs) {
        done.push(await store.jobAck({ id: job.id, token: job.leaseToken, now: Date.now(), result: null }));
      }
      if (jobs.length === 0) await new Promise((r) => setTimeout(r, 1));
    });
    // Active from attemptStartedAt (inclusive) to finishedAt (exclusive), both Redis times.
    const edges = done.flatMap((job) => [
      { at: job.attemptStartedAt ?? 0, delta: 1 },
      { at: job.finishedAt ?? 0, delta: -1 },
    ]);
    edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
    let active = 0;
    let most = 0;
    for (const edge of edges) {
      active += edge.delta;
      most = Math.max(most, active);
    }
    expect(done.length).toBeGreaterThan(20);
    expect(most).toBeLessThanOrEqual(3);
    expect(most).toBe(3);
  });
});
