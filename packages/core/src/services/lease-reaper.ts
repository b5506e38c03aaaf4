/**
 * lease-reaper: takes back leases that ran out. Each counts as a failed attempt: core's retry
 * policy picks the target (back after backoff, or dead), and the store applies it fenced by the
 * lease token and only if the lease is still expired, so a consumer that extended or acked in
 * the meantime wins. Safe to run on every node at once. The leases one run finds go back in one
 * `jobNackMany`, so a dead server's leases return in one store round trip, not one each.
 */
import {
  InternalError,
  JobExpiredError,
  JobNotFoundError,
  LeaseMismatchError,
  type Job,
  type JobError,
} from '@docket/protocol';
import type { Clock } from '../clock.ts';
import type { JobNackItem, SettleOutcome } from '../store.ts';
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

/** A reaper's nack always records why the attempt failed. */
type GiveBack = JobNackItem & { readonly error: JobError };

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
    if (expired.length === 0) return { count: 0, more: false };
    const nacks = expired.map((leased) => this.#giveBack(leased, now));
    const outcomes = await this.#ctx.store.jobNackMany({ nacks, now });
    const reaped = await Promise.all(
      nacks.map((nack, i) => this.#announce(outcomes[i] ?? missingOutcome(nack.id), nack)),
    );
    return { count: reaped.filter(Boolean).length, more: expired.length >= this.#limit };
  }

  /** The nack that takes back one expired lease, as a failed attempt. */
  #giveBack(leased: Job & { leaseToken: string }, now: number): GiveBack {
    const timedOut = attemptTimedOut(leased, now);
    return {
      id: leased.id,
      token: leased.leaseToken,
      target: failureTarget({ job: leased, now, random: this.#ctx.random(), retry: true, timedOut }),
      kind: 'failure',
      error: {
        message: timedOut ? `attempt ran past its timeout of ${leased.timeoutMs} ms` : 'lease expired before ack',
        at: now,
        attempt: leased.attempts,
      },
      leaseExpiredOnly: true,
    };
  }

  /** Announces what one give-back came to; true when this reaper moved the job. */
  async #announce(outcome: SettleOutcome, nack: GiveBack): Promise<boolean> {
    if (outcome.ok) {
      const { job } = outcome;
      this.#ctx.events.emit('job:reaped', { job });
      if (job.state !== 'dead') this.#ctx.events.emit('job:retrying', { job, error: nack.error });
      announceMoved(this.#ctx, job);
      return true;
    }
    const err = outcome.error;
    if (err instanceof LeaseMismatchError || err instanceof JobNotFoundError) return false;
    if (err instanceof JobExpiredError) {
      const job = await this.#ctx.store.jobGet({ id: nack.id });
      if (job !== null) this.#ctx.events.emit('job:expired', { job });
      if (job !== null) this.#ctx.events.emit('job:dead', { job });
      return true;
    }
    throw err;
  }
}

/** A store that answered fewer outcomes than items broke the Store contract; say so, never guess. */
function missingOutcome(id: string): SettleOutcome {
  return { ok: false, error: new InternalError(`the store answered no outcome for the give-back of job ${id}`) };
}
