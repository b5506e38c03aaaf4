/**
 * Ack, nack and extend: the operations a lease holder performs on its job, each applied only
 * under the caller's current lease (lease-check.ts) and otherwise changing nothing, except the
 * expiry rule described there.
 *
 * Ack is the hot path: one guarded UPDATE by seq (job-complete.sql) both checks the lease and
 * completes the job; only when it matches nothing is the row read again to find out why. The job
 * comes from the lease's snapshot (lease-cache.ts), or from reading its row first when there is
 * none; the completed job is that job with the fields job-complete.sql sets. Worker counts and
 * queue totals of acks and failed attempts are summed per batch (worker-counters.ts,
 * queue-totals.ts), not written per job.
 *
 * A nack also appends the ended attempt to the job's history (migration 0005) in the same
 * UPDATE; the row it reads for the lease check carries the history, so this costs no statement.
 * A rate-limited nack (`rateLimited`) gives the lease back instead: `attempts` goes down by one and
 * the history is left as it was.
 *
 * Nack placement: `front` gives the job a ready time just before the earliest waiting job of its
 * queue and priority (or now, when that is earlier or nothing waits), so it is leased next; `back`
 * a ready time just after the latest one (or now, when that is later), so it is leased after every
 * job waiting now, even one that became ready in the same millisecond.
 */
import type { Job, JsonValue, LeasedJob } from '@docket/protocol';
import type { JobAckParams, JobExtendParams, JobNackParams, NackTarget } from '@docket/core';
import { appendAttempt, endedAttempt, parseAttemptLog } from '@docket/core/store-support';
import { checkLease, readJob, readJobRow, refuse } from './lease-check.ts';
import { asLeasedJob, C, rowToJob } from './row-mapping.ts';
import type { StoreContext } from './store-context.ts';

export function jobAck(ctx: StoreContext, p: JobAckParams): Job {
  const job = ctx.leases.take(p.id, p.token) ?? readJob(ctx, p.id);
  const result = p.result === null ? null : JSON.stringify(p.result);
  const { changes } = ctx.q.jobComplete.run({ seq: job.seq, token: p.token, now: p.now, result });
  if (changes === 0) refuse(ctx, { ...p, leaseExpiredOnly: false });
  return completed(ctx, job, p.result, p.now);
}

/** The job as job-complete.sql (or job-complete-many.sql) left it, counted in its worker and queue. */
export function completed(ctx: StoreContext, job: Job, result: JsonValue, now: number): Job {
  ctx.counters.add(job.worker, 'processed');
  ctx.totals.add(job.queue, 'completed');
  return { ...job, state: 'completed', result, finishedAt: now, leaseToken: null, leaseExpiresAt: null };
}

export function jobNack(ctx: StoreContext, p: JobNackParams): Job {
  const row = readJobRow(ctx, p.id);
  const job = rowToJob(row);
  checkLease(ctx, job, p);
  const placement = p.kind === 'placement';
  const givenBack = placement && p.rateLimited === true && p.target.state === 'delayed';
  const next: Job = {
    ...job,
    ...targetFields(ctx, job, p.target, p.now),
    attempts: job.attempts - (givenBack ? 1 : 0),
    leaseToken: null,
    leaseExpiresAt: null,
    error: p.error ?? job.error,
    nacks: job.nacks + (placement ? 1 : 0),
    delayedNacks: job.delayedNacks + (placement && p.target.state === 'delayed' ? 1 : 0),
  };
  ctx.q.jobGiveBack.run({
    seq: job.seq,
    state: next.state,
    runAt: next.runAt,
    deadReason: next.deadReason,
    finishedAt: next.finishedAt,
    error: p.error === null ? null : JSON.stringify(p.error),
    nacks: next.nacks,
    delayedNacks: next.delayedNacks,
    attempts: next.attempts,
    attemptLog: givenBack
      ? (row[C.attempt_log] as string | null)
      : JSON.stringify(appendAttempt(parseAttemptLog(row[C.attempt_log] as string | null), endedAttempt(job, p, next))),
  });
  ctx.leases.take(p.id, p.token);
  if (p.kind === 'failure') {
    ctx.counters.add(job.worker, 'failed');
    ctx.totals.add(job.queue, 'failed');
  }
  return next;
}

type TargetFields = Pick<Job, 'state' | 'runAt' | 'deadReason' | 'finishedAt'>;

function targetFields(ctx: StoreContext, job: Job, target: NackTarget, now: number): TargetFields {
  if (target.state === 'delayed') return { state: 'delayed', runAt: target.runAt, deadReason: null, finishedAt: null };
  if (target.state === 'dead') return { state: 'dead', runAt: job.runAt, deadReason: target.reason, finishedAt: now };
  const runAt = target.placement === 'front' ? frontRunAt(ctx, job, now) : backRunAt(ctx, job, now);
  return { state: 'waiting', runAt, deadReason: null, finishedAt: null };
}

function frontRunAt(ctx: StoreContext, job: Job, now: number): number {
  const { min_run_at: earliest } = ctx.q.jobFrontRunAt.get({ queue: job.queue, priority: job.priority }) as {
    min_run_at: number | null;
  };
  return earliest === null ? now : Math.min(now, earliest - 1);
}

function backRunAt(ctx: StoreContext, job: Job, now: number): number {
  const { max_run_at: latest } = ctx.q.jobBackRunAt.get({ queue: job.queue, priority: job.priority }) as {
    max_run_at: number | null;
  };
  return latest === null ? now : Math.max(now, latest + 1);
}

export function jobExtend(ctx: StoreContext, p: JobExtendParams): LeasedJob {
  const job = readJob(ctx, p.id);
  checkLease(ctx, job, { ...p, leaseExpiredOnly: false });
  let leaseExpiresAt = p.now + p.leaseMs;
  if (job.timeoutMs !== null && job.attemptStartedAt !== null) {
    leaseExpiresAt = Math.min(leaseExpiresAt, job.attemptStartedAt + job.timeoutMs);
  }
  ctx.q.jobExtend.run({ seq: job.seq, leaseExpiresAt });
  const extended = asLeasedJob({ ...job, leaseExpiresAt });
  ctx.leases.remember(extended);
  return extended;
}
