/**
 * The peer of Docket's produce+consume case: BullMQ on the local Redis doing the same work
 * (producers add batches of 100 jobs with 100-byte payloads while workers complete them). The
 * queue lives under a unique key prefix and is obliterated afterwards.
 *
 * Settings favour BullMQ: completed jobs are removed at once (less Redis work than keeping
 * them, as Docket does) and the worker runs with high concurrency.
 */
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { BullMQ } from './bullmq-types.ts';
import { importPeer } from './peers.ts';
import { BATCH, PAYLOAD, throughput, type ProduceConsumeOptions, type Throughput } from './docket-drivers.ts';

export const REDIS = { host: '127.0.0.1', port: 6379 } as const;
/** Jobs a worker runs at once; BullMQ's throughput with a no-op processor peaks around here. */
const WORKER_CONCURRENCY = 100;
/** As long as Docket's drivers get: a slower run reports the rate over what it did. */
const DEADLINE_MS = 45_000;

/** True when something answers PING with PONG at 127.0.0.1:6379 within a second. */
/**
 * Why a case that `needs` Redis cannot run, for its skip note; under CI=true its absence is an
 * error instead (CI has Redis, so a missing one is a broken machine, not a reason to skip).
 */
export function redisMissing(needs: string): string {
  const reason = `Redis is not reachable at ${REDIS.host}:${REDIS.port}`;
  if (process.env['CI'] === 'true') throw new Error(`${reason}: ${needs} needs it`);
  return reason;
}

export function redisReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(REDIS.port, REDIS.host);
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk) => done(chunk.toString().startsWith('+PONG')));
  });
}

export async function bullmqProduceConsume(options: ProduceConsumeOptions): Promise<Throughput> {
  const { Queue, Worker } = await importPeer<BullMQ>('bullmq');
  const prefix = `docket-bench-${process.pid}-${Date.now()}`;
  const name = 'produce-consume';
  const queue = new Queue(name, { connection: { ...REDIS }, prefix });
  let done = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const worker = new Worker(name, () => Promise.resolve(), {
    connection: { ...REDIS, maxRetriesPerRequest: null },
    prefix,
    concurrency: WORKER_CONCURRENCY,
    removeOnComplete: { count: 0 },
    autorun: false,
  });
  worker.on('completed', () => {
    done += 1;
    if (done >= options.total) finish();
  });
  try {
    await queue.waitUntilReady();
    await worker.waitUntilReady();
    const started = performance.now();
    void worker.run();
    let batches = Math.ceil(options.total / BATCH);
    const jobs = Array.from({ length: BATCH }, () => ({ name: 'job', data: PAYLOAD }));
    const producing = Array.from({ length: options.producers }, async () => {
      while (batches > 0) {
        batches -= 1;
        await queue.addBulk(jobs);
      }
    });
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, DEADLINE_MS).unref());
    await Promise.race([Promise.all([...producing, finished]), timeout]);
    batches = 0;
    const result = throughput(done, started, done >= options.total);
    await Promise.allSettled(producing);
    return result;
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}
