/**
 * Schedules in the Redis store: one hash per schedule plus a by-name set and a due set
 * (scripts/includes/schedules.lua; key-layout.ts). Every write is one script, so a fire
 * (schedule-fire.lua) checks the record's version, inserts its jobs and advances the record
 * atomically: of several servers firing one tick, the script of the first applies and the
 * others find the version moved on. Schedule times are the caller's (not rebased); the jobs of
 * a fire are rebased onto Redis time as an enqueue's are.
 */
import { InternalError, QueueFullError, type Page, type ScheduleSpec } from '@docket/protocol';
import type {
  EnqueueResult,
  ScheduleDueParams,
  ScheduleDueResult,
  ScheduleFireManyParams,
  ScheduleFireOutcome,
  ScheduleFireParams,
  ScheduleFireResult,
  ScheduleListParams,
  SchedulePutParams,
  ScheduleRecord,
  ScheduleRefParams,
} from '@docket/core';
import { scheduleFireEach, schedulePage, schedulePageAfter } from '@docket/core/store-support';
import { createdJob, fieldsToJob, newJobArgs, optInt, toFields } from './job-fields.ts';
import { asArray, asNumber } from './replies.ts';
import { toStoreError } from './redis-errors.ts';
import { run, runTimed, type StoreContext } from './store-context.ts';

/** A schedule_reply (name, then field, value pairs), or null when it is empty. */
function toRecord(reply: unknown): ScheduleRecord | null {
  const flat = asArray(reply);
  if (flat.length === 0) return null;
  const [name, ...rest] = flat;
  const f = toFields(rest);
  const num = (field: string): number => Number(f[field]);
  const opt = (field: string): number | null => (f[field] === undefined ? null : Number(f[field]));
  return {
    name: String(name),
    spec: JSON.parse(f.spec ?? 'null') as ScheduleSpec,
    paused: f.paused === '1',
    nextFireAt: opt('nextFireAt'),
    lastFireAt: opt('lastFireAt'),
    fires: num('fires'),
    version: num('version'),
    createdAt: num('createdAt'),
    updatedAt: num('updatedAt'),
  };
}

function record(reply: unknown): ScheduleRecord {
  const found = toRecord(reply);
  if (found === null) throw new InternalError('redis returned no schedule where one was written');
  return found;
}

export async function scheduleGet(ctx: StoreContext, p: ScheduleRefParams): Promise<ScheduleRecord | null> {
  const fields = await ctx.client.hgetall(`${ctx.keys.base}:schedule:${p.name}`);
  if (Object.keys(fields).length === 0) return null;
  return toRecord([p.name, ...Object.entries(fields).flat()]);
}

export async function scheduleList(ctx: StoreContext, p: ScheduleListParams): Promise<Page<ScheduleRecord>> {
  const reply = await run(ctx, 'schedule-list', [schedulePageAfter(p.cursor), String(p.limit + 1)]);
  return schedulePage(asArray(reply).map(record), p.limit);
}

export async function schedulePut(ctx: StoreContext, p: SchedulePutParams): Promise<ScheduleRecord> {
  const args = [p.name, JSON.stringify(p.spec), p.paused ? '1' : '0', optInt(p.nextFireAt), String(p.now)];
  return record(await run(ctx, 'schedule-put', args));
}

export async function scheduleDelete(ctx: StoreContext, p: ScheduleRefParams): Promise<boolean> {
  return asNumber(await run(ctx, 'schedule-delete', [p.name])) > 0;
}

export async function scheduleDue(ctx: StoreContext, p: ScheduleDueParams): Promise<ScheduleDueResult> {
  const [nextAt, due] = asArray(await run(ctx, 'schedule-due', [String(p.now), String(p.limit)]));
  return { due: asArray(due).map(record), nextAt: nextAt === '' || nextAt === undefined ? null : asNumber(nextAt) };
}

export async function scheduleFire(ctx: StoreContext, p: ScheduleFireParams): Promise<ScheduleFireResult> {
  const { advance } = p;
  const args = [
    p.name,
    optInt(advance?.version ?? null),
    optInt(advance?.nextFireAt ?? null),
    String(advance?.fired ?? 0),
    optInt(p.lastFireAt),
    String(p.jobs.length),
    ...p.jobs.flatMap(newJobArgs),
  ];
  const reply = asArray(await runTimed(ctx, 'schedule-fire', p.now, args));
  const [status, schedule, results] = reply;
  if (status === 'queue-full') throw new QueueFullError(String(reply[1]), { [String(reply[2])]: asNumber(reply[3]) });
  if (status === 0) return { fired: false, schedule: toRecord(schedule) };
  const items = asArray(results);
  const enqueued = p.jobs.map((job, i): EnqueueResult => {
    const [created, first, second] = asArray(items[i]);
    if (created === 1) return { job: createdJob(job, asNumber(first), asNumber(second)), created: true };
    if (created === 0) return { job: fieldsToJob(toFields(first)), created: false };
    throw new InternalError(`schedule-fire returned no result for job ${job.id}`);
  });
  return { fired: true, schedule: record(schedule), results: enqueued };
}

/**
 * The fires of a scheduler pass: one script call each, all sent at once on the one connection
 * (pipelined: one round trip for the pass), each atomic and guarded on its own.
 */
export function scheduleFireMany(ctx: StoreContext, p: ScheduleFireManyParams): Promise<ScheduleFireOutcome[]> {
  return scheduleFireEach(
    (one) =>
      scheduleFire(ctx, one).catch((err: unknown) => {
        throw toStoreError(err, 'schedule-fire');
      }),
    p,
  );
}
