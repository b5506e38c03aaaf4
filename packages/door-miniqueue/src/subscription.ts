/**
 * One miniqueue subscriber's hold on its topic, mapped onto engine leases: miniqueue has no
 * visibility timeout (a delivered message is held until ACK, NACK, BACK, DACK or disconnect), so
 * the held message is leased for HOLD_LEASE_MS and the lease is extended every third of that
 * while the subscriber stays. If the server dies, the lease runs out and the engine's reaper
 * returns the message (a failed attempt), where miniqueue loses it.
 *
 * Invariants: at most one message is held; every engine call on the held message runs after the
 * previous one finished (extensions never race an ACK); a message whose lease is gone (purged,
 * expired, or reaped and leased again) stops being held, silently, as it is no longer this
 * subscriber's to settle.
 */
import { DocketError, ErrorCode, limits, type LeasedJob } from '@docket/protocol';
import type { Engine } from '@docket/core';

/** Long enough that a missed extension or two changes nothing; short enough that a crash costs a minute. */
export const HOLD_LEASE_MS = 60_000;

export type Settlement =
  | { readonly kind: 'ack' }
  | { readonly kind: 'front' }
  | { readonly kind: 'back' }
  | { readonly kind: 'delay'; readonly delayMs: number };

const LEASE_GONE: ReadonlySet<string> = new Set([
  ErrorCode.JOB_NOT_FOUND,
  ErrorCode.LEASE_MISMATCH,
  ErrorCode.JOB_EXPIRED,
  ErrorCode.JOB_FINISHED,
]);

/** The held message is no longer this subscriber's: purged, expired, or reaped and given to another. */
export function isLeaseGone(err: unknown): boolean {
  return err instanceof DocketError && LEASE_GONE.has(err.code);
}

export interface SubscriptionOptions {
  readonly engine: Engine;
  readonly topic: string;
  readonly holdMs?: number;
  /** Extension failures other than a lost lease (the store is down, say): logged, retried next time. */
  readonly onExtendError: (err: unknown) => void;
}

export class Subscription {
  readonly #engine: Engine;
  readonly #topic: string;
  readonly #holdMs: number;
  readonly #onExtendError: (err: unknown) => void;
  #held: LeasedJob | null = null;
  #extender: NodeJS.Timeout | null = null;
  #last: Promise<unknown> = Promise.resolve();

  constructor(options: SubscriptionOptions) {
    this.#engine = options.engine;
    this.#topic = options.topic;
    this.#holdMs = options.holdMs ?? HOLD_LEASE_MS;
    this.#onExtendError = options.onExtendError;
  }

  get holding(): boolean {
    return this.#held !== null;
  }

  /** Waits for the topic's next message and holds it; null when `stop` aborted first. */
  async next(stop: AbortSignal): Promise<LeasedJob | null> {
    while (!stop.aborted) {
      const [job] = await this.#engine.lease({
        queues: [this.#topic],
        max: 1,
        waitMs: limits.MAX_WAIT_MS,
        leaseMs: this.#holdMs,
        signal: stop,
      });
      if (job !== undefined) {
        this.#hold(job);
        return job;
      }
    }
    return null;
  }

  /** Acks or gives back the held message; a lost lease counts as settled. Other errors are thrown. */
  async settle(how: Settlement): Promise<void> {
    const job = this.#held;
    if (job === null) return;
    this.#unhold();
    await this.#exclusive(async () => {
      try {
        if (how.kind === 'ack') await this.#engine.ack(job.id, { token: job.leaseToken });
        else if (how.kind === 'delay') {
          await this.#engine.nack(job.id, { token: job.leaseToken, placement: 'delay', delayMs: how.delayMs });
        } else await this.#engine.nack(job.id, { token: job.leaseToken, placement: how.kind });
      } catch (err) {
        if (!isLeaseGone(err)) throw err;
      }
    });
  }

  /** The subscriber left: the held message goes back to the front at once. */
  release(): Promise<void> {
    return this.settle({ kind: 'front' });
  }

  #hold(job: LeasedJob): void {
    this.#held = job;
    const every = Math.max(limits.MIN_LEASE_MS, Math.floor(this.#holdMs / 3));
    this.#extender = setInterval(() => void this.#extend(job), every);
    this.#extender.unref();
  }

  #unhold(): void {
    this.#held = null;
    if (this.#extender !== null) clearInterval(this.#extender);
    this.#extender = null;
  }

  async #extend(job: LeasedJob): Promise<void> {
    await this.#exclusive(async () => {
      if (this.#held !== job) return;
      try {
        await this.#engine.extend(job.id, { token: job.leaseToken, leaseMs: this.#holdMs });
      } catch (err) {
        if (!isLeaseGone(err)) this.#onExtendError(err);
        else if (this.#held === job) this.#unhold();
      }
    });
  }

  #exclusive(work: () => Promise<void>): Promise<void> {
    const run = this.#last.then(work);
    this.#last = run.catch(() => undefined);
    return run;
  }
}
