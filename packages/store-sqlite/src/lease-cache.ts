/**
 * Snapshots of the jobs this store leased, so that an ack can complete the job by seq and return
 * it without reading its row (a row read costs about as much as the update itself).
 *
 * Why it is safe: an entry is used only when the database confirms, in the same transaction, that
 * the job is still active under the same lease token (job-complete.sql matches seq, state and
 * token). Lease tokens are fresh per lease, and while a job stays active under one token nothing
 * changes its row but the lease deadline, which the ack clears. A missing entry costs one read;
 * a stale entry (a lease that was rolled back, or ended by cancel or expiry) is never matched by
 * the database and ages out. Entries are keyed by token (unique per lease) and returned only for
 * the job id they were leased as.
 *
 * Memory: at most LEASE_CACHE_MAX entries, oldest evicted first; entries leave on ack and nack.
 */
import type { LeasedJob } from '@docket/protocol';

/**
 * Covers the jobs in flight on a busy server (say 100 consumers holding 100 jobs each) for about
 * 10 MB of snapshots with small payloads; acks of leases beyond it read their row instead.
 */
export const LEASE_CACHE_MAX = 10_000;

export class LeaseCache {
  readonly #jobs = new Map<string, LeasedJob>();

  remember(job: LeasedJob): void {
    this.#jobs.delete(job.leaseToken);
    this.#jobs.set(job.leaseToken, job);
    if (this.#jobs.size > LEASE_CACHE_MAX) {
      const oldest = this.#jobs.keys().next();
      if (oldest.done !== true) this.#jobs.delete(oldest.value);
    }
  }

  /** The snapshot of this lease, if held, left in place. */
  peek(id: string, token: string): LeasedJob | undefined {
    const job = this.#jobs.get(token);
    return job?.id === id ? job : undefined;
  }

  /** Removes and returns the snapshot of this lease, if still held. */
  take(id: string, token: string): LeasedJob | undefined {
    const job = this.#jobs.get(token);
    if (job?.id !== id) return undefined;
    this.#jobs.delete(token);
    return job;
  }

  get size(): number {
    return this.#jobs.size;
  }
}
