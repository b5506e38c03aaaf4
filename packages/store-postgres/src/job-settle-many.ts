/**
 * The batch ack and nack: one statement (job-complete-many.sql, job-nack-many.sql) settles every
 * item that holds its job's current, unexpired lease; each item it did not settle then goes
 * through the single form (job-settle.ts), which tries its guarded statement again and otherwise
 * works out the refusal, so outcomes are those of settling the items one by one, in order.
 */
import { limits, type Job } from '@docket/protocol';
import type { JobAckManyParams, JobNackManyParams, SettleOutcome } from '@docket/core';
import { givenBack, jobAck, jobNack } from './job-settle.ts';
import { rowToJob, type JobRow } from './row-mapping.ts';
import type { Session } from './session.ts';

export async function jobAckMany(s: Session, p: JobAckManyParams): Promise<SettleOutcome[]> {
  if (p.acks.length === 0) return [];
  const rows = await s.rows<JobRow>('job-complete-many', {
    ids: p.acks.map((item) => item.id),
    tokens: p.acks.map((item) => item.token),
    results: p.acks.map((item) => (item.result === null ? null : JSON.stringify(item.result))),
    now: p.now,
  });
  const completed = new Map<string, Job>(rows.map((row) => [row.id, rowToJob(row)]));
  const outcomes: SettleOutcome[] = [];
  for (const item of p.acks) {
    const job = completed.get(item.id);
    completed.delete(item.id);
    if (job !== undefined) outcomes.push({ ok: true, job });
    else outcomes.push(await jobAck(s, { ...item, now: p.now }).then(settled, refused));
  }
  return outcomes;
}

export async function jobNackMany(s: Session, p: JobNackManyParams): Promise<SettleOutcome[]> {
  if (p.nacks.length === 0) return [];
  const targets = p.nacks.map((item) => item.target);
  const rows = await s.rows<JobRow & { readonly nack_ord: number }>('job-nack-many', {
    ids: p.nacks.map((item) => item.id),
    tokens: p.nacks.map((item) => item.token),
    states: targets.map((target) => target.state),
    placements: targets.map((target) => (target.state === 'waiting' ? target.placement : null)),
    runAts: targets.map((target) => (target.state === 'delayed' ? target.runAt : null)),
    deadReasons: targets.map((target) => (target.state === 'dead' ? target.reason : null)),
    errors: p.nacks.map((item) => (item.error === null ? null : JSON.stringify(item.error))),
    placementNacks: p.nacks.map((item) => item.kind === 'placement'),
    failures: p.nacks.map((item) => item.kind === 'failure'),
    leaseExpiredOnly: p.nacks.map((item) => item.leaseExpiredOnly),
    givenBack: p.nacks.map(givenBack),
    now: p.now,
    historyMax: limits.MAX_ATTEMPT_HISTORY,
  });
  const nacked = new Map<number, Job>(rows.map((row) => [row.nack_ord, rowToJob(row)]));
  const outcomes: SettleOutcome[] = [];
  for (const [i, item] of p.nacks.entries()) {
    const job = nacked.get(i + 1);
    if (job !== undefined) outcomes.push({ ok: true, job });
    else outcomes.push(await jobNack(s, { ...item, now: p.now }).then(settled, refused));
  }
  return outcomes;
}

const settled = (job: Job): SettleOutcome => ({ ok: true, job });
const refused = (err: unknown): SettleOutcome => ({
  ok: false,
  error: err instanceof Error ? err : new Error(String(err)),
});
