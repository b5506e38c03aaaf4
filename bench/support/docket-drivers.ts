/**
 * Load drivers that need a request to depend on the previous answer (lease, then ack what was
 * leased), over global fetch with keep-alive. Every loop ends when its work is done or its
 * deadline passes.
 */
import { performance } from 'node:perf_hooks';

/** `{"body":"xxx…"}` padded so its JSON text is exactly 100 bytes, as the product targets state. */
export const PAYLOAD = { body: 'x'.repeat(100 - '{"body":""}'.length) };
export const BATCH = 100;
/** No driver runs longer than this, whatever happens. */
const DEADLINE_MS = 45_000;

interface LeasedJob {
  readonly id: string;
  readonly leaseToken: string;
}

/** POSTs `body` as JSON and returns the parsed answer; any non-2xx answer throws. */
export async function post<T>(url: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

export function batchBody(size: number): { jobs: { data: typeof PAYLOAD }[] } {
  return { jobs: Array.from({ length: size }, () => ({ data: PAYLOAD })) };
}

/** Enqueues `total` jobs in batches of 100 from `concurrency` loops. */
export async function prefill(url: string, queue: string, total: number, concurrency = 8): Promise<void> {
  let remaining = Math.ceil(total / BATCH);
  const body = batchBody(BATCH);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (remaining > 0) {
        remaining -= 1;
        await post(url, `/v1/queues/${queue}/jobs`, body);
      }
    }),
  );
}

/** One consumer round: lease up to 100 and ack them in one batch request; returns how many. */
async function leaseAndAck(url: string, queue: string, waitMs: number): Promise<number> {
  const { jobs } = await post<{ jobs: LeasedJob[] }>(url, '/v1/lease', { queues: [queue], max: BATCH, waitMs });
  if (jobs.length === 0) return 0;
  const items = jobs.map((job) => ({ id: job.id, lease: job.leaseToken }));
  const { results } = await post<{ results: { error?: unknown }[] }>(url, '/v1/jobs/ack', { items });
  const failed = results.filter((result) => result.error !== undefined).length;
  if (failed > 0) throw new Error(`${failed} acks failed`);
  return jobs.length;
}

export interface Throughput {
  readonly jobs: number;
  readonly seconds: number;
  readonly jobsPerSec: number;
  /** False when the deadline cut the run short: the rate is over the jobs done until then. */
  readonly complete: boolean;
}

export function throughput(jobs: number, started: number, complete: boolean): Throughput {
  const seconds = (performance.now() - started) / 1000;
  return { jobs, seconds, jobsPerSec: jobs / seconds, complete };
}

/** Consumers lease (max 100) and batch-ack until the queue is empty. */
export async function drainLeaseAck(url: string, queue: string, consumers: number): Promise<Throughput> {
  const started = performance.now();
  let done = 0;
  let emptied = false;
  await Promise.all(
    Array.from({ length: consumers }, async () => {
      while (!emptied && performance.now() - started < DEADLINE_MS) {
        const n = await leaseAndAck(url, queue, 0);
        emptied ||= n === 0;
        done += n;
      }
    }),
  );
  return throughput(done, started, emptied);
}

export interface ProduceConsumeOptions {
  readonly total: number;
  readonly producers: number;
  readonly consumers: number;
}

/** Producers enqueue batches of 100 while consumers lease and ack, until `total` are acked. */
export async function produceConsume(url: string, queue: string, options: ProduceConsumeOptions): Promise<Throughput> {
  const started = performance.now();
  let batches = Math.ceil(options.total / BATCH);
  let done = 0;
  const body = batchBody(BATCH);
  const producing = Array.from({ length: options.producers }, async () => {
    while (batches > 0 && performance.now() - started < DEADLINE_MS) {
      batches -= 1;
      await post(url, `/v1/queues/${queue}/jobs`, body);
    }
  });
  const consuming = Array.from({ length: options.consumers }, async () => {
    while (done < options.total && performance.now() - started < DEADLINE_MS) {
      const n = await leaseAndAck(url, queue, 200);
      done += n;
    }
  });
  await Promise.all([...producing, ...consuming]);
  return throughput(done, started, done >= options.total);
}
