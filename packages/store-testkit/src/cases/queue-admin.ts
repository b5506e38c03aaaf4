/**
 * Queue administration: queueConfigure (create, replace), queueGet, queueList (by name, cursor
 * pages), queuePause/queueResume, queueStats (all five states), queuePurge (all or by state)
 * and queueDelete, each scoped to its own queue.
 */
import { describe, expect } from 'vitest';
import type { Job, JobState } from '@docket/protocol';
import type { Store } from '@docket/core';
import type { CaseContext } from '../case-registry.ts';
import { DEFAULT_BACKOFF, delayedJob, newJob, T0 } from '../support/new-jobs.ts';
import { collectPages } from '../support/pages.ts';
import { complete, enqueueOne, leaseOne, reject } from '../support/store-actions.ts';

/** One completed, one dead, one active, two waiting and one delayed job in `queue`. */
async function populate(store: Store, queue: string): Promise<Record<JobState, Job[]>> {
  const completed = await complete(store, await enqueueOne(store, newJob({ queue })), T0 + 1);
  const dead = await reject(store, await enqueueOne(store, newJob({ queue })), T0 + 2);
  await enqueueOne(store, newJob({ queue }));
  const active = await leaseOne(store, { queues: [queue], now: T0 + 3 });
  const waiting = [await enqueueOne(store, newJob({ queue })), await enqueueOne(store, newJob({ queue }))];
  const delayed = await enqueueOne(store, delayedJob(T0 + 10_000, { queue }));
  return { completed: [completed], dead: [dead], active: [active], waiting, delayed: [delayed] };
}

const NO_JOBS = { delayed: 0, waiting: 0, active: 0, completed: 0, dead: 0 };
const NO_TOTALS = { completed: 0, failed: 0 };

export function registerQueueAdminCases(ctx: CaseContext): void {
  describe('queue admin', () => {
    ctx.test('configure creates a queue with the given config', async () => {
      const store = ctx.store();
      const config = { leaseMs: 5000, maxAttempts: 3, backoff: DEFAULT_BACKOFF, keepCompletedCount: 10, ttlMs: 60_000 };
      const info = await store.queueConfigure({ queue: 'configured', config, now: T0 });
      expect(info).toEqual({ name: 'configured', paused: false, config, createdAt: T0, totals: NO_TOTALS });
      expect(await store.queueGet({ queue: 'configured' })).toEqual(info);
    });

    ctx.test('configure replaces the whole config and keeps createdAt and pause', async () => {
      const store = ctx.store();
      await store.queueConfigure({ queue: 'q', config: { leaseMs: 5000, maxAttempts: 3 }, now: T0 });
      await store.queuePause({ queue: 'q', now: T0 + 1 });
      const info = await store.queueConfigure({ queue: 'q', config: { keepDeadMs: 5 }, now: T0 + 2 });
      expect(info).toEqual({ name: 'q', paused: true, config: { keepDeadMs: 5 }, createdAt: T0, totals: NO_TOTALS });
      expect(await store.queueGet({ queue: 'q' })).toEqual(info);
    });

    ctx.test('configure keeps tags and door attributes exactly as given', async () => {
      const store = ctx.store();
      const config = {
        tags: { team: 'billing', 'cost-center': '' },
        attributes: { DelaySeconds: '5', Policy: '{"a":[1]}' },
      };
      const info = await store.queueConfigure({ queue: 'tagged', config, now: T0 });
      expect(info.config).toEqual(config);
      expect((await store.queueGet({ queue: 'tagged' }))?.config).toEqual(config);
      const page = await store.queueList({ limit: 10, cursor: null });
      expect(page.items.find((q) => q.name === 'tagged')?.config).toEqual(config);
    });

    ctx.test('getting an unknown queue returns null', async () => {
      expect(await ctx.store().queueGet({ queue: 'never-used' })).toBeNull();
    });

    ctx.test('queue list pages through queues by name', async () => {
      const store = ctx.store();
      for (const queue of ['c', 'a', 'e', 'b', 'd']) await store.queueConfigure({ queue, config: {}, now: T0 });
      const seen = await collectPages(2, (page) => store.queueList(page));
      expect(seen.map((q) => q.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    });

    ctx.test('pause and resume flip the paused flag and create the queue if needed', async () => {
      const store = ctx.store();
      const paused = await store.queuePause({ queue: 'fresh', now: T0 });
      expect(paused).toEqual({ name: 'fresh', paused: true, config: {}, createdAt: T0, totals: NO_TOTALS });
      expect((await store.queueGet({ queue: 'fresh' }))?.paused).toBe(true);
      const resumed = await store.queueResume({ queue: 'fresh', now: T0 + 1 });
      expect(resumed).toEqual({ name: 'fresh', paused: false, config: {}, createdAt: T0, totals: NO_TOTALS });
      expect((await store.queueGet({ queue: 'fresh' }))?.paused).toBe(false);
    });

    ctx.test('stats count jobs by state with zeros for states without jobs', async () => {
      const store = ctx.store();
      await populate(store, 'busy');
      await store.queueConfigure({ queue: 'idle', config: {}, now: T0 });
      expect(await store.queueStats({ queue: 'busy' })).toEqual({
        delayed: 1,
        waiting: 2,
        active: 1,
        completed: 1,
        dead: 1,
      });
      expect(await store.queueStats({ queue: 'idle' })).toEqual(NO_JOBS);
    });

    ctx.test('purge without states deletes every job of the queue and only that queue', async () => {
      const store = ctx.store();
      const jobs = await populate(store, 'doomed');
      const kept = await enqueueOne(store, newJob({ queue: 'kept' }));
      expect(await store.queuePurge({ queue: 'doomed', states: null, resetTotals: true })).toBe(6);
      expect(await store.queueStats({ queue: 'doomed' })).toEqual(NO_JOBS);
      for (const job of Object.values(jobs).flat()) expect(await store.jobGet({ id: job.id })).toBeNull();
      expect(await store.jobGet({ id: kept.id })).toEqual(kept);
      expect(await store.queueGet({ queue: 'doomed' })).not.toBeNull();
    });

    ctx.test('purge by states deletes only jobs in those states', async () => {
      const store = ctx.store();
      const jobs = await populate(store, 'mixed');
      expect(
        await store.queuePurge({ queue: 'mixed', states: ['completed', 'dead', 'delayed'], resetTotals: true }),
      ).toBe(3);
      expect(await store.queueStats({ queue: 'mixed' })).toEqual({ ...NO_JOBS, waiting: 2, active: 1 });
      expect(await store.jobGet({ id: jobs.active[0]?.id ?? '' })).toEqual(jobs.active[0]);
    });

    ctx.test('deleting a queue removes it and its jobs and leaves others alone', async () => {
      const store = ctx.store();
      const jobs = await populate(store, 'gone');
      const kept = await enqueueOne(store, newJob({ queue: 'kept' }));
      expect(await store.queueDelete({ queue: 'gone' })).toBe(true);
      expect(await store.queueGet({ queue: 'gone' })).toBeNull();
      for (const job of Object.values(jobs).flat()) expect(await store.jobGet({ id: job.id })).toBeNull();
      const listed = await store.queueList({ limit: 100, cursor: null });
      expect(listed.items.map((q) => q.name)).toEqual(['kept']);
      expect(await store.jobGet({ id: kept.id })).toEqual(kept);
    });

    ctx.test('deleting an unknown queue returns false', async () => {
      expect(await ctx.store().queueDelete({ queue: 'never-used' })).toBe(false);
    });
  });
}
