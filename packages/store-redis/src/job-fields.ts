/**
 * Jobs as Redis sees them: the fields of a job hash (text values, a null field absent) and their
 * mapping to protocol jobs, and NewJob as the ARGV of job-enqueue.lua. Payloads: JSON as its JSON
 * text, bytes as base64 (the reply path decodes text as UTF-8, which raw bytes would not survive).
 * Nullable arguments travel as '' for null, and text as '+' followed by the value, so an empty
 * string stays distinct from null.
 */
import {
  InternalError,
  InvalidArgumentError,
  type BackoffPolicy,
  type DeadReason,
  type Job,
  type JobError,
  type JobMeta,
  type JobState,
  type JsonValue,
  type LeasedJob,
  type PayloadEncoding,
} from '@docket/protocol';
import type { NewJob } from '@docket/core';
import { GROUP_LANE, newJobToJob } from '@docket/core/store-support';

export type Fields = Readonly<Record<string, string>>;

export function optText(value: string | null): string {
  return value === null ? '' : `+${value}`;
}

export function optInt(value: number | null): string {
  return value === null ? '' : String(value);
}

/** A flat reply (field, value, field, value, ...) as a record. */
export function toFields(reply: unknown): Fields {
  if (!Array.isArray(reply) || reply.length % 2 !== 0) throw new InternalError('redis returned a malformed record');
  const fields: Record<string, string> = {};
  for (let i = 0; i < reply.length; i += 2) fields[String(reply[i])] = String(reply[i + 1]);
  return fields;
}

function text(f: Fields, name: string): string {
  const value = f[name];
  if (value === undefined) throw new InternalError(`redis job hash lacks ${name}`, { id: f.id });
  return value;
}

const int = (f: Fields, name: string): number => Number(text(f, name));
const intOrNull = (f: Fields, name: string): number | null => (f[name] === undefined ? null : Number(f[name]));
const textOrNull = (f: Fields, name: string): string | null => f[name] ?? null;
const jsonOrNull = (f: Fields, name: string): unknown => {
  const value = f[name];
  return value === undefined ? null : JSON.parse(value);
};

export function encodeData(encoding: PayloadEncoding, data: JsonValue | Uint8Array): string {
  if (encoding === 'bytes') {
    if (!(data instanceof Uint8Array)) {
      throw new InvalidArgumentError('invalid data: a bytes payload must be a Uint8Array', { field: 'data' });
    }
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  }
  return JSON.stringify(data);
}

function decodeData(encoding: PayloadEncoding, stored: string): JsonValue | Uint8Array {
  return encoding === 'bytes' ? Uint8Array.from(Buffer.from(stored, 'base64')) : (JSON.parse(stored) as JsonValue);
}

export function fieldsToJob(f: Fields): Job {
  const encoding = text(f, 'encoding') as PayloadEncoding;
  const group = f.group;
  return {
    id: text(f, 'id'),
    queue: text(f, 'queue'),
    name: textOrNull(f, 'name'),
    state: text(f, 'state') as JobState,
    encoding,
    data: decodeData(encoding, text(f, 'data')),
    priority: int(f, 'priority'),
    seq: int(f, 'seq'),
    attempts: int(f, 'attempts'),
    maxAttempts: int(f, 'maxAttempts'),
    nacks: int(f, 'nacks'),
    delayedNacks: int(f, 'delayedNacks'),
    createdAt: int(f, 'createdAt'),
    runAt: int(f, 'runAt'),
    expiresAt: intOrNull(f, 'expiresAt'),
    leaseMs: int(f, 'leaseMs'),
    timeoutMs: intOrNull(f, 'timeoutMs'),
    backoff: JSON.parse(text(f, 'backoff')) as BackoffPolicy,
    dedupKey: textOrNull(f, 'dedupKey'),
    ...(group === undefined || group === GROUP_LANE ? {} : { group }),
    meta: JSON.parse(text(f, 'meta')) as JobMeta,
    leaseToken: textOrNull(f, 'leaseToken'),
    leaseExpiresAt: intOrNull(f, 'leaseExpiresAt'),
    attemptStartedAt: intOrNull(f, 'attemptStartedAt'),
    startedAt: intOrNull(f, 'startedAt'),
    worker: textOrNull(f, 'worker'),
    finishedAt: intOrNull(f, 'finishedAt'),
    result: jsonOrNull(f, 'result') as JsonValue | null,
    error: jsonOrNull(f, 'error') as JobError | null,
    deadReason: textOrNull(f, 'deadReason') as DeadReason | null,
  };
}

/** For jobs a script just made or kept active: anything else is a bug. */
export function asLeasedJob(job: Job): LeasedJob {
  if (job.state !== 'active' || job.leaseToken === null || job.leaseExpiresAt === null) {
    throw new InternalError(`job ${job.id} should be active with a lease`, { state: job.state });
  }
  return job as LeasedJob;
}

/** The 18 ARGV fields of one job, in job-enqueue.lua's order. */
export function newJobArgs(job: NewJob): string[] {
  return [
    job.id,
    job.queue,
    optText(job.name),
    job.state,
    job.encoding,
    encodeData(job.encoding, job.data),
    String(job.priority),
    String(job.maxAttempts),
    String(job.createdAt),
    String(job.runAt),
    optInt(job.expiresAt),
    String(job.leaseMs),
    optInt(job.timeoutMs),
    JSON.stringify(job.backoff),
    optText(job.dedupKey),
    optInt(job.dedupUntil),
    JSON.stringify(job.meta),
    optText(job.group ?? null),
  ];
}

/** The job a fresh insert created, from its input, its seq, and how far its times were moved. */
export function createdJob(job: NewJob, seq: number, shift: number): Job {
  return {
    ...newJobToJob(job, seq),
    createdAt: job.createdAt + shift,
    runAt: job.runAt + shift,
    expiresAt: job.expiresAt === null ? null : job.expiresAt + shift,
  };
}
