/**
 * Groups (issue 16's bench), on the SQLite store in-process so the figure is the lease path's:
 * - group-throughput: lease+ack of JOBS jobs spread over GROUPS FIFO groups (`groupConcurrency:
 *   1`) against the same jobs without groups in a plain queue, CONSUMERS loops each leasing
 *   LEASE_MAX and acking them in one batch; goal: grouped ≥ 0.7× plain.
 * - group-fairness: one group with 100 000 waiting jobs and one with 100 (enqueued after the big
 *   one), drained by the same loops; the figure is the share of the run (jobs done) by which the
 *   small group's last job was done; goal: within the first 1 %.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LeasedJob, QueueConfig } from '@docket/protocol';
import type { NewJob, Store } from '@docket/core';
import { newLeaseTokens, ulidFactory } from '@docket/core/internal';
import { createSqliteStore } from '@docket/store-sqlite';

export const GROUPS = 10_000;
export const JOBS = 100_000;
const CONSUMERS = 4;
const LEASE_MAX = 50;
const ENQUEUE_BATCH = 1_000;
const BIG = 100_000;
const SMALL = 100;

const nextId = ulidFactory();

export interface GroupThroughput {
  readonly case: 'group-throughput';
  readonly jobs: number;
  readonly groups: number;
  readonly plainJobsPerSec: number;
  readonly groupedJobsPerSec: number;
  readonly ratio: number;
  readonly loadAvg1m: number;
}

export interface GroupFairness {
  readonly case: 'group-fairness';
  readonly big: number;
  readonly small: number;
  /** Share of all the jobs done when the small group's last job was done, in percent. */
  readonly smallDoneAtPct: number;
  readonly loadAvg1m: number;
}

function newJob(queue: string, now: number, group: string | null): NewJob {
  return {
    id: nextId(now),
    queue,
    name: null,
    state: 'waiting',
    encoding: 'json',
    data: { n: 1, padding: 'x'.repeat(80) },
    priority: 0,
    createdAt: now,
    runAt: now,
    expiresAt: null,
    maxAttempts: 5,
    backoff: { type: 'exponential', initialMs: 1_000, maxMs: 3_600_000, factor: 2, jitter: 0.2 },
    leaseMs: 30_000,
    timeoutMs: null,
    dedupKey: null,
    dedupUntil: null,
    meta: {},
    ...(group === null ? {} : { group }),
  };
}

export async function fill(
  store: Store,
  queue: string,
  groupOf: (i: number) => string | null,
  count: number,
): Promise<void> {
  for (let start = 0; start < count; start += ENQUEUE_BATCH) {
    const now = Date.now();
    const jobs = Array.from({ length: Math.min(ENQUEUE_BATCH, count - start) }, (_, i) =>
      newJob(queue, now, groupOf(start + i)),
    );
    await store.jobEnqueueMany({ jobs, now });
  }
}

/** Drains `total` jobs with CONSUMERS loops; calls `done` with each acked batch. Returns ms. */
export async function drain(
  store: Store,
  queue: string,
  total: number,
  done: (jobs: readonly LeasedJob[]) => void = () => undefined,
): Promise<number> {
  let acked = 0;
  const started = performance.now();
  const loop = async (): Promise<void> => {
    while (acked < total) {
      const now = Date.now();
      const jobs = await store.jobLease({
        queues: [queue],
        max: LEASE_MAX,
        now,
        leaseMs: null,
        worker: null,
        tokens: newLeaseTokens(LEASE_MAX),
      });
      if (jobs.length === 0) {
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      await store.jobAckMany({ acks: jobs.map((job) => ({ id: job.id, token: job.leaseToken, result: null })), now });
      acked += jobs.length;
      done(jobs);
    }
  };
  await Promise.all(Array.from({ length: CONSUMERS }, loop));
  return performance.now() - started;
}

export async function withStore<T>(run: (store: Store) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'docket-bench-groups-'));
  const store = createSqliteStore({ path: join(dir, 'groups.sqlite') });
  try {
    await store.migrate();
    return await run(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function configure(store: Store, queue: string, config: QueueConfig): Promise<void> {
  await store.queueConfigure({ queue, config, now: Date.now() });
}

export async function measureGroupThroughput(): Promise<GroupThroughput> {
  const plainMs = await withStore(async (store) => {
    await fill(store, 'plain', () => null, JOBS);
    return drain(store, 'plain', JOBS);
  });
  const groupedMs = await withStore(async (store) => {
    await configure(store, 'grouped', { groupConcurrency: 1 });
    await fill(store, 'grouped', (i) => `g${i % GROUPS}`, JOBS);
    return drain(store, 'grouped', JOBS);
  });
  const plainJobsPerSec = Math.round(JOBS / (plainMs / 1000));
  const groupedJobsPerSec = Math.round(JOBS / (groupedMs / 1000));
  return {
    case: 'group-throughput',
    jobs: JOBS,
    groups: GROUPS,
    plainJobsPerSec,
    groupedJobsPerSec,
    ratio: Number((groupedJobsPerSec / plainJobsPerSec).toFixed(2)),
    loadAvg1m: Number((loadavg()[0] ?? 0).toFixed(2)),
  };
}

export async function measureGroupFairness(): Promise<GroupFairness> {
  return withStore(async (store) => {
    await configure(store, 'fair', { groupConcurrency: LEASE_MAX * CONSUMERS });
    await fill(store, 'fair', () => 'big', BIG);
    await fill(store, 'fair', () => 'small', SMALL);
    let done = 0;
    let smallLeft = SMALL;
    let smallDoneAt = 0;
    await drain(store, 'fair', BIG + SMALL, (jobs) => {
      done += jobs.length;
      for (const job of jobs) if (job.group === 'small') smallLeft -= 1;
      if (smallLeft === 0 && smallDoneAt === 0) smallDoneAt = done;
    });
    return {
      case: 'group-fairness',
      big: BIG,
      small: SMALL,
      smallDoneAtPct: Number(((smallDoneAt / (BIG + SMALL)) * 100).toFixed(3)),
      loadAvg1m: Number((loadavg()[0] ?? 0).toFixed(2)),
    };
  });
}
