/**
 * The engine's four background services, started and stopped together, plus the hints the
 * engine gives them (a job became delayed, a lease was granted, a job will expire) so each runs
 * at the moment its work falls due instead of waiting for its next interval.
 */
import type { Clock } from '../clock.ts';
import type { SchedulerConfig } from '../schedules/scheduler-config.ts';
import type { ServiceContext } from './context.ts';
import { DelayPromoter, type DelayPromoterConfig } from './delay-promoter.ts';
import { ExpirySweeper, type ExpirySweeperConfig } from './expiry-sweeper.ts';
import { LeaseReaper, type LeaseReaperConfig } from './lease-reaper.ts';
import { RetentionCleaner, type RetentionCleanerConfig } from './retention-cleaner.ts';
import type { ServiceHooks } from './service.ts';

export interface ServicesConfig {
  readonly delayPromoter?: Partial<DelayPromoterConfig>;
  readonly leaseReaper?: Partial<LeaseReaperConfig>;
  readonly expirySweeper?: Partial<ExpirySweeperConfig>;
  readonly retentionCleaner?: Partial<RetentionCleanerConfig>;
  /** The schedule firer, which the engine runs beside these four (schedules/scheduler.ts). */
  readonly scheduler?: Partial<SchedulerConfig>;
}

export class EngineServices {
  readonly delayPromoter: DelayPromoter;
  readonly leaseReaper: LeaseReaper;
  readonly expirySweeper: ExpirySweeper;
  readonly retentionCleaner: RetentionCleaner;

  constructor(ctx: ServiceContext, clock: Clock, config: ServicesConfig, hooks: ServiceHooks) {
    this.delayPromoter = new DelayPromoter(ctx, clock, hooks, config.delayPromoter);
    this.leaseReaper = new LeaseReaper(ctx, clock, hooks, config.leaseReaper);
    this.expirySweeper = new ExpirySweeper(ctx, clock, hooks, config.expirySweeper);
    this.retentionCleaner = new RetentionCleaner(ctx, clock, hooks, config.retentionCleaner);
  }

  #all(): readonly [DelayPromoter, LeaseReaper, ExpirySweeper, RetentionCleaner] {
    return [this.delayPromoter, this.leaseReaper, this.expirySweeper, this.retentionCleaner];
  }

  start(): void {
    for (const service of this.#all()) service.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.#all().map((service) => service.stop()));
  }

  delayed(runAt: number): void {
    this.delayPromoter.wakeAt(runAt);
  }

  leased(leaseExpiresAt: number): void {
    this.leaseReaper.wakeAt(leaseExpiresAt);
  }

  expiresAt(at: number): void {
    this.expirySweeper.wakeAt(at);
  }
}
