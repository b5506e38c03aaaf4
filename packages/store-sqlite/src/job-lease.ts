/**
 * Lease: claims up to `max` waiting jobs across several queues in waiting order.
 *
 * Each non-paused queue is read with job-lease-candidates, a seek into the jobs_waiting partial
 * index that returns at most `max` rows in that queue's order, so the cost is O(log n + max) per
 * queue whatever the backlog. The per-queue heads are merged here by (priority desc, run_at asc,
 * seq asc), and the first `max` are claimed with the caller's tokens in order, all with one
 * statement (job-lease-claim-many). The leased jobs are built from the rows already read (no
 * read-back) and remembered in the lease cache for their ack. Leases run inside the commit
 * batcher, one at a time, so two leases can never claim the same job.
 *
 * A queue whose config sets `concurrency` or `rateLimit` (queue-flow.ts) gives at most what its
 * limits leave, read in this same transaction; the jobs it gave count in its rate window, and the
 * answer says when the limit opens again. A queue with group settings takes its candidates from
 * its ring of groups instead (group-lease.ts). A queue without limits skips all of that.
 */
import { InternalError, type LeasedJob } from '@docket/protocol';
import type { JobLeaseParams, LeaseResult, LeaseThrottle } from '@docket/core';
import { leaseResult, mergeThrottles } from '@docket/core/store-support';
import { groupCandidates, type GroupPick } from './group-lease.ts';
import { leaseFlow, leaseGroups, queueAllowance, type QueueAllowance } from './queue-flow.ts';
import { C, rowToJob, type JobRow, type QueueRow } from './row-mapping.ts';
import type { StoreContext } from './store-context.ts';
import { recordLease } from './worker-registry.ts';

function waitingOrder(a: JobRow, b: JobRow): number {
  const num = (row: JobRow, column: number): number => row[column] as number;
  return (
    num(b, C.priority) - num(a, C.priority) || num(a, C.run_at) - num(b, C.run_at) || num(a, C.seq) - num(b, C.seq)
  );
}

export function jobLease(ctx: StoreContext, p: JobLeaseParams): LeaseResult {
  const queues = [...new Set(p.queues)];
  const limited: LimitedQueue[] = [];
  const grouped: GroupedQueue[] = [];
  const rows = p.max > 0 ? pickCandidates(ctx, queues, p, limited, grouped) : [];
  const leased = rows.map((row, i) => {
    const token = p.tokens[i];
    if (token === undefined) throw new InternalError(`jobLease needs one token per job: got ${p.tokens.length}`);
    return leasedJob(row, token, p);
  });
  if (leased.length > 0) claim(ctx, leased, p);
  if (p.worker !== null) recordLease(ctx, p.worker, queues, p.now);
  if (limited.length === 0 && grouped.length === 0) return leased;
  let throttle = settleLimits(limited, leased);
  for (const { name, pick } of grouped) {
    pick.served(rows.filter((row) => row[C.queue] === name));
    throttle = mergeThrottles(throttle, pick.throttle);
  }
  return leaseResult(leased, throttle);
}

/** A queue with group settings among the lease's, with what holds it back. */
interface GroupedQueue {
  readonly name: string;
  readonly pick: GroupPick;
}

/** A queue with `concurrency` or `rateLimit` among the lease's, with what it may give. */
interface LimitedQueue {
  readonly name: string;
  readonly allowance: QueueAllowance;
}

function pickCandidates(
  ctx: StoreContext,
  queues: readonly string[],
  p: JobLeaseParams,
  limited: LimitedQueue[],
  grouped: GroupedQueue[],
): JobRow[] {
  const { max, now } = p;
  const candidates: JobRow[] = [];
  for (const name of queues) {
    const queue = ctx.q.queueGet.get({ name }) as QueueRow | undefined;
    if (queue === undefined || queue.paused !== 0) continue;
    let limit = max;
    const flow = leaseFlow(queue.config);
    if (flow !== null) {
      const allowance = queueAllowance(ctx, name, flow, max, now);
      limited.push({ name, allowance });
      limit = allowance.allowed;
      if (limit === 0) continue;
    }
    const groupLimits = leaseGroups(queue.config);
    let rows: JobRow[];
    if (groupLimits === null) rows = ctx.q.jobLeaseCandidates.all({ queue: name, now, limit }) as JobRow[];
    else {
      const pick = groupCandidates(ctx, name, limit, groupLimits, now);
      grouped.push({ name, pick });
      rows = pick.rows;
    }
    for (const row of rows) candidates.push(row);
  }
  if (queues.length > 1) candidates.sort(waitingOrder);
  return candidates.length > max ? candidates.slice(0, max) : candidates;
}

/** Counts each limited queue's claims in its rate window; the earliest throttle among them. */
function settleLimits(limited: readonly LimitedQueue[], leased: readonly LeasedJob[]): LeaseThrottle | null {
  let throttle: LeaseThrottle | null = null;
  for (const { name, allowance } of limited) {
    let claimed = 0;
    for (const job of leased) if (job.queue === name) claimed += 1;
    throttle = mergeThrottles(throttle, allowance.settle(claimed));
  }
  return throttle;
}

function leasedJob(row: JobRow, token: string, p: JobLeaseParams): LeasedJob {
  const job = rowToJob(row);
  const leaseMs = p.leaseMs ?? job.leaseMs;
  const leaseExpiresAt = p.now + (job.timeoutMs === null ? leaseMs : Math.min(leaseMs, job.timeoutMs));
  return {
    ...job,
    state: 'active',
    attempts: job.attempts + 1,
    leaseToken: token,
    leaseExpiresAt,
    attemptStartedAt: p.now,
    startedAt: job.startedAt ?? p.now,
    worker: p.worker,
  };
}

function claim(ctx: StoreContext, leased: readonly LeasedJob[], p: JobLeaseParams): void {
  const leases = JSON.stringify(leased.map((job) => [job.seq, job.leaseToken, job.leaseExpiresAt]));
  const { changes } = ctx.q.jobLeaseClaimMany.run({ leases, now: p.now, worker: p.worker });
  if (changes !== leased.length) {
    throw new InternalError(`jobLease claimed ${changes} of ${leased.length} jobs it had just read as waiting`);
  }
  for (const job of leased) ctx.leases.remember(job);
}
