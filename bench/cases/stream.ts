/**
 * Lease+ack through the consumer stream (`GET /v1/stream`, WebSocket): `prefill` enqueues the
 * jobs first (untimed), then `connections` streams with a `prefetch` window each ack every job
 * as it arrives, with a `ref` so each ack counts only once the server answered `ok` (after its
 * commit). Timed from opening the streams to the last `ok`; the rate is jobs acked per second.
 *
 * `measureStreamLeaseAck(url, options)` runs against a given server (the lead's bench/http.ts
 * starts a fresh one per case); `tsx bench/cases/stream.ts <url> [jobs]` runs it by hand.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { prefill, throughput, type Throughput } from '../support/docket-drivers.ts';

export interface StreamBenchOptions {
  /** Jobs enqueued, then consumed (default 100 000). */
  readonly jobs?: number;
  /** Stream connections (default 4). */
  readonly connections?: number;
  /** Window per connection (default 500). */
  readonly prefetch?: number;
  readonly queue?: string;
  /** Gives up after this long, reporting the jobs done so far (default 45 s). */
  readonly deadlineMs?: number;
}

interface Message {
  readonly type: string;
  readonly ref?: number;
  readonly job?: { readonly id: string; readonly leaseToken: string };
  readonly error?: { readonly code: string; readonly message: string };
}

interface Shared {
  left: number;
  done: number;
  readonly sockets: WebSocket[];
}

/** One consumer: acks every job it is sent; the last `ok` overall closes every stream. */
function consume(url: string, queue: string, prefetch: number, shared: Shared, deadline: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/stream?queues=${queue}&prefetch=${prefetch}`);
    shared.sockets.push(socket);
    let ref = 0;
    const timer = setTimeout(() => socket.close(), Math.max(0, deadline - performance.now()));
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as Message;
      if (message.type === 'job' && message.job !== undefined) {
        ref += 1;
        socket.send(`{"type":"ack","ref":${ref},"id":"${message.job.id}","token":"${message.job.leaseToken}"}`);
      } else if (message.type === 'ok') {
        shared.done += 1;
        shared.left -= 1;
        if (shared.left === 0) for (const each of shared.sockets) each.close();
      } else if (message.type === 'error') {
        reject(new Error(`stream error: ${message.error?.code ?? ''} ${message.error?.message ?? ''}`));
        socket.close();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export async function measureStreamLeaseAck(url: string, options: StreamBenchOptions = {}): Promise<Throughput> {
  const jobs = options.jobs ?? 100_000;
  const connections = options.connections ?? 4;
  const prefetch = options.prefetch ?? 500;
  const queue = options.queue ?? 'bench-stream';
  await prefill(url, queue, jobs);
  const shared: Shared = { left: jobs, done: 0, sockets: [] };
  const started = performance.now();
  const deadline = started + (options.deadlineMs ?? 45_000);
  await Promise.all(Array.from({ length: connections }, () => consume(url, queue, prefetch, shared, deadline)));
  return throughput(shared.done, started, shared.done >= jobs);
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const url = process.argv[2] ?? 'http://127.0.0.1:8080';
  const jobs = Number(process.argv[3] ?? 100_000);
  console.log(JSON.stringify({ case: 'stream-lease-ack', ...(await measureStreamLeaseAck(url, { jobs })) }));
}
