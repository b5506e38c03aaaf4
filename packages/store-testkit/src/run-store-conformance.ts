/**
 * runStoreConformance: the one suite every Store implementation runs from its
 * `test/conformance.test.ts`. Each case gets a fresh, migrated, isolated store from the
 * factory and the suite closes it afterwards. Deviations are declared as skips with a reason,
 * printed when the suite is collected; a run that executes no case fails.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '@docket/core';
import { createCaseRegistry, type StoreSkip } from './case-registry.ts';
import { registerAttemptHistoryCases } from './cases/attempt-history.ts';
import { registerConcurrencyCases } from './cases/concurrency.ts';
import { registerDeadCases } from './cases/dead.ts';
import { registerDelayCases } from './cases/delays.ts';
import { registerExpiryCases } from './cases/expiry.ts';
import { registerFlowControlCases } from './cases/flow-control.ts';
import { registerFlowControlBytesCases } from './cases/flow-control-bytes.ts';
import { registerFlowControlRaceCases } from './cases/flow-control-races.ts';
import { registerGroupCases } from './cases/groups.ts';
import { registerGroupRaceCases } from './cases/group-races.ts';
import { registerJobAckNackCases } from './cases/job-ack-nack.ts';
import { registerConcurrentEnqueueCases } from './cases/concurrent-enqueues.ts';
import { registerJobEnqueueCases } from './cases/job-enqueue.ts';
import { registerJobExtendCases } from './cases/job-extend.ts';
import { registerJobLeaseCases } from './cases/job-lease.ts';
import { registerJobSettleManyCases } from './cases/job-settle-many.ts';
import { registerListingCases } from './cases/listing.ts';
import { registerMigrationCases } from './cases/migrations.ts';
import { registerQueueAdminCases } from './cases/queue-admin.ts';
import { registerQueueTotalsCases } from './cases/queue-totals.ts';
import { registerRateLimitedNackCases } from './cases/rate-limited-nack.ts';
import { registerRetentionCases } from './cases/retention.ts';
import { registerScheduleCases } from './cases/schedules.ts';
import { registerScheduleRaceCases } from './cases/schedule-races.ts';
import { registerScheduleFireManyCases } from './cases/schedule-fire-many.ts';
import { registerTokenCases } from './cases/tokens.ts';
import { registerWorkerCases } from './cases/workers.ts';

export interface StoreConformanceOptions {
  /** Shown in the describe title and in skip messages, e.g. `sqlite`. */
  readonly name: string;
  /** A fresh, migrated store that shares no data with any other store the factory made. */
  readonly createStore: () => Promise<Store>;
  /**
   * Opens a second store over the same backend and namespace (Redis prefix, PostgreSQL schema) as
   * `store`, as a second server would: the races between servers run over the two. Omit it for a
   * store that one server owns (the races then run on the one store).
   */
  readonly openPeer?: (store: Store) => Promise<Store>;
  /** Cases this store cannot pass, each group with its reason. Default: none. */
  readonly skip?: readonly StoreSkip[];
}

/**
 * Registers the conformance suite in the calling test file.
 *
 * @example
 * runStoreConformance({
 *   name: 'sqlite',
 *   createStore: async () => {
 *     const store = createSqliteStore({ path: join(dir, `${randomUUID()}.db`) });
 *     await store.migrate();
 *     return store;
 *   },
 * });
 */
export function runStoreConformance(options: StoreConformanceOptions): void {
  const registry = createCaseRegistry(options.name, options.createStore, options.skip ?? [], options.openPeer);
  const ctx = registry.context;

  describe(`store conformance: ${options.name}`, () => {
    beforeEach(registry.open);
    afterEach(registry.release);

    registerJobEnqueueCases(ctx);
    registerConcurrentEnqueueCases(ctx);
    registerJobLeaseCases(ctx);
    registerJobAckNackCases(ctx);
    registerJobSettleManyCases(ctx);
    registerJobExtendCases(ctx);
    registerDelayCases(ctx);
    registerExpiryCases(ctx);
    registerDeadCases(ctx);
    registerAttemptHistoryCases(ctx);
    registerRateLimitedNackCases(ctx);
    registerFlowControlCases(ctx);
    registerFlowControlBytesCases(ctx);
    registerFlowControlRaceCases(ctx);
    registerGroupCases(ctx);
    registerGroupRaceCases(ctx);
    registerRetentionCases(ctx);
    registerQueueAdminCases(ctx);
    registerQueueTotalsCases(ctx);
    registerWorkerCases(ctx);
    registerTokenCases(ctx);
    registerScheduleCases(ctx);
    registerScheduleFireManyCases(ctx);
    registerScheduleRaceCases(ctx);
    registerListingCases(ctx);
    registerConcurrencyCases(ctx);
    registerMigrationCases(ctx);

    describe('suite wiring', () => {
      it('every skipped name matches a conformance case', () => {
        expect(registry.unmatchedSkips()).toEqual([]);
      });
      it('the run executed at least one conformance case', () => {
        expect(registry.executedCount()).toBeGreaterThan(0);
      });
    });
  });
}
