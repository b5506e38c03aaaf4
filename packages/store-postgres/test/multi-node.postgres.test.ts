/**
 * Several servers over one schema. Why PostgreSQL-specific: the guarantees rest on row locks
 * (FOR UPDATE SKIP LOCKED, re-checked state guards) between separate connection pools; two store
 * instances over one schema stand for two servers running the same calls and services at once.
 */
import { afterEach, expect, it } from 'vitest';
import { LeaseMismatchError, type Job, type LeasedJob } from '@docket/protocol';
import type { Store } from '@docket/core';
import { jobFactory } from '@docket/store-testkit';
import { describePostgres, freshSchema, openStore } from './support/postgres.ts';

const makeJob = jobFactory({ queue: 'q', now: 1_000 });

const T0 = 1_000_000;
const open: Store[] = [];

async function twoNodes(): Promise<[Store, Store]> {
  const schema = freshSchema();
  const nodes: [Store, Store] = [await openStore({ schema }), await openStore({ schema })];
  open.push(...nodes);
  return nodes;
}

afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

let tokenCounter = 0;
const tokens = (n: number): string[] => Array.from({ length: n }, () => `token-${(tokenCounter += 1)}`);

/** Calls `step` on every node, several times concurrently, until each call comes back empty. */
async function drainConcurrently<T>(
  nodes: readonly Store[],
  step: (store: Store) => Promise<T[]>,
  loopsPerNode = 4,
): Promise<T[]> {
  const out: T[] = [];
  const loop = async (store: Store): Promise<void> => {
    for (;;) {
      const batch = await step(store);
      if (batch.length === 0) return;
      out.push(...batch);
    }
  };
  await Promise.all(nodes.flatMap((store) => Array.from({ length: loopsPerNode }, () => loop(store))));
  return out;
}

const ids = (jobs: readonly Job[]): string[] => jobs.map((j) => j.id);

describePostgres('several servers over one schema', () => {
  it('concurrent leases from two servers hand out every job exactly once', async () => {
    const [a, b] = await twoNodes();
    const jobs = Array.from({ length: 200 }, (_, i) => makeJob({ queue: i % 2 === 0 ? 'q1' : 'q2', priority: i % 3 }));
    await a.jobEnqueueMany({ jobs, now: T0 });
    const leased = await drainConcurrently([a, b], (store) =>
      store.jobLease({ queues: ['q1', 'q2'], max: 3, now: T0 + 1, leaseMs: null, worker: null, tokens: tokens(3) }),
    );
    expect(leased).toHaveLength(200);
    expect(new Set(ids(leased)).size).toBe(200);
  });

  it('promotion from two servers at once promotes each job once', async () => {
    const [a, b] = await twoNodes();
    const jobs = Array.from({ length: 120 }, (_, i) => makeJob({ state: 'delayed', runAt: T0 + (i % 10) }));
    await a.jobEnqueueMany({ jobs, now: T0 });
    const promoted = await drainConcurrently([a, b], (store) => store.jobPromoteDue({ now: T0 + 100, limit: 7 }));
    expect(promoted).toHaveLength(120);
    expect(new Set(ids(promoted)).size).toBe(120);
    expect(await a.queueStats({ queue: 'q' })).toMatchObject({ delayed: 0, waiting: 120 });
  });

  it('expiry from two servers at once expires each job once', async () => {
    const [a, b] = await twoNodes();
    const jobs = Array.from({ length: 90 }, (_, i) =>
      makeJob({ state: i % 3 === 0 ? 'delayed' : 'waiting', runAt: T0 + 50, expiresAt: T0 + 10 }),
    );
    await a.jobEnqueueMany({ jobs, now: T0 });
    await a.jobLease({ queues: ['q'], max: 20, now: T0 + 1, leaseMs: null, worker: null, tokens: tokens(20) });
    const expired = await drainConcurrently([a, b], (store) => store.jobExpireDue({ now: T0 + 10, limit: 5 }));
    expect(expired).toHaveLength(90);
    expect(new Set(ids(expired)).size).toBe(90);
    expect(await b.queueStats({ queue: 'q' })).toMatchObject({ waiting: 0, delayed: 0, active: 0, dead: 90 });
  });

  it('reapers on two servers reap each expired lease once and count one failure each', async () => {
    const [a, b] = await twoNodes();
    await a.jobEnqueueMany({ jobs: Array.from({ length: 30 }, () => makeJob({ leaseMs: 1_000 })), now: T0 });
    await a.jobLease({ queues: ['q'], max: 30, now: T0, leaseMs: null, worker: 'w', tokens: tokens(30) });
    const reap = async (store: Store): Promise<PromiseSettledResult<Job>[]> => {
      const due: LeasedJob[] = await store.jobLeaseExpired({ now: T0 + 1_000, limit: 100 });
      return Promise.allSettled(
        due.map((job) =>
          store.jobNack({
            id: job.id,
            token: job.leaseToken,
            now: T0 + 1_000,
            target: { state: 'delayed', runAt: T0 + 5_000 },
            kind: 'failure',
            error: null,
            leaseExpiredOnly: true,
          }),
        ),
      );
    };
    const settled = (await Promise.all([reap(a), reap(b)])).flat();
    const reaped = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const refused = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
    expect(reaped).toHaveLength(30);
    expect(new Set(ids(reaped)).size).toBe(30);
    for (const reason of refused) expect(reason).toBeInstanceOf(LeaseMismatchError);
    const reloaded = await Promise.all(reaped.map((job) => b.jobGet({ id: job.id })));
    for (const job of reloaded) expect(job).toMatchObject({ state: 'delayed', attempts: 1 });
    const workers = await b.workerList({ limit: 10, cursor: null });
    expect(workers.items).toEqual([expect.objectContaining({ id: 'w', failed: 30, active: 0 })]);
  });

  it('retention from two servers at once deletes each job once and counts it once', async () => {
    const [a, b] = await twoNodes();
    await a.jobEnqueueMany({ jobs: Array.from({ length: 60 }, () => makeJob()), now: T0 });
    const leased = await a.jobLease({
      queues: ['q'],
      max: 60,
      now: T0,
      leaseMs: null,
      worker: null,
      tokens: tokens(60),
    });
    for (const job of leased) await a.jobAck({ id: job.id, token: job.leaseToken, now: T0 + 1, result: null });
    const retention = { queue: 'q', completedBefore: T0 + 2, completedKeep: 1_000, deadBefore: T0 + 2, limit: 4 };
    let deleted = 0;
    await Promise.all(
      [a, b, a, b].map(async (store) => {
        for (;;) {
          const n = await store.jobDeleteRetained(retention);
          if (n === 0) return;
          deleted += n;
        }
      }),
    );
    expect(deleted).toBe(60);
    expect(await a.queueStats({ queue: 'q' })).toMatchObject({ completed: 0 });
  });

  it('three servers migrating one fresh schema at once all succeed, and once is enough', async () => {
    const schema = freshSchema();
    const nodes = await Promise.all([0, 1, 2].map(() => openStore({ schema })));
    open.push(...nodes);
    const [first, second] = nodes;
    await first?.jobEnqueueMany({ jobs: [makeJob({ id: 'shared' })], now: T0 });
    expect(await second?.jobGet({ id: 'shared' })).toMatchObject({ id: 'shared', state: 'waiting' });
  });
});
