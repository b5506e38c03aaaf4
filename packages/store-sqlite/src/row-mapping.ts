/**
 * Rows of the jobs, queues and workers tables, and their mapping to protocol objects.
 *
 * Job rows are read as arrays (better-sqlite3 raw mode) in the table's column order,
 * JOB_COLUMNS: building a 30-property object per row in the driver costs about three times as
 * much as an array, and rows are read on every lease. A test checks JOB_COLUMNS against the
 * schema. JSON columns are parsed here and nowhere else.
 */
import {
  InternalError,
  type DeadReason,
  type Job,
  type JobError,
  type JobState,
  type JsonValue,
  type LeasedJob,
  type PayloadEncoding,
  type QueueConfig,
  type QueueInfo,
} from '@docket/protocol';
import { GROUP_LANE } from '@docket/core/store-support';
import { parseBackoff, parseData, parseMeta } from './json-columns.ts';

/** The columns of the jobs table, in table order (`SELECT *`). */
export const JOB_COLUMNS = [
  'seq',
  'id',
  'queue',
  'name',
  'state',
  'encoding',
  'data',
  'priority',
  'attempts',
  'max_attempts',
  'nacks',
  'delayed_nacks',
  'created_at',
  'run_at',
  'expires_at',
  'lease_ms',
  'timeout_ms',
  'backoff',
  'dedup_key',
  'dedup_until',
  'meta',
  'lease_token',
  'lease_expires_at',
  'attempt_started_at',
  'started_at',
  'worker',
  'finished_at',
  'result',
  'error',
  'dead_reason',
  'attempt_log',
  'group_key',
] as const;

type JobColumn = (typeof JOB_COLUMNS)[number];

/** A job row as the driver returns it in raw mode: values in JOB_COLUMNS order. */
export type JobRow = readonly unknown[];

/** Position of each column in a JobRow: `row[C.run_at]`. */
export const C = Object.freeze(Object.fromEntries(JOB_COLUMNS.map((name, i) => [name, i]))) as Readonly<
  Record<JobColumn, number>
>;

export interface QueueRow {
  readonly name: string;
  readonly paused: number;
  readonly config: string;
  readonly created_at: number;
  readonly completed_total: number;
  readonly failed_total: number;
}

export interface WorkerRow {
  readonly id: string;
  readonly queues: string;
  readonly started_at: number;
  readonly last_seen_at: number;
  readonly processed: number;
  readonly failed: number;
}

const text = (row: JobRow, column: number): string => row[column] as string;
const textOrNull = (row: JobRow, column: number): string | null => row[column] as string | null;
const int = (row: JobRow, column: number): number => row[column] as number;
const intOrNull = (row: JobRow, column: number): number | null => row[column] as number | null;

export function rowToJob(row: JobRow): Job {
  const encoding = text(row, C.encoding) as PayloadEncoding;
  const result = textOrNull(row, C.result);
  const error = textOrNull(row, C.error);
  const group = textOrNull(row, C.group_key);
  return {
    id: text(row, C.id),
    queue: text(row, C.queue),
    name: textOrNull(row, C.name),
    state: text(row, C.state) as JobState,
    encoding,
    data: parseData(encoding, row[C.data] as string | Uint8Array),
    priority: int(row, C.priority),
    seq: int(row, C.seq),
    attempts: int(row, C.attempts),
    maxAttempts: int(row, C.max_attempts),
    nacks: int(row, C.nacks),
    delayedNacks: int(row, C.delayed_nacks),
    createdAt: int(row, C.created_at),
    runAt: int(row, C.run_at),
    expiresAt: intOrNull(row, C.expires_at),
    leaseMs: int(row, C.lease_ms),
    timeoutMs: intOrNull(row, C.timeout_ms),
    backoff: parseBackoff(text(row, C.backoff)),
    dedupKey: textOrNull(row, C.dedup_key),
    ...(group === null || group === GROUP_LANE ? {} : { group }),
    meta: parseMeta(text(row, C.meta)),
    leaseToken: textOrNull(row, C.lease_token),
    leaseExpiresAt: intOrNull(row, C.lease_expires_at),
    attemptStartedAt: intOrNull(row, C.attempt_started_at),
    startedAt: intOrNull(row, C.started_at),
    worker: textOrNull(row, C.worker),
    finishedAt: intOrNull(row, C.finished_at),
    result: result === null ? null : (JSON.parse(result) as JsonValue),
    error: error === null ? null : (JSON.parse(error) as JobError),
    deadReason: textOrNull(row, C.dead_reason) as DeadReason | null,
  };
}

function isLeased(job: Job): job is LeasedJob {
  return job.state === 'active' && job.leaseToken !== null && job.leaseExpiresAt !== null;
}

/** For jobs the caller just made active: anything else is a bug. */
export function asLeasedJob(job: Job): LeasedJob {
  if (!isLeased(job)) throw new InternalError(`job ${job.id} should be active with a lease`, { state: job.state });
  return job;
}

export function rowToQueue(row: QueueRow): QueueInfo {
  return {
    name: row.name,
    paused: row.paused !== 0,
    config: JSON.parse(row.config) as QueueConfig,
    createdAt: row.created_at,
    totals: { completed: row.completed_total, failed: row.failed_total },
  };
}
