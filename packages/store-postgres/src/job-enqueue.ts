/**
 * Enqueue: a batch of new jobs, all or nothing. An existing id returns the existing job; so does
 * a dedupKey whose window is still open in the same queue; a duplicate id later in the batch
 * meets the first one and resolves to it.
 *
 * Jobs without a dedupKey go in runs, one INSERT per run (job-insert.sql, one array per column,
 * which also creates missing queues); a job with a dedupKey goes alone, after its id and key are
 * checked. Jobs are handled in batch order either way, so later jobs see earlier ones. Created
 * jobs are returned from their input plus the seq the database assigned; jobs that were not
 * created are read back. A batch without dedupKeys is one run, so one INSERT that commits alone;
 * a batch with any runs in a transaction.
 *
 * Concurrency: an id raced by another enqueue is settled by the unique index (ON CONFLICT waits
 * for the other transaction, then skips). A dedupKey has no unique index (its window moves), so
 * the batch first takes a transaction-scoped advisory lock per (queue, dedupKey), in one sorted
 * order so two batches cannot deadlock on them; a racing enqueue of the same key waits and then
 * sees the first job.
 */
import { encodePayload, InternalError, QueueFullError, type Job, type QueueConfig } from '@docket/protocol';
import type { EnqueueResult, JobEnqueueManyParams, NewJob } from '@docket/core';
import { newJobToJob } from '@docket/core/store-support';
import { lockQueues } from './queue-flow.ts';
import { rowToJob, type JobRow } from './row-mapping.ts';
import type { Session } from './session.ts';

interface EncodedJob {
  readonly job: NewJob;
  readonly data: Buffer;
}

/** The stored bytes of each job's payload; called before the transaction, so a bad one changes nothing. */
export function encodePayloads(jobs: readonly NewJob[]): Buffer[] {
  return jobs.map((job) => {
    const bytes = encodePayload(job.encoding, job.data);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  });
}

/** Runs in a transaction. `payloads[i]` is `p.jobs[i]`'s (encodePayloads); `lockKeys` from dedupLockKeys. */
export async function jobEnqueueMany(
  s: Session,
  p: JobEnqueueManyParams,
  payloads: readonly Buffer[],
  lockKeys: readonly string[],
): Promise<EnqueueResult[]> {
  const encoded = p.jobs.map((job, i): EncodedJob => {
    const data = payloads[i];
    if (data === undefined) throw new InternalError(`job ${job.id} has no encoded payload`);
    return { job, data };
  });
  if (lockKeys.length > 0) {
    await s.rows('job-lock-dedup', { keys: lockKeys });
    // A keyed job that resolves to an existing one inserts nothing, yet its queue must exist.
    await s.count('queue-ensure', { names: [...new Set(p.jobs.map((j) => j.queue))], now: p.now });
  }
  const results: EnqueueResult[] = [];
  let start = 0;
  while (start < encoded.length) {
    const run = plainRun(encoded, start);
    const [keyed] = run;
    if (run.length === 1 && keyed !== undefined && keyed.job.dedupKey !== null) {
      results.push(await enqueueKeyed(s, keyed, p.now));
    } else {
      for (const result of await enqueueRun(s, run, p.now)) results.push(result);
    }
    start += run.length;
  }
  return results;
}

/**
 * Advisory lock keys (sorted, unique) for the dedupKeys of a batch. None: the batch is one INSERT,
 * atomic without a transaction.
 */
export function dedupLockKeys(schema: string, jobs: readonly NewJob[]): string[] {
  const keys = new Set<string>();
  for (const job of jobs) if (job.dedupKey !== null) keys.add(JSON.stringify([schema, job.queue, job.dedupKey]));
  return [...keys].sort();
}

/** The jobs from `start` that share one insert: those without a dedupKey, or one job with one. */
function plainRun(jobs: readonly EncodedJob[], start: number): readonly EncodedJob[] {
  let end = start;
  while (end < jobs.length && jobs[end]?.job.dedupKey === null) end += 1;
  return jobs.slice(start, Math.max(end, start + 1));
}

async function enqueueRun(s: Session, run: readonly EncodedJob[], now: number): Promise<EnqueueResult[]> {
  const inserted = await s.rows<{ id: string; seq: number }>('job-insert', { ...insertValues(run), now });
  const seqs = new Map(inserted.map((r) => [r.id, r.seq]));
  const missing = run.filter(({ job }) => !seqs.has(job.id)).map(({ job }) => job.id);
  const existing = missing.length === 0 ? new Map<string, Job>() : await readByIds(s, missing);
  const created = new Map<string, Job>();
  return run.map(({ job }) => {
    const seq = seqs.get(job.id);
    const first = created.get(job.id);
    if (seq !== undefined && first === undefined) {
      const made = newJobToJob(job, seq);
      created.set(job.id, made);
      return { job: made, created: true };
    }
    const found = first ?? existing.get(job.id);
    if (found === undefined) throw new InternalError(`job ${job.id} was neither inserted nor found`);
    return { job: found, created: false };
  });
}

async function enqueueKeyed(s: Session, encoded: EncodedJob, now: number): Promise<EnqueueResult> {
  const { job } = encoded;
  const byId = await s.rows<JobRow>('job-get-by-id', { id: job.id });
  const byKey = byId.length > 0 ? byId : await s.rows<JobRow>('job-find-dedup', { ...job, now });
  const [row] = byKey;
  if (row !== undefined) return { job: rowToJob(row), created: false };
  const [result] = await enqueueRun(s, [encoded], now);
  if (result === undefined) throw new InternalError(`job ${job.id} was neither inserted nor found`);
  return result;
}

async function readByIds(s: Session, ids: readonly string[]): Promise<Map<string, Job>> {
  const rows = await s.rows<JobRow>('job-get-by-ids', { ids });
  return new Map(rows.map((row) => [row.id, rowToJob(row)]));
}

function insertValues(run: readonly EncodedJob[]): Record<string, unknown[]> {
  const column = <T>(pick: (job: NewJob) => T): T[] => run.map(({ job }) => pick(job));
  return {
    ids: column((j) => j.id),
    queues: column((j) => j.queue),
    names: column((j) => j.name),
    states: column((j) => j.state),
    encodings: column((j) => j.encoding),
    datas: run.map(({ data }) => data),
    priorities: column((j) => j.priority),
    maxAttempts: column((j) => j.maxAttempts),
    createdAts: column((j) => j.createdAt),
    runAts: column((j) => j.runAt),
    expiresAts: column((j) => j.expiresAt),
    leaseMss: column((j) => j.leaseMs),
    timeoutMss: column((j) => j.timeoutMs),
    backoffs: column((j) => JSON.stringify(j.backoff)),
    dedupKeys: column((j) => j.dedupKey),
    dedupUntils: column((j) => j.dedupUntil),
    metas: column((j) => JSON.stringify(j.meta)),
    groups: column((j) => j.group ?? null),
  };
}

/**
 * Runs in a transaction: the path of a batch for a queue with `maxWaiting` or `maxBytes`. Locks
 * the bounded queues' rows (so two servers' enqueues to one of them go one at a time), inserts as
 * usual, then counts each bounded queue's waiting and delayed jobs, or folds its byte deltas into
 * its byte total (queue-backlog-bytes.sql): past a bound, QueueFullError rolls the whole batch back.
 */
export async function jobEnqueueManyBounded(
  s: Session,
  p: JobEnqueueManyParams,
  payloads: readonly Buffer[],
  lockKeys: readonly string[],
): Promise<EnqueueResult[]> {
  const names = [...new Set(p.jobs.map((j) => j.queue))];
  await s.count('queue-ensure', { names, now: p.now });
  const bounded = (await lockQueues(s, names)).flatMap((row) => {
    const { maxWaiting, maxBytes } = JSON.parse(row.config) as QueueConfig;
    return maxWaiting === undefined && maxBytes === undefined ? [] : [{ name: row.name, maxWaiting, maxBytes }];
  });
  const results = await jobEnqueueMany(s, p, payloads, lockKeys);
  for (const { name, maxWaiting, maxBytes } of bounded) {
    if (maxWaiting !== undefined) {
      const [row] = await s.rows<{ n: number }>('job-count-backlog', { queue: name });
      if ((row?.n ?? 0) > maxWaiting) throw new QueueFullError(name, { maxWaiting });
    }
    if (maxBytes !== undefined) {
      const [row] = await s.rows<{ bytes: string }>('queue-backlog-bytes', { queue: name });
      if (row !== undefined && Number(row.bytes) > maxBytes) throw new QueueFullError(name, { maxBytes });
    }
  }
  return results;
}
