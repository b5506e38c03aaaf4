/**
 * The fires of one scheduler pass as one op of the commit batcher (one transaction, one commit),
 * at less than one statement per fire instead of eight (scheduleFire's savepoint, guarded update,
 * queue upsert and read, id and dedupKey lookups and insert).
 *
 * The fires of the fast path (a scheduled fire, every job bound for a queue without `maxWaiting` or
 * `maxBytes`) run their guarded updates first, all in one statement (schedule-advance-many) when
 * the batch names each schedule once (the scheduler's always does; otherwise one update per
 * fire, in order); a fire whose version moved on changes nothing. The jobs of
 * every applied fire then go in together: each queue is ensured and read once, the open
 * dedupKeys of a queue are looked up with one statement, and the new jobs are inserted up to
 * INSERT_ROWS_MAX rows per statement, in fire order. A job whose dedupKey is held (by an older
 * job, or by an earlier job of this batch) resolves to the holder, as in jobEnqueueMany; an id
 * that exists already resolves to that job.
 *
 * Any other fire (a trigger, a bounded queue) runs as scheduleFire in a savepoint of its own,
 * so its QueueFullError rolls back that fire alone and becomes its outcome. Nothing else is
 * caught: an unexpected error fails the op and the batcher rolls back every fire of it.
 */
import type { Database, Statement } from 'better-sqlite3';
import { InternalError, type Job } from '@docket/protocol';
import type {
  EnqueueResult,
  NewJob,
  ScheduleFireManyParams,
  ScheduleFireOutcome,
  ScheduleFireParams,
  ScheduleRecord,
} from '@docket/core';
import { GROUP_LANE, newJobToJob } from '@docket/core/store-support';
import { refusalOf } from './commit-batcher.ts';
import { INSERT_ROWS_MAX } from './job-insert.ts';
import { groupedConfig } from './queue-flow.ts';
import { C, rowToJob, type JobRow, type QueueRow } from './row-mapping.ts';
import { rowToRecord, scheduleFire, scheduleGet, type ScheduleRow } from './schedule-registry.ts';
import type { StoreContext } from './store-context.ts';

interface QueueInfo {
  readonly exists: boolean;
  readonly grouped: boolean;
  readonly bounded: boolean;
}

/** A job of an applied fire, and where its result goes. */
interface Pending {
  readonly job: NewJob;
  readonly fire: number;
  readonly slot: number;
  readonly now: number;
}

/** Queue settings that bound an enqueue: a fire into such a queue is checked as scheduleFire checks it. */
const BOUNDS = ['"maxWaiting"', '"maxBytes"'] as const;

export function scheduleFireMany(ctx: StoreContext, p: ScheduleFireManyParams): ScheduleFireOutcome[] {
  const queues = new Map<string, QueueInfo>();
  const queueInfo = (name: string): QueueInfo => {
    let info = queues.get(name);
    if (info === undefined) {
      const row = ctx.q.queueGet.get({ name }) as QueueRow | undefined;
      const config = row?.config ?? '{}';
      info = {
        exists: row !== undefined,
        grouped: groupedConfig(config),
        bounded: BOUNDS.some((bound) => config.includes(bound)),
      };
      queues.set(name, info);
    }
    return info;
  };
  const ensure = (name: string, now: number): QueueInfo => {
    const info = queueInfo(name);
    if (info.exists) return info;
    ctx.q.queueEnsure.run({ name, now });
    const created = { ...info, exists: true };
    queues.set(name, created);
    return created;
  };
  const outcomes: ScheduleFireOutcome[] = [];
  const results: EnqueueResult[][] = [];
  const pending: Pending[] = [];
  const fast = p.fires.map((fire) => fastPath(fire, queueInfo));
  const batched = distinctNames(p.fires)
    ? advanceMany(
        ctx,
        p.fires.filter((_, i) => fast[i]),
      )
    : null;
  p.fires.forEach((fire, index) => {
    if (fast[index] !== true) {
      outcomes.push(fireAlone(ctx, fire));
      return;
    }
    const advanced = batched === null ? advance(ctx, fire) : (batched.get(fire.name) ?? null);
    if (advanced === null) {
      outcomes.push({ ok: true, result: { fired: false, schedule: scheduleGet(ctx, { name: fire.name }) } });
      return;
    }
    const own: EnqueueResult[] = [];
    results[index] = own;
    outcomes.push({ ok: true, result: { fired: true, schedule: advanced, results: own } });
    fire.jobs.forEach((job, slot) => {
      const lane = job.group === undefined && ensure(job.queue, fire.now).grouped ? { ...job, group: GROUP_LANE } : job;
      pending.push({ job: lane, fire: index, slot, now: fire.now });
    });
  });
  enqueuePending(ctx, pending, results);
  return outcomes;
}

function fastPath(fire: ScheduleFireParams, info: (queue: string) => QueueInfo): boolean {
  return fire.advance !== null && fire.jobs.every((job) => job.dedupKey !== null && !info(job.queue).bounded);
}

interface SavepointStatements {
  readonly savepoint: Statement;
  readonly release: Statement;
  readonly rollback: Statement;
}

const savepoints = new WeakMap<Database, SavepointStatements>();

function savepointsOf(db: Database): SavepointStatements {
  let statements = savepoints.get(db);
  if (statements === undefined) {
    statements = {
      savepoint: db.prepare('SAVEPOINT fire'),
      release: db.prepare('RELEASE fire'),
      rollback: db.prepare('ROLLBACK TO fire'),
    };
    savepoints.set(db, statements);
  }
  return statements;
}

function fireAlone(ctx: StoreContext, fire: ScheduleFireParams): ScheduleFireOutcome {
  const sql = savepointsOf(ctx.db);
  sql.savepoint.run();
  try {
    const result = scheduleFire(ctx, fire);
    sql.release.run();
    return { ok: true, result };
  } catch (err) {
    const error = refusalOf(err);
    if (error === null || !ctx.db.inTransaction) throw err;
    sql.rollback.run();
    sql.release.run();
    return { ok: false, error };
  }
}

function advance(ctx: StoreContext, fire: ScheduleFireParams): ScheduleRecord | null {
  const { advance: step } = fire;
  if (step === null) return null;
  const row = ctx.q.scheduleAdvance.get({
    name: fire.name,
    version: step.version,
    nextFireAt: step.nextFireAt,
    fired: step.fired,
    lastFireAt: fire.lastFireAt,
    now: fire.now,
  }) as ScheduleRow | undefined;
  return row === undefined ? null : rowToRecord(row);
}

function distinctNames(fires: readonly ScheduleFireParams[]): boolean {
  return new Set(fires.map((fire) => fire.name)).size === fires.length;
}

/**
 * The guarded updates of fires of distinct schedules in one statement (schedule-advance-many):
 * the records after the write by name; a fire whose version moved on has none.
 */
function advanceMany(ctx: StoreContext, fires: readonly ScheduleFireParams[]): Map<string, ScheduleRecord> {
  const applied = new Map<string, ScheduleRecord>();
  if (fires.length === 0) return applied;
  const rows = fires.flatMap(({ name, advance: step, lastFireAt, now }) =>
    step === null ? [] : [[name, step.version, step.nextFireAt, step.fired, lastFireAt, now]],
  );
  const updated = ctx.q.scheduleAdvanceMany.all({ fires: JSON.stringify(rows) });
  for (const row of updated as ScheduleRow[]) applied.set(row.name, rowToRecord(row));
  return applied;
}

/** Inserts the jobs of the applied fires, each resolved against open dedupKeys and earlier jobs. */
function enqueuePending(ctx: StoreContext, pending: readonly Pending[], results: EnqueueResult[][]): void {
  const holders = openHolders(ctx, pending);
  const fresh: Pending[] = [];
  const inBatch = new Map<string, Pending>();
  const later: { readonly item: Pending; readonly holder: Pending }[] = [];
  for (const item of pending) {
    const key = `${item.job.queue}\u0000${item.job.dedupKey ?? ''}`;
    const held = holders.get(key);
    if (held !== undefined && (held[C.dedup_until] as number) > item.now) {
      setResult(results, item, { job: rowToJob(held), created: false });
      continue;
    }
    const holder = inBatch.get(key);
    if (holder !== undefined && (holder.job.dedupUntil ?? -Infinity) > item.now) {
      later.push({ item, holder });
      continue;
    }
    inBatch.set(key, item);
    fresh.push(item);
  }
  for (let start = 0; start < fresh.length; start += INSERT_ROWS_MAX) {
    insertRun(ctx, fresh.slice(start, start + INSERT_ROWS_MAX), results);
  }
  for (const { item, holder } of later) {
    const job = resultOf(results, holder).job;
    setResult(results, item, { job, created: false });
  }
}

/** The newest job holding each dedupKey of the pending jobs, by `queue \0 key`. */
function openHolders(ctx: StoreContext, pending: readonly Pending[]): Map<string, JobRow> {
  const byQueue = new Map<string, { keys: string[]; now: number }>();
  for (const { job, now } of pending) {
    const entry = byQueue.get(job.queue);
    if (entry === undefined) byQueue.set(job.queue, { keys: [job.dedupKey ?? ''], now });
    else {
      entry.keys.push(job.dedupKey ?? '');
      entry.now = Math.min(entry.now, now);
    }
  }
  const holders = new Map<string, JobRow>();
  for (const [queue, { keys, now }] of byQueue) {
    const rows = ctx.q.jobFindDedupMany.all({ queue, keys: JSON.stringify(keys), now }) as JobRow[];
    for (const row of rows) holders.set(`${queue}\u0000${row[C.dedup_key] as string}`, row);
  }
  return holders;
}

function insertRun(ctx: StoreContext, run: readonly Pending[], results: EnqueueResult[][]): void {
  const firstSeq = ctx.inserter.insertAll(run.map((item) => item.job));
  if (firstSeq !== null) {
    run.forEach((item, i) => setResult(results, item, { job: newJobToJob(item.job, firstSeq + i), created: true }));
    return;
  }
  for (const item of run) {
    const { changes, lastSeq } = ctx.inserter.insert([item.job]);
    const job: Job | null =
      changes === 1 ? newJobToJob(item.job, lastSeq) : rowOrNull(ctx.q.jobGetById.get({ id: item.job.id }));
    if (job === null) throw new InternalError(`job ${item.job.id} was neither inserted nor found`);
    setResult(results, item, { job, created: changes === 1 });
  }
}

function rowOrNull(row: unknown): Job | null {
  return row === undefined ? null : rowToJob(row as JobRow);
}

function setResult(results: EnqueueResult[][], item: Pending, result: EnqueueResult): void {
  const own = results[item.fire];
  if (own !== undefined) own[item.slot] = result;
}

function resultOf(results: EnqueueResult[][], item: Pending): EnqueueResult {
  const result = results[item.fire]?.[item.slot];
  if (result === undefined) throw new InternalError(`no result for job ${item.job.id}`);
  return result;
}
