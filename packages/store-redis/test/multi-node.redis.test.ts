/**
 * Several servers over one deployment. Why Redis-specific: with Redis, several Docket servers
 * share one prefix, each with its own store instance and connection; every operation must stay
 * atomic across them (no job leased twice, no double promotion, expiry, reaping or deletion when
 * all servers run the background services), and ready notifications must reach the other
 * instances but not the sender.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { LeasedJob } from '@docket/protocol';
import { createEngine, manualClock, type Store } from '@docket/core';
import { jobFactory, freshTokens } from '@docket/store-testkit';
import { describeRedis, openStore, testPrefixes } from './support/redis-service.ts';

const makeJob = jobFactory({ queue: 'q', now: 1_000 });

const nextPrefix = testPrefixes();
const T = 1_000_000;

/** Waits up to `ms` for `check`, polling; false if it never held. */
async function eventually(check: () => boolean, ms = 2_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

describeRedis('several store instances over one prefix', () => {
  let a: Store;
  let b: Store;

  beforeEach(async () => {
    const prefix = nextPrefix();
    [a, b] = await Promise.all([openStore(prefix), openStore(prefix)]);
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('concurrent leases from two instances never hand out one job twice', async () => {
    const jobs = Array.from({ length: 200 }, () => makeJob());
    await a.jobEnqueueMany({ jobs, now: T });
    const lease = (store: Store, max: number): Promise<LeasedJob[]> =>
      store.jobLease({ queues: ['q'], max, now: T + 1, leaseMs: null, worker: null, tokens: freshTokens(max) });
    const batches = await Promise.all(Array.from({ length: 40 }, (_, i) => lease(i % 2 === 0 ? a : b, (i % 7) + 3)));
    const leased = batches.flat();
    // The calls ask for 235 jobs in all, so every one of the 200 is leased, each exactly once.
    expect(leased).toHaveLength(200);
    expect(new Set(leased.map((j) => j.id)).size).toBe(200);
    expect(new Set(leased.map((j) => j.leaseToken)).size).toBe(200);
    expect(await b.queueStats({ queue: 'q' })).toMatchObject({ waiting: 0, active: 200 });
  });

  it('promotion run by two instances at once promotes each due job exactly once', async () => {
    const jobs = Array.from({ length: 100 }, (_, i) => makeJob({ state: 'delayed', runAt: T + 10 + i }));
    await a.jobEnqueueMany({ jobs, now: T });
    const runs = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).jobPromoteDue({ now: T + 1_000, limit: 15 })),
    );
    const promoted = runs.flat().map((j) => j.id);
    expect(promoted).toHaveLength(100);
    expect(new Set(promoted).size).toBe(100);
    expect(await a.queueStats({ queue: 'q' })).toMatchObject({ delayed: 0, waiting: 100 });
  });

  it('expiry run by two instances at once expires each job exactly once', async () => {
    const jobs = Array.from({ length: 60 }, () => makeJob({ expiresAt: T + 5 }));
    await a.jobEnqueueMany({ jobs, now: T });
    const runs = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).jobExpireDue({ now: T + 5, limit: 10 })),
    );
    const expired = runs.flat().map((j) => j.id);
    expect(expired).toHaveLength(60);
    expect(new Set(expired).size).toBe(60);
    expect(await b.queueStats({ queue: 'q' })).toMatchObject({ waiting: 0, dead: 60 });
  });

  it('reaping by two instances at once fails each run-out lease exactly once', async () => {
    await a.jobEnqueueMany({ jobs: Array.from({ length: 30 }, () => makeJob({ leaseMs: 1_000 })), now: T });
    await a.jobLease({ queues: ['q'], max: 30, now: T, leaseMs: null, worker: 'w', tokens: freshTokens(30) });
    const reap = async (store: Store): Promise<number> => {
      const expired = await store.jobLeaseExpired({ now: T + 1_000, limit: 100 });
      const outcomes = await Promise.allSettled(
        expired.map((job) =>
          store.jobNack({
            id: job.id,
            token: job.leaseToken,
            now: T + 1_000,
            target: { state: 'delayed', runAt: T + 5_000 },
            kind: 'failure',
            error: { message: 'lease expired before ack', at: T + 1_000, attempt: job.attempts },
            leaseExpiredOnly: true,
          }),
        ),
      );
      for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'LEASE_MISMATCH' });
      return outcomes.filter((o) => o.status === 'fulfilled').length;
    };
    const [byA, byB] = await Promise.all([reap(a), reap(b)]);
    expect(byA + byB).toBe(30);
    expect(await a.queueStats({ queue: 'q' })).toMatchObject({ active: 0, delayed: 30 });
    const [worker] = (await b.workerList({ limit: 10, cursor: null })).items;
    expect(worker).toMatchObject({ id: 'w', failed: 30, active: 0 });
  });

  it('retention run by two instances at once deletes each job once and never beyond the keep count', async () => {
    await a.jobEnqueueMany({ jobs: Array.from({ length: 40 }, () => makeJob()), now: T });
    const leased = await a.jobLease({
      queues: ['q'],
      max: 40,
      now: T,
      leaseMs: null,
      worker: null,
      tokens: freshTokens(40),
    });
    for (const job of leased) await a.jobAck({ id: job.id, token: job.leaseToken, now: T + 1, result: null });
    const params = { queue: 'q', completedBefore: 0, completedKeep: 10, deadBefore: 0, limit: 7 };
    const counts = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).jobDeleteRetained(params)),
    );
    expect(counts.reduce((x, y) => x + y, 0)).toBe(30);
    expect((await a.queueStats({ queue: 'q' })).completed).toBe(10);
  });

  it('ready notifications reach the other instance and never the sender', async () => {
    const heardByA: string[] = [];
    const heardByB: string[] = [];
    const offA = a.onReady((queue, count) => heardByA.push(`${queue}:${count}`));
    const offB = b.onReady((queue, count) => heardByB.push(`${queue}:${count}`));
    try {
      // The subscriber connects in the background: repeat until the first message gets through.
      expect(
        await eventually(() => {
          if (heardByB.length === 0) a.notifyReady('warmup', 1);
          return heardByB.length > 0;
        }, 5_000),
      ).toBe(true);
      a.notifyReady('emails', 3);
      b.notifyReady('sms', 1);
      const real = (heard: readonly string[]): string[] => heard.filter((m) => m !== 'warmup:1');
      expect(await eventually(() => real(heardByB).length === 1 && heardByA.length === 1)).toBe(true);
      expect(real(heardByB)).toEqual(['emails:3']);
      expect(heardByA).toEqual(['sms:1']);
    } finally {
      offA();
      offB();
    }
  });

  it('an enqueue through one engine wakes a consumer long-polling another engine', async () => {
    const producer = createEngine({ store: a, clock: manualClock(T) });
    const consumer = createEngine({ store: b, clock: manualClock(T) });
    try {
      // Wait until b's subscriber hears a, so the wake below cannot be lost to a connecting subscriber.
      let heard = false;
      const off = b.onReady(() => (heard = true));
      expect(await eventually(() => (a.notifyReady('warmup', 1), heard), 5_000)).toBe(true);
      off();
      const heardReady = new Promise((resolve) =>
        consumer.events.on('queue:ready', (event) => event.queue === 'mail' && resolve(event)),
      );
      const waiting = consumer.lease({ queues: ['mail'], waitMs: 60_000, signal: AbortSignal.timeout(5_000) });
      expect(await eventually(() => consumer.parkedLeases() === 1)).toBe(true);
      const { job } = await producer.enqueue('mail', { data: { to: 'a@example.com' } });
      const [leased] = await waiting;
      expect(leased?.id).toBe(job.id);
      expect(await heardReady).toEqual({ queue: 'mail', count: 1 });
    } finally {
      await Promise.all([producer.close(), consumer.close()]);
    }
  });
});
