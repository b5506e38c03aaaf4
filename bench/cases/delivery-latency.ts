/**
 * Enqueue-to-delivery latency for a waiting consumer (the product brief's target: p99 ≤ 5 ms).
 * One consumer long-polls an empty queue (`POST /v1/lease`, `waitMs`); one producer enqueues a
 * single job and the time from sending that enqueue to the consumer holding the leased job is one
 * sample. Both commits are in it: the enqueue's, which wakes the consumer, and the lease's. Then
 * the consumer acks, polls again, and the producer waits a few milliseconds so the next job finds
 * the consumer waiting. The first samples warm up the server and are left out. Requests go over
 * node:http with keep-alive agents (one connection each for the consumer and the producer), not
 * fetch, whose own overhead (about 1 ms a request here) would dwarf what is measured.
 *
 * `measureDeliveryLatency(url, options)` runs against a given server (bench/http.ts starts a
 * fresh one); `tsx bench/cases/delivery-latency.ts <url> [samples]` runs it by hand.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { PAYLOAD } from '../support/docket-drivers.ts';

export interface DeliveryLatencyOptions {
  /** Timed samples (default 1 000). */
  readonly samples?: number;
  readonly queue?: string;
}

export interface DeliveryLatency {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

interface Leased {
  readonly jobs: readonly { readonly id: string; readonly leaseToken: string }[];
}

const WARM_UP = 50;
/** Time for the consumer's next long-poll to reach the server before the next enqueue. */
const GAP_MS = 3;
/** Longer than any sample can take: a poll that ends empty means the job was lost. */
const WAIT_MS = 5_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function post<T>(agent: Agent, url: string, path: string, body: unknown): Promise<T> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, url),
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 0) >= 300)
            reject(new Error(`POST ${path} answered ${res.statusCode}: ${text.slice(0, 300)}`));
          else resolve(JSON.parse(text) as T);
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function percentile(sorted: readonly number[], p: number): number {
  const value = sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return Number((value ?? NaN).toFixed(2));
}

export async function measureDeliveryLatency(
  url: string,
  options: DeliveryLatencyOptions = {},
): Promise<DeliveryLatency> {
  const samples = options.samples ?? 1_000;
  const queue = options.queue ?? 'bench-latency';
  const latencies: number[] = [];
  const consumer = new Agent({ keepAlive: true, maxSockets: 1 });
  const producer = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; i < WARM_UP + samples; i += 1) {
      const polled = post<Leased>(consumer, url, '/v1/lease', { queues: [queue], max: 1, waitMs: WAIT_MS });
      await sleep(GAP_MS);
      const sent = performance.now();
      const enqueued = post(producer, url, `/v1/queues/${queue}/jobs`, { data: PAYLOAD });
      const { jobs } = await polled;
      const delivered = performance.now();
      const [job] = jobs;
      if (job === undefined) throw new Error(`delivery-latency: the consumer's poll ended empty at sample ${i}`);
      if (i >= WARM_UP) latencies.push(delivered - sent);
      await enqueued;
      await post(consumer, url, '/v1/jobs/ack', { items: [{ id: job.id, lease: job.leaseToken }] });
    }
  } finally {
    consumer.destroy();
    producer.destroy();
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    samples,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: percentile(sorted, 100),
  };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const [url, count] = process.argv.slice(2);
  if (url === undefined) throw new Error('usage: tsx bench/cases/delivery-latency.ts <url> [samples]');
  console.log(await measureDeliveryLatency(url, count === undefined ? {} : { samples: Number(count) }));
}
