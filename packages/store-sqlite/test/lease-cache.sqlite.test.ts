/**
 * The lease snapshot cache. Why SQLite-specific: an ack in this store returns the completed job
 * from the snapshot taken at lease time when it has one, and reads the row otherwise; both paths
 * must return exactly what is stored.
 */
import { describe, expect, it } from 'vitest';
import type { LeasedJob } from '@docket/protocol';
import { LEASE_CACHE_MAX, LeaseCache } from '../src/lease-cache.ts';
import { createSqliteStore } from '../src/mod.ts';
import { jobFactory } from '@docket/store-testkit';
import { useTempDir } from './support/temp-dir.ts';

const makeJob = jobFactory({ queue: 'q', now: 1_000 });

const path = useTempDir('lease-cache');

function leased(id: string, token: string): LeasedJob {
  const job = makeJob({ id });
  return {
    ...job,
    seq: 1,
    attempts: 1,
    nacks: 0,
    delayedNacks: 0,
    state: 'active',
    leaseToken: token,
    leaseExpiresAt: 2_000,
    attemptStartedAt: 1_000,
    startedAt: 1_000,
    worker: null,
    finishedAt: null,
    result: null,
    error: null,
    deadReason: null,
  };
}

describe('lease cache', () => {
  it('gives a snapshot back once, for its own id and token only', () => {
    const cache = new LeaseCache();
    cache.remember(leased('a', 't1'));
    expect(cache.take('a', 't2')).toBeUndefined();
    expect(cache.take('b', 't1')).toBeUndefined();
    expect(cache.take('a', 't1')?.id).toBe('a');
    expect(cache.take('a', 't1')).toBeUndefined();
  });

  it('holds at most LEASE_CACHE_MAX snapshots, dropping the oldest', () => {
    const cache = new LeaseCache();
    for (let i = 0; i <= LEASE_CACHE_MAX; i += 1) cache.remember(leased(`j${i}`, `t${i}`));
    expect(cache.size).toBe(LEASE_CACHE_MAX);
    expect(cache.take('j0', 't0')).toBeUndefined();
    expect(cache.take(`j${LEASE_CACHE_MAX}`, `t${LEASE_CACHE_MAX}`)).toBeDefined();
  });

  it('an ack returns the stored job whether or not the lease snapshot is at hand', async () => {
    const file = path('ack.db');
    const first = createSqliteStore({ path: file });
    await first.migrate();
    await first.jobEnqueueMany({
      jobs: [makeJob({ id: 'x', meta: { trace: 't-1' } }), makeJob({ id: 'y' })],
      now: 1_000,
    });
    const [x, y] = await first.jobLease({
      queues: ['q'],
      max: 2,
      now: 1_100,
      leaseMs: null,
      worker: 'w',
      tokens: ['tx', 'ty'],
    });
    const fromSnapshot = await first.jobAck({ id: 'x', token: x?.leaseToken ?? '', now: 1_200, result: { ok: true } });
    expect(await first.jobGet({ id: 'x' })).toEqual(fromSnapshot);
    await first.close();

    const second = createSqliteStore({ path: file });
    await second.migrate();
    const fromRow = await second.jobAck({ id: 'y', token: y?.leaseToken ?? '', now: 1_200, result: { ok: true } });
    expect(await second.jobGet({ id: 'y' })).toEqual(fromRow);
    expect(fromRow).toMatchObject({
      state: 'completed',
      worker: 'w',
      attempts: 1,
      finishedAt: 1_200,
      leaseToken: null,
    });
    await second.close();
  });
});
