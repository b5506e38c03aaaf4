/**
 * Queue totals through tally rows. Why PostgreSQL-specific: acks and failed attempts append
 * queue_tallies rows instead of updating the queue's row (which would serialize every consumer
 * of a queue on one row lock through each commit), and the retention cleaner's jobDeleteRetained
 * folds them in; the totals must read the same before and after folding, a reset or a deletion
 * must take the tallies with it, and the table must not grow without bound.
 */
import { expect, it } from 'vitest';
import type { LeasedJob } from '@docket/protocol';
import type { Store } from '@docket/core';
import { freshTokens, jobFactory } from '@docket/store-testkit';
import { adminPool, describePostgres, freshSchema, openStore } from './support/postgres.ts';

const makeJob = jobFactory({ queue: 'q', now: 1_000 });

const RETAIN_ALL = { completedBefore: 0, completedKeep: 1_000, deadBefore: 0, limit: 100 };

async function tallyRows(schema: string): Promise<number> {
  const { rows } = await adminPool().query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".queue_tallies`);
  return Number(rows[0]?.n);
}

/** Resolves once some session of this database waits for a lock (the upsert behind the fold). */
async function waitForLockWait(): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const { rows } = await adminPool().query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    if (Number(rows[0]?.n) > 0) return;
    if (Date.now() > deadline) throw new Error('no session started waiting for the fold within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function settle(store: Store, queue: string, acks: number, failures: number): Promise<void> {
  const count = acks + failures;
  await store.jobEnqueueMany({ jobs: Array.from({ length: count }, () => makeJob({ queue })), now: 1_000 });
  const jobs: LeasedJob[] = await store.jobLease({
    queues: [queue],
    max: count,
    now: 1_001,
    leaseMs: null,
    worker: null,
    tokens: freshTokens(count),
  });
  expect(jobs).toHaveLength(count);
  await Promise.all(
    jobs.map((job, i) =>
      i < acks
        ? store.jobAck({ id: job.id, token: job.leaseToken, now: 1_002, result: null })
        : store.jobNack({
            id: job.id,
            token: job.leaseToken,
            now: 1_002,
            target: { state: 'dead', reason: 'rejected' },
            kind: 'failure',
            error: null,
            leaseExpiredOnly: false,
          }),
    ),
  );
}

describePostgres('queue tallies', () => {
  it('acks and failures are tallied, counted by every read, and folded by retention', async () => {
    const schema = freshSchema();
    const store = await openStore({ schema });
    await settle(store, 'q', 3, 2);
    await settle(store, 'other', 1, 0);
    const totals = { completed: 3, failed: 2 };
    expect(await tallyRows(schema)).toBe(6);
    expect((await store.queueGet({ queue: 'q' }))?.totals).toEqual(totals);
    expect((await store.queuePause({ queue: 'q', now: 1_003 })).totals).toEqual(totals);
    expect((await store.queueResume({ queue: 'q', now: 1_003 })).totals).toEqual(totals);

    expect(await store.jobDeleteRetained({ queue: 'q', ...RETAIN_ALL })).toBe(0);
    expect(await tallyRows(schema)).toBe(1);
    expect((await store.queueGet({ queue: 'q' }))?.totals).toEqual(totals);
    expect((await store.queueCountFailures({ queue: 'q', count: 2, now: 1_004 })).totals).toEqual({
      completed: 3,
      failed: 4,
    });

    await settle(store, 'q', 1, 0);
    const listed = await store.queueList({ limit: 10, cursor: null });
    expect(listed.items.map((queue) => [queue.name, queue.totals])).toEqual([
      ['other', { completed: 1, failed: 0 }],
      ['q', { completed: 4, failed: 4 }],
    ]);
    await store.close();
  });

  it('an upsert that waits for a fold reports each tally once', async () => {
    const schema = freshSchema();
    const store = await openStore({ schema });
    await settle(store, 'q', 3, 2);
    const fold = await adminPool().connect();
    try {
      await fold.query('BEGIN');
      await fold.query(
        `WITH folded AS (DELETE FROM "${schema}".queue_tallies WHERE queue = 'q' RETURNING completed, failed)
         UPDATE "${schema}".queues
         SET completed_total = completed_total + (SELECT COALESCE(sum(completed), 0) FROM folded),
             failed_total = failed_total + (SELECT COALESCE(sum(failed), 0) FROM folded)
         WHERE name = 'q'`,
      );
      const paused = store.queuePause({ queue: 'q', now: 1_003 });
      await waitForLockWait();
      await fold.query('COMMIT');
      expect((await paused).totals).toEqual({ completed: 3, failed: 2 });
    } finally {
      fold.release();
    }
    expect(await tallyRows(schema)).toBe(0);
    await store.close();
  });

  it('a reset or a deletion takes the tallies with the totals', async () => {
    const schema = freshSchema();
    const store = await openStore({ schema });
    await settle(store, 'q', 2, 1);
    await settle(store, 'gone', 1, 1);
    await store.jobDeleteRetained({ queue: 'q', ...RETAIN_ALL });
    await settle(store, 'q', 1, 0);
    expect(await store.queuePurge({ queue: 'q', states: ['completed', 'dead'], resetTotals: true })).toBe(4);
    expect((await store.queueGet({ queue: 'q' }))?.totals).toEqual({ completed: 0, failed: 0 });
    expect(await store.queueDelete({ queue: 'gone' })).toBe(true);
    expect(await tallyRows(schema)).toBe(0);
    expect((await store.queueConfigure({ queue: 'gone', config: {}, now: 1_005 })).totals).toEqual({
      completed: 0,
      failed: 0,
    });
    await store.close();
  });
});
