/**
 * The options of the queue operations, in the engine's terms: what the engine façade takes and
 * what the SDK's transports take (client-local passes them straight to the engine; the HTTP
 * transport turns them into /v1 requests). One definition, so the two cannot drift apart.
 */
import type { Job, JobState, JsonValue, NackPlacement } from './job.ts';
import type { JobOptions } from './job-options.ts';

export interface EnqueueInput extends JobOptions {
  /** A JSON value, or bytes (a Uint8Array is stored and returned as bytes). */
  readonly data: JsonValue | Uint8Array;
}

export interface EnqueueResult {
  readonly job: Job;
  /** False when an existing job was returned (same `id`, or same `dedupKey` within its window). */
  readonly created: boolean;
}

export interface LeaseOptions {
  readonly queues: readonly string[];
  /** Up to this many jobs (default 1). */
  readonly max?: number;
  /** Wait up to this long for a job when none is ready (long-poll; default 0: return at once). */
  readonly waitMs?: number;
  /** Overrides each job's own leaseMs. */
  readonly leaseMs?: number;
  readonly worker?: string;
  /** Aborting stops the wait and leases nothing: jobs claimed after the abort are given back. */
  readonly signal?: AbortSignal;
}

export interface AckOptions {
  readonly token: string;
  readonly result?: JsonValue;
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
  /**
   * The handler met a downstream rate limit: the job goes back to `delayed` for `delayMs` and the
   * lease is given back, so the attempt does not count against `maxAttempts` (`attempts` goes
   * back down) and is not recorded as a failure nor in the attempt history. Implies placement
   * `delay`; needs `delayMs`.
   */
  readonly rateLimited?: boolean;
  readonly error?: { readonly message: string; readonly stack?: string };
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
