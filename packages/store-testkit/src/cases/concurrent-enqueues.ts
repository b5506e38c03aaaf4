/**
 * Concurrent jobEnqueueMany calls: each call is all or nothing on its own, whatever the store does
 * to run calls that arrive together (the SQLite store merges them into one statement run). A store
 * with `orderedWrites` runs them in the order they were made, so the outcomes are exactly those of
 * running them one after another; the others must still keep every call's outcome its own.
 */
import { describe, expect } from 'vitest';
import { QueueFullError, type EnqueueResult } from '@docket/protocol';
import type { NewJob, Store } from '@docket/core';
import type { CaseContext } from '../case-registry.ts';
import { newJob, QUEUE, T0 } from '../support/new-jobs.ts';

type Settled = PromiseSettledResult<EnqueueResult[]>;

/** One call per job, all made before any is awaited. */
function together(store: Store, jobs: readonly NewJob[], now = T0): Promise<Settled[]> {
  return Promise.allSettled(jobs.map((job) => store.jobEnqueueMany({ jobs: [job], now })));
}

const created = (outcomes: readonly Settled[]): boolean[] =>
  outcomes.map((o) => o.status === 'fulfilled' && o.value[0]?.created === true);

export function registerConcurrentEnqueueCases(ctx: CaseContext): void {
  describe('concurrent enqueue calls', () => {
    ctx.test('calls made together each get their own jobs back, in their own order', async () => {
      const store = ctx.store();
      const calls = [
        [newJob({ data: 'a1' }), newJob({ data: 'a2' })],
        [newJob({ queue: 'other', data: 'b1' })],
        [newJob({ data: 'c1' }), newJob({ queue: 'other', data: 'c2' }), newJob({ data: 'c3' })],
      ];
      const outcomes = await Promise.all(calls.map((jobs) => store.jobEnqueueMany({ jobs, now: T0 })));
      outcomes.forEach((results, i) => {
        expect(results.map((r) => r.job.id)).toEqual(calls[i]?.map((j) => j.id));
        expect(results.map((r) => r.job.data)).toEqual(calls[i]?.map((j) => j.data));
        expect(results.every((r) => r.created)).toBe(true);
      });
      const seqs = outcomes.flat().map((r) => r.job.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      if (store.capabilities.orderedWrites) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect((await store.queueStats({ queue: QUEUE })).waiting).toBe(4);
    });

    ctx.test('a bad call among concurrent ones is refused alone and writes nothing', async () => {
      const store = ctx.store();
      const good = [newJob(), newJob(), newJob({ queue: 'other' })];
      const bad = newJob({ encoding: 'bytes', data: 'not a Uint8Array' });
      const outcomes = await together(store, [good[0] as NewJob, bad, good[1] as NewJob, good[2] as NewJob]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect(await store.jobGet({ id: bad.id })).toBeNull();
      for (const job of good) expect(await store.jobGet({ id: job.id })).toMatchObject({ state: 'waiting' });
    });

    ctx.test('maxWaiting refuses exactly the concurrent calls past the bound', async () => {
      const store = ctx.store();
      await store.queueConfigure({ queue: QUEUE, config: { maxWaiting: 3 }, now: T0 });
      const outcomes = await together(
        store,
        Array.from({ length: 5 }, () => newJob()),
      );
      const refused = outcomes.filter((o) => o.status === 'rejected');
      expect(refused).toHaveLength(2);
      for (const o of refused) expect(o.status === 'rejected' && o.reason).toBeInstanceOf(QueueFullError);
      if (store.capabilities.orderedWrites) expect(created(outcomes)).toEqual([true, true, true, false, false]);
      expect((await store.queueStats({ queue: QUEUE })).waiting).toBe(3);
    });

    ctx.test('the same id in concurrent calls creates one job, and the other call gets it', async () => {
      const store = ctx.store();
      const first = newJob({ data: 'first' });
      const outcomes = await together(store, [first, newJob({ id: first.id, data: 'second' }), newJob()]);
      const results = outcomes.map((o) => (o.status === 'fulfilled' ? o.value[0] : undefined));
      expect(results[2]?.created).toBe(true);
      expect([results[0]?.created, results[1]?.created].filter(Boolean)).toHaveLength(1);
      expect(results[0]?.job).toEqual(results[1]?.job);
      if (store.capabilities.orderedWrites)
        expect(results[1]).toMatchObject({ created: false, job: { data: 'first' } });
      expect((await store.queueStats({ queue: QUEUE })).waiting).toBe(2);
    });

    ctx.test('the same dedupKey in concurrent calls creates one job', async () => {
      const store = ctx.store();
      const jobs = [1, 2, 3].map((n) => newJob({ dedupKey: 'k', dedupUntil: T0 + 1000, data: n }));
      const outcomes = await together(store, jobs);
      expect(created(outcomes).filter(Boolean)).toHaveLength(1);
      const ids = outcomes.map((o) => (o.status === 'fulfilled' ? o.value[0]?.job.id : undefined));
      expect(new Set(ids).size).toBe(1);
      if (store.capabilities.orderedWrites) expect(created(outcomes)).toEqual([true, false, false]);
      expect((await store.queueStats({ queue: QUEUE })).waiting).toBe(1);
    });

    ctx.test('a purge made between two enqueues falls between them', async () => {
      const store = ctx.store();
      const before = newJob();
      const after = newJob();
      const calls = [
        store.jobEnqueueMany({ jobs: [before], now: T0 }),
        store.queuePurge({ queue: QUEUE, states: null, resetTotals: false }),
        store.jobEnqueueMany({ jobs: [after], now: T0 }),
      ];
      await Promise.all(calls);
      const survivors = [await store.jobGet({ id: before.id }), await store.jobGet({ id: after.id })];
      if (store.capabilities.orderedWrites) expect(survivors.map((j) => j?.id ?? null)).toEqual([null, after.id]);
      else expect(survivors.filter((j) => j !== null).length).toBe((await store.queueStats({ queue: QUEUE })).waiting);
    });
  });
}
