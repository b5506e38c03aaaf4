/**
 * Store benchmark (SQLite, durable): a file in a temp dir with WAL and synchronous=FULL, so
 * every commit is fsynced. 100-byte JSON payloads, ULID ids and lease tokens made the way the
 * engine makes them. Cases:
 * - enqueue-batch-100: jobEnqueueMany with 100 jobs per call, alone and with several calls in
 *   flight (they share group commits);
 * - enqueue-batch-10000: the big batches that fill the million-job case;
 * - lease-ack-100: consumers lease up to 100 jobs, then ack them with one jobAckMany (the
 *   consumers' calls share commits), with 1 000 and with 1 000 000 jobs waiting. Only lease and ack are timed: after each
 *   round the leased jobs are replaced (untimed), so the waiting count stays where it was set.
 * The clock counts store work only: building jobs, ids and lease tokens is the engine's work, runs
 * synchronously on the same thread, and its time is measured and subtracted.
 *
 * Usage: `npm run bench:store` (human output) or `npm run bench:store -- --json` (one JSON object
 * per case and line, with at least `case` and `jobsPerSec`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewJob, Store } from '@docket/core';
import { newLeaseTokens, ulidFactory } from '@docket/core/internal';
import { createSqliteStore, type CommitInfo } from '@docket/store-sqlite';

const JSON_OUTPUT = process.argv.includes('--json');
const QUEUE = 'bench';
const BACKOFF = { type: 'exponential', initialMs: 1000, maxMs: 3_600_000, factor: 2, jitter: 0.2 } as const;
/** `{"body":"xxx…"}` padded so its JSON text is exactly 100 bytes, as the product targets state. */
const PAYLOAD = { body: 'x'.repeat(100 - '{"body":""}'.length) };
const nextId = ulidFactory();

interface CaseResult {
  readonly case: string;
  /** On the 1 000 000-waiting lease+ack case: its rate over the 1 000-waiting one. */
  readonly ratioTo1000Waiting?: number;
  readonly jobsPerSec: number;
  readonly jobs: number;
  readonly seconds: number;
  readonly waiting: number;
  readonly concurrency: number;
  readonly commits: number;
  readonly opsPerCommit: number;
  readonly commitMsAvg: number;
  /** The machine's 1-minute load average when the case ended: other work lowers every figure. */
  readonly loadAvg1m: number;
  /** This process's resident memory when the case ended (the store holds what is in flight, not what is stored). */
  readonly rssMb: number;
}

interface CommitStats {
  commits: number;
  ops: number;
  commitMs: number;
}

interface Bench {
  readonly store: Store;
  readonly stats: CommitStats;
}

const dir = mkdtempSync(join(tmpdir(), 'docket-bench-store-'));

async function openBench(name: string): Promise<Bench> {
  const stats: CommitStats = { commits: 0, ops: 0, commitMs: 0 };
  const onCommit = (info: CommitInfo): void => {
    stats.commits += 1;
    stats.ops += info.ops;
    stats.commitMs += info.commitMs;
  };
  const store = createSqliteStore({ path: join(dir, `${name}.sqlite`), onCommit });
  await store.migrate();
  return { store, stats };
}

function resetStats(stats: CommitStats): void {
  stats.commits = 0;
  stats.ops = 0;
  stats.commitMs = 0;
}

function newJobs(count: number, now: number): NewJob[] {
  const jobs: NewJob[] = [];
  for (let i = 0; i < count; i += 1) {
    jobs.push({
      id: nextId(now),
      queue: QUEUE,
      name: null,
      state: 'waiting',
      encoding: 'json',
      data: PAYLOAD,
      priority: 0,
      createdAt: now,
      runAt: now,
      expiresAt: null,
      maxAttempts: 5,
      backoff: BACKOFF,
      leaseMs: 30_000,
      timeoutMs: null,
      dedupKey: null,
      dedupUntil: null,
      meta: {},
    });
  }
  return jobs;
}

/** Time spent building jobs and tokens (the engine's work), to leave out of the store's time. */
let callerMs = 0;

function callerWork<T>(build: () => T): T {
  const started = performance.now();
  const value = build();
  callerMs += performance.now() - started;
  return value;
}

async function enqueue(store: Store, count: number): Promise<void> {
  const now = Date.now();
  await store.jobEnqueueMany({ jobs: callerWork(() => newJobs(count, now)), now });
}

function result(
  name: string,
  jobs: number,
  ms: number,
  extra: { waiting: number; concurrency: number },
  stats: CommitStats,
): CaseResult {
  return {
    case: name,
    jobsPerSec: Math.round(jobs / (ms / 1000)),
    jobs,
    seconds: Number((ms / 1000).toFixed(3)),
    ...extra,
    commits: stats.commits,
    opsPerCommit: Number((stats.ops / Math.max(1, stats.commits)).toFixed(1)),
    commitMsAvg: Number((stats.commitMs / Math.max(1, stats.commits)).toFixed(3)),
    loadAvg1m: Number((loadavg()[0] ?? 0).toFixed(2)),
    rssMb: Math.round(process.memoryUsage().rss / 1e6),
  };
}

async function enqueueCase(
  name: string,
  batch: number,
  concurrency: number,
  total: number,
  bench?: Bench,
): Promise<CaseResult> {
  const { store, stats } = bench ?? (await openBench(`${name}-c${concurrency}`));
  resetStats(stats);
  let remaining = total;
  const producer = async (): Promise<void> => {
    while (remaining > 0) {
      const count = Math.min(batch, remaining);
      remaining -= count;
      await enqueue(store, count);
    }
  };
  const started = performance.now();
  callerMs = 0;
  await Promise.all(Array.from({ length: concurrency }, producer));
  const ms = performance.now() - started - callerMs;
  if (bench === undefined) await store.close();
  return result(name, total, ms, { waiting: 0, concurrency }, stats);
}

async function leaseAndAck(store: Store, worker: string, max: number): Promise<number> {
  const now = Date.now();
  const leased = await store.jobLease({
    queues: [QUEUE],
    max,
    now,
    leaseMs: null,
    worker,
    tokens: callerWork(() => newLeaseTokens(max)),
  });
  const ackAt = Date.now();
  const acks = leased.map((job) => ({ id: job.id, token: job.leaseToken, result: null }));
  const outcomes = await store.jobAckMany({ acks, now: ackAt });
  if (outcomes.some((outcome) => !outcome.ok)) throw new Error('bench: an ack of a job just leased was refused');
  return leased.length;
}

interface LeaseAckResults {
  /** Filling the backlog with 10 000-job batches. */
  readonly fill: CaseResult;
  readonly leaseAck: CaseResult;
}

async function leaseAckCase(
  waiting: number,
  consumers: number,
  batch: number,
  rounds: number,
): Promise<LeaseAckResults> {
  const bench = await openBench(`lease-ack-${waiting}`);
  const perRound = consumers * batch;
  const fill = await enqueueCase('enqueue-batch-10000', 10_000, 2, waiting + perRound, bench);
  resetStats(bench.stats);
  let timedMs = 0;
  let done = 0;
  let commits: CommitStats = { commits: 0, ops: 0, commitMs: 0 };
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    callerMs = 0;
    const counts = await Promise.all(
      Array.from({ length: consumers }, (_, i) => leaseAndAck(bench.store, `bench-worker-${i}`, batch)),
    );
    timedMs += performance.now() - started - callerMs;
    done += counts.reduce((a, b) => a + b, 0);
    commits = {
      commits: commits.commits + bench.stats.commits,
      ops: commits.ops + bench.stats.ops,
      commitMs: commits.commitMs + bench.stats.commitMs,
    };
    await enqueue(bench.store, perRound);
    resetStats(bench.stats);
  }
  await bench.store.close();
  return { fill, leaseAck: result('lease-ack-100', done, timedMs, { waiting, concurrency: consumers }, commits) };
}

function print(r: CaseResult): void {
  if (JSON_OUTPUT) {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const rate = r.jobsPerSec.toLocaleString('en-US').padStart(9);
  const label = `${r.case} (c=${r.concurrency}${r.waiting > 0 ? `, ${r.waiting.toLocaleString('en-US')} waiting` : ''})`;
  process.stdout.write(
    `${label.padEnd(48)} ${rate} jobs/s  ${r.jobs} jobs in ${r.seconds}s, ${r.commits} commits, ${r.opsPerCommit} ops/commit, commit ${r.commitMsAvg} ms, rss ${r.rssMb} MB, load ${r.loadAvg1m}\n`,
  );
}

/** Producers with one 100-job batch in flight each, so group commit has several batches to merge. */
const PRODUCERS = 16;
/** Consumers leasing 100 jobs per round, as a few busy workers would. */
const CONSUMERS = 8;
/** Rounds per lease+ack case: 120 000 jobs, a few seconds each. */
const ROUNDS = 150;

async function main(): Promise<void> {
  try {
    print(await enqueueCase('enqueue-batch-100', 100, 1, 50_000));
    print(await enqueueCase('enqueue-batch-100', 100, PRODUCERS, 300_000));
    const small = await leaseAckCase(1_000, CONSUMERS, 100, ROUNDS);
    const large = await leaseAckCase(1_000_000, CONSUMERS, 100, ROUNDS);
    const ratio = Number((large.leaseAck.jobsPerSec / small.leaseAck.jobsPerSec).toFixed(3));
    for (const r of [small.leaseAck, large.fill, { ...large.leaseAck, ratioTo1000Waiting: ratio }]) print(r);
    if (!JSON_OUTPUT) process.stdout.write(`lease+ack at 1 000 000 waiting / at 1 000 waiting: ${ratio}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
