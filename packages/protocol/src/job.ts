/**
 * The job model shared by the engine, the stores, the server and the SDK.
 * Words follow the vocabulary of docs/product.md.
 */

/** Every state a job can be in; see core/src/state.ts for who moves jobs between them. */
export const JOB_STATES = ['delayed', 'waiting', 'active', 'completed', 'dead'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Why a job is dead. */
export const DEAD_REASONS = ['max-attempts', 'expired', 'rejected', 'timeout', 'cancelled'] as const;
export type DeadReason = (typeof DEAD_REASONS)[number];

/** Where a nacked job goes when the consumer chooses its placement. */
export const NACK_PLACEMENTS = ['front', 'back', 'delay'] as const;
export type NackPlacement = (typeof NACK_PLACEMENTS)[number];

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** `json`: `data` is a JSON value. `bytes`: `data` is a Uint8Array, kept and returned as sent. */
export type PayloadEncoding = 'json' | 'bytes';

/** Exponential backoff with jitter: `initialMs * factor^(n-1)`, capped at `maxMs`, ±`jitter` fraction. */
export interface BackoffPolicy {
  readonly type: 'exponential' | 'fixed';
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
  readonly jitter: number;
}

/** The last error a consumer reported for a job. */
export interface JobError {
  readonly message: string;
  readonly stack?: string;
  readonly at: number;
  readonly attempt: number;
}

export type JobMeta = Readonly<Record<string, string>>;

/**
 * How an attempt ended without success. `failed`: the consumer reported a failure (nack failed);
 * `lease-expired`: the lease ran out and the reaper took the job back; `released`: the consumer
 * gave the job back with a placement (front, back or a delay), which is not a failure.
 */
export const ATTEMPT_OUTCOMES = ['failed', 'lease-expired', 'released'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/**
 * One attempt of a job that ended without success, as its history records it. The attempt that
 * is running, or the one that completed the job, is described by the job's own fields.
 */
export interface JobAttempt {
  /** The job's `attempts` during this attempt (1 for the first lease). */
  readonly attempt: number;
  /** When the attempt started (its lease); null only for a job that was never leased. */
  readonly leasedAt: number | null;
  readonly endedAt: number;
  readonly outcome: AttemptOutcome;
  /** The lease holder, when the lease named one. */
  readonly worker: string | null;
  readonly error: { readonly message: string; readonly stack?: string } | null;
  /** Where the job went: back to waiting, delayed (a retry after a delay), or dead. */
  readonly next: 'waiting' | 'delayed' | 'dead';
  /** How long until it could run again: the delay of a delayed job, 0 when waiting, null when dead. */
  readonly retryDelayMs: number | null;
}

/** A job's attempt history: the last MAX_ATTEMPT_HISTORY ended attempts, oldest first. */
export interface JobAttempts {
  readonly attempts: readonly JobAttempt[];
  /** Older entries that were dropped to keep the bound. */
  readonly dropped: number;
}

/**
 * A job as stored. Times are milliseconds since the epoch on the store's clock.
 * Fields that do not apply in the current state are `null`.
 */
export interface Job {
  readonly id: string;
  readonly queue: string;
  readonly name: string | null;
  readonly state: JobState;
  readonly encoding: PayloadEncoding;
  readonly data: JsonValue | Uint8Array;
  readonly priority: number;
  /** Enqueue sequence, strictly increasing per store: the last tie-breaker of waiting order. */
  readonly seq: number;
  /** Number of leases so far. */
  readonly attempts: number;
  readonly maxAttempts: number;
  /** Nacks with an explicit placement (front, back, delay): the consumer's choice, not failures. */
  readonly nacks: number;
  /** Nacks with a delay (miniqueue's dackCount). */
  readonly delayedNacks: number;
  readonly createdAt: number;
  /** When the job becomes (or became) ready: a delayed job's due time, a waiting job's ready time. */
  readonly runAt: number;
  readonly expiresAt: number | null;
  readonly leaseMs: number;
  readonly timeoutMs: number | null;
  readonly backoff: BackoffPolicy;
  readonly dedupKey: string | null;
  /** The job's group (enqueue option `group`); absent when it has none. */
  readonly group?: string;
  readonly meta: JobMeta;
  /** The current lease token while active. */
  readonly leaseToken: string | null;
  readonly leaseExpiresAt: number | null;
  /** When the current attempt started (the latest lease). */
  readonly attemptStartedAt: number | null;
  /** When the job was first leased. */
  readonly startedAt: number | null;
  readonly worker: string | null;
  readonly finishedAt: number | null;
  readonly result: JsonValue | null;
  readonly error: JobError | null;
  readonly deadReason: DeadReason | null;
}

/** A job handed to a consumer: it carries the lease token that ack, nack and extend must present. */
export interface LeasedJob extends Job {
  readonly state: 'active';
  readonly leaseToken: string;
  readonly leaseExpiresAt: number;
}

/** True once a job will not run again by itself. */
export function isFinished(job: Pick<Job, 'state'>): boolean {
  return job.state === 'completed' || job.state === 'dead';
}
