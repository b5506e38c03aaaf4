/**
 * Engine defaults of docs/product.md, overridable per queue (QueueConfig) and per job.
 */
import type { BackoffPolicy } from '@docket/protocol';

/** 30 s: long enough for most handlers, short enough that a crashed consumer's job returns soon. */
export const LEASE_MS_DEFAULT = 30_000;
export const MAX_ATTEMPTS_DEFAULT = 5;
/** Exponential from 1 s doubling to at most 1 h, ±20 % jitter so retries of a burst spread out. */
export const BACKOFF_DEFAULT: BackoffPolicy = {
  type: 'exponential',
  initialMs: 1_000,
  maxMs: 60 * 60 * 1000,
  factor: 2,
  jitter: 0.2,
};
/** Completed jobs keep their result 1 h (enqueue-and-wait reads it), at most 10 000 per queue. */
export const KEEP_COMPLETED_MS_DEFAULT = 60 * 60 * 1000;
export const KEEP_COMPLETED_COUNT_DEFAULT = 10_000;
/** Dead jobs stay 7 days for inspection and redrive. */
export const KEEP_DEAD_MS_DEFAULT = 7 * 24 * 60 * 60 * 1000;
/** A dedupKey without its own window deduplicates for 5 minutes, as SQS FIFO. */
export const DEDUP_WINDOW_MS_DEFAULT = 5 * 60 * 1000;
