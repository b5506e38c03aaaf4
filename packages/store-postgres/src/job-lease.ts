/**
 * Lease: claims up to `max` waiting jobs across several queues in waiting order, with one
 * statement (job-lease.sql: per-queue SKIP LOCKED seeks, merged, claimed, the worker recorded),
 * run as autocommit so row locks are held for that statement alone.
 *
 * A lease that names a queue with a concurrency or rate limit (queue-flow.ts) runs instead as a
 * transaction that first locks those queues' rows, counts their active jobs and reads their rate
 * windows, gives the statement a cap per queue, and records what each window granted before it
 * commits: leases of a limited queue, from any server, go one at a time. The fast statement
 * skips limited queues (the `limited` column), so a server whose routing cache has not yet seen a
 * new limit leases nothing from that queue rather than too much (postgres-store.ts then looks
 * again). A queue with group settings is leased on the limited path too, by group
 * (group-lease.ts).
 */
import { InternalError, type LeasedJob, type QueueConfig } from '@docket/protocol';
import type { JobLeaseParams, LeaseResult, LeaseThrottle } from '@docket/core';
import {
  groupLimits,
  leaseAllowance,
  leaseResult,
  leaseThrottle,
  mergeThrottles,
  queueFlow,
  RateWindow,
  type GroupLimits,
  type QueueFlow,
} from '@docket/core/store-support';
import { leaseGroups } from './group-lease.ts';
import { lockQueues } from './queue-flow.ts';
import { rowToLeasedJob, type JobRow } from './row-mapping.ts';
import type { Session } from './session.ts';

function checkTokens(p: JobLeaseParams): void {
  if (p.tokens.length < p.max) {
    throw new InternalError(`jobLease needs one token per job: got ${p.tokens.length} for max ${p.max}`);
  }
}

/** The fast path: one autocommit statement that skips queues with limits. */
export async function jobLease(s: Session, p: JobLeaseParams): Promise<LeaseResult> {
  checkTokens(p);
  const queues = [...new Set(p.queues)];
  return claim(
    s,
    p,
    queues,
    queues.map(() => p.max),
    false,
  );
}

async function claim(
  s: Session,
  p: JobLeaseParams,
  queues: readonly string[],
  caps: readonly number[],
  limited: boolean,
) {
  const rows = await s.rows<JobRow>('job-lease', {
    queues,
    caps,
    limited,
    max: p.max,
    now: p.now,
    leaseMs: p.leaseMs,
    tokens: p.tokens,
    worker: p.worker,
  });
  return rows.map(rowToLeasedJob);
}

interface LimitedQueue {
  readonly name: string;
  readonly flow: QueueFlow;
  readonly active: number;
  readonly window: RateWindow | null;
}

/**
 * Runs in a transaction: the limited path. Grouped queues are served first (group-lease.ts), then
 * the others with what is left of `max`, so a lease over both kinds takes from grouped queues
 * first.
 */
export async function jobLeaseLimited(s: Session, p: JobLeaseParams): Promise<LeaseResult> {
  checkTokens(p);
  const queues = [...new Set(p.queues)];
  const { limited, grouped } = await readLimits(s, queues, p.now);
  const allowance = (name: string, max: number): number => {
    const entry = limited.get(name);
    return entry === undefined ? max : leaseAllowance(entry.flow, max, entry.active, entry.window);
  };
  let throttle: LeaseThrottle | null = null;
  const fromGroups: LeasedJob[] = [];
  for (const [name, limits] of grouped) {
    const limit = allowance(name, p.max - fromGroups.length);
    if (limit === 0) continue;
    const taken = await leaseGroups(s, { ...p, tokens: p.tokens.slice(fromGroups.length) }, name, limit, limits);
    fromGroups.push(...taken.jobs);
    throttle = mergeThrottles(throttle, taken.throttle);
  }
  const left = p.max - fromGroups.length;
  const caps = queues.map((name) => (grouped.has(name) ? 0 : allowance(name, left)));
  const rest = await claim(s, { ...p, max: left, tokens: p.tokens.slice(fromGroups.length) }, queues, caps, true);
  const leased = [...fromGroups, ...rest];
  for (const entry of limited.values()) {
    const claimed = leased.filter((job) => job.queue === entry.name).length;
    if (entry.window !== null && claimed > 0) {
      await s.count('queue-window-set', {
        queue: entry.name,
        start: entry.window.start,
        used: entry.window.used + claimed,
      });
    }
    throttle = mergeThrottles(throttle, leaseThrottle(entry.flow, p.now, claimed, entry.active, entry.window));
  }
  return leaseResult(leased, throttle);
}

interface QueueLimits {
  readonly limited: Map<string, LimitedQueue>;
  /** Grouped queues (not paused), in name order, with their group settings. */
  readonly grouped: Map<string, GroupLimits>;
}

/** Locks the queues' rows and reads the limits of those that have any, with their use now. */
async function readLimits(s: Session, queues: readonly string[], now: number): Promise<QueueLimits> {
  const flows = new Map<string, { flow: QueueFlow; start: number | null; used: number }>();
  const grouped = new Map<string, GroupLimits>();
  for (const row of await lockQueues(s, queues)) {
    if (row.paused) continue;
    const config = JSON.parse(row.config) as QueueConfig;
    const flow = queueFlow(config);
    if (flow !== null) flows.set(row.name, { flow, start: row.rate_start, used: row.rate_used });
    const limits = groupLimits(config);
    if (limits !== null) grouped.set(row.name, limits);
  }
  const capped = [...flows].filter(([, { flow }]) => flow.concurrency !== null).map(([name]) => name);
  const active = new Map<string, number>();
  if (capped.length > 0) {
    for (const row of await s.rows<{ queue: string; n: number }>('job-count-active', { queues: capped })) {
      active.set(row.queue, row.n);
    }
  }
  const limited = new Map<string, LimitedQueue>();
  for (const [name, { flow, start, used }] of flows) {
    const window = flow.ratePerMs === null ? null : new RateWindow(now, flow.ratePerMs, start, used);
    limited.set(name, { name, flow, active: active.get(name) ?? 0, window });
  }
  return { limited, grouped };
}
