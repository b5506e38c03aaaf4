/** What every operation of the SQLite store works with: the connection and what is built on it. */
import type { Database } from 'better-sqlite3';
import type { JobInserter } from './job-insert.ts';
import type { LeaseCache } from './lease-cache.ts';
import type { Queries } from './query-catalog.ts';
import type { QueueTotalsBatch } from './queue-totals.ts';
import type { WorkerCounters } from './worker-counters.ts';

export interface StoreContext {
  readonly db: Database;
  /** Prepared statements, one per file of queries/. */
  readonly q: Queries;
  readonly inserter: JobInserter;
  readonly leases: LeaseCache;
  /** Worker counts of the batch being built, written before its COMMIT. */
  readonly counters: WorkerCounters;
  /** Queue totals of the batch being built, written before its COMMIT. */
  readonly totals: QueueTotalsBatch;
}
