/**
 * Schedules in the PostgreSQL store: rows of the schedules table (0007_schedules.sql). A fire is
 * one transaction: the guarded update of the row (schedule-advance, by version; it takes the
 * row lock, so a fire of the same tick on another server waits, then finds the version moved
 * on and does nothing) and the insert of its jobs, as jobEnqueueMany inserts them (dedupKeys
 * under their advisory locks; a queue with `maxWaiting` on the bounded path, whose
 * QueueFullError rolls the update back too). Schedule times are the caller's; the jobs are
 * rebased onto the database's clock as an enqueue's are.
 */
import type { Page, ScheduleSpec } from '@docket/protocol';
import type {
  ScheduleDueParams,
  ScheduleDueResult,
  ScheduleFireParams,
  ScheduleFireResult,
  ScheduleListParams,
  SchedulePutParams,
  ScheduleRecord,
  ScheduleRefParams,
} from '@docket/core';
import { schedulePage, schedulePageAfter } from '@docket/core/store-support';
import { jobEnqueueMany, jobEnqueueManyBounded } from './job-enqueue.ts';
import { rebaseEnqueue } from './rebase.ts';
import type { Session } from './session.ts';

interface ScheduleRow {
  readonly name: string;
  readonly spec: string;
  readonly paused: boolean;
  readonly next_fire_at: number | null;
  readonly last_fire_at: number | null;
  readonly fires: number;
  readonly version: number;
  readonly created_at: number;
  readonly updated_at: number;
}

function rowToRecord(row: ScheduleRow): ScheduleRecord {
  return {
    name: row.name,
    spec: JSON.parse(row.spec) as ScheduleSpec,
    paused: row.paused,
    nextFireAt: row.next_fire_at,
    lastFireAt: row.last_fire_at,
    fires: row.fires,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function scheduleGet(s: Session, p: ScheduleRefParams): Promise<ScheduleRecord | null> {
  const [row] = await s.rows<ScheduleRow>('schedule-get', p);
  return row === undefined ? null : rowToRecord(row);
}

export async function scheduleList(s: Session, p: ScheduleListParams): Promise<Page<ScheduleRecord>> {
  const rows = await s.rows<ScheduleRow>('schedule-list', { after: schedulePageAfter(p.cursor), limit: p.limit + 1 });
  return schedulePage(rows.map(rowToRecord), p.limit);
}

export async function schedulePut(s: Session, p: SchedulePutParams): Promise<ScheduleRecord> {
  const [row] = await s.rows<ScheduleRow>('schedule-put', { ...p, spec: JSON.stringify(p.spec) });
  if (row === undefined) throw new Error('schedule-put returned no row');
  return rowToRecord(row);
}

export async function scheduleDelete(s: Session, p: ScheduleRefParams): Promise<boolean> {
  return (await s.count('schedule-delete', p)) > 0;
}

export async function scheduleDue(s: Session, p: ScheduleDueParams): Promise<ScheduleDueResult> {
  const rows = await s.rows<ScheduleRow>('schedule-due', p);
  const [next] = await s.rows<{ at: number | null }>('schedule-next', p);
  return { due: rows.map(rowToRecord), nextAt: next?.at ?? null };
}

/** How the fire's jobs go in: the store's enqueue path for them, given their payloads and lock keys. */
export type FireEnqueue = {
  readonly payloads: readonly Buffer[];
  readonly lockKeys: readonly string[];
  /** Whether the queue has `maxWaiting` (the bounded path). */
  readonly bounded: boolean;
};

/** Runs in a transaction; `dbNow` is the database's clock, or null in caller time. */
export async function scheduleFire(
  s: Session,
  p: ScheduleFireParams,
  dbNow: number | null,
  enqueue: FireEnqueue,
): Promise<ScheduleFireResult> {
  const { advance } = p;
  const [row] =
    advance === null
      ? await s.rows<ScheduleRow>('schedule-touch', { name: p.name, lastFireAt: p.lastFireAt, now: p.now })
      : await s.rows<ScheduleRow>('schedule-advance', {
          name: p.name,
          version: advance.version,
          nextFireAt: advance.nextFireAt,
          fired: advance.fired,
          lastFireAt: p.lastFireAt,
          now: p.now,
        });
  if (row === undefined) return { fired: false, schedule: await scheduleGet(s, p) };
  const schedule = rowToRecord(row);
  if (p.jobs.length === 0) return { fired: true, schedule, results: [] };
  const batch = dbNow === null ? { jobs: p.jobs, now: p.now } : rebaseEnqueue({ jobs: p.jobs, now: p.now }, dbNow);
  const results = enqueue.bounded
    ? await jobEnqueueManyBounded(s, batch, enqueue.payloads, enqueue.lockKeys)
    : await jobEnqueueMany(s, batch, enqueue.payloads, enqueue.lockKeys);
  return { fired: true, schedule, results };
}
