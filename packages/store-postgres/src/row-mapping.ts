/**
 * Rows of the jobs, queues and workers tables as the driver returns them (bigint columns already
 * numbers, see pool.ts), and their mapping to protocol objects. JSON text columns are parsed here
 * and nowhere else.
 */
import { GROUP_LANE } from '@docket/core/store-support';
import {
  InternalError,
  decodePayload,
  type BackoffPolicy,
  type DeadReason,
  type Job,
  type JobError,
  type JobMeta,
  type JobState,
  type JsonValue,
  type LeasedJob,
  type PayloadEncoding,
  type QueueConfig,
  type QueueInfo,
  type WorkerInfo,
} from '@docket/protocol';

export interface JobRow {
  readonly seq: number;
  readonly id: string;
  readonly queue: string;
  readonly name: string | null;
  readonly state: JobState;
  readonly encoding: PayloadEncoding;
  readonly data: Uint8Array;
  readonly priority: number;
  readonly attempts: number;
  readonly max_attempts: number;
  readonly nacks: number;
  readonly delayed_nacks: number;
  readonly created_at: number;
  readonly run_at: number;
  readonly expires_at: number | null;
  readonly lease_ms: number;
  readonly timeout_ms: number | null;
  readonly backoff: string;
  readonly dedup_key: string | null;
  readonly dedup_until: number | null;
  readonly meta: string;
  readonly lease_token: string | null;
  readonly lease_expires_at: number | null;
  readonly attempt_started_at: number | null;
  readonly started_at: number | null;
  readonly worker: string | null;
  readonly finished_at: number | null;
  readonly result: string | null;
  readonly error: string | null;
  readonly dead_reason: DeadReason | null;
  /** Absent from statements that return chosen columns. */
  readonly group_key?: string | null;
}

export interface QueueRow {
  readonly name: string;
  readonly paused: boolean;
  readonly config: string;
  readonly created_at: number;
  readonly completed_total: number;
  readonly failed_total: number;
}

export interface WorkerRow {
  readonly id: string;
  readonly queues: string[];
  readonly started_at: number;
  readonly last_seen_at: number;
  readonly processed: number;
  readonly failed: number;
}

export function rowToJob(row: JobRow): Job {
  const group = row.group_key ?? null;
  return {
    id: row.id,
    queue: row.queue,
    name: row.name,
    state: row.state,
    encoding: row.encoding,
    data: decodeData(row.encoding, row.data),
    priority: row.priority,
    seq: row.seq,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    nacks: row.nacks,
    delayedNacks: row.delayed_nacks,
    createdAt: row.created_at,
    runAt: row.run_at,
    expiresAt: row.expires_at,
    leaseMs: row.lease_ms,
    timeoutMs: row.timeout_ms,
    backoff: JSON.parse(row.backoff) as BackoffPolicy,
    dedupKey: row.dedup_key,
    ...(group === null || group === GROUP_LANE ? {} : { group }),
    meta: JSON.parse(row.meta) as JobMeta,
    leaseToken: row.lease_token,
    leaseExpiresAt: row.lease_expires_at,
    attemptStartedAt: row.attempt_started_at,
    startedAt: row.started_at,
    worker: row.worker,
    finishedAt: row.finished_at,
    result: row.result === null ? null : (JSON.parse(row.result) as JsonValue),
    error: row.error === null ? null : (JSON.parse(row.error) as JobError),
    deadReason: row.dead_reason,
  };
}

/** For rows the statement just made active (or read as active): anything else is a bug. */
export function rowToLeasedJob(row: JobRow): LeasedJob {
  const job = rowToJob(row);
  if (job.state !== 'active' || job.leaseToken === null || job.leaseExpiresAt === null) {
    throw new InternalError(`job ${job.id} should be active with a lease`, { state: job.state });
  }
  return job as LeasedJob;
}

/**
 * Byte payloads are copied out of the driver's Buffer into a plain Uint8Array: callers compare
 * payloads with the type they sent.
 */
function decodeData(encoding: PayloadEncoding, raw: Uint8Array): JsonValue | Uint8Array {
  return decodePayload(encoding, encoding === 'bytes' ? new Uint8Array(raw) : raw);
}

export function rowToQueue(row: QueueRow): QueueInfo {
  return {
    name: row.name,
    paused: row.paused,
    config: JSON.parse(row.config) as QueueConfig,
    createdAt: row.created_at,
    totals: { completed: row.completed_total, failed: row.failed_total },
  };
}

export function rowToWorker(row: WorkerRow, active: number): WorkerInfo {
  return {
    id: row.id,
    queues: row.queues,
    startedAt: row.started_at,
    lastSeenAt: row.last_seen_at,
    processed: row.processed,
    failed: row.failed,
    active,
  };
}
