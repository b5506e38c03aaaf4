/**
 * Group commit: every write operation of the store runs through here.
 *
 * Why: an fsync costs about a millisecond, so one transaction per request would cap writes near
 * 1 000 per second. Instead, operations queue up and one transaction runs them all, with one
 * COMMIT (fsynced: the store runs with synchronous=FULL) for the whole batch.
 *
 * How: `run(op)` queues `op` and schedules a flush with setImmediate, which runs after the I/O
 * callbacks of the current loop turn, so every request that arrived in this turn joins the batch.
 * The flush opens BEGIN IMMEDIATE and runs each op synchronously inside its own SAVEPOINT: an op
 * that throws is rolled back to its savepoint and rejected alone, the others stay. Operations
 * queued while a batch runs go into the next batch (the flush takes the queue at its start).
 *
 * Single-write ops (ack, nack, extend: the hot path) skip the savepoint, which costs two
 * statements per op: such an op either refuses with a protocol error before writing, or makes
 * one change with one statement (atomic by itself) and then only reads. The batch forms (ack
 * and nack of many jobs) are single-write ops made of such items, each refusal caught as that
 * item's outcome. If an op throws anything else, it may have written, so the whole batch is
 * failed and rolled back instead.
 *
 * Invariants:
 * - A caller's promise settles only after the COMMIT of its own batch returned, so a resolved
 *   write is durable; if BEGIN or COMMIT fails, or the driver aborts the transaction, every op
 *   of the batch is rolled back and rejected (StorageFullError or UnavailableError, with cause).
 * - An op that throws `CommitThenReject` keeps its changes and is rejected after the commit
 *   (expiry beats everything: an ack past expiresAt records the job as dead, then refuses).
 * - Everything runs synchronously inside one callback, so reads between flushes see only
 *   committed data.
 * - After a fatal storage error (I/O error on commit, corruption) the batcher fails every later
 *   call: it never acknowledges anything after an fsync it cannot trust.
 */
import type { Database, Statement } from 'better-sqlite3';
import { DocketError, InternalError, UnavailableError } from '@docket/protocol';
import { isFatalStorageError, toStoreError } from './storage-errors.ts';

/** Reported after every successful commit, for metrics. */
export interface CommitInfo {
  /** Operations in the batch (rejected ones included). */
  readonly ops: number;
  /** From BEGIN to the end of COMMIT. */
  readonly durationMs: number;
  /** The COMMIT alone: mostly the fsync. */
  readonly commitMs: number;
}

export type CommitListener = (info: CommitInfo) => void;

/** Thrown by an op whose changes must be committed although its caller gets `error`. */
export class CommitThenReject extends Error {
  readonly error: Error;

  constructor(error: Error) {
    super(error.message);
    this.error = error;
  }
}

export interface OpSettle<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (error: Error) => void;
}

/** `single-write`: the op refuses before writing, or writes with one statement (see the header). */
export type OpMode = 'savepoint' | 'single-write';

export interface CommitBatcherOptions {
  readonly onCommit?: CommitListener;
  /** Runs inside the transaction after the batch's ops, just before COMMIT; a throw fails the batch. */
  readonly beforeCommit?: () => void;
  /** Runs after a batch was rolled back (so per-batch state can be dropped). */
  readonly afterRollback?: () => void;
}

export interface CommitBatcher {
  /** Runs `op` in the next batch; resolves with its result once that batch is committed. */
  run<T>(op: () => T, mode?: OpMode): Promise<T>;
  /**
   * `run` with callbacks instead of a promise: `settle` is called synchronously where `run` would
   * settle its promise, so a caller that fans one op's result out to several promises settles them
   * in the batch's order, before the ops queued after it.
   */
  submit<T>(op: () => T, settle: OpSettle<T>, mode?: OpMode): void;
  /** Resolves once every op queued so far has been committed or rejected; never rejects. */
  drain(): Promise<void>;
  /** The op queued last for the next batch, if any (so a caller can add to it while it is last). */
  lastQueued(): (() => unknown) | undefined;
  /** The fatal error that stopped the batcher, if any. */
  readonly failure: Error | null;
}

interface QueuedOp {
  readonly op: () => unknown;
  readonly mode: OpMode;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: Error };

interface ControlStatements {
  readonly begin: Statement;
  readonly commit: Statement;
  readonly rollback: Statement;
  readonly savepoint: Statement;
  readonly release: Statement;
  readonly rollbackTo: Statement;
}

export function createCommitBatcher(db: Database, options: CommitBatcherOptions = {}): CommitBatcher {
  const { onCommit, beforeCommit, afterRollback } = options;
  const sql: ControlStatements = {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    savepoint: db.prepare('SAVEPOINT op'),
    release: db.prepare('RELEASE op'),
    rollbackTo: db.prepare('ROLLBACK TO op'),
  };
  let queue: QueuedOp[] = [];
  let scheduled = false;
  let failure: Error | null = null;
  let drained: (() => void)[] = [];

  const notifyDrained = (): void => {
    if (scheduled) return;
    const waiters = drained;
    drained = [];
    for (const resolve of waiters) resolve();
  };

  const stopOnFatal = (err: unknown): void => {
    if (isFatalStorageError(err)) {
      failure ??= new UnavailableError('sqlite store stopped after a storage error', undefined, { cause: err });
    }
  };

  const failBatch = (batch: readonly QueuedOp[], err: unknown): void => {
    stopOnFatal(err);
    if (db.inTransaction) {
      try {
        sql.rollback.run();
      } catch (rollbackErr) {
        stopOnFatal(rollbackErr);
      }
    }
    afterRollback?.();
    const error = toStoreError(err, 'commit');
    for (const item of batch) item.reject(error);
  };

  const flush = (): void => {
    scheduled = false;
    const batch = queue;
    queue = [];
    try {
      commitBatch(batch);
    } finally {
      notifyDrained();
    }
  };

  const commitBatch = (batch: readonly QueuedOp[]): void => {
    if (failure !== null) {
      for (const item of batch) item.reject(failure);
      return;
    }
    const started = performance.now();
    let settled: { readonly item: QueuedOp; readonly outcome: Outcome }[];
    let commitStarted: number;
    try {
      sql.begin.run();
      settled = batch.map((item) => ({ item, outcome: runOp(db, sql, item) }));
      beforeCommit?.();
      commitStarted = performance.now();
      sql.commit.run();
    } catch (err) {
      failBatch(batch, err);
      return;
    }
    const ended = performance.now();
    for (const { item, outcome } of settled) {
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    }
    onCommit?.({ ops: batch.length, durationMs: ended - started, commitMs: ended - commitStarted });
  };

  const submit = <T>(op: () => T, settle: OpSettle<T>, mode: OpMode = 'savepoint'): void => {
    if (failure !== null) {
      settle.reject(failure);
      return;
    }
    queue.push({ op, mode, resolve: settle.resolve as (value: unknown) => void, reject: settle.reject });
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };

  return {
    run<T>(op: () => T, mode: OpMode = 'savepoint'): Promise<T> {
      return new Promise<T>((resolve, reject) => submit(op, { resolve, reject }, mode));
    },
    submit,
    drain(): Promise<void> {
      if (!scheduled) return Promise.resolve();
      return new Promise((resolve) => drained.push(resolve));
    },
    lastQueued() {
      return queue[queue.length - 1]?.op;
    },
    get failure() {
      return failure;
    },
  };
}

function runOp(db: Database, sql: ControlStatements, item: QueuedOp): Outcome {
  return item.mode === 'single-write' ? runSingleWrite(item.op) : runInSavepoint(db, sql, item.op);
}

/**
 * What the caller of a single-write op that threw gets: a refusal (a protocol error other than
 * InternalError) wrote nothing, and a CommitThenReject keeps its change. Null for anything else,
 * which may have written and so must fail the whole batch.
 */
export function refusalOf(err: unknown): Error | null {
  if (err instanceof CommitThenReject) return err.error;
  if (err instanceof DocketError && !(err instanceof InternalError)) return err;
  return null;
}

function runSingleWrite(op: () => unknown): Outcome {
  try {
    return { ok: true, value: op() };
  } catch (err) {
    const error = refusalOf(err);
    if (error === null) throw err;
    return { ok: false, error };
  }
}

/**
 * Runs one op inside its own savepoint. A throw that leaves no transaction open means the driver
 * aborted the whole transaction (disk full, I/O error): that is rethrown to fail the batch.
 */
function runInSavepoint(db: Database, sql: ControlStatements, op: () => unknown): Outcome {
  sql.savepoint.run();
  try {
    const value = op();
    sql.release.run();
    return { ok: true, value };
  } catch (err) {
    if (!db.inTransaction) throw err;
    if (err instanceof CommitThenReject) {
      sql.release.run();
      return { ok: false, error: err.error };
    }
    sql.rollbackTo.run();
    sql.release.run();
    return { ok: false, error: toStoreError(err, 'operation') };
  }
}
