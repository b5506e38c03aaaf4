/**
 * Ordered writes and the one-commit hand-off. Why SQLite-specific: this store declares
 * `orderedWrites` (its commit batcher runs writes in call order, in one transaction per batch),
 * and the engine relies on it to wake a long-poll as soon as an enqueue is handed to the store,
 * so the consumer's lease joins the enqueue's commit. These tests count the commits.
 */
import { describe, expect, it } from 'vitest';
import type { LeasedJob } from '@docket/protocol';
import { createEngine, type Engine, type Store } from '@docket/core';
import { freshTokens, jobFactory } from '@docket/store-testkit';
import type { CommitInfo } from '../src/commit-batcher.ts';
import { createSqliteStore } from '../src/mod.ts';
import { useTempDir } from './support/temp-dir.ts';

const path = useTempDir('ordered-writes');
const makeJob = jobFactory({ queue: 'q', now: 1_000 });

async function openStore(file: string): Promise<{ store: Store; commits: CommitInfo[] }> {
  const commits: CommitInfo[] = [];
  const store = createSqliteStore({ path: path(file), onCommit: (info) => commits.push(info) });
  await store.migrate();
  return { store, commits };
}

/** Lets a lease that just found nothing reach its parked state (a few promise and I/O turns). */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

describe('ordered writes', () => {
  it('the store declares them, and a lease called right after an enqueue sees its job in the same commit', async () => {
    const { store, commits } = await openStore('store.db');
    expect(store.capabilities.orderedWrites).toBe(true);
    const job = makeJob();
    const enqueued = store.jobEnqueueMany({ jobs: [job], now: 1_000 });
    const leased = store.jobLease({
      queues: ['q'],
      max: 1,
      now: 1_000,
      leaseMs: null,
      worker: null,
      tokens: freshTokens(1),
    });
    const [[result], [got]] = await Promise.all([enqueued, leased]);
    expect(result?.created).toBe(true);
    expect(got?.id).toBe(job.id);
    expect(commits.map((c) => c.ops)).toEqual([2]);
    await store.close();
  });

  describe('the engine on it', () => {
    /** A consumer whose first lease found nothing and which now waits (`waiting` is its lease). */
    async function parkedConsumer(engine: Engine, commits: CommitInfo[]): Promise<{ waiting: Promise<LeasedJob[]> }> {
      const before = commits.length;
      const waiting = engine.lease({ queues: ['q'], waitMs: 30_000 });
      while (commits.length === before) await settled();
      await settled();
      return { waiting };
    }

    it("a long-poll parked on an empty queue gets an enqueued job in the enqueue's own commit, announced in order", async () => {
      const { store, commits } = await openStore('engine.db');
      const engine = createEngine({ store });
      const announced: string[] = [];
      engine.events.on('job:enqueued', () => announced.push('enqueued'));
      engine.events.on('job:leased', () => announced.push('leased'));
      try {
        const { waiting } = await parkedConsumer(engine, commits);
        const committed = commits.length;
        const { job } = await engine.enqueue('q', { data: { n: 1 } });
        const [got] = await waiting;
        expect(got?.id).toBe(job.id);
        expect(commits.slice(committed).map((c) => c.ops)).toEqual([2]);
        expect(announced).toEqual(['enqueued', 'leased']);
      } finally {
        await engine.close();
      }
    });

    it('a wake for a deduplicated enqueue leases nothing and the consumer waits on for the next job', async () => {
      const { store, commits } = await openStore('dedup.db');
      const engine = createEngine({ store });
      try {
        await engine.enqueue('q', { data: 1, dedupKey: 'k', dedupWindowMs: 60_000 });
        const [first] = await engine.lease({ queues: ['q'] });
        expect(first).toBeDefined();
        const { waiting } = await parkedConsumer(engine, commits);
        const again = await engine.enqueue('q', { data: 1, dedupKey: 'k', dedupWindowMs: 60_000 });
        expect(again.created).toBe(false);
        await settled();
        const { job } = await engine.enqueue('q', { data: 2 });
        const [got] = await waiting;
        expect(got?.id).toBe(job.id);
      } finally {
        await engine.close();
      }
    });
  });
});
