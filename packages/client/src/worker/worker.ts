/**
 * The Worker: leases jobs from one or several queues and runs a handler on each, at most
 * `concurrency` at a time.
 *
 * The lease loop (lease-loop.ts) asks for jobs for the free slots, two requests at once while
 * there is work; an idle worker long-polls (`waitMs`, 20 s by default) with one request per wait.
 * A slot frees when its handler returns, so the next lease leaves beside the last batch's acks.
 * With `stream: true` the jobs come over the consumer stream instead (stream-feed.ts): pushed
 * up to `prefetch` on one connection and settled on it, with no lease requests at all.
 * Each job runs in a JobRun (extension, timeout, settlement); close() is closer.ts.
 */
import { InvalidArgumentError, limits, type LeasedJob } from '@docket/protocol';
import type { Client } from '../client.ts';
import type { Transport } from '../transport.ts';
import { newJobId } from '../ids.ts';
import { sleep } from '../sleep.ts';
import { WorkerCloser, type CloseOptions } from './closer.ts';
import { Emitter, type WorkerEvents } from './events.ts';
import type { Handler } from './handler.ts';
import { InFlight } from './in-flight.ts';
import { JobRun, type RunDeps, type SettleVia } from './job-run.ts';
import { LeaseLoop } from './lease-loop.ts';
import { giveBack, toError } from './settle.ts';
import { StreamFeed } from './stream-feed.ts';

export interface WorkerOptions<T, R> {
  readonly client: Client;
  /** Queues to lease from, or a function read before each lease (a task registry's queues). */
  readonly queues: readonly string[] | (() => readonly string[]);
  readonly handler: Handler<T, R>;
  /** Jobs run at once (default 1, at most 1000). */
  readonly concurrency?: number;
  /** Lease length asked for, and extended by (default: each job's own leaseMs). */
  readonly leaseMs?: number;
  /** How this worker names itself to the server's worker registry (default `worker-<ulid>`). */
  readonly id?: string;
  /** Long-poll wait of an idle worker (default 20 s). */
  readonly waitMs?: number;
  /**
   * Receive jobs over the consumer stream (one WebSocket; the server pushes jobs and frees a
   * slot on each settlement) instead of leasing by long-poll. Needs a transport that has it
   * (`createClient`); an in-process client refuses.
   */
  readonly stream?: boolean;
  /**
   * With `stream`: jobs leased to the worker at once, running or waiting for a slot (from
   * `concurrency`, the default, to 1000). More than `concurrency` hides the round trip between a
   * settlement and the next job, but waiting jobs' leases run meanwhile.
   */
  readonly prefetch?: number;
}

export interface Worker<T = unknown, R = unknown> {
  readonly id: string;
  /** Jobs running now. */
  readonly running: number;
  readonly state: 'open' | 'closing' | 'closed';
  on<K extends keyof WorkerEvents<T, R>>(name: K, listener: (...args: WorkerEvents<T, R>[K]) => void): () => void;
  off<K extends keyof WorkerEvents<T, R>>(name: K, listener: (...args: WorkerEvents<T, R>[K]) => void): void;
  /** The arguments of the next `name` event. */
  once<K extends keyof WorkerEvents<T, R>>(name: K): Promise<WorkerEvents<T, R>[K]>;
  /** Stops leasing and waits for running jobs; `force` aborts them and gives their jobs back now. */
  close(options?: CloseOptions): Promise<void>;
}

/** SQS's long-poll maximum: one request per 20 s per idle worker; the server allows up to 60 s. */
const WAIT_MS_DEFAULT = 20_000;
/** Pauses after failed leases: 250 ms doubling to 30 s, halved at random so workers do not return in step. */
const LEASE_RETRY_INITIAL_MS = 250;
const LEASE_RETRY_MAX_MS = 30_000;

function canConsume(transport: Transport): transport is Transport & Required<Pick<Transport, 'consume'>> {
  return transport.consume !== undefined;
}

function check(ok: boolean, message: string, field: string): void {
  if (!ok) throw new InvalidArgumentError(message, { field });
}

/**
 * @example
 * const worker = createWorker<Email, { sent: boolean }>({
 *   client, queues: ['emails'], concurrency: 10,
 *   async handler(job, { signal }) {
 *     await sendMail(job.data, { signal });
 *     return { sent: true };
 *   },
 * });
 * worker.on('failed', (job, err) => console.warn(job.id, err.message));
 * process.once('SIGTERM', () => void worker.close());
 */
export function createWorker<T = unknown, R = unknown>(options: WorkerOptions<T, R>): Worker<T, R> {
  return new LeasingWorker(options);
}

class LeasingWorker<T, R> implements Worker<T, R> {
  readonly id: string;
  readonly #client: Client;
  readonly #queues: () => readonly string[];
  readonly #concurrency: number;
  readonly #leaseMs: number | undefined;
  readonly #waitMs: number;
  readonly #events = new Emitter<WorkerEvents<T, R>>();
  readonly #inFlight = new InFlight<JobRun<T, R>>();
  readonly #stopLeasing = new AbortController();
  readonly #runDeps: RunDeps<T, R>;
  readonly #closer: WorkerCloser;
  readonly #feed: StreamFeed<T, R> | undefined;

  constructor(options: WorkerOptions<T, R>) {
    const concurrency = options.concurrency ?? 1;
    const waitMs = options.waitMs ?? WAIT_MS_DEFAULT;
    check(
      Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= limits.MAX_LEASE_COUNT,
      `concurrency must be an integer from 1 to ${limits.MAX_LEASE_COUNT}`,
      'concurrency',
    );
    check(
      Number.isInteger(waitMs) && waitMs >= 0 && waitMs <= limits.MAX_WAIT_MS,
      `waitMs must be an integer from 0 to ${limits.MAX_WAIT_MS}`,
      'waitMs',
    );
    const queues = options.queues;
    this.id = options.id ?? `worker-${newJobId()}`;
    this.#client = options.client;
    this.#queues = typeof queues === 'function' ? queues : () => queues;
    this.#concurrency = concurrency;
    this.#leaseMs = options.leaseMs;
    this.#waitMs = waitMs;
    this.#runDeps = {
      client: options.client,
      handler: options.handler,
      events: this.#events,
      leaseMs: options.leaseMs,
    };
    this.#feed = options.stream === true ? this.#streamFeed(options, concurrency) : undefined;
    const feeding = this.#feed?.run(this.#stopLeasing.signal) ?? this.#leaseLoop().run();
    // The loop reports its own failures; a rejection here would be a bug, and must not hang close().
    const leasing = feeding.catch((err: unknown) => this.#events.emit('error', toError(err)));
    this.#closer = new WorkerCloser({
      stopLeasing: () => this.#stopLeasing.abort(),
      leasing,
      inFlight: this.#inFlight,
    });
  }

  get running(): number {
    return this.#inFlight.running;
  }

  get state(): 'open' | 'closing' | 'closed' {
    return this.#closer.state;
  }

  on<K extends keyof WorkerEvents<T, R>>(name: K, listener: (...args: WorkerEvents<T, R>[K]) => void): () => void {
    return this.#events.on(name, listener);
  }

  off<K extends keyof WorkerEvents<T, R>>(name: K, listener: (...args: WorkerEvents<T, R>[K]) => void): void {
    this.#events.off(name, listener);
  }

  once<K extends keyof WorkerEvents<T, R>>(name: K): Promise<WorkerEvents<T, R>[K]> {
    return this.#events.once(name);
  }

  async close(options?: CloseOptions): Promise<void> {
    await this.#closer.close(options);
    await this.#feed?.disconnect();
  }

  #streamFeed(options: WorkerOptions<T, R>, concurrency: number): StreamFeed<T, R> {
    const transport = this.#client.transport;
    if (!canConsume(transport)) {
      throw new InvalidArgumentError(
        'stream: this client has no consumer stream (an in-process engine has no connection to save); leave stream off',
        { field: 'stream' },
      );
    }
    const prefetch = options.prefetch ?? concurrency;
    check(
      Number.isInteger(prefetch) && prefetch >= concurrency && prefetch <= limits.MAX_STREAM_PREFETCH,
      `prefetch must be an integer from concurrency (${concurrency}) to ${limits.MAX_STREAM_PREFETCH}`,
      'prefetch',
    );
    return new StreamFeed<T, R>({
      transport,
      queues: this.#queues,
      concurrency,
      prefetch,
      leaseMs: this.#leaseMs,
      worker: this.id,
      events: this.#events,
      inFlight: this.#inFlight,
      start: (job, receivedAt, via) => this.#start(job, receivedAt, via),
      retryDelay: (failures) => this.#retryDelay(failures),
      idleMs: this.#waitMs,
    });
  }

  /** One lease call; with no queue to lease from yet (a task registry without tasks), a wait instead. */
  async #lease(max: number, waitMs: number, stop: AbortSignal): Promise<LeasedJob[]> {
    const queues = this.#queues();
    if (queues.length === 0) {
      await sleep(this.#waitMs, stop).catch(() => undefined);
      return [];
    }
    return this.#client.transport.lease({
      queues,
      max,
      waitMs,
      worker: this.id,
      ...(this.#leaseMs === undefined ? {} : { leaseMs: this.#leaseMs }),
      signal: stop,
    });
  }

  #leaseLoop(): LeaseLoop {
    const stop = this.#stopLeasing.signal;
    return new LeaseLoop({
      concurrency: this.#concurrency,
      waitMs: this.#waitMs,
      inFlight: this.#inFlight,
      events: this.#events,
      stop,
      lease: (max, waitMs) => this.#lease(max, waitMs, stop),
      start: (job, leasedAt) => void this.#start(job, leasedAt),
      giveBack: async (jobs) => {
        const deps = { transport: this.#client.transport, events: this.#events };
        await Promise.all(jobs.map((job) => giveBack(deps, job)));
      },
      retryDelay: (failures) => this.#retryDelay(failures),
    });
  }

  #start(job: LeasedJob, leasedAt: number, via?: SettleVia): Promise<void> {
    const run = new JobRun(this.#runDeps, job, leasedAt, via, () => this.#inFlight.release(job.leaseToken));
    this.#inFlight.add(job.leaseToken, run);
    return run
      .run()
      .catch((err: unknown) => this.#events.emit('error', toError(err)))
      .finally(() => this.#inFlight.delete(job.leaseToken));
  }

  #retryDelay(failures: number): number {
    const ceiling = Math.min(LEASE_RETRY_MAX_MS, LEASE_RETRY_INITIAL_MS * 2 ** (failures - 1));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }
}
