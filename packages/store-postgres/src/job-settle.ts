/**
 * Ack, nack and extend: the operations a lease holder (or the reaper) performs on its job, each
 * one guarded statement applied only under the caller's current lease, in autocommit (one round
 * trip, durable on return). Only when the statement matches nothing is the row read to find out
 * why (lease-check.ts), which may kill a job past its expiresAt. A nack's placement (front or
 * back of its queue and priority) is computed inside job-nack.sql.
 */
import { limits, type Job, type LeasedJob } from '@docket/protocol';
import type { JobAckParams, JobExtendParams, JobNackParams } from '@docket/core';
import { refuse } from './lease-check.ts';
import { rowToJob, rowToLeasedJob, type JobRow } from './row-mapping.ts';
import type { Session } from './session.ts';

/** A rate-limited nack to `delayed` gives its lease back (job-nack.sql's :givenBack). */
export function givenBack(p: Pick<JobNackParams, 'kind' | 'rateLimited' | 'target'>): boolean {
  return p.kind === 'placement' && p.rateLimited === true && p.target.state === 'delayed';
}

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

export async function jobNack(s: Session, p: JobNackParams): Promise<Job> {
  const { target } = p;
  const [row] = await s.rows<JobRow>('job-nack', {
    id: p.id,
    token: p.token,
    now: p.now,
    leaseExpiredOnly: p.leaseExpiredOnly,
    state: target.state,
    placement: target.state === 'waiting' ? target.placement : null,
    runAt: target.state === 'delayed' ? target.runAt : null,
    deadReason: target.state === 'dead' ? target.reason : null,
    error: p.error === null ? null : JSON.stringify(p.error),
    placementNack: p.kind === 'placement',
    failure: p.kind === 'failure',
    givenBack: givenBack(p),
    historyMax: limits.MAX_ATTEMPT_HISTORY,
  });
  if (row === undefined) return refuse(s, p);
  return rowToJob(row);
}
