/**
 * SDK benchmark: @docket/client producers and a Worker over HTTP against a real `docket serve`
 * (durable SQLite), 100-byte JSON payloads, everything on loopback. Cases:
 * - sdk-enqueue-single: concurrent `queue.enqueue` calls (one job per request, keep-alive);
 * - sdk-enqueue-batch-100: concurrent `queue.enqueueMany` of 100 jobs;
 * - sdk-worker: one Worker (concurrency 100, no-op handler) drains a prefilled queue: leases in
 *   batches up to its free slots, acks one job per request;
 * - sdk-produce-consume: batch producers and that Worker at once, first enqueue to last ack.
 *
 * Two ways in: `runSdkBench(url)` runs every case against a running server (each on its own
 * queues) and returns the results, for a bench runner; `tsx bench/sdk.ts [--json]` starts a
 * fresh server per case and prints one line per case (`{case, jobsPerSec, ...}` with --json).
 */
import { fileURLToPath } from 'node:url';
import { createClient, createWorker, type Client } from '@docket/client';

export interface SdkBenchResult {
  readonly case: string;
  readonly jobsPerSec: number;
  readonly jobs: number;
  readonly seconds: number;
}

export interface SdkBenchOptions {
  /** Jobs per case (default 20 000). */
  readonly jobs?: number;
  /** Concurrent single-enqueue callers (default 64). */
  readonly producers?: number;
  /** Worker concurrency (default 100). */
  readonly concurrency?: number;
}

/** `{"body":"xxx…"}` padded so its JSON text is exactly 100 bytes, as the product targets state. */
const PAYLOAD = { body: 'x'.repeat(100 - '{"body":""}'.length) };
const BATCH = 100;
/** Batch callers at once: enough to keep group commits full without queueing at the server. */
const BATCH_PRODUCERS = 16;

const elapsed = (started: number): number => (performance.now() - started) / 1000;

function result(name: string, jobs: number, seconds: number): SdkBenchResult {
  return { case: name, jobsPerSec: jobs / seconds, jobs, seconds };
}

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

const batchOf = (n: number) => Array.from({ length: n }, () => ({ data: PAYLOAD }));

/** Completes when the worker has acked `jobs` jobs; closes it. */
async function drain(client: Client, queue: string, jobs: number, concurrency: number): Promise<void> {
  const worker = createWorker({ client, queues: [queue], concurrency, handler: () => undefined });
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

type Case = (client: Client, options: Required<SdkBenchOptions>) => Promise<SdkBenchResult>;

const CASES: Readonly<Record<string, Case>> = {
  'sdk-enqueue-single': async (client, { jobs, producers }) => {
    const queue = client.queue('bench-sdk-single');
    const started = performance.now();
    await inParallel(producers, jobs, 1, () => queue.enqueue(PAYLOAD));
    return result('sdk-enqueue-single', jobs, elapsed(started));
  },
  'sdk-enqueue-batch-100': async (client, { jobs }) => {
    const queue = client.queue('bench-sdk-batch');
    const total = jobs * 10;
    const started = performance.now();
    await inParallel(BATCH_PRODUCERS, total, BATCH, (n) => queue.enqueueMany(batchOf(n)));
    return result('sdk-enqueue-batch-100', total, elapsed(started));
  },
  'sdk-worker': async (client, { jobs, concurrency }) => {
    const queue = client.queue('bench-sdk-worker');
    await inParallel(BATCH_PRODUCERS, jobs, BATCH, (n) => queue.enqueueMany(batchOf(n)));
    const started = performance.now();
    await drain(client, queue.name, jobs, concurrency);
    return result('sdk-worker', jobs, elapsed(started));
  },
  'sdk-produce-consume': async (client, { jobs, concurrency }) => {
    const queue = client.queue('bench-sdk-produce-consume');
    const started = performance.now();
    await Promise.all([
      inParallel(4, jobs, BATCH, (n) => queue.enqueueMany(batchOf(n))),
      drain(client, queue.name, jobs, concurrency),
    ]);
    return result('sdk-produce-consume', jobs, elapsed(started));
  },
};

function withDefaults(options: SdkBenchOptions): Required<SdkBenchOptions> {
  return { jobs: 20_000, producers: 64, concurrency: 100, ...options };
}

/**
 * Every SDK case against the server at `url`.
 *
 * @example
 * for (const r of await runSdkBench(server.url)) console.log(JSON.stringify(r));
 */
export async function runSdkBench(url: string, options: SdkBenchOptions = {}): Promise<SdkBenchResult[]> {
  const client = createClient({ url });
  const results: SdkBenchResult[] = [];
  for (const run of Object.values(CASES)) results.push(await run(client, withDefaults(options)));
  return results;
}

async function main(): Promise<void> {
  const { makeDataDir, removeDataDir, startServer } = await import('../test/support/server-process.ts');
  const json = process.argv.includes('--json');
  for (const [name, run] of Object.entries(CASES)) {
    const dataDir = await makeDataDir('docket-bench-sdk-');
    const server = await startServer({ dataDir });
    try {
      if (!json) process.stderr.write(`bench: ${name}\n`);
      const r = await run(createClient({ url: server.url }), withDefaults({}));
      process.stdout.write(
        json
          ? `${JSON.stringify(r)}\n`
          : `${r.case}: ${Math.round(r.jobsPerSec)} jobs/s (${r.jobs} jobs in ${r.seconds.toFixed(2)} s)\n`,
      );
    } finally {
      await server.stop('SIGTERM');
      await removeDataDir(dataDir);
    }
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
