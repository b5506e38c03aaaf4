/**
 * The store side of core's background services: promotion of due delayed jobs, expiry, the
 * lease-reaper's read, and retention (which also folds queue tallies). Each works in bounded
 * batches (`limit`) on a partial index. Every server runs these services; the statements skip
 * rows another server has locked and re-check the state they change, so each job is promoted,
 * expired or deleted once (no double events), and the reaper's nack is fenced by the lease token.
 */
import type { Job, LeasedJob } from '@docket/protocol';
import type {
  JobDeleteRetainedParams,
  JobExpireDueParams,
  JobLeaseExpiredParams,
  JobPromoteDueParams,
} from '@docket/core';
import type { QueryFile } from './query-catalog.ts';
import { rowToJob, rowToLeasedJob, type JobRow } from './row-mapping.ts';
import type { Session, Values } from './session.ts';

/** RETURNING gives rows in no set order; callers get them in the order they were due. */
function byKeyThenSeq(key: (job: Job) => number): (a: Job, b: Job) => number {
  return (a, b) => key(a) - key(b) || a.seq - b.seq;
}

export async function jobPromoteDue(s: Session, p: JobPromoteDueParams): Promise<Job[]> {
  const rows = await s.rows<JobRow>('job-promote-due', p);
  return rows.map(rowToJob).sort(byKeyThenSeq((job) => job.runAt));
}

export async function jobExpireDue(s: Session, p: JobExpireDueParams): Promise<Job[]> {
  const rows = await s.rows<JobRow>('job-expire-due', p);
  return rows.map(rowToJob).sort(byKeyThenSeq((job) => job.expiresAt ?? 0));
}

export async function jobLeaseExpired(s: Session, p: JobLeaseExpiredParams): Promise<LeasedJob[]> {
  const rows = await s.rows<JobRow>('job-lease-expired', p);
  return rows.map(rowToLeasedJob);
}

/**
 * Old completed jobs, then completed jobs beyond the newest `completedKeep`, then old dead jobs;
 * then the queue's tallies are folded into its totals (queue-fold-tallies.sql): the retention
 * cleaner visits every queue (every 30 s by default), which bounds the tallies a read has to add.
 * The fold goes last, so the transaction holds the queue's row lock as briefly as it can.
 */
export async function jobDeleteRetained(s: Session, p: JobDeleteRetainedParams): Promise<number> {
  const steps: readonly [QueryFile, Values][] = [
    ['job-delete-completed-before', { queue: p.queue, before: p.completedBefore }],
    ['job-delete-completed-beyond', { queue: p.queue, keep: p.completedKeep }],
    ['job-delete-dead-before', { queue: p.queue, before: p.deadBefore }],
  ];
  let deleted = 0;
  for (const [file, values] of steps) {
    if (deleted >= p.limit) break;
    deleted += await s.count(file, { ...values, limit: p.limit - deleted });
  }
  await s.count('queue-fold-tallies', { queue: p.queue });
  return deleted;
}
