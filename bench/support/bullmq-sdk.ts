/**
 * BullMQ doing what bench/sdk.ts has the Docket SDK do, on the local Redis, so that the two
 * can be compared in one run: `queue.add` from concurrent callers (one job per call), one
 * Worker (concurrency 100, no-op processor) draining a prefilled queue, and `add` followed by
 * `job.waitUntilFinished` (BullMQ's enqueue-and-wait) with a Worker running. Each case uses a
 * fresh key prefix and obliterates its queue afterwards. Settings favour BullMQ where there is
 * a choice: completed jobs are removed at once (less Redis work than keeping them, as Docket
 * does), and Redis runs as the machine has it (no AOF: an acknowledged add can be lost).
 */
import { performance } from 'node:perf_hooks';
import { completions, type BullMQ, type BullQueue, type BullWorker } from './bullmq-types.ts';
import { importPeer } from './peers.ts';
import { REDIS } from './bullmq-run.ts';
import { PAYLOAD } from './docket-drivers.ts';

export interface Rate {
  readonly jobsPerSec: number;
  readonly jobs: number;
  readonly seconds: number;
}

export interface RoundTrips {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly samples: number;
}

const ADD_BULK = 100;

function fresh(): { prefix: string; name: string } {
  return { prefix: `docket-bench-sdk-${process.pid}-${Date.now()}`, name: 'sdk' };
}

async function withQueue<T>(
  fn: (bull: BullMQ, queue: BullQueue, at: ReturnType<typeof fresh>) => Promise<T>,
): Promise<T> {
  const bull = await importPeer<BullMQ>('bullmq');
  const at = fresh();
  const queue = new bull.Queue(at.name, { connection: { ...REDIS }, prefix: at.prefix });
  await queue.waitUntilReady();
  try {
    return await fn(bull, queue, at);
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

/** `keepCompleted` for enqueue-and-wait, whose waiter reads the finished job. */
function worker(bull: BullMQ, at: ReturnType<typeof fresh>, concurrency: number, keepCompleted = false): BullWorker {
  return new bull.Worker(at.name, () => Promise.resolve({ ok: true }), {
    connection: { ...REDIS, maxRetriesPerRequest: null },
    prefix: at.prefix,
    concurrency,
    ...(keepCompleted ? {} : { removeOnComplete: { count: 0 } }),
    autorun: false,
  });
}

/** `callers` loops, each adding one job per call until `jobs` are added. */
export function bullmqAddSingle(jobs: number, callers: number): Promise<Rate> {
  return withQueue(async (_bull, queue) => {
    let left = jobs;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: callers }, async () => {
        while (left > 0) {
          left -= 1;
          await queue.add('job', PAYLOAD);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return { jobsPerSec: jobs / seconds, jobs, seconds };
  });
}

/** One Worker drains `jobs` prefilled jobs. */
export function bullmqWorkerDrain(jobs: number, concurrency: number): Promise<Rate> {
  return withQueue(async (bull, queue, at) => {
    for (let added = 0; added < jobs; added += ADD_BULK) {
      await queue.addBulk(
        Array.from({ length: Math.min(ADD_BULK, jobs - added) }, () => ({ name: 'job', data: PAYLOAD })),
      );
    }
    const w = worker(bull, at, concurrency);
    const finished = completions(w, jobs);
    await w.waitUntilReady();
    const started = performance.now();
    void w.run();
    await finished;
    const seconds = (performance.now() - started) / 1000;
    await w.close();
    return { jobsPerSec: jobs / seconds, jobs, seconds };
  });
}

/** Producers add batches of 100 while one Worker completes them; first add to last completion. */
export function bullmqProduceConsumeSdk(jobs: number, producers: number, concurrency: number): Promise<Rate> {
  return withQueue(async (bull, queue, at) => {
    const w = worker(bull, at, concurrency);
    const finished = completions(w, jobs);
    await w.waitUntilReady();
    const started = performance.now();
    void w.run();
    let batches = Math.ceil(jobs / ADD_BULK);
    const batch = Array.from({ length: ADD_BULK }, () => ({ name: 'job', data: PAYLOAD }));
    await Promise.all([
      ...Array.from({ length: producers }, async () => {
        while (batches > 0) {
          batches -= 1;
          await queue.addBulk(batch);
        }
      }),
      finished,
    ]);
    const seconds = (performance.now() - started) / 1000;
    await w.close();
    return { jobsPerSec: jobs / seconds, jobs, seconds };
  });
}

export function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[index] ?? 0) * 100) / 100;
}

/** `samples` round trips one after another, each an add then waitUntilFinished, after `warmup`. */
export function bullmqAddAndWait(samples: number, warmup: number): Promise<RoundTrips> {
  return withQueue(async (bull, queue, at) => {
    const events = new bull.QueueEvents(at.name, { connection: { ...REDIS }, prefix: at.prefix });
    const w = worker(bull, at, 10, true);
    try {
      await Promise.all([events.waitUntilReady(), w.waitUntilReady()]);
      void w.run();
      const times: number[] = [];
      for (let i = 0; i < warmup + samples; i += 1) {
        const started = performance.now();
        const job = await queue.add('job', PAYLOAD);
        await job.waitUntilFinished(events, 10_000);
        if (i >= warmup) times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      return { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), samples };
    } finally {
      await w.close();
      await events.close();
    }
  });
}
