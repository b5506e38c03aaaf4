/**
 * Schedules in the SQLite store: rows of the schedules table (0006_schedules.sql). Every write
 * is an op of the commit batcher. A fire is one op: the guarded update of the row
 * (schedule-advance, by version) and the insert of its jobs (jobEnqueueMany) in one savepoint,
 * so a refused enqueue (QueueFullError) rolls the update back with it.
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
import { jobEnqueueMany } from './job-enqueue.ts';
import type { StoreContext } from './store-context.ts';

export interface ScheduleRow {
  readonly name: string;
  readonly spec: string;
  readonly paused: number;
  readonly next_fire_at: number | null;
  readonly last_fire_at: number | null;
  readonly fires: number;
  readonly version: number;
  readonly created_at: number;
  readonly updated_at: number;
}

export function rowToRecord(row: ScheduleRow): ScheduleRecord {
  return {
    name: row.name,
    spec: JSON.parse(row.spec) as ScheduleSpec,
    paused: row.paused === 1,
    nextFireAt: row.next_fire_at,
    lastFireAt: row.last_fire_at,
    fires: row.fires,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function record(row: unknown): ScheduleRecord | null {
  return row === undefined ? null : rowToRecord(row as ScheduleRow);
}

export function scheduleGet(ctx: StoreContext, p: ScheduleRefParams): ScheduleRecord | null {
  return record(ctx.q.scheduleGet.get({ name: p.name }));
}

export function scheduleList(ctx: StoreContext, p: ScheduleListParams): Page<ScheduleRecord> {
  const rows = ctx.q.scheduleList.all({ after: schedulePageAfter(p.cursor), limit: p.limit + 1 }) as ScheduleRow[];
  return schedulePage(rows.map(rowToRecord), p.limit);
}

export function schedulePut(ctx: StoreContext, p: SchedulePutParams): ScheduleRecord {
  const row = ctx.q.schedulePut.get({
    name: p.name,
    spec: JSON.stringify(p.spec),
    paused: p.paused ? 1 : 0,
    nextFireAt: p.nextFireAt,
    now: p.now,
  }) as ScheduleRow;
  return rowToRecord(row);
}

export function scheduleDelete(ctx: StoreContext, p: ScheduleRefParams): boolean {
  return ctx.q.scheduleDelete.run({ name: p.name }).changes > 0;
}

export function scheduleDue(ctx: StoreContext, p: ScheduleDueParams): ScheduleDueResult {
  const rows = ctx.q.scheduleDue.all({ now: p.now, limit: p.limit }) as ScheduleRow[];
  const next = ctx.q.scheduleNext.get({ now: p.now }) as { at: number | null };
  return { due: rows.map(rowToRecord), nextAt: next.at };
}

export function scheduleFire(ctx: StoreContext, p: ScheduleFireParams): ScheduleFireResult {
  const { advance } = p;
  const updated =
    advance === null
      ? ctx.q.scheduleTouch.get({ name: p.name, lastFireAt: p.lastFireAt, now: p.now })
      : ctx.q.scheduleAdvance.get({
          name: p.name,
          version: advance.version,
          nextFireAt: advance.nextFireAt,
          fired: advance.fired,
          lastFireAt: p.lastFireAt,
          now: p.now,
        });
  const schedule = record(updated);
  if (schedule === null) return { fired: false, schedule: scheduleGet(ctx, { name: p.name }) };
  const results = p.jobs.length === 0 ? [] : jobEnqueueMany(ctx, { jobs: p.jobs, now: p.now });
  return { fired: true, schedule, results };
}
