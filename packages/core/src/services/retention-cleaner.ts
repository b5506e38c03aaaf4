/**
 * retention-cleaner: deletes completed and dead jobs past their queue's retention (age, and a
 * count for completed jobs), so a store's size stays bounded instead of keeping every job forever.
 */
import type { Clock } from '../clock.ts';
import { KEEP_COMPLETED_COUNT_DEFAULT, KEEP_COMPLETED_MS_DEFAULT, KEEP_DEAD_MS_DEFAULT } from '../defaults.ts';
import type { ServiceContext } from './context.ts';
import { PeriodicService, validateIntervalMs, type RunResult, type ServiceHooks } from './service.ts';

/** 30 s: retention is measured in hours; deleting sooner buys nothing and costs commits. */
export const RETENTION_CLEANER_INTERVAL_MS_DEFAULT = 30_000;
/** 1 000 rows per delete keeps each commit short; a larger backlog runs again at once. */
export const RETENTION_CLEANER_LIMIT_DEFAULT = 1_000;
const QUEUE_PAGE = 200;

export interface RetentionCleanerConfig {
  readonly intervalMs: number;
  readonly limit: number;
}

export class RetentionCleaner extends PeriodicService {
  readonly name = 'retention-cleaner';
  readonly #ctx: ServiceContext;
  readonly #limit: number;

  constructor(ctx: ServiceContext, clock: Clock, hooks: ServiceHooks, config: Partial<RetentionCleanerConfig> = {}) {
    super(
      clock,
      validateIntervalMs('retentionCleaner.intervalMs', config.intervalMs ?? RETENTION_CLEANER_INTERVAL_MS_DEFAULT),
      hooks,
    );
    this.#ctx = ctx;
    this.#limit = config.limit ?? RETENTION_CLEANER_LIMIT_DEFAULT;
  }

  protected async runOnce(now: number): Promise<RunResult> {
    let count = 0;
    let more = false;
    let cursor: string | null = null;
    do {
      const page = await this.#ctx.store.queueList({ limit: QUEUE_PAGE, cursor });
      for (const queue of page.items) {
        const deleted = await this.#ctx.store.jobDeleteRetained({
          queue: queue.name,
          completedBefore: now - (queue.config.keepCompletedMs ?? KEEP_COMPLETED_MS_DEFAULT),
          completedKeep: queue.config.keepCompletedCount ?? KEEP_COMPLETED_COUNT_DEFAULT,
          deadBefore: now - (queue.config.keepDeadMs ?? KEEP_DEAD_MS_DEFAULT),
          limit: this.#limit,
        });
        count += deleted;
        more ||= deleted >= this.#limit;
      }
      cursor = page.cursor;
    } while (cursor !== null);
    return { count, more };
  }
}
