/**
 * A queue handle: producing (enqueue, enqueueMany, enqueueAndWait) and administering one queue
 * over any Transport. Every job it sends carries an id (the caller's, or a fresh ULID), so a
 * retried enqueue never adds a second job.
 */
import {
  isFinished,
  limits,
  type Job,
  type JobOptions,
  type JsonValue,
  type Page,
  type QueueEvent,
  type QueueConfig,
  type QueueInfo,
  type QueueStats,
} from '@docket/protocol';
import { captureEnqueueStack } from './enqueue-stack.ts';
import { newJobId } from './ids.ts';
import { watchQueueLength, type QueueLengthSample, type QueueLengthWatch } from './queue-length.ts';
import { JobFailedError, WaitTimeoutError } from './sdk-errors.ts';
import { abortReason, sleep } from './sleep.ts';
import type {
  EnqueueRequest,
  EventsRequest,
  ListRequest,
  PurgeRequest,
  RedriveRequest,
  Transport,
} from './transport.ts';
import { typedJob, type JobOf } from './typed-job.ts';

export interface EnqueueOptions extends JobOptions {
  /** Record the caller's stack in `meta.enqueueStack` (at most 2048 characters). */
  readonly captureStack?: boolean;
  /**
   * Gives up the call: before its request leaves it enqueues nothing; after, the call rejects at
   * once with the signal's reason and the job may still have gone in.
   */
  readonly signal?: AbortSignal;
}

export type EnqueueItem<T> = EnqueueOptions & { readonly data: T };

export interface EnqueueAndWaitOptions extends EnqueueOptions {
  /** How long to wait for the job to complete; longer than the server's 60 s cap is fine. */
  readonly waitMs: number;
  readonly signal?: AbortSignal;
}

export interface WaitForOptions {
  readonly waitMs: number;
  readonly signal?: AbortSignal;
}

export interface Enqueued<T, R> {
  readonly job: JobOf<T, R>;
  /** False when an existing job was returned (same id, or same dedupKey within its window). */
  readonly created: boolean;
}

export interface Finished<T, R> {
  readonly job: JobOf<T, R>;
  readonly result: R;
}

export interface QueueOptions {
  /** Options every enqueue of this handle starts from (per-call options win; meta is merged). */
  readonly defaults?: EnqueueOptions;
}

/**
 * @example
 * const emails = client.queue<Email, { sent: boolean }>('emails');
 * await emails.enqueue({ to: 'a@example.com' }, { delayMs: 10_000, maxAttempts: 5 });
 * const { result } = await emails.enqueueAndWait({ to: 'b@example.com' }, { waitMs: 30_000 });
 */
export interface Queue<T = unknown, R = unknown> {
  readonly name: string;
  enqueue(data: T, options?: EnqueueOptions): Promise<Enqueued<T, R>>;
  /** All or nothing; `options` apply to every item, under the item's own. */
  enqueueMany(items: readonly EnqueueItem<T>[], options?: EnqueueOptions): Promise<Enqueued<T, R>[]>;
  /** The completed job and its result; WaitTimeoutError if not finished in time, JobFailedError if dead. */
  enqueueAndWait(data: T, options: EnqueueAndWaitOptions): Promise<Finished<T, R>>;
  /** Waits for a job enqueued earlier, as enqueueAndWait does. */
  waitFor(id: string, options: WaitForOptions): Promise<Finished<T, R>>;
  get(id: string): Promise<JobOf<T, R>>;
  cancel(id: string): Promise<JobOf<T, R>>;
  delete(id: string): Promise<void>;
  list(options?: ListRequest): Promise<Page<JobOf<T, R>>>;
  /**
   * Replaces the queue's config: defaults, retention and flow control (`concurrency`,
   * `rateLimit`, `maxWaiting`, `maxBytes`). An enqueue past `maxWaiting` or `maxBytes` rejects
   * with QueueFullError once the client's retries (which wait out `Retry-After`) are spent.
   */
  configure(config: QueueConfig): Promise<QueueInfo>;
  pause(): Promise<QueueInfo>;
  resume(): Promise<QueueInfo>;
  purge(options?: PurgeRequest): Promise<number>;
  redrive(options?: RedriveRequest): Promise<number>;
  /** QueueNotFoundError for a queue that was never used. */
  stats(): Promise<QueueStats>;
  /** Samples the counts by state now and every `intervalMs` (default 15 s) until stopped. */
  onQueueLength(fn: (sample: QueueLengthSample) => void, intervalMs?: number): QueueLengthWatch;
  /**
   * The queue's lifecycle events (enqueued, leased, completed, retrying, dead, …) from now, or
   * after `lastEventId`. It reconnects by itself; `missed` marks where events were lost.
   *
   * @example
   * for await (const event of emails.events()) if (event.type === 'dead') alert(event.data.id);
   */
  events(options?: EventsRequest): AsyncIterable<QueueEvent>;
}

/** A wait answered unfinished this much earlier than asked means the server is going away: pause before asking again. */
const EARLY_ANSWER_PAUSE_MS = 100;

export function createQueue<T, R>(transport: Transport, name: string, options: QueueOptions = {}): Queue<T, R> {
  return new QueueHandle<T, R>(transport, name, options.defaults ?? {});
}

class QueueHandle<T, R> implements Queue<T, R> {
  readonly name: string;
  readonly #transport: Transport;
  readonly #defaults: EnqueueOptions;

  constructor(transport: Transport, name: string, defaults: EnqueueOptions) {
    this.name = name;
    this.#transport = transport;
    this.#defaults = defaults;
  }

  enqueue(data: T, options: EnqueueOptions = {}): Promise<Enqueued<T, R>> {
    const request = this.#request(data, options, this.#stackFor(options));
    const call = options.signal === undefined ? {} : { signal: options.signal };
    return this.#transport
      .enqueue(this.name, request, call)
      .then(({ job, created }) => ({ job: typedJob(job), created }));
  }

  enqueueMany(items: readonly EnqueueItem<T>[], options: EnqueueOptions = {}): Promise<Enqueued<T, R>[]> {
    const stack = this.#stackFor(options);
    const requests = items.map(({ data, ...itemOptions }) =>
      this.#request(data, { ...options, ...itemOptions }, stack),
    );
    return this.#transport
      .enqueueMany(this.name, requests)
      .then((results) => results.map(({ job, created }) => ({ job: typedJob<T, R>(job), created })));
  }

  async enqueueAndWait(data: T, options: EnqueueAndWaitOptions): Promise<Finished<T, R>> {
    const { waitMs, signal, ...enqueueOptions } = options;
    const started = performance.now();
    const request = this.#request(data, enqueueOptions, this.#stackFor(enqueueOptions));
    const { job } = await this.#transport.enqueue(this.name, request, signal === undefined ? {} : { signal });
    return this.#finish(job, waitMs, started, signal);
  }

  async waitFor(id: string, options: WaitForOptions): Promise<Finished<T, R>> {
    const started = performance.now();
    return this.#finish(await this.#transport.get(id), options.waitMs, started, options.signal);
  }

  async get(id: string): Promise<JobOf<T, R>> {
    return typedJob(await this.#transport.get(id));
  }

  async cancel(id: string): Promise<JobOf<T, R>> {
    return typedJob(await this.#transport.cancel(id));
  }

  delete(id: string): Promise<void> {
    return this.#transport.delete(id);
  }

  async list(options: ListRequest = {}): Promise<Page<JobOf<T, R>>> {
    const page = await this.#transport.list(this.name, options);
    return { items: page.items.map((job) => typedJob<T, R>(job)), cursor: page.cursor };
  }

  configure(config: QueueConfig): Promise<QueueInfo> {
    return this.#transport.configure(this.name, config);
  }

  pause(): Promise<QueueInfo> {
    return this.#transport.pause(this.name);
  }

  resume(): Promise<QueueInfo> {
    return this.#transport.resume(this.name);
  }

  purge(options: PurgeRequest = {}): Promise<number> {
    return this.#transport.purge(this.name, options);
  }

  redrive(options: RedriveRequest = {}): Promise<number> {
    return this.#transport.redrive(this.name, options);
  }

  stats(): Promise<QueueStats> {
    return this.#transport.stats(this.name);
  }

  onQueueLength(fn: (sample: QueueLengthSample) => void, intervalMs?: number): QueueLengthWatch {
    return watchQueueLength({
      queue: this.name,
      stats: () => this.#transport.stats(this.name),
      onSample: fn,
      ...(intervalMs === undefined ? {} : { intervalMs }),
    });
  }

  events(options: EventsRequest = {}): AsyncIterable<QueueEvent> {
    return this.#transport.events(this.name, options);
  }

  /** Captured synchronously in the public method, so the caller's frame is right below it. */
  #stackFor(options: EnqueueOptions): string | undefined {
    const wanted = options.captureStack ?? this.#defaults.captureStack ?? false;
    // Skips #stackFor and the public enqueue method.
    return wanted ? captureEnqueueStack(2) : undefined;
  }

  #request(data: T, options: EnqueueOptions, stack: string | undefined): EnqueueRequest {
    const { captureStack: _default, signal: _defaultSignal, meta: defaultMeta, ...defaults } = this.#defaults;
    const { captureStack: _own, signal: _ownSignal, meta: ownMeta, ...own } = options;
    const meta = { ...defaultMeta, ...ownMeta, ...(stack === undefined ? {} : { enqueueStack: stack }) };
    return {
      ...defaults,
      ...own,
      id: own.id ?? defaults.id ?? newJobId(),
      ...(Object.keys(meta).length === 0 ? {} : { meta }),
      data: data as JsonValue | Uint8Array,
    };
  }

  async #finish(first: Job, waitMs: number, started: number, signal?: AbortSignal): Promise<Finished<T, R>> {
    let job = first;
    while (!isFinished(job)) {
      if (signal?.aborted) throw abortReason(signal);
      const remaining = Math.round(waitMs - (performance.now() - started));
      if (remaining <= 0) throw new WaitTimeoutError(job, waitMs);
      const wait = Math.min(remaining, limits.MAX_WAIT_MS);
      const asked = performance.now();
      job = await this.#transport.waitFor(job.id, { waitMs: wait, ...(signal === undefined ? {} : { signal }) });
      const early = wait - (performance.now() - asked) > EARLY_ANSWER_PAUSE_MS;
      if (!isFinished(job) && early) await sleep(Math.min(EARLY_ANSWER_PAUSE_MS, remaining), signal);
    }
    if (job.state === 'dead') throw new JobFailedError(job);
    return { job: typedJob(job), result: job.result as R };
  }
}
