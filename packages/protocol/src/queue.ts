/** Queues: names, configuration and counts. */
import type { BackoffPolicy, JobState } from './job.ts';

/** The queue name rule of docs/product.md. */
export const QUEUE_NAME_PATTERN = /^[A-Za-z0-9._:/-]{1,200}$/;

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
}

export type QueueCounts = Readonly<Record<JobState, number>>;

export interface QueueInfo {
  readonly name: string;
  readonly paused: boolean;
  readonly config: QueueConfig;
  readonly createdAt: number;
}

export interface QueueStats extends QueueInfo {
  readonly counts: QueueCounts;
}

/** A page of a list, with an opaque cursor for the next page (null at the end). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly cursor: string | null;
}
