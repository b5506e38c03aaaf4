/**
 * Backend time (sharedClock). Why PostgreSQL-specific: the store reads the database's clock and
 * rebases the caller's times onto it; only a real server has a clock that differs from the one
 * the test passes in.
 */
import { expect, it } from 'vitest';
import { jobFactory } from '@docket/store-testkit';
import { adminPool, describePostgres, openStore } from './support/postgres.ts';

const makeJob = jobFactory({ queue: 'q', now: 1_000 });

const HOURS = 60 * 60 * 1000;

async function databaseNow(): Promise<number> {
  const { rows } = await adminPool().query<{ now: string }>(
    'SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS now',
  );
  return Number(rows[0]?.now);
}

/**
 * The store's reading of the database's clock is extrapolated from its last reading
 * (backend-clock.ts): good to half a round trip plus the ms it floors, so a few ms on loopback.
 */
const CLOCK_ERROR_MS = 5;

/** `value` was taken from the database's clock somewhere in [before, after], give or take CLOCK_ERROR_MS. */
function expectBetween(value: number | null | undefined, before: number, after: number): void {
  expect(value).toBeGreaterThanOrEqual(before - CLOCK_ERROR_MS);
  expect(value).toBeLessThanOrEqual(after + CLOCK_ERROR_MS);
}

describePostgres('backend time', () => {
  it('times follow the database clock while durations are kept, whatever now the caller passes', async () => {
    const store = await openStore({ time: 'backend' });
    const skewed = (await databaseNow()) - 5 * HOURS;
    const delayMs = 60_000;
    const ttlMs = 2 * HOURS;
    const before = await databaseNow();
    const [waiting, delayed] = await store.jobEnqueueMany({
      jobs: [
        makeJob({ now: skewed, expiresAt: skewed + ttlMs, dedupKey: 'k', dedupUntil: skewed + 10_000 }),
        makeJob({ now: skewed, state: 'delayed', runAt: skewed + delayMs }),
      ],
      now: skewed,
    });
    const after = await databaseNow();
    const created = waiting?.job.createdAt ?? 0;
    expectBetween(created, before, after);
    expect(waiting?.job.runAt).toBe(created);
    expect(waiting?.job.expiresAt).toBe(created + ttlMs);
    expect(delayed?.job.runAt).toBe((delayed?.job.createdAt ?? 0) + delayMs);
    expect(await store.jobGet({ id: waiting?.job.id ?? '' })).toMatchObject({ createdAt: created, runAt: created });

    // The dedup window moved with the rest: a skewed caller still meets the existing job.
    const [again] = await store.jobEnqueueMany({ jobs: [makeJob({ now: skewed, dedupKey: 'k' })], now: skewed });
    expect(again).toMatchObject({ created: false, job: { id: waiting?.job.id } });

    // A lease at a caller time 5 h behind would find nothing expired and set a deadline 5 h early.
    const leaseMs = 45_000;
    const beforeLease = await databaseNow();
    const [leased] = await store.jobLease({
      queues: ['q'],
      max: 1,
      now: skewed + 10,
      leaseMs,
      worker: 'w',
      tokens: ['token-1'],
    });
    const afterLease = await databaseNow();
    expectBetween(leased?.attemptStartedAt, beforeLease, afterLease);
    expect(leased?.leaseExpiresAt).toBe((leased?.attemptStartedAt ?? 0) + leaseMs);

    // A delayed nack keeps its delay relative to the database's now.
    const beforeNack = await databaseNow();
    const nacked = await store.jobNack({
      id: leased?.id ?? '',
      token: 'token-1',
      now: skewed + 20,
      target: { state: 'delayed', runAt: skewed + 20 + delayMs },
      kind: 'failure',
      error: null,
      leaseExpiredOnly: false,
    });
    const afterNack = await databaseNow();
    expectBetween(nacked.runAt - delayMs, beforeNack, afterNack);

    // Promotion uses the database's now: the delayed job (due in a minute) stays, whatever the caller says.
    expect(await store.jobPromoteDue({ now: skewed + 10 * HOURS, limit: 10 })).toEqual([]);
    await store.close();
  });

  it('caller time takes now as given', async () => {
    const store = await openStore({ time: 'caller' });
    const [result] = await store.jobEnqueueMany({ jobs: [makeJob({ now: 1_000 })], now: 1_000 });
    expect(result?.job).toMatchObject({ createdAt: 1_000, runAt: 1_000 });
    await store.close();
  });
});
