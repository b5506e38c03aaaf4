/**
 * Enqueue in multi-row inserts. Why SQLite-specific: this store inserts up to INSERT_ROWS_MAX jobs
 * per statement and falls back to row-by-row inserts when a run meets an existing id; the seqs it
 * reports without reading rows back must be the ones SQLite assigned.
 */
import { describe, expect, it } from 'vitest';
import { INSERT_ROWS_MAX } from '../src/job-insert.ts';
import { createSqliteStore } from '../src/mod.ts';
import { jobFactory } from '@docket/store-testkit';

const makeJob = jobFactory({ queue: 'q', now: 1_000 });

async function openStore() {
  const store = createSqliteStore({ path: ':memory:' });
  await store.migrate();
  return store;
}

describe('enqueue runs', () => {
  it('returned seqs match the stored rows across several runs', async () => {
    const store = await openStore();
    const jobs = Array.from({ length: INSERT_ROWS_MAX * 3 + 5 }, (_, i) => makeJob({ id: `run-${i}` }));
    const results = await store.jobEnqueueMany({ jobs, now: 1_000 });
    for (const { job, created } of results) {
      expect(created).toBe(true);
      expect((await store.jobGet({ id: job.id }))?.seq).toBe(job.seq);
    }
    const seqs = results.map((r) => r.job.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    await store.close();
  });

  it('a run that meets an existing or repeated id resolves it to the first job and keeps the others', async () => {
    const store = await openStore();
    const [existing] = await store.jobEnqueueMany({ jobs: [makeJob({ id: 'old', data: 'old' })], now: 1_000 });
    const jobs = Array.from({ length: 40 }, (_, i) => makeJob({ id: `mix-${i}`, data: i }));
    jobs[10] = makeJob({ id: 'old', data: 'new' });
    jobs[20] = makeJob({ id: 'mix-15', data: 'repeat' });
    const results = await store.jobEnqueueMany({ jobs, now: 1_000 });
    expect(results[10]).toEqual({ job: existing?.job, created: false });
    expect(results[20]?.created).toBe(false);
    expect(results[20]?.job).toEqual(results[15]?.job);
    expect(results.filter((r) => r.created)).toHaveLength(38);
    for (const { job } of results) expect(await store.jobGet({ id: job.id })).toEqual(job);
    await store.close();
  });

  it('dedup jobs between plain runs see the jobs before them in the same batch', async () => {
    const store = await openStore();
    const jobs = [
      makeJob({ id: 'p1' }),
      makeJob({ id: 'd1', dedupKey: 'k', dedupUntil: 5_000 }),
      makeJob({ id: 'p2' }),
      makeJob({ id: 'd2', dedupKey: 'k', dedupUntil: 5_000 }),
      makeJob({ id: 'p3' }),
    ];
    const results = await store.jobEnqueueMany({ jobs, now: 1_000 });
    expect(results.map((r) => [r.job.id, r.created])).toEqual([
      ['p1', true],
      ['d1', true],
      ['p2', true],
      ['d1', false],
      ['p3', true],
    ]);
    await store.close();
  });
});
