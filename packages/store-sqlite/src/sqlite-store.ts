/**
 * The default store: one SQLite file through better-sqlite3 (WAL, synchronous=FULL).
 *
 * Writes go through the commit batcher (group commit: one fsynced transaction per batch, one
 * savepoint per operation, except the single-write ack, nack and extend, and their batch forms;
 * enqueue calls of one batch merged into one op, enqueue-merger.ts) and resolve after their batch
 * committed. Reads run directly: every batch runs synchronously within one event-loop
 * callback, so a read between batches sees only committed data. Statements are prepared once,
 * on first use after the schema exists; worker counts and queue totals of a batch are written
 * just before its COMMIT (worker-counters.ts, queue-totals.ts). WAL checkpoints run on a second
 * connection in a worker thread (wal-checkpointer.ts), not inside a commit.
 *
 * States: open → closed. `close()` stops accepting calls, waits for the queued writes to commit,
 * then closes the connection; after it every call rejects with UnavailableError. A fatal storage
 * error (see storage-errors.ts) stops the store the same way, without waiting.
 */
import { UnavailableError } from '@docket/protocol';
import type { QueueStateParams, Store } from '@docket/core';
import { createCommitBatcher, type CommitListener, type OpMode } from './commit-batcher.ts';
import { jobCancel, jobDelete, jobGet, jobPromote, jobRetry } from './job-admin.ts';
import { createEnqueueMerger } from './enqueue-merger.ts';
import { createJobInserter } from './job-insert.ts';
import { jobLease } from './job-lease.ts';
import { jobList } from './job-list.ts';
import { jobDeleteRetained, jobExpireDue, jobLeaseExpired, jobPromoteDue } from './job-maintenance.ts';
import { jobAck, jobExtend, jobNack } from './job-settle.ts';
import { jobAckMany, jobNackMany } from './job-settle-many.ts';
import { jobAttempts } from './attempt-log.ts';
import { LeaseCache } from './lease-cache.ts';
import { loadMigrations, migrate } from './migrator.ts';
import { openDatabase } from './open-database.ts';
import { dropPlannerStatistics } from './planner-statistics.ts';
import { loadQuerySources, prepareQueries } from './query-catalog.ts';
import {
  queueConfigure,
  queueCountFailures,
  queueDelete,
  queueGet,
  queueGroups,
  queueList,
  queuePurge,
  queueRedrive,
  queueSetPaused,
  queueStats,
} from './queue-admin.ts';
import {
  scheduleDelete,
  scheduleDue,
  scheduleFire,
  scheduleGet,
  scheduleList,
  schedulePut,
} from './schedule-registry.ts';
import { scheduleFireMany } from './schedule-fire-many.ts';
import type { StoreContext } from './store-context.ts';
import { toStoreError } from './storage-errors.ts';
import { createWalCheckpointer } from './wal-checkpointer.ts';
import { QueueTotalsBatch } from './queue-totals.ts';
import { tokenCreate, tokenGet, tokenList, tokenRevoke, tokenTouch } from './token-registry.ts';
import { WorkerCounters } from './worker-counters.ts';
import { workerList, workerSeen } from './worker-registry.ts';

export interface SqliteStoreOptions {
  /** The database file (created if missing), or ':memory:' for tests where durability is not the subject. */
  readonly path: string;
  /** Called after each group commit with its size and duration; must not throw. */
  readonly onCommit?: CommitListener;
}

type Operation<P, R> = (ctx: StoreContext, p: P) => R;

/**
 * Opens (or creates) the database; call `migrate()` before the first operation.
 *
 * @example
 * const store = createSqliteStore({ path: './data/docket.sqlite' });
 * await store.migrate();
 */
export function createSqliteStore(options: SqliteStoreOptions): Store {
  loadQuerySources();
  const migrations = loadMigrations();
  const db = openDatabase({ path: options.path });
  let ctx: StoreContext | null = null;
  let closed = false;
  const checkpointer = options.path === ':memory:' ? null : createWalCheckpointer(db, options.path);
  const { onCommit } = options;
  const batcher = createCommitBatcher(db, {
    onCommit: (info) => {
      checkpointer?.committed();
      onCommit?.(info);
    },
    beforeCommit: () => {
      ctx?.counters.flush(ctx.q.workerAddCounts);
      ctx?.totals.flush(ctx.q.queueAddTotals);
    },
    afterRollback: () => {
      ctx?.counters.discard();
      ctx?.totals.discard();
    },
  });

  const ensureOpen = (): void => {
    if (closed) throw new UnavailableError('sqlite store is closed');
    if (batcher.failure !== null) throw batcher.failure;
  };
  const context = (): StoreContext =>
    (ctx ??= {
      db,
      q: prepareQueries(db),
      inserter: createJobInserter(db),
      leases: new LeaseCache(),
      counters: new WorkerCounters(),
      totals: new QueueTotalsBatch(),
    });

  const write =
    <P, R>(op: Operation<P, R>, mode: OpMode = 'savepoint') =>
    (p: P): Promise<R> => {
      if (closed) return Promise.reject(new UnavailableError('sqlite store is closed'));
      return batcher.run(() => op(context(), p), mode);
    };
  const enqueueMerged = createEnqueueMerger(db, batcher, context);
  const read =
    <P, R>(op: Operation<P, R>) =>
    (p: P): Promise<R> => {
      try {
        ensureOpen();
        return Promise.resolve(op(context(), p));
      } catch (err) {
        return Promise.reject(toStoreError(err, 'read'));
      }
    };

  return {
    name: 'sqlite',
    capabilities: { notify: false, sharedClock: false, orderedWrites: true },

    jobAck: write(jobAck, 'single-write'),
    jobAckMany: write(jobAckMany, 'single-write'),
    jobAttempts: read(jobAttempts),
    jobCancel: write(jobCancel),
    jobDelete: write(jobDelete),
    jobDeleteRetained: write(jobDeleteRetained),
    jobEnqueueMany: (p) => (closed ? Promise.reject(new UnavailableError('sqlite store is closed')) : enqueueMerged(p)),
    jobExpireDue: write(jobExpireDue),
    jobExtend: write(jobExtend, 'single-write'),
    jobGet: read(jobGet),
    jobLease: write(jobLease),
    jobLeaseExpired: read(jobLeaseExpired),
    jobList: read(jobList),
    jobNack: write(jobNack, 'single-write'),
    jobNackMany: write(jobNackMany, 'single-write'),
    jobPromote: write(jobPromote),
    jobPromoteDue: write(jobPromoteDue),
    jobRetry: write(jobRetry),

    queueConfigure: write(queueConfigure),
    queueCountFailures: write(queueCountFailures),
    queueDelete: write(queueDelete),
    queueGet: read(queueGet),
    queueGroups: read(queueGroups),
    queueList: read(queueList),
    queuePause: write((c, p: QueueStateParams) => queueSetPaused(c, p, true)),
    queuePurge: write(queuePurge),
    queueRedrive: write(queueRedrive),
    queueResume: write((c, p: QueueStateParams) => queueSetPaused(c, p, false)),
    queueStats: read(queueStats),

    scheduleDelete: write(scheduleDelete),
    scheduleDue: read(scheduleDue),
    scheduleFire: write(scheduleFire),
    scheduleFireMany: write(scheduleFireMany),
    scheduleGet: read(scheduleGet),
    scheduleList: read(scheduleList),
    schedulePut: write(schedulePut),

    tokenCreate: write(tokenCreate),
    tokenGet: read(tokenGet),
    tokenList: read(tokenList),
    tokenRevoke: write(tokenRevoke),
    tokenTouch: write(tokenTouch),

    workerList: read(workerList),
    workerSeen: write(workerSeen),

    notifyReady(): void {
      // One process owns the file: the engine's own waiters are the only ones to wake.
    },
    onReady(): () => void {
      return () => undefined;
    },
    probe(): Promise<string | null> {
      if (closed) return Promise.resolve('sqlite store is closed');
      return Promise.resolve(batcher.failure === null ? null : batcher.failure.message);
    },

    migrate(): Promise<void> {
      try {
        ensureOpen();
        migrate(db, migrations);
        dropPlannerStatistics(db);
        return Promise.resolve();
      } catch (err) {
        return Promise.reject(toStoreError(err, 'migration'));
      }
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await batcher.drain();
      await checkpointer?.close();
      db.close();
    },
  };
}
