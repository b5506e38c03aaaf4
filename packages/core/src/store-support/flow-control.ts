/**
 * Flow control as every store computes it, so the three agree to the job: which limits a queue's
 * config sets (`queueFlow`), the fixed rate window a time falls in (`RateWindow`), how many jobs
 * a lease may take from a queue under both limits, and the lease answer with its throttle.
 *
 * A store reads the queue's config, its active count and its window's count in the same atomic
 * step as the claim (one transaction, one script, one locked row), and writes the new window
 * count in that step too; these helpers hold no state.
 */
import type { LeasedJob, QueueConfig } from '@docket/protocol';
import type { LeaseResult, LeaseThrottle } from '../store.ts';

/** The lease-time limits of one queue; null fields are not set. */
export interface QueueFlow {
  readonly concurrency: number | null;
  readonly rateMax: number | null;
  readonly ratePerMs: number | null;
}

/** Null when the config sets neither `concurrency` nor `rateLimit` (the lease's fast path). */
export function queueFlow(config: QueueConfig): QueueFlow | null {
  if (config.concurrency === undefined && config.rateLimit === undefined) return null;
  return {
    concurrency: config.concurrency ?? null,
    rateMax: config.rateLimit?.max ?? null,
    ratePerMs: config.rateLimit?.perMs ?? null,
  };
}

/**
 * The fixed window [start, start + perMs) that `now` falls in, with the count already used in it.
 * Windows never go back: when the stored window is later than `now`'s (two servers' clocks a
 * millisecond apart at a window's edge), the lease counts in the stored one.
 */
export class RateWindow {
  readonly start: number;
  readonly used: number;

  /** `storedStart`/`storedCount`: what the store kept from the last lease (null before any). */
  constructor(now: number, perMs: number, storedStart: number | null, storedCount: number) {
    const start = Math.floor(now / perMs) * perMs;
    const stored = storedStart !== null && storedStart >= start;
    this.start = stored ? storedStart : start;
    this.used = stored ? storedCount : 0;
  }
}

/**
 * How many jobs a lease may claim from a queue: `max`, less what `concurrency` and the current
 * rate window leave. `active`: the queue's active jobs now; `window`: null without a rate limit.
 */
export function leaseAllowance(flow: QueueFlow, max: number, active: number, window: RateWindow | null): number {
  let allowed = max;
  if (flow.concurrency !== null) allowed = Math.min(allowed, flow.concurrency - active);
  if (window !== null && flow.rateMax !== null) allowed = Math.min(allowed, flow.rateMax - window.used);
  return Math.max(0, allowed);
}

/**
 * The throttle of one queue after its claim, or null when its limits held nothing back. `claimed`:
 * jobs claimed from it; `ready`: whether it had more ready jobs than it gave (the caller knows).
 */
export function leaseThrottle(
  flow: QueueFlow,
  now: number,
  claimed: number,
  active: number,
  window: RateWindow | null,
): LeaseThrottle | null {
  if (window !== null && flow.rateMax !== null && flow.ratePerMs !== null && window.used + claimed >= flow.rateMax) {
    return { retryInMs: window.start + flow.ratePerMs - now };
  }
  if (flow.concurrency !== null && active + claimed >= flow.concurrency) return { retryInMs: null };
  return null;
}

/** The earlier of two throttles: a known reopening beats an unknown one. */
export function mergeThrottles(a: LeaseThrottle | null, b: LeaseThrottle | null): LeaseThrottle | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a.retryInMs === null) return b;
  if (b.retryInMs === null) return a;
  return a.retryInMs <= b.retryInMs ? a : b;
}

/** Attaches `throttle` (when there is one) to a lease's jobs. */
export function leaseResult(jobs: LeasedJob[], throttle: LeaseThrottle | null): LeaseResult {
  return throttle === null ? jobs : Object.assign(jobs, { throttle });
}
