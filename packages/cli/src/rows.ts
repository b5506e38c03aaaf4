/** Table rows for jobs and queues, shared by the commands that list them. */
import type { Job, JobState, QueueStats, QueueTotals } from '@docket/protocol';
import { isoTime, type Row } from './output.ts';

/**
 * The job states, spelled out so that admin commands need not load the protocol's runtime
 * (and TypeBox with it); rows.test.ts keeps the list equal to the protocol's JOB_STATES.
 */
export const JOB_STATE_NAMES = [
  'delayed',
  'waiting',
  'active',
  'completed',
  'dead',
] as const satisfies readonly JobState[];

export const JOB_COLUMNS = ['id', 'queue', 'name', 'state', 'attempts', 'priority', 'runAt', 'data'] as const;

/** Payloads longer than this are cut in tables; `--json` prints them whole. */
const DATA_PREVIEW_CHARS = 60;

export function jobRow(job: Job): Row {
  const data = JSON.stringify(job.data) ?? '';
  return {
    id: job.id,
    queue: job.queue,
    name: job.name,
    state: job.deadReason === null ? job.state : `${job.state} (${job.deadReason})`,
    attempts: `${job.attempts}/${job.maxAttempts}`,
    priority: job.priority,
    runAt: isoTime(job.runAt),
    data: data.length > DATA_PREVIEW_CHARS ? `${data.slice(0, DATA_PREVIEW_CHARS - 1)}…` : data,
  };
}

/** The columns of a queue's lifetime totals, beside its counts by state (which retention shrinks). */
export const TOTAL_COLUMNS = ['total-completed', 'total-failed'] as const;

export const QUEUE_COLUMNS = [
  'name',
  'paused',
  'waiting',
  'delayed',
  'active',
  'completed',
  'dead',
  ...TOTAL_COLUMNS,
] as const;

export function totalsRow(totals: QueueTotals): Row {
  return { 'total-completed': totals.completed, 'total-failed': totals.failed };
}

export function queueRow(queue: QueueStats): Row {
  return {
    name: queue.name,
    paused: queue.paused,
    waiting: queue.counts.waiting,
    delayed: queue.counts.delayed,
    active: queue.counts.active,
    completed: queue.counts.completed,
    dead: queue.counts.dead,
    ...totalsRow(queue.totals),
  };
}

/** A job's fields one per line, for `jobs get` without `--json`. */
export function jobDetails(job: Job): Row[] {
  const times = [
    'createdAt',
    'runAt',
    'startedAt',
    'attemptStartedAt',
    'leaseExpiresAt',
    'finishedAt',
    'expiresAt',
  ] as const;
  const rows: Row[] = [];
  for (const [field, value] of Object.entries(job)) {
    const isTime = (times as readonly string[]).includes(field);
    const text = isTime ? isoTime(value as number | null) : typeof value === 'string' ? value : JSON.stringify(value);
    rows.push({ field, value: text });
  }
  return rows;
}
