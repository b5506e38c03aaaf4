/**
 * lease-reaper: takes back leases that ran out. Each counts as a failed attempt: core's retry
 * policy picks the target (back after backoff, or dead), and the store applies it fenced by the
 * lease token and only if the lease is still expired, so a consumer that extended or acked in
 * the meantime wins. Safe to run on every node at once.
 */
import { LeaseMismatchError, JobExpiredError, JobNotFoundError, type Job } from '@docket/protocol';
import type { Clock } from '../clock.ts';
import { attemptTimedOut } from '../policy/expiry.ts';
import { failureTarget } from '../policy/retry.ts';
import { announceMoved, type ServiceContext } from './context.ts';
import { PeriodicService, validateIntervalMs, type RunResult, type ServiceHooks } from './service.ts';

/** 1 s: a lost lease returns within lease + 1 s (reliability.md A8) even without a wakeAt. */
export const LEASE_REAPER_INTERVAL_MS_DEFAULT = 1_000;
/**
 * 250 ms over a store shared by several servers: a lease another server granted gives this one
 * no wake hint, so when that server dies the interval alone decides how late its leases return.
 * One indexed read per run keeps the cost small.
 */
export const SHARED_STORE_LEASE_REAPER_INTERVAL_MS = 250;
/** 500 per run bounds one run's commits; a fuller backlog runs again at once. */
export const LEASE_REAPER_LIMIT_DEFAULT = 500;

export interface LeaseReaperConfig {
  readonly intervalMs: number;
  readonly limit: number;
}

export class LeaseReaper extends PeriodicService {
  readonly name = 'lease-reaper';
  readonly #ctx: ServiceContext;
  readonly #limit: number;

  constructor(ctx: ServiceContext, clock: Clock, hooks: ServiceHooks, config: Partial<LeaseReaperConfig> = {}) {
    super(
      clock,
      validateIntervalMs(
        'leaseReaper.intervalMs',
        config.intervalMs ??
          (ctx.store.capabilities.sharedClock
            ? SHARED_STORE_LEASE_REAPER_INTERVAL_MS
            : LEASE_REAPER_INTERVAL_MS_DEFAULT),
      ),
      hooks,
    );
    this.#ctx = ctx;
    this.#limit = config.limit ?? LEASE_REAPER_LIMIT_DEFAULT;
  }

  protected async runOnce(now: number): Promise<RunResult> {
    const expired = await this.#ctx.store.jobLeaseExpired({ now, limit: this.#limit });
    const reaped = await Promise.all(expired.map((job) => this.#reap(job, now)));
    return { count: reaped.filter(Boolean).length, more: expired.length >= this.#limit };
  }

  async #reap(leased: Job & { leaseToken: string }, now: number): Promise<boolean> {
    const timedOut = attemptTimedOut(leased, now);
    const error = {
      message: timedOut ? `attempt ran past its timeout of ${leased.timeoutMs} ms` : 'lease expired before ack',
      at: now,
      attempt: leased.attempts,
    };
    const target = failureTarget({ job: leased, now, random: this.#ctx.random(), retry: true, timedOut });
    try {
      const job = await this.#ctx.store.jobNack({
        id: leased.id,
        token: leased.leaseToken,
        now,
        target,
        kind: 'failure',
        error,
        leaseExpiredOnly: true,
      });
      this.#ctx.events.emit('job:reaped', { job });
      if (job.state !== 'dead') this.#ctx.events.emit('job:retrying', { job, error });
      announceMoved(this.#ctx, job);
      return true;
    } catch (err) {
      if (err instanceof LeaseMismatchError || err instanceof JobNotFoundError) return false;
      if (err instanceof JobExpiredError) {
        const job = await this.#ctx.store.jobGet({ id: leased.id });
        if (job !== null) this.#ctx.events.emit('job:expired', { job });
        if (job !== null) this.#ctx.events.emit('job:dead', { job });
        return true;
      }
      throw err;
    }
  }
}
