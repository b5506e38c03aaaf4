/**
 * delay-promoter: delayed → waiting when `runAt <= now`. Runs at each job's due time (the engine
 * calls `wakeAt`) and every interval as a safety net (jobs delayed by another node).
 */
import type { Clock } from '../clock.ts';
import type { ServiceContext } from './context.ts';
import { PeriodicService, validateIntervalMs, type RunResult, type ServiceHooks } from './service.ts';

/** 1 s: due times are honoured by wakeAt; the interval only catches what wakeAt could not see. */
export const DELAY_PROMOTER_INTERVAL_MS_DEFAULT = 1_000;
/** 1 000 per run keeps one commit short while draining 1 000s of due jobs per second. */
export const DELAY_PROMOTER_LIMIT_DEFAULT = 1_000;

export interface DelayPromoterConfig {
  readonly intervalMs: number;
  readonly limit: number;
}

export class DelayPromoter extends PeriodicService {
  readonly name = 'delay-promoter';
  readonly #ctx: ServiceContext;
  readonly #limit: number;

  constructor(ctx: ServiceContext, clock: Clock, hooks: ServiceHooks, config: Partial<DelayPromoterConfig> = {}) {
    super(
      clock,
      validateIntervalMs('delayPromoter.intervalMs', config.intervalMs ?? DELAY_PROMOTER_INTERVAL_MS_DEFAULT),
      hooks,
    );
    this.#ctx = ctx;
    this.#limit = config.limit ?? DELAY_PROMOTER_LIMIT_DEFAULT;
  }

  protected async runOnce(now: number): Promise<RunResult> {
    const promoted = await this.#ctx.store.jobPromoteDue({ now, limit: this.#limit });
    const perQueue = new Map<string, number>();
    for (const job of promoted) {
      this.#ctx.events.emit('job:promoted', { job });
      perQueue.set(job.queue, (perQueue.get(job.queue) ?? 0) + 1);
    }
    for (const [queue, count] of perQueue) this.#ctx.wake(queue, count);
    return { count: promoted.length, more: promoted.length >= this.#limit };
  }
}
