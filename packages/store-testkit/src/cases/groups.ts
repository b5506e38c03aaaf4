/**
 * Groups at the Store port (docs/state-machine.md#groups): a job keeps its `group`; in a queue
 * with `groupConcurrency` N a group never has more than N jobs held (active, or delayed after a
 * lease), its jobs go in group order (priority, then enqueue order), the groups with waiting jobs
 * are served round-robin, a nack with delay or a retry holds its group, and jobs without a group
 * are leased as one more lane that N does not hold. A queue without group settings ignores
 * groups.
 */
import { describe, expect } from 'vitest';
import type { LeasedJob, QueueConfig } from '@docket/protocol';
import type { LeaseResult, NackTarget, Store } from '@docket/core';
import type { CaseContext } from '../case-registry.ts';
import { freshTokens, newJob, QUEUE, T0 } from '../support/new-jobs.ts';
import { enqueue } from '../support/store-actions.ts';

function leaseAt(store: Store, now: number, max: number): Promise<LeaseResult> {
  return store.jobLease({ queues: [QUEUE], max, now, leaseMs: null, worker: null, tokens: freshTokens(max) });
}

/** Jobs of `group` (null: none), enqueued in order, one per `tag`, their payloads the tags. */
function jobsOf(group: string | null, tags: readonly string[]) {
  return tags.map((tag) => newJob({ data: tag, ...(group === null ? {} : { group }) }));
}

async function grouped(store: Store, config: QueueConfig): Promise<void> {
  await store.queueConfigure({ queue: QUEUE, config, now: T0 });
}

const tags = (jobs: readonly LeasedJob[]): unknown[] => jobs.map((job) => job.data);

const ack = (store: Store, job: LeasedJob, now: number) =>
  store.jobAck({ id: job.id, token: job.leaseToken, now, result: null });

const nack = (store: Store, job: LeasedJob, now: number, target: NackTarget) =>
  store.jobNack({
    id: job.id,
    token: job.leaseToken,
    now,
    target,
    kind: 'placement',
    error: null,
    leaseExpiredOnly: false,
  });

export function registerGroupCases(ctx: CaseContext): void {
  describe('groups', () => {
    ctx.test('a job keeps its group; a job without one reads back without it', async () => {
      const store = ctx.store();
      await grouped(store, { groupConcurrency: 1 });
      const results = await enqueue(store, [...jobsOf('customer-42', ['a']), ...jobsOf(null, ['b'])]);
      const [withGroup, without] = results.map((result) => result.job);
      expect(withGroup?.group).toBe('customer-42');
      expect(without).not.toHaveProperty('group');
      expect((await store.jobGet({ id: withGroup?.id ?? '' }))?.group).toBe('customer-42');
      expect(await store.jobGet({ id: without?.id ?? '' })).not.toHaveProperty('group');
      const leased = await leaseAt(store, T0 + 1, 2);
      expect(leased.map((job) => job.group ?? null).sort()).toEqual(['customer-42', null].sort());
    });

    ctx.test('groupConcurrency 1: a group gives its next job only once the previous one is acked', async () => {
      const store = ctx.store();
      await grouped(store, { groupConcurrency: 1 });
      await enqueue(store, [...jobsOf('a', ['a1', 'a2', 'a3']), ...jobsOf('b', ['b1'])]);
      const first = await leaseAt(store, T0 + 1, 10);
      expect(tags(first)).toEqual(['a1', 'b1']);
      const none = await leaseAt(store, T0 + 2, 10);
      expect(none).toHaveLength(0);
      expect(none.throttle).toEqual({ retryInMs: null });
      await ack(store, first[0] as LeasedJob, T0 + 3);
      expect(tags(await leaseAt(store, T0 + 4, 10))).toEqual(['a2']);
    });

    ctx.test('groupConcurrency N holds at most N jobs of a group at once', async () => {
      const store = ctx.store();
      await grouped(store, { groupConcurrency: 2 });
      await enqueue(store, jobsOf('a', ['a1', 'a2', 'a3', 'a4']));
      const first = await leaseAt(store, T0 + 1, 10);
      expect(tags(first)).toEqual(['a1', 'a2']);
      await ack(store, first[1] as LeasedJob, T0 + 2);
      expect(tags(await leaseAt(store, T0 + 3, 10))).toEqual(['a3']);
    });

    ctx.test('groups with waiting jobs are served round-robin, a big group cannot starve a small one', async () => {
      const store = ctx.store();
      await grouped(store, { groupConcurrency: 100 });
      await enqueue(store, jobsOf('big', ['x1', 'x2', 'x3', 'x4', 'x5', 'x6']));
      await enqueue(store, jobsOf('small', ['s1', 's2']));
      await enqueue(store, jobsOf('third', ['t1']));
      expect(tags(await leaseAt(store, T0 + 1, 4))).toEqual(['x1', 's1', 't1', 'x2']);
      const order: unknown[] = [];
      for (let i = 0; i < 5; i += 1) order.push(...tags(await leaseAt(store, T0 + 2 + i, 1)));
      expect(order).toEqual(['s2', 'x3', 'x4', 'x5', 'x6']);
    });

    ctx.test(
      'inside a group, priority goes first, then enqueue order; a nack to the back keeps its place',
      async () => {
        const store = ctx.store();
        await grouped(store, { groupConcurrency: 1 });
        await enqueue(store, [...jobsOf('a', ['a1', 'a2']), newJob({ data: 'urgent', group: 'a', priority: 5 })]);
        const [urgent] = await leaseAt(store, T0 + 1, 5);
        expect(urgent?.data).toBe('urgent');
        await ack(store, urgent as LeasedJob, T0 + 2);
        const [a1] = await leaseAt(store, T0 + 3, 5);
        expect(a1?.data).toBe('a1');
        await nack(store, a1 as LeasedJob, T0 + 4, { state: 'waiting', placement: 'back' });
        const again = await leaseAt(store, T0 + 5, 5);
        expect(tags(again)).toEqual(['a1']);
        expect(again[0]?.attempts).toBe(2);
      },
    );

    ctx.test('a nack with delay holds its FIFO group until the job ran again', async () => {
      const store = ctx.store();
      await grouped(store, { groupConcurrency: 1 });
      await enqueue(store, [...jobsOf('a', ['a1', 'a2']), ...jobsOf('b', ['b1', 'b2'])]);
      const first = await leaseAt(store, T0 + 1, 10);
      expect(tags(first)).toEqual(['a1', 'b1']);
      const [a1, b1] = first as [LeasedJob, LeasedJob];
      await nack(store, a1, T0 + 2, { state: 'delayed', runAt: T0 + 1_000 });
      await ack(store, b1, T0 + 3);
      expect(tags(await leaseAt(store, T0 + 4, 10))).toEqual(['b2']);
      expect(await store.jobPromoteDue({ now: T0 + 1_000, limit: 10 })).toHaveLength(1);
      const retried = await leaseAt(store, T0 + 1_001, 10);
      expect(tags(retried)).toEqual(['a1']);
      await ack(store, retried[0] as LeasedJob, T0 + 1_002);
      expect(tags(await leaseAt(store, T0 + 1_003, 10))).toEqual(['a2']);
    });

    ctx.test('a dead, cancelled or expired job frees its group', async () => {
      const store = ctx.store();
      await grouped(store, { groupConcurrency: 1 });
      await enqueue(store, [
        ...jobsOf('a', ['a1']),
        newJob({ data: 'a2', group: 'a', expiresAt: T0 + 100 }),
        ...jobsOf('a', ['a3', 'a4']),
      ]);
      const [a1] = await leaseAt(store, T0 + 1, 10);
      await nack(store, a1 as LeasedJob, T0 + 2, { state: 'dead', reason: 'rejected' });
      const [a2] = await leaseAt(store, T0 + 3, 10);
      expect(a2?.data).toBe('a2');
      expect(await store.jobExpireDue({ now: T0 + 100, limit: 10 })).toHaveLength(1);
      const [a3] = await leaseAt(store, T0 + 101, 10);
      expect(a3?.data).toBe('a3');
      await store.jobCancel({ id: a3?.id ?? '', now: T0 + 102 });
      expect(tags(await leaseAt(store, T0 + 103, 10))).toEqual(['a4']);
    });

    ctx.test('jobs without a group are one more lane of a grouped queue, not held by groupConcurrency', async () => {
      const store = ctx.store();
      await enqueue(store, jobsOf(null, ['early']));
      await grouped(store, { groupConcurrency: 1 });
      await enqueue(store, [...jobsOf('a', ['a1', 'a2']), ...jobsOf(null, ['u1', 'u2'])]);
      const leased = await leaseAt(store, T0 + 1, 10);
      expect(tags(leased).sort()).toEqual(['a1', 'early', 'u1', 'u2']);
      for (const job of leased.filter((leasedJob) => leasedJob.data !== 'a1')) expect(job).not.toHaveProperty('group');
    });

    ctx.test('a queue without group settings leases grouped jobs in waiting order', async () => {
      const store = ctx.store();
      await enqueue(store, jobsOf('a', ['a1', 'a2', 'a3']));
      const leased = await leaseAt(store, T0 + 1, 10);
      expect(tags(leased)).toEqual(['a1', 'a2', 'a3']);
      expect(leased[0]?.group).toBe('a');
    });

    ctx.test('groupRateLimit caps each group per fixed window, and the ungrouped lane is not capped', async () => {
      const store = ctx.store();
      await grouped(store, { groupRateLimit: { max: 2, perMs: 1_000 } });
      await enqueue(store, [
        ...jobsOf('a', ['a1', 'a2', 'a3', 'a4']),
        ...jobsOf('b', ['b1']),
        ...jobsOf(null, ['u1', 'u2', 'u3']),
      ]);
      const first = await leaseAt(store, T0 + 1, 20);
      expect(tags(first).sort()).toEqual(['a1', 'a2', 'b1', 'u1', 'u2', 'u3']);
      const none = await leaseAt(store, T0 + 2, 20);
      expect(none).toHaveLength(0);
      expect(none.throttle).toEqual({ retryInMs: 998 });
      expect(tags(await leaseAt(store, T0 + 1_000, 20))).toEqual(['a3', 'a4']);
    });

    ctx.test('queueGroups lists the groups with waiting or held jobs, deepest first, without the lane', async () => {
      const store = ctx.store();
      await grouped(store, { groupConcurrency: 1 });
      await enqueue(store, [
        ...jobsOf('small', ['s1']),
        ...jobsOf('big', ['b1', 'b2', 'b3']),
        ...jobsOf('mid', ['m1', 'm2']),
        ...jobsOf(null, ['u1', 'u2', 'u3', 'u4']),
      ]);
      expect(await store.queueGroups({ queue: QUEUE, limit: 10 })).toEqual([
        { group: 'big', waiting: 3, held: 0 },
        { group: 'mid', waiting: 2, held: 0 },
        { group: 'small', waiting: 1, held: 0 },
      ]);
      const leased = await leaseAt(store, T0 + 1, 10);
      const small = leased.find((job) => job.data === 's1') as LeasedJob;
      expect(await store.queueGroups({ queue: QUEUE, limit: 2 })).toEqual([
        { group: 'big', waiting: 2, held: 1 },
        { group: 'mid', waiting: 1, held: 1 },
      ]);
      await ack(store, small, T0 + 2);
      expect(await store.queueGroups({ queue: QUEUE, limit: 10 })).toHaveLength(2);
      expect(await store.queueGroups({ queue: 'no-such-queue', limit: 10 })).toEqual([]);
    });

    ctx.test(
      'queueGroups counts follow a job through lease, nack to waiting, nack into a delay, promotion and ack',
      async () => {
        const store = ctx.store();
        await grouped(store, { groupConcurrency: 1 });
        await enqueue(store, jobsOf('g', ['g1', 'g2']));
        const counts = async () => store.queueGroups({ queue: QUEUE, limit: 10 });
        const [first] = await leaseAt(store, T0 + 1, 10);
        expect(await counts()).toEqual([{ group: 'g', waiting: 1, held: 1 }]);
        await nack(store, first as LeasedJob, T0 + 2, { state: 'waiting', placement: 'front' });
        expect(await counts()).toEqual([{ group: 'g', waiting: 2, held: 0 }]);
        const [again] = await leaseAt(store, T0 + 3, 10);
        expect(again?.data).toBe('g1');
        await nack(store, again as LeasedJob, T0 + 4, { state: 'delayed', runAt: T0 + 10 });
        expect(await counts()).toEqual([{ group: 'g', waiting: 1, held: 1 }]);
        expect(await store.jobPromoteDue({ now: T0 + 10, limit: 10 })).toHaveLength(1);
        expect(await counts()).toEqual([{ group: 'g', waiting: 2, held: 0 }]);
        const [third] = await leaseAt(store, T0 + 11, 10);
        await ack(store, third as LeasedJob, T0 + 12);
        expect(await counts()).toEqual([{ group: 'g', waiting: 1, held: 0 }]);
      },
    );

    ctx.test('a grouped queue still obeys the queue concurrency', async () => {
      const store = ctx.store();
      await grouped(store, { groupConcurrency: 5, concurrency: 2 });
      await enqueue(store, [...jobsOf('a', ['a1', 'a2']), ...jobsOf('b', ['b1'])]);
      const leased = await leaseAt(store, T0 + 1, 10);
      expect(tags(leased)).toEqual(['a1', 'b1']);
      expect(leased.throttle).toEqual({ retryInMs: null });
    });
  });
}
