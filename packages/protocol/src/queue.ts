/** Queues: names, configuration and counts. */
import type { BackoffPolicy, JobState } from './job.ts';

/**
 * The queue name rule of docs/product.md: 1 to 200 of these characters, not only dots (`.` and
 * `..` are dot segments, which URL clients resolve away, so such a queue could not be addressed).
 */
export const QUEUE_NAME_PATTERN = /^(?!\.+$)[A-Za-z0-9._:/-]{1,200}$/;

/** The rule in words, for the errors that refuse a name. */
export const QUEUE_NAME_RULE = 'expected 1 to 200 characters of letters, digits and . _ : / -, not only dots';

export function isQueueName(name: string): boolean {
  return QUEUE_NAME_PATTERN.test(name);
}

/**
 * Per-queue defaults and retention. Every field is optional in storage; a missing field
 * takes the engine default (see core/src/defaults.ts).
 */
export interface QueueConfig {
  readonly leaseMs?: number;
  readonly maxAttempts?: number;
  readonly backoff?: BackoffPolicy;
  readonly ttlMs?: number;
  readonly timeoutMs?: number;
  readonly keepCompletedMs?: number;
  readonly keepCompletedCount?: number;
  readonly keepDeadMs?: number;
  /** Labels of the queue (SQS's queue tags), kept and returned as given; the engine does not read them. */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Settings a front door keeps with the queue and applies itself (the SQS door's DelaySeconds,
   * MaximumMessageSize, RedrivePolicy, …), kept and returned as given; the engine does not read them.
   */
  readonly attributes?: Readonly<Record<string, string>>;
  /**
   * Back-pressure: at most this many jobs waiting or delayed; an enqueue that would pass it is
   * refused with QueueFullError (all of its batch), and nothing is written.
   */
  readonly maxWaiting?: number;
  /**
   * Back-pressure by size: at most this many payload bytes (each job's stored payload: the JSON
   * text in UTF-8, or the raw bytes) in the queue's waiting and delayed jobs; an enqueue that would
   * pass it is refused with QueueFullError (all of its batch), and nothing is written.
   */
  readonly maxBytes?: number;
  /** At most this many jobs of the queue active at once, across every consumer and server. */
  readonly concurrency?: number;
  /** At most `max` leases per fixed window of `perMs` (see RateLimit). */
  readonly rateLimit?: RateLimit;
  /**
   * Groups: at most this many jobs of one `group` held at once (active, or delayed after a lease:
   * a retry or a nack with delay); 1 makes each group strict FIFO. A queue with it leases its
   * groups round-robin (docs/state-machine.md#groups).
   */
  readonly groupConcurrency?: number;
  /**
   * Groups: at most `max` leases of one group per fixed window of `perMs` (the queue's
   * `rateLimit` windows, per group). The ungrouped lane is not limited by it.
   */
  readonly groupRateLimit?: RateLimit;
}

/**
 * A fixed-window rate limit: the windows are [k·perMs, (k+1)·perMs) of the store's clock, and each
 * grants at most `max` leases; a lease that finds the window used up waits for the next one.
 */
export interface RateLimit {
  readonly max: number;
  readonly perMs: number;
}

/** The flow-control fields of a config that the store enforces at lease time. */
export function hasLeaseLimits(config: QueueConfig): boolean {
  return config.concurrency !== undefined || config.rateLimit !== undefined || hasGroupSettings(config);
}

/** A queue with group settings leases by group (round-robin, per-group limits). */
export function hasGroupSettings(config: QueueConfig): boolean {
  return config.groupConcurrency !== undefined || config.groupRateLimit !== undefined;
}

export type QueueCounts = Readonly<Record<JobState, number>>;

/**
 * Lifetime counts of a queue, kept by the store beside its jobs (they do not shrink when
 * retention deletes finished jobs). `completed`: successful acks. `failed`: failed attempts
 * (a nack as failed or a reaped lease, whether the job is retried or goes dead) and failures
 * reported with the engine's `countFailures`. A purge that takes both the completed and the dead
 * jobs (every state, for one) resets both to 0; deleting the queue drops them.
 */
export interface QueueTotals {
  readonly completed: number;
  readonly failed: number;
}

export interface QueueInfo {
  readonly name: string;
  readonly paused: boolean;
  readonly config: QueueConfig;
  readonly createdAt: number;
  readonly totals: QueueTotals;
}

export interface QueueStats extends QueueInfo {
  readonly counts: QueueCounts;
}

/**
 * One group of a queue as the stats show it (`GET /v1/queues/{queue}/groups`): its waiting jobs
 * and its held ones (active, or delayed after a lease).
 */
export interface GroupStats {
  readonly group: string;
  readonly waiting: number;
  readonly held: number;
}

/** A page of a list, with an opaque cursor for the next page (null at the end). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly cursor: string | null;
}
