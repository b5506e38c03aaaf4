/**
 * Lease extension for one running job. While the handler runs, the lease is extended every third
 * of its length, so an extension can fail twice in a row (a server restart, a network blip) and
 * the lease still holds.
 *
 * States: running → stopped (the handler settled) | lost. Lost is final and reported once: the
 * server refused an extension (the lease is stale, the job expired, finished or was deleted), or
 * the lease ran out, on this machine's clock, before an extension got through. The deadline is
 * counted from when each extension was *sent*, so it errs early, never late.
 */
import { type LeasedJob } from '@docket/protocol';
import type { Settler } from './settle.ts';
import { LeaseLostError, isLeaseRefusal } from './handler-errors.ts';

export interface LeaseExtenderOptions {
  readonly transport: Pick<Settler, 'extend'>;
  readonly job: LeasedJob;
  /** Lease length asked for on each extension. */
  readonly leaseMs: number;
  /** When the lease request was sent, on `performance.now()`: the lease cannot have started earlier. */
  readonly leasedAt: number;
  readonly onLost: (error: LeaseLostError) => void;
  /** An extension failed but the lease still holds; the next one is tried sooner. */
  readonly onError: (error: unknown) => void;
}

/** Extend every third of the lease: two extensions may fail before the lease runs out. */
const EXTENSIONS_PER_LEASE = 3;

export class LeaseExtender {
  readonly #options: LeaseExtenderOptions;
  readonly #intervalMs: number;
  #state: 'running' | 'stopped' | 'lost' = 'running';
  #deadline: number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: LeaseExtenderOptions) {
    this.#options = options;
    this.#intervalMs = Math.max(1, Math.floor(options.leaseMs / EXTENSIONS_PER_LEASE));
    this.#deadline = options.leasedAt + options.leaseMs;
  }

  /** True while the lease is ours: not lost, and not past its deadline on this machine's clock. */
  get holds(): boolean {
    return this.#state !== 'lost' && performance.now() < this.#deadline;
  }

  start(): void {
    this.#schedule(this.#intervalMs);
  }

  stop(): void {
    if (this.#state === 'running') this.#state = 'stopped';
    clearTimeout(this.#timer);
  }

  #schedule(delayMs: number): void {
    if (this.#state !== 'running') return;
    this.#timer = setTimeout(() => void this.#extend(), delayMs);
  }

  async #extend(): Promise<void> {
    const { transport, job, leaseMs } = this.#options;
    const sentAt = performance.now();
    try {
      await transport.extend(job.id, { token: job.leaseToken, leaseMs });
      if (this.#state !== 'running') return;
      this.#deadline = sentAt + leaseMs;
      this.#schedule(this.#intervalMs);
    } catch (err) {
      if (this.#state !== 'running') return;
      if (isLeaseRefusal(err)) {
        this.#lose(err instanceof Error ? err.message : String(err), err);
        return;
      }
      const left = this.#deadline - performance.now();
      if (left <= 0) {
        this.#lose('the lease ran out before an extension got through', err);
        return;
      }
      this.#options.onError(err);
      this.#schedule(Math.min(this.#intervalMs, Math.max(1, Math.floor(left / 2))));
    }
  }

  #lose(reason: string, cause: unknown): void {
    this.#state = 'lost';
    clearTimeout(this.#timer);
    this.#options.onLost(new LeaseLostError(this.#options.job, reason, { cause }));
  }
}
