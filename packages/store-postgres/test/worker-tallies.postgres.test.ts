/**
 * Worker counts through tally rows. Why PostgreSQL-specific: acks and failed attempts append
 * tally rows instead of updating the worker's row (which would serialize one worker's acks on a
 * row lock through every commit), and the worker's next lease or workerSeen folds them in; the
 * counts must read the same before and after folding, and the table must not grow without bound.
 */
import { expect, it } from 'vitest';
import { jobFactory } from '@docket/store-testkit';
import { adminPool, describePostgres, freshSchema, openStore } from './support/postgres.ts';

const makeJob = jobFactory({ queue: 'q', now: 1_000 });

async function tallyRows(schema: string): Promise<number> {
  const { rows } = await adminPool().query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".worker_tallies`);
  return Number(rows[0]?.n);
}

describePostgres('worker tallies', () => {
  it('acks and failures are tallied, counted in lists, and folded by the next lease and workerSeen', async () => {
    const schema = freshSchema();
    const store = await openStore({ schema });
    await store.jobEnqueueMany({ jobs: Array.from({ length: 6 }, () => makeJob()), now: 1_000 });
    const tokens = Array.from({ length: 6 }, (_, i) => `t${i}`);
    const leased = await store.jobLease({ queues: ['q'], max: 4, now: 1_001, leaseMs: null, worker: 'w', tokens });
    const [failed, ...acked] = leased;
    await Promise.all(acked.map((j) => store.jobAck({ id: j.id, token: j.leaseToken, now: 1_002, result: null })));
    await store.jobNack({
      id: failed?.id ?? '',
      token: failed?.leaseToken ?? '',
      now: 1_002,
      target: { state: 'dead', reason: 'rejected' },
      kind: 'failure',
      error: null,
      leaseExpiredOnly: false,
    });
    const counts = { processed: 3, failed: 1 };
    expect(await tallyRows(schema)).toBe(4);
    expect((await store.workerList({ limit: 10, cursor: null })).items).toEqual([expect.objectContaining(counts)]);

    await store.jobLease({ queues: ['q'], max: 1, now: 1_003, leaseMs: null, worker: 'w', tokens: ['t9'] });
    expect(await tallyRows(schema)).toBe(0);
    expect((await store.workerList({ limit: 10, cursor: null })).items).toEqual([expect.objectContaining(counts)]);

    const [last] = await store.jobLease({
      queues: ['q'],
      max: 1,
      now: 1_004,
      leaseMs: null,
      worker: 'w',
      tokens: ['u'],
    });
    await store.jobAck({ id: last?.id ?? '', token: 'u', now: 1_005, result: null });
    await store.workerSeen({ id: 'w', queues: ['q'], now: 1_006 });
    expect(await tallyRows(schema)).toBe(0);
    expect((await store.workerList({ limit: 10, cursor: null })).items).toEqual([
      expect.objectContaining({ processed: 4, failed: 1, active: 1 }),
    ]);
    await store.close();
  });
});
