/**
 * expiry-sweeper: unfinished jobs past `expiresAt` leave as dead (`expired`). Expiry beats
 * everything, including an active lease: a later ack of such a job is refused.
 */
import type { Clock } from '../clock.ts';
import type { ServiceContext } from './context.ts';
import { PeriodicService, validateIntervalMs, type RunResult, type ServiceHooks } from './service.ts';

/** 1 s: expired jobs are already invisible to lease; the sweep only makes them dead and visible. */
export const EXPIRY_SWEEPER_INTERVAL_MS_DEFAULT = 1_000;
export const EXPIRY_SWEEPER_LIMIT_DEFAULT = 1_000;

export interface ExpirySweeperConfig {
  readonly intervalMs: number;
  readonly limit: number;
}

export class ExpirySweeper extends PeriodicService {
  readonly name = 'expiry-sweeper';
  readonly #ctx: ServiceContext;
  readonly #limit: number;

  constructor(ctx: ServiceContext, clock: Clock, hooks: ServiceHooks, config: Partial<ExpirySweeperConfig> = {}) {
    super(
      clock,
      validateIntervalMs('expirySweeper.intervalMs', config.intervalMs ?? EXPIRY_SWEEPER_INTERVAL_MS_DEFAULT),
      hooks,
    );
    this.#ctx = ctx;
    this.#limit = config.limit ?? EXPIRY_SWEEPER_LIMIT_DEFAULT;
  }

  protected async runOnce(now: number): Promise<RunResult> {
    const expired = await this.#ctx.store.jobExpireDue({ now, limit: this.#limit });
    for (const job of expired) {
      this.#ctx.events.emit('job:expired', { job });
      this.#ctx.events.emit('job:dead', { job });
    }
    return { count: expired.length, more: expired.length >= this.#limit };
  }
}
