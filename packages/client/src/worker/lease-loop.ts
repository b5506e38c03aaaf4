/**
 * The lease loop of a Worker: leases jobs for its free slots and starts them, at most
 * `concurrency` running at once.
 *
 * Two lanes lease while there is work, each for up to half the slots, so one lane's answer is
 * handled (jobs run, acks leave) while the other's request is with the server: the worker and
 * the server work at the same time instead of taking turns. The primary lane does what a single
 * loop did: while jobs run and the queues look empty it waits briefly for more; once idle it
 * first checks for work without waiting (announcing `drained` when there is none), then
 * long-polls (`waitMs`), so an idle worker costs one request per wait. The second lane never
 * waits on the server: it leases only while the last lease found work, and parks as soon as one
 * comes back empty, until the primary lane finds work again. A failed lease is reported as
 * `error` and retried after a growing pause (the second lane parks instead).
 *
 * Invariant: the lanes' requests together never ask for more than the free slots (InFlight
 * reservations); jobs leased after close began are given back at once, never started.
 */
import type { LeasedJob } from '@docket/protocol';
import { sleep } from '../sleep.ts';
import type { Emitter } from './events.ts';
import type { InFlight } from './in-flight.ts';
import { toError } from './settle.ts';

export interface LeaseLoopDeps {
  readonly concurrency: number;
  /** Long-poll wait of an idle worker. */
  readonly waitMs: number;
  readonly inFlight: InFlight<unknown>;
  readonly events: Emitter<{ error: [Error]; drained: [] }>;
  readonly stop: AbortSignal;
  lease(max: number, waitMs: number, stop: AbortSignal): Promise<LeasedJob[]>;
  start(job: LeasedJob, leasedAt: number): void;
  /** Jobs leased as the close began, straight back to the front. */
  giveBack(jobs: readonly LeasedJob[]): Promise<void>;
  retryDelay(failures: number): number;
}

/** While jobs run and the queues look empty, lease waits stay short so `drained` comes within a second. */
const BUSY_POLL_MS = 1_000;

export class LeaseLoop {
  readonly #d: LeaseLoopDeps;
  readonly #share: number;
  /** The last lease found work: the second lane may lease. */
  #workSeen = false;
  #drainPending = true;
  #onWork: Array<() => void> = [];

  constructor(deps: LeaseLoopDeps) {
    this.#d = deps;
    this.#share = Math.ceil(deps.concurrency / 2);
  }

  /** Resolves once close began and the lanes stopped. */
  async run(): Promise<void> {
    const lanes = [this.#primary()];
    if (this.#d.concurrency > 1) lanes.push(this.#second());
    await Promise.all(lanes);
  }

  async #primary(): Promise<void> {
    const { stop, inFlight, concurrency } = this.#d;
    let failures = 0;
    while (!stop.aborted) {
      await inFlight.freeSlot(concurrency, stop);
      if (stop.aborted) break;
      const free = inFlight.free(concurrency);
      // The other lane may have taken the slot between its opening and now.
      if (free === 0) continue;
      const max = this.#workSeen ? Math.min(free, this.#share) : free;
      const waitMs = !this.#drainPending ? this.#d.waitMs : inFlight.idle ? 0 : Math.min(this.#d.waitMs, BUSY_POLL_MS);
      const jobs = await this.#leaseInto(max, waitMs).catch(async (err: unknown) => {
        if (stop.aborted) return [];
        failures += 1;
        this.#found(false);
        this.#d.events.emit('error', toError(err));
        await sleep(this.#d.retryDelay(failures), stop).catch(() => undefined);
        return null;
      });
      if (jobs === null) continue;
      failures = 0;
      if (jobs.length > 0) this.#drainPending = true;
      else if (this.#drainPending && inFlight.idle && !stop.aborted) {
        this.#drainPending = false;
        this.#d.events.emit('drained');
      }
    }
    this.#wakeSecond();
  }

  async #second(): Promise<void> {
    const { stop, inFlight, concurrency } = this.#d;
    while (!stop.aborted) {
      if (!this.#workSeen) {
        await new Promise<void>((resolve) => this.#onWork.push(resolve));
        continue;
      }
      await inFlight.freeSlot(concurrency, stop);
      if (stop.aborted) break;
      const max = Math.min(inFlight.free(concurrency), this.#share);
      if (max === 0) continue;
      await this.#leaseInto(max, 0).catch((err: unknown) => {
        this.#found(false);
        if (!stop.aborted) this.#d.events.emit('error', toError(err));
      });
    }
  }

  /** One lease for up to `max` slots, reserved until its jobs are started (or given back). */
  async #leaseInto(max: number, waitMs: number): Promise<LeasedJob[]> {
    const { inFlight, stop } = this.#d;
    inFlight.reserve(max);
    try {
      const leasedAt = performance.now();
      const jobs = await this.#d.lease(max, waitMs, stop);
      if (stop.aborted) {
        await this.#d.giveBack(jobs);
        return [];
      }
      this.#found(jobs.length > 0);
      for (const job of jobs) this.#d.start(job, leasedAt);
      return jobs;
    } finally {
      inFlight.unreserve(max);
    }
  }

  #found(work: boolean): void {
    this.#workSeen = work;
    if (work) this.#wakeSecond();
  }

  #wakeSecond(): void {
    const waiting = this.#onWork;
    this.#onWork = [];
    for (const wake of waiting) wake();
  }
}
