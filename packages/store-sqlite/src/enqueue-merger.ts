/**
 * Merged enqueues: consecutive `jobEnqueueMany` calls queued in one commit batch run as one op.
 *
 * Why: most enqueues carry one job (one HTTP request, one SDK call). Run one by one, each pays
 * its own savepoint, queue-row upsert and single-row INSERT: about 30 µs of SQLite work per job,
 * where the same jobs in one call cost about 6 µs each (multi-row INSERTs, one upsert per queue).
 * Merging the calls that wait for the same flush gives single enqueues the batch price.
 *
 * How: a call joins the open group when the group's op is still the last op queued in the commit
 * batcher (so no other write can fall between two merged calls: the batch runs in exactly the
 * order the calls arrived); otherwise it opens a new group and queues its op. The op runs every
 * call's jobs as one `jobEnqueueMany` inside a savepoint. If that throws (a `maxWaiting` bound
 * crossed, or anything else), it rolls back to the savepoint and runs the calls one by one, each in
 * its own savepoint, so each call gets the outcome it would have had alone. A throw that leaves no
 * transaction open (the driver aborted it: disk full, I/O error) fails the whole batch, as it does
 * for any op.
 *
 * Invariants:
 * - All-or-nothing per call, as the Store port requires: a merged run either succeeds for every
 *   call or changes nothing before the one-by-one rerun.
 * - Same result as running the calls in arrival order: jobs go in in that order (a duplicate id or
 *   dedupKey meets the earlier call's job), and a bound that holds after the whole group held after
 *   each call (enqueues only add), so the merged run succeeds exactly when every call would have.
 * - A call resolves only after its batch is committed (the group is one op of the batcher).
 * - The merged run uses the latest `now` of the group: the op runs after every call was made, so
 *   that is the time closest to when it runs.
 */
import type { Database, Statement } from 'better-sqlite3';
import { InternalError } from '@docket/protocol';
import type { EnqueueResult, JobEnqueueManyParams } from '@docket/core';
import type { CommitBatcher } from './commit-batcher.ts';
import { jobEnqueueMany } from './job-enqueue.ts';
import { toStoreError } from './storage-errors.ts';
import type { StoreContext } from './store-context.ts';

type CallOutcome =
  { readonly ok: true; readonly results: EnqueueResult[] } | { readonly ok: false; readonly error: Error };

interface Call {
  readonly params: JobEnqueueManyParams;
  readonly resolve: (results: EnqueueResult[]) => void;
  readonly reject: (error: Error) => void;
}

interface Group {
  readonly calls: Call[];
  readonly op: () => CallOutcome[];
}

interface Savepoint {
  readonly open: Statement;
  readonly release: Statement;
  readonly rollback: Statement;
}

export type EnqueueManyFn = (p: JobEnqueueManyParams) => Promise<EnqueueResult[]>;

export function createEnqueueMerger(db: Database, batcher: CommitBatcher, context: () => StoreContext): EnqueueManyFn {
  let savepoint: Savepoint | null = null;
  const statements = (): Savepoint =>
    (savepoint ??= {
      open: db.prepare('SAVEPOINT enqueue_group'),
      release: db.prepare('RELEASE enqueue_group'),
      rollback: db.prepare('ROLLBACK TO enqueue_group'),
    });
  let open: Group | null = null;

  const runGroup = (calls: readonly JobEnqueueManyParams[]): CallOutcome[] => {
    const ctx = context();
    if (calls.length === 1) return calls.map((call) => ({ ok: true, results: jobEnqueueMany(ctx, call) }));
    const sp = statements();
    sp.open.run();
    try {
      const merged = jobEnqueueMany(ctx, { jobs: calls.flatMap((call) => call.jobs), now: latestNow(calls) });
      sp.release.run();
      return split(calls, merged);
    } catch (err) {
      if (!db.inTransaction) throw err;
      sp.rollback.run();
      sp.release.run();
    }
    return calls.map((call) => runAlone(db, ctx, sp, call));
  };

  const openGroup = (): Group => {
    const calls: Call[] = [];
    const group: Group = {
      calls,
      op: () => {
        if (open === group) open = null;
        return runGroup(calls.map((call) => call.params));
      },
    };
    batcher.submit(group.op, {
      resolve: (outcomes) =>
        calls.forEach((call, i) => {
          const outcome = outcomes[i];
          if (outcome === undefined) call.reject(new InternalError(`enqueue group lost call ${i}`));
          else if (outcome.ok) call.resolve(outcome.results);
          else call.reject(outcome.error);
        }),
      reject: (error) => {
        for (const call of calls) call.reject(error);
      },
    });
    return group;
  };

  return (params) =>
    new Promise<EnqueueResult[]>((resolve, reject) => {
      if (batcher.failure !== null) {
        reject(batcher.failure);
        return;
      }
      let group = open;
      if (group === null || batcher.lastQueued() !== group.op) {
        group = openGroup();
        open = group;
      }
      group.calls.push({ params, resolve, reject });
    });
}

function runAlone(db: Database, ctx: StoreContext, sp: Savepoint, call: JobEnqueueManyParams): CallOutcome {
  sp.open.run();
  try {
    const results = jobEnqueueMany(ctx, call);
    sp.release.run();
    return { ok: true, results };
  } catch (err) {
    if (!db.inTransaction) throw err;
    sp.rollback.run();
    sp.release.run();
    return { ok: false, error: toStoreError(err, 'operation') };
  }
}

function latestNow(calls: readonly JobEnqueueManyParams[]): number {
  let now = 0;
  for (const call of calls) if (call.now > now) now = call.now;
  return now;
}

function split(calls: readonly JobEnqueueManyParams[], merged: readonly EnqueueResult[]): CallOutcome[] {
  let start = 0;
  return calls.map((call) => {
    const results = merged.slice(start, start + call.jobs.length);
    start += call.jobs.length;
    return { ok: true, results };
  });
}
