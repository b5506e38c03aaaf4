/**
 * Enqueue: a batch of new jobs, all or nothing (the batch is one op of the commit batcher, so a
 * failure rolls back to its savepoint). An existing id returns the existing job; so does a
 * dedupKey whose window is still open in the same queue; a duplicate id later in the same batch
 * meets the first one and resolves to it.
 *
 * The common case (no dedupKey, new ids) goes in runs of up to INSERT_ROWS_MAX jobs per
 * statement; a run that meets an existing id is rolled back and redone row by row. Jobs are
 * handled in batch order either way, so later jobs see earlier ones. Created jobs are returned
 * from their input plus the seq SQLite assigned, without reading them back.
 *
 * A queue with `maxWaiting` or `maxBytes` is counted after the batch went in: past a bound, the op throws
 * QueueFullError and the commit batcher rolls it back to its savepoint, so nothing is written.
 * In a queue with group settings a job without a group is stored in the ungrouped lane.
 */
import { InternalError, type Job } from '@docket/protocol';
import type { EnqueueResult, JobEnqueueManyParams, NewJob } from '@docket/core';
import { GROUP_LANE, newJobToJob } from '@docket/core/store-support';
import { INSERT_ROWS_MAX } from './job-insert.ts';
import { checkBacklog, groupedConfig } from './queue-flow.ts';
import { rowToJob, type JobRow, type QueueRow } from './row-mapping.ts';
import type { StoreContext } from './store-context.ts';

export function jobEnqueueMany(ctx: StoreContext, p: JobEnqueueManyParams): EnqueueResult[] {
  const queues = new Set<string>();
  for (const job of p.jobs) queues.add(job.queue);
  const bounded: QueueRow[] = [];
  const grouped = new Set<string>();
  for (const name of queues) {
    ctx.q.queueEnsure.run({ name, now: p.now });
    const queue = ctx.q.queueGet.get({ name }) as QueueRow;
    if (queue.config.includes('"maxWaiting"') || queue.config.includes('"maxBytes"')) bounded.push(queue);
    if (groupedConfig(queue.config)) grouped.add(name);
  }
  const jobs = grouped.size === 0 ? p.jobs : p.jobs.map((job) => inLane(job, grouped));
  const results: EnqueueResult[] = [];
  let start = 0;
  while (start < jobs.length) {
    const run = plainRun(jobs, start);
    if (run.length > 1) enqueueRun(ctx, run, p.now, results);
    else for (const job of run) results.push(enqueueOne(ctx, job, p.now));
    start += run.length;
  }
  for (const queue of bounded) checkBacklog(ctx, queue.name, queue.config);
  return results;
}

/** A job without a group, enqueued into a queue with group settings, goes into its ungrouped lane. */
function inLane(job: NewJob, grouped: ReadonlySet<string>): NewJob {
  return job.group === undefined && grouped.has(job.queue) ? { ...job, group: GROUP_LANE } : job;
}

/** The jobs from `start` that can share one insert: up to INSERT_ROWS_MAX without a dedupKey. */
function plainRun(jobs: readonly NewJob[], start: number): readonly NewJob[] {
  let end = start;
  while (end < jobs.length && end - start < INSERT_ROWS_MAX && jobs[end]?.dedupKey === null) end += 1;
  return jobs.slice(start, Math.max(end, start + 1));
}

function enqueueRun(ctx: StoreContext, run: readonly NewJob[], now: number, results: EnqueueResult[]): void {
  const firstSeq = ctx.inserter.insertAll(run);
  if (firstSeq === null) {
    for (const job of run) results.push(enqueueOne(ctx, job, now));
    return;
  }
  run.forEach((job, i) => results.push({ job: newJobToJob(job, firstSeq + i), created: true }));
}

function enqueueOne(ctx: StoreContext, job: NewJob, now: number): EnqueueResult {
  if (job.dedupKey !== null) {
    const existing = findById(ctx, job.id) ?? findByDedupKey(ctx, job.queue, job.dedupKey, now);
    if (existing !== null) return { job: existing, created: false };
  }
  const { changes, lastSeq } = ctx.inserter.insert([job]);
  if (changes === 1) return { job: newJobToJob(job, lastSeq), created: true };
  const existing = findById(ctx, job.id);
  if (existing === null) throw new InternalError(`job ${job.id} was neither inserted nor found`);
  return { job: existing, created: false };
}

function findById(ctx: StoreContext, id: string): Job | null {
  const row = ctx.q.jobGetById.get({ id }) as JobRow | undefined;
  return row === undefined ? null : rowToJob(row);
}

function findByDedupKey(ctx: StoreContext, queue: string, dedupKey: string, now: number): Job | null {
  const row = ctx.q.jobFindDedup.get({ queue, dedupKey, now }) as JobRow | undefined;
  return row === undefined ? null : rowToJob(row);
}
