/**
 * SDK benchmark: @docket/client producers and a Worker over HTTP against a real `docket serve`
 * (durable SQLite), side by side with BullMQ doing the same on the local Redis, in one run,
 * each pair run in alternation (`rounds` times, Docket first). 100-byte JSON payloads, loopback.
 * - enqueue-single: 64 callers each making one `queue.enqueue` per call (BullMQ `queue.add`);
 * - worker: one Worker (concurrency 100, no-op handler) drains a prefilled queue;
 * - worker-stream: the same Worker with `stream: true` (jobs pushed over the consumer stream);
 * - produce-consume: 4 producers enqueue batches of 100 while that Worker runs, first enqueue to
 *   last completion;
 * - enqueue-and-wait: one caller, `enqueueAndWait` (BullMQ: `add` then `waitUntilFinished`) with a
 *   Worker running, round trip p50 and p99;
 * - enqueue-batch-100 (Docket only): 16 callers of `enqueueMany` with 100 jobs.
 *
 * Two ways in: `runSdkBench(url)` returns the results for a bench runner (bench/http.ts writes
 * them to docs/benchmarks.md); `tsx bench/sdk.ts [--json]` starts a fresh server and prints
 * one line per result.
 */
import { fileURLToPath } from 'node:url';
import { createClient, createWorker, type Client } from '@docket/client';
import { redisMissing, redisReachable } from './support/bullmq-run.ts';
import {
  bullmqAddAndWait,
  bullmqAddSingle,
  bullmqProduceConsumeSdk,
  bullmqWorkerDrain,
  percentile,
  type Rate,
  type RoundTrips,
} from './support/bullmq-sdk.ts';
import { PAYLOAD } from './support/docket-drivers.ts';

export interface SdkComparison {
  readonly case: string;
  /** One rate per round. */
  readonly docket: readonly Rate[];
  readonly bullmq: readonly Rate[] | string;
  /** Docket's mean over BullMQ's mean; null when BullMQ was skipped. */
  readonly ratio: number | null;
  readonly target: number | null;
}

export interface SdkRoundTrips {
  readonly case: 'enqueue-and-wait';
  readonly docket: RoundTrips;
  readonly bullmq: RoundTrips | string;
}

export interface SdkBenchResults {
  readonly comparisons: SdkComparison[];
  readonly roundTrips: SdkRoundTrips;
  readonly batch: Rate;
}

export interface SdkBenchOptions {
  readonly jobs?: number;
  readonly callers?: number;
  readonly concurrency?: number;
  readonly rounds?: number;
  readonly waitSamples?: number;
}

const BATCH = 100;
const BATCH_PRODUCERS = 16;
const PRODUCERS = 4;
const WAIT_WARMUP = 50;
const WARMUP_JOBS = 3_000;

let queueCount = 0;
const freshQueue = (name: string): string => `bench-sdk-${name}-${process.pid}-${(queueCount += 1)}`;
const rateOf = (jobs: number, started: number): Rate => {
  const seconds = (performance.now() - started) / 1000;
  return { jobsPerSec: jobs / seconds, jobs, seconds };
};
const batchOf = (n: number) => Array.from({ length: n }, () => ({ data: PAYLOAD }));
const mean = (rates: readonly Rate[]): number => rates.reduce((sum, r) => sum + r.jobsPerSec, 0) / rates.length;

/** Runs `callers` loops at once until `total` units are taken; `work(n)` does n units. */
async function inParallel(callers: number, total: number, unit: number, work: (n: number) => Promise<unknown>) {
  let left = total;
  const loop = async (): Promise<void> => {
    while (left > 0) {
      const n = Math.min(unit, left);
      left -= n;
      await work(n);
    }
  };
  await Promise.all(Array.from({ length: callers }, loop));
}

/** Completes when the worker has acked `jobs` jobs; closes it. `stream`: jobs over the consumer stream. */
async function drain(client: Client, queue: string, jobs: number, concurrency: number, stream = false): Promise<void> {
  const worker = createWorker({ client, queues: [queue], concurrency, stream, handler: () => undefined });
  let done = 0;
  await new Promise<void>((resolve, reject) => {
    worker.on('completed', () => {
      done += 1;
      if (done === jobs) resolve();
    });
    worker.on('error', reject);
  });
  await worker.close();
}

async function docketEnqueueSingle(client: Client, jobs: number, callers: number): Promise<Rate> {
  const queue = client.queue(freshQueue('single'));
  const started = performance.now();
  await inParallel(callers, jobs, 1, () => queue.enqueue(PAYLOAD));
  return rateOf(jobs, started);
}

async function docketWorker(client: Client, jobs: number, concurrency: number, stream = false): Promise<Rate> {
  const queue = client.queue(freshQueue(stream ? 'worker-stream' : 'worker'));
  await inParallel(BATCH_PRODUCERS, jobs, BATCH, (n) => queue.enqueueMany(batchOf(n)));
  const started = performance.now();
  await drain(client, queue.name, jobs, concurrency, stream);
  return rateOf(jobs, started);
}

async function docketProduceConsume(client: Client, jobs: number, concurrency: number): Promise<Rate> {
  const queue = client.queue(freshQueue('produce-consume'));
  const started = performance.now();
  await Promise.all([
    inParallel(PRODUCERS, jobs, BATCH, (n) => queue.enqueueMany(batchOf(n))),
    drain(client, queue.name, jobs, concurrency),
  ]);
  return rateOf(jobs, started);
}

async function docketEnqueueAndWait(client: Client, samples: number): Promise<RoundTrips> {
  const queue = client.queue(freshQueue('wait'));
  const worker = createWorker({ client, queues: [queue.name], concurrency: 10, handler: () => ({ ok: true }) });
  try {
    const times: number[] = [];
    for (let i = 0; i < WAIT_WARMUP + samples; i += 1) {
      const started = performance.now();
      await queue.enqueueAndWait(PAYLOAD, { waitMs: 10_000 });
      if (i >= WAIT_WARMUP) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), samples };
  } finally {
    await worker.close();
  }
}

async function docketBatch(client: Client, jobs: number): Promise<Rate> {
  const queue = client.queue(freshQueue('batch'));
  const started = performance.now();
  await inParallel(BATCH_PRODUCERS, jobs, BATCH, (n) => queue.enqueueMany(batchOf(n)));
  return rateOf(jobs, started);
}

/** Why BullMQ cannot run here, or null; under CI=true its absence is an error. */
async function bullmqUnavailable(): Promise<string | null> {
  return (await redisReachable()) ? null : redisMissing('the BullMQ comparison');
}

async function compare(
  name: string,
  target: number,
  rounds: number,
  skip: string | null,
  docket: () => Promise<Rate>,
  bullmq: () => Promise<Rate>,
): Promise<SdkComparison> {
  const ours: Rate[] = [];
  const theirs: Rate[] = [];
  for (let round = 0; round < rounds; round += 1) {
    ours.push(await docket());
    if (skip === null) theirs.push(await bullmq());
  }
  return {
    case: name,
    docket: ours,
    bullmq: skip ?? theirs,
    ratio: skip === null ? mean(ours) / mean(theirs) : null,
    target,
  };
}

/**
 * @example
 * const results = await runSdkBench(server.url);
 */
export async function runSdkBench(url: string, options: SdkBenchOptions = {}): Promise<SdkBenchResults> {
  const { jobs, callers, concurrency, rounds, waitSamples } = {
    jobs: 20_000,
    callers: 64,
    concurrency: 100,
    rounds: 2,
    waitSamples: 500,
    ...options,
  };
  const client = createClient({ url });
  const skip = await bullmqUnavailable();
  // Unreported warm-up, so the first measured round does not pay for the server's JIT warm-up.
  await docketEnqueueSingle(client, WARMUP_JOBS, callers);
  await docketWorker(client, WARMUP_JOBS, concurrency);
  if (skip === null) await bullmqAddSingle(WARMUP_JOBS, callers);
  const comparisons = [
    await compare(
      'enqueue-single',
      1.5,
      rounds,
      skip,
      () => docketEnqueueSingle(client, jobs, callers),
      () => bullmqAddSingle(jobs, callers),
    ),
    await compare(
      'worker',
      2,
      rounds,
      skip,
      () => docketWorker(client, jobs, concurrency),
      () => bullmqWorkerDrain(jobs, concurrency),
    ),
    await compare(
      'worker-stream',
      2,
      rounds,
      skip,
      () => docketWorker(client, jobs, concurrency, true),
      () => bullmqWorkerDrain(jobs, concurrency),
    ),
    await compare(
      'produce-consume',
      2,
      rounds,
      skip,
      () => docketProduceConsume(client, jobs, concurrency),
      () => bullmqProduceConsumeSdk(jobs, PRODUCERS, concurrency),
    ),
  ];
  const roundTrips: SdkRoundTrips = {
    case: 'enqueue-and-wait',
    docket: await docketEnqueueAndWait(client, waitSamples),
    bullmq: skip ?? (await bullmqAddAndWait(waitSamples, WAIT_WARMUP)),
  };
  return { comparisons, roundTrips, batch: await docketBatch(client, jobs * 10) };
}

async function main(): Promise<void> {
  const { makeDataDir, removeDataDir, startServer } = await import('../test/support/server-process.ts');
  const json = process.argv.includes('--json');
  const dataDir = await makeDataDir('docket-bench-sdk-');
  const server = await startServer({ dataDir });
  try {
    const results = await runSdkBench(server.url);
    const lines = [...results.comparisons, results.roundTrips, { case: 'enqueue-batch-100', ...results.batch }];
    for (const line of lines)
      process.stdout.write(json ? `${JSON.stringify(line)}\n` : `${JSON.stringify(line, null, 1)}\n`);
  } finally {
    await server.stop('SIGTERM');
    await removeDataDir(dataDir);
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
