/**
 * Queue totals inside a group commit. Why SQLite-specific: this store sums the totals of a
 * batch's acks and nacks in memory and writes them once per queue before COMMIT
 * (queue-totals.ts), so an operation later in the same batch must see them, and a reset or a
 * deletion in the batch must drop what was summed before it. Also: a database of the first
 * schema migrates to zero totals.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { LeasedJob } from '@docket/protocol';
import type { Store } from '@docket/core';
import { freshTokens, jobFactory } from '@docket/store-testkit';
import type { CommitInfo } from '../src/commit-batcher.ts';
import { loadMigrations, migrate } from '../src/migrator.ts';
import { createSqliteStore } from '../src/mod.ts';
import { useTempDir } from './support/temp-dir.ts';

const makeJob = jobFactory({ queue: 'q', now: 1_000 });

const path = useTempDir('queue-totals');

async function openStore(file: string): Promise<{ store: Store; commits: CommitInfo[] }> {
  const commits: CommitInfo[] = [];
  const store = createSqliteStore({ path: path(file), onCommit: (info) => commits.push(info) });
  await store.migrate();
  return { store, commits };
}

async function leased(store: Store, queue: string, count: number): Promise<LeasedJob[]> {
  await store.jobEnqueueMany({ jobs: Array.from({ length: count }, () => makeJob({ queue })), now: 1_000 });
  const jobs = await store.jobLease({
    queues: [queue],
    max: count,
    now: 1_001,
    leaseMs: null,
    worker: null,
    tokens: freshTokens(count),
  });
  expect(jobs).toHaveLength(count);
  return jobs;
}

function ack(store: Store, job: LeasedJob | undefined): Promise<unknown> {
  return store.jobAck({ id: job?.id ?? '', token: job?.leaseToken ?? '', now: 1_002, result: null });
}

describe('queue totals in a group commit', () => {
  it('a queue written later in the batch of its acks counts them', async () => {
    const { store, commits } = await openStore('overlay.db');
    const [a, b, c] = await leased(store, 'q', 3);
    commits.length = 0;
    const [, , paused] = await Promise.all([
      ack(store, a),
      ack(store, b),
      store.queuePause({ queue: 'q', now: 1_003 }),
      ack(store, c),
    ]);
    expect(commits).toHaveLength(1);
    expect(paused).toMatchObject({ paused: true, totals: { completed: 2, failed: 0 } });
    expect((await store.queueGet({ queue: 'q' }))?.totals).toEqual({ completed: 3, failed: 0 });
    await store.close();
  });

  it('a reset or a deletion drops what the batch counted before it, and only for its queue', async () => {
    const { store, commits } = await openStore('reset.db');
    const [before, after] = await leased(store, 'q', 2);
    const [gone] = await leased(store, 'gone', 1);
    const [kept] = await leased(store, 'kept', 1);
    commits.length = 0;
    await Promise.all([
      ack(store, before),
      ack(store, gone),
      ack(store, kept),
      store.queuePurge({ queue: 'q', states: ['completed', 'dead'], resetTotals: true }),
      store.queueDelete({ queue: 'gone' }),
      store.jobEnqueueMany({ jobs: [makeJob({ queue: 'gone' })], now: 1_003 }),
      ack(store, after),
    ]);
    expect(commits).toHaveLength(1);
    expect((await store.queueGet({ queue: 'q' }))?.totals).toEqual({ completed: 1, failed: 0 });
    expect((await store.queueGet({ queue: 'gone' }))?.totals).toEqual({ completed: 0, failed: 0 });
    expect((await store.queueGet({ queue: 'kept' }))?.totals).toEqual({ completed: 1, failed: 0 });
    await store.close();
  });

  it('queues of a database on the first schema read zero totals after migrate', async () => {
    const file = path('upgrade.db');
    const db = new Database(file);
    migrate(db, loadMigrations().slice(0, 1));
    db.prepare("INSERT INTO queues (name, paused, config, created_at) VALUES ('old', 1, '{}', 5)").run();
    db.close();
    const store = createSqliteStore({ path: file });
    await store.migrate();
    expect(await store.queueGet({ queue: 'old' })).toEqual({
      name: 'old',
      paused: true,
      config: {},
      createdAt: 5,
      totals: { completed: 0, failed: 0 },
    });
    await store.close();
  });
});
