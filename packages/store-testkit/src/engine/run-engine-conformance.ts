/**
 * runEngineConformance: the engine's behaviour (long-poll, retries, reaping, expiry, waitFor,
 * admin, the state table, and the seeds' library test cases) over the store under test, on a
 * manual clock. Every store runs it, so semantics that depend on a store's atomicity and
 * ordering are proven on each one.
 */
import { adminCases } from './admin.ts';
import { batchSettleCases } from './batch-settle.ts';
import { expiryCases } from './expiry.ts';
import { flowControlCases } from './flow-control.ts';
import type { StoreFactory } from './harness.ts';
import { lifecycleCases } from './lifecycle.ts';
import { longPollCases } from './long-poll.ts';
import { retryCases } from './retries.ts';
import { scheduleCases } from './schedules.ts';
import { coreQueueCases } from './seeds-core-queue.ts';
import { monsterqueueCases } from './seeds-monsterqueue.ts';
import { transitionCases } from './transitions.ts';

export interface EngineConformanceOptions {
  readonly name: string;
  /** A fresh, migrated, isolated store; the engine closes it. */
  readonly createStore: StoreFactory;
}

export function runEngineConformance({ createStore }: EngineConformanceOptions): void {
  lifecycleCases(createStore);
  batchSettleCases(createStore);
  longPollCases(createStore);
  flowControlCases(createStore);
  retryCases(createStore);
  expiryCases(createStore);
  adminCases(createStore);
  scheduleCases(createStore);
  transitionCases(createStore);
  monsterqueueCases(createStore);
  coreQueueCases(createStore);
}
