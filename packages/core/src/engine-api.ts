/**
 * The Engine façade's public shape: what the server, the SDK's local client and the CLI call.
 * Verb-first names; ids and queue names first, then one options object.
 */
import type {
  DeadReason,
  Job,
  JobOptions,
  JobState,
  JsonValue,
  LeasedJob,
  NackPlacement,
  Page,
  QueueConfig,
  QueueInfo,
  QueueStats,
  WorkerInfo,
} from '@docket/protocol';
import type { EngineEvents } from './events.ts';
import type { EventHub } from './event-hub.ts';
import type { EnqueueResult, SettleOutcome } from './store.ts';

export interface EnqueueInput extends JobOptions {
  /** A JSON value, or bytes (a Uint8Array is stored and returned as bytes). */
  readonly data: JsonValue | Uint8Array;
}

export interface LeaseOptions {
  readonly queues: readonly string[];
  /** Up to this many jobs (default 1). */
  readonly max?: number;
  /** Wait up to this long for a job when none is ready (default 0: return at once). */
  readonly waitMs?: number;
  /** Overrides each job's own leaseMs. */
  readonly leaseMs?: number;
  readonly worker?: string;
  /** Aborting stops the wait and returns no jobs. */
  readonly signal?: AbortSignal;
}

export interface AckOptions {
  readonly token: string;
  readonly result?: JsonValue;
}

/** One item of a batch ack. */
export interface AckItem extends AckOptions {
  readonly id: string;
}

export interface NackOptions {
  readonly token: string;
  /** Give the job back by choice: to the front, the back, or after `delayMs`. Not a failure. */
  readonly placement?: NackPlacement;
  readonly delayMs?: number;
  /**
   * A failed attempt (the default when no placement is given): retried after backoff until
   * `maxAttempts`, then dead (`max-attempts`).
   */
  readonly fail?: boolean;
  /** With `fail`: false makes the job dead at once (`rejected`), whatever attempts remain. */
  readonly retry?: boolean;
  readonly error?: { readonly message: string; readonly stack?: string };
}

/** One item of a batch nack. */
export interface NackItem extends NackOptions {
  readonly id: string;
}

export interface ExtendOptions {
  readonly token: string;
  /** New lease length from now (default: the job's leaseMs). */
  readonly leaseMs?: number;
}

export interface WaitOptions {
  /** How long to wait for the job to finish; the current job is returned either way. */
  readonly waitMs: number;
  readonly signal?: AbortSignal;
}

export interface ListOptions {
  readonly state?: JobState;
  readonly limit?: number;
  readonly cursor?: string;
}

export interface PageOptions {
  readonly limit?: number;
  readonly cursor?: string;
}

export interface Engine {
  readonly events: EventHub<EngineEvents>;

  enqueue(queue: string, input: EnqueueInput): Promise<EnqueueResult>;
  /** All or nothing. */
  enqueueMany(queue: string, inputs: readonly EnqueueInput[]): Promise<EnqueueResult[]>;
  lease(options: LeaseOptions): Promise<LeasedJob[]>;
  ack(id: string, options: AckOptions): Promise<Job>;
  /** Each item succeeds or fails on its own (one outcome per item, in order); valid items share one store call. */
  ackMany(items: readonly AckItem[]): Promise<SettleOutcome[]>;
  nack(id: string, options: NackOptions): Promise<Job>;
  /** As ackMany: one outcome per item, in order. */
  nackMany(items: readonly NackItem[]): Promise<SettleOutcome[]>;
  extend(id: string, options: ExtendOptions): Promise<LeasedJob>;
  /** JobNotFoundError when missing. */
  get(id: string): Promise<Job>;
  /** Resolves when the job is completed or dead, or when `waitMs` passes, with the job as it is then. */
  waitFor(id: string, options: WaitOptions): Promise<Job>;
  cancel(id: string): Promise<Job>;
  delete(id: string): Promise<void>;
  list(queue: string, options?: ListOptions): Promise<Page<Job>>;

  configureQueue(queue: string, config: QueueConfig): Promise<QueueInfo>;
  /**
   * Adds `count` (default 1) failures to the queue's `totals.failed` without a job or lease: a
   * client reporting that work failed (presque's `PUT /q/`). Creates the queue if needed.
   */
  countFailures(queue: string, count?: number): Promise<QueueInfo>;
  pause(queue: string): Promise<QueueInfo>;
  resume(queue: string): Promise<QueueInfo>;
  /**
   * Deletes the queue's jobs (of the given states, or all); returns how many. A purge that takes
   * both the completed and the dead jobs resets the queue's totals.
   */
  purge(queue: string, options?: { readonly states?: readonly JobState[] }): Promise<number>;
  deleteQueue(queue: string): Promise<void>;
  /** Moves dead jobs (all, or of one reason) back to waiting; returns how many. */
  redrive(queue: string, options?: { readonly reason?: DeadReason }): Promise<number>;
  /** QueueNotFoundError for a queue that was never used. */
  stats(queue: string): Promise<QueueStats>;
  listQueues(options?: PageOptions): Promise<Page<QueueStats>>;

  listWorkers(options?: PageOptions): Promise<Page<WorkerInfo>>;
  workerSeen(id: string, queues: readonly string[]): Promise<void>;

  /** Starts the background services. */
  start(): void;
  /** Stops services, releases waiting lease calls (they return empty) and closes the store. */
  close(): Promise<void>;
}
