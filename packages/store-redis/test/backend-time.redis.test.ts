/**
 * Backend time. Why Redis-specific: in `time: 'backend'` mode every script reads Redis TIME and
 * moves the absolute times of the call by how far the caller's clock is off, so servers with
 * skewed clocks agree. The caller here is three hours slow; the stored times must follow Redis
 * while durations the caller computed (delay, lease length, backoff target) are kept exactly.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '@docket/core';
import { jobFactory, freshTokens } from '@docket/store-testkit';
import { describeRedis, openStore, REDIS_URL, testPrefixes } from './support/redis-service.ts';

const makeJob = jobFactory({ queue: 'q', now: 1_000 });

const SKEW_MS = 3 * 60 * 60 * 1000;
const nextPrefix = testPrefixes();

describeRedis('backend time', () => {
  let redis: Redis;
  let store: Store;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    store = await openStore(nextPrefix(), { time: 'backend' });
  });
  afterAll(async () => {
    await store.close();
    redis.disconnect();
  });

  async function redisNow(): Promise<number> {
    const [seconds, micros] = await redis.time();
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  }

  it('follows Redis TIME for a caller hours off and keeps the durations it computed', async () => {
    const skewedNow = Date.now() - SKEW_MS;
    const delayMs = 300;
    const before = await redisNow();
    const [enqueued] = await store.jobEnqueueMany({
      jobs: [
        makeJob({ state: 'delayed', createdAt: skewedNow, runAt: skewedNow + delayMs, expiresAt: skewedNow + 60_000 }),
      ],
      now: skewedNow,
    });
    const after = await redisNow();
    const job = enqueued?.job;
    expect(job?.createdAt).toBeGreaterThanOrEqual(before);
    expect(job?.createdAt).toBeLessThanOrEqual(after);
    expect(job ? job.runAt - job.createdAt : null).toBe(delayMs);
    expect(job ? (job.expiresAt ?? 0) - job.createdAt : null).toBe(60_000);
    expect(await store.jobGet({ id: job?.id ?? '' })).toEqual(job);

    // Due by Redis time only once the delay has passed there, whatever the caller's clock says.
    expect(await store.jobPromoteDue({ now: skewedNow + SKEW_MS, limit: 10 })).toEqual([]);
    const deadline = Date.now() + delayMs + 5_000;
    while ((await redisNow()) <= (job?.runAt ?? 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const [promoted] = await store.jobPromoteDue({ now: Date.now() - SKEW_MS, limit: 10 });
    expect(promoted?.id).toBe(job?.id);

    const leaseMs = 7_000;
    const leaseStart = await redisNow();
    const [leased] = await store.jobLease({
      queues: ['q'],
      max: 1,
      now: Date.now() - SKEW_MS,
      leaseMs,
      worker: 'w1',
      tokens: freshTokens(1),
    });
    expect(leased?.attemptStartedAt).toBeGreaterThanOrEqual(leaseStart);
    expect(leased?.attemptStartedAt).toBeLessThanOrEqual(await redisNow());
    expect(leased ? leased.leaseExpiresAt - (leased.attemptStartedAt ?? 0) : null).toBe(leaseMs);

    const callerNow = Date.now() - SKEW_MS;
    const retryIn = 2_000;
    const nacked = await store.jobNack({
      id: leased?.id ?? '',
      token: leased?.leaseToken ?? '',
      now: callerNow,
      target: { state: 'delayed', runAt: callerNow + retryIn },
      kind: 'failure',
      error: { message: 'boom', at: callerNow, attempt: 1 },
      leaseExpiredOnly: false,
    });
    expect(nacked.error?.at).toBeGreaterThanOrEqual(leaseStart);
    expect(nacked.runAt - (nacked.error?.at ?? 0)).toBe(retryIn);
  });

  it('judges lease expiry by Redis time, not by the caller clock', async () => {
    const skewedNow = Date.now() - SKEW_MS;
    await store.jobEnqueueMany({
      jobs: [makeJob({ queue: 'reap', createdAt: skewedNow, runAt: skewedNow })],
      now: skewedNow,
    });
    const [leased] = await store.jobLease({
      queues: ['reap'],
      max: 1,
      now: skewedNow,
      leaseMs: 60_000,
      worker: null,
      tokens: freshTokens(1),
    });
    expect(leased).toBeDefined();
    // A caller three hours slow still sees the lease running: no reaping on its clock's say-so...
    expect(await store.jobLeaseExpired({ now: skewedNow + SKEW_MS + 120_000, limit: 10 })).toEqual([]);
    // ...and a reaper nack is refused while the lease runs by Redis time.
    const reap = store.jobNack({
      id: leased?.id ?? '',
      token: leased?.leaseToken ?? '',
      now: skewedNow + SKEW_MS + 120_000,
      target: { state: 'waiting', placement: 'back' },
      kind: 'failure',
      error: null,
      leaseExpiredOnly: true,
    });
    await expect(reap).rejects.toMatchObject({ code: 'LEASE_MISMATCH' });
  });
});
