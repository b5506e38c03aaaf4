/**
 * Ack, nack and extend: the operations a lease holder performs on its job, each applied only
 * under the caller's current lease (lease-check.ts) and otherwise changing nothing, except the
 * expiry rule described there.
 *
 * Ack and extend are one guarded UPDATE each (autocommit: one round trip, durable on return);
 * only when it matches nothing is the row read to find out why. Nack needs the row first (the
 * target depends on it), so it runs in a transaction holding the job's row lock.
 *
 * Nack placement: `front` gives the job a ready time just before the earliest waiting job of its
 * queue and priority (or now, when that is earlier or nothing waits), so it is leased next; `back`
 * a ready time just after the latest one (or now, when that is later), so it is leased after every
 * job waiting now, even one that became ready in the same millisecond.
 */
import { InternalError, type Job, type LeasedJob } from '@docket/protocol';
import type { JobAckParams, JobExtendParams, JobNackParams, NackTarget } from '@docket/core';
import { checkLease, lockJob, refuse } from './lease-check.ts';
import { rowToJob, rowToLeasedJob, type JobRow } from './row-mapping.ts';
import type { Session } from './session.ts';

export async function jobAck(s: Session, p: JobAckParams): Promise<Job> {
  const result = p.result === null ? null : JSON.stringify(p.result);
  const [row] = await s.rows<JobRow>('job-complete', { id: p.id, token: p.token, now: p.now, result });
  if (row === undefined) return refuse(s, { ...p, leaseExpiredOnly: false });
  return rowToJob(row);
}

export async function jobExtend(s: Session, p: JobExtendParams): Promise<LeasedJob> {
  const [row] = await s.rows<JobRow>('job-extend', p);
  if (row === undefined) return refuse(s, { ...p, leaseExpiredOnly: false });
  return rowToLeasedJob(row);
}

/** Runs in a transaction: the row lock taken by lockJob holds until COMMIT. */
export async function jobNack(s: Session, p: JobNackParams): Promise<Job> {
  const job = await lockJob(s, p.id);
  await checkLease(s, job, p);
  const placement = p.kind === 'placement';
  const target = await targetFields(s, job, p.target, p.now);
  const [row] = await s.rows<JobRow>('job-give-back', {
    seq: job.seq,
    ...target,
    error: p.error === null ? null : JSON.stringify(p.error),
    nacks: job.nacks + (placement ? 1 : 0),
    delayedNacks: job.delayedNacks + (placement && p.target.state === 'delayed' ? 1 : 0),
  });
  if (p.kind === 'failure' && job.worker !== null) await s.count('worker-tally-failed', { id: job.worker });
  if (row === undefined) throw new InternalError(`job ${p.id} vanished while its row was locked`);
  return rowToJob(row);
}

interface TargetFields {
  readonly state: Job['state'];
  readonly runAt: number;
  readonly deadReason: Job['deadReason'];
  readonly finishedAt: number | null;
}

async function targetFields(s: Session, job: Job, target: NackTarget, now: number): Promise<TargetFields> {
  if (target.state === 'delayed') return { state: 'delayed', runAt: target.runAt, deadReason: null, finishedAt: null };
  if (target.state === 'dead') return { state: 'dead', runAt: job.runAt, deadReason: target.reason, finishedAt: now };
  const runAt = target.placement === 'front' ? await frontRunAt(s, job, now) : await backRunAt(s, job, now);
  return { state: 'waiting', runAt, deadReason: null, finishedAt: null };
}

async function frontRunAt(s: Session, job: Job, now: number): Promise<number> {
  const [row] = await s.rows<{ min_run_at: number | null }>('job-front-run-at', job);
  const earliest = row?.min_run_at ?? null;
  return earliest === null ? now : Math.min(now, earliest - 1);
}

async function backRunAt(s: Session, job: Job, now: number): Promise<number> {
  const [row] = await s.rows<{ max_run_at: number | null }>('job-back-run-at', job);
  const latest = row?.max_run_at ?? null;
  return latest === null ? now : Math.max(now, latest + 1);
}
