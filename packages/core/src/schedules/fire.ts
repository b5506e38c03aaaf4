/**
 * Firing a schedule: the jobs of its due ticks (planFire) go to the store with the record's
 * update in one atomic step (`scheduleFire`; a scheduler pass sends all its fires in one
 * `scheduleFireMany`, each fire still its own atomic step). Each job's dedupKey is `schedule:<name>:<tick>`,
 * so even a tick fired twice by a stale plan would return the first job, and the step is guarded
 * by the record's `version`: of N servers that plan the same tick, one fires it, the others find
 * the record moved on and do nothing. After the step, the created jobs are announced and their
 * consumers woken as an enqueue's are.
 */
import { InternalError, type Job, type ScheduleSpec } from '@docket/protocol';
import type { EngineCore } from '../engine-core.ts';
import { resolveJob } from '../resolve-job.ts';
import type { EnqueueResult, NewJob, ScheduleFireOutcome, ScheduleFireParams, ScheduleRecord } from '../store.ts';
import { planFire } from './ticks.ts';

/** The dedup window of a tick's job: a day, far longer than any fire can be late. */
const TICK_DEDUP_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The dedupKey of a schedule's job for one tick. */
export function tickDedupKey(name: string, tick: number): string {
  return `schedule:${name}:${tick}`;
}

/** The jobs for `ticks` (tick times, or a trigger's time with `trigger`). */
async function tickJobs(
  core: EngineCore,
  name: string,
  spec: ScheduleSpec,
  ticks: readonly number[],
  now: number,
  trigger: boolean,
): Promise<NewJob[]> {
  if (ticks.length === 0) return [];
  const config = await core.configs.get(spec.queue);
  return ticks.map((tick) => {
    const id = core.ids(now);
    const dedupKey = trigger ? `schedule:${name}:trigger:${id}` : tickDedupKey(name, tick);
    const meta = { ...spec.options.meta, schedule: name, scheduledAt: new Date(tick).toISOString() };
    const options = { ...spec.options, meta, dedupKey, dedupWindowMs: TICK_DEDUP_WINDOW_MS };
    return resolveJob({ queue: spec.queue, data: spec.data, options, config, now, generatedId: id });
  });
}

/** The store step of firing a due schedule at `now`: its due ticks' jobs and the guarded advance. */
async function firePlan(core: EngineCore, record: ScheduleRecord, now: number): Promise<ScheduleFireParams> {
  const nextFireAt = record.nextFireAt ?? now;
  const plan = planFire(record.spec, nextFireAt, record.fires, now);
  const jobs = await tickJobs(core, record.name, record.spec, plan.ticks, now, false);
  return {
    name: record.name,
    jobs,
    lastFireAt: plan.ticks[plan.ticks.length - 1] ?? null,
    advance: { version: record.version, nextFireAt: plan.nextFireAt, fired: plan.ticks.length },
    now,
  };
}

/**
 * Fires due schedules at `now`, all in one store step (`scheduleFireMany`), and announces the
 * jobs made; one outcome per record, in order (`fired: false` when another server, or a change,
 * got there first). A record that cannot be planned is that record's failed outcome.
 */
export async function fireDueMany(
  core: EngineCore,
  records: readonly ScheduleRecord[],
  now: number,
): Promise<ScheduleFireOutcome[]> {
  const planned = await Promise.allSettled(records.map((record) => firePlan(core, record, now)));
  const fires: ScheduleFireParams[] = [];
  for (const plan of planned) if (plan.status === 'fulfilled') fires.push(plan.value);
  const stored = fires.length === 0 ? [] : await core.store.scheduleFireMany({ fires });
  const ready = new Map<string, number>();
  let next = 0;
  const outcomes = planned.map((plan, i): ScheduleFireOutcome => {
    if (plan.status === 'rejected') {
      return { ok: false, error: plan.reason instanceof Error ? plan.reason : new Error(String(plan.reason)) };
    }
    const outcome = stored[next++];
    if (outcome === undefined)
      return { ok: false, error: new InternalError('scheduleFireMany returned too few outcomes') };
    if (outcome.ok && outcome.result.fired) {
      const queue = records[i]?.spec.queue ?? '';
      ready.set(queue, (ready.get(queue) ?? 0) + announce(core, outcome.result.results));
    }
    return outcome;
  });
  for (const [queue, count] of ready) if (count > 0) core.ctx.wake(queue, count);
  return outcomes;
}

/** Enqueues one job of the schedule now, leaving its ticks alone; null when the schedule is gone. */
export async function fireNow(core: EngineCore, record: ScheduleRecord): Promise<Job | null> {
  const now = core.clock.now();
  const jobs = await tickJobs(core, record.name, record.spec, [now], now, true);
  const result = await core.store.scheduleFire({ name: record.name, jobs, lastFireAt: now, advance: null, now });
  if (!result.fired) return null;
  const ready = announce(core, result.results);
  if (ready > 0) core.ctx.wake(record.spec.queue, ready);
  return result.results[0]?.job ?? null;
}

/** Emits the events of a fire's jobs; returns how many are ready now (to wake consumers for). */
function announce(core: EngineCore, results: readonly EnqueueResult[]): number {
  let ready = 0;
  for (const { job, created } of results) {
    if (!created) {
      core.events.emit('job:deduplicated', { job });
      continue;
    }
    core.events.emit('job:enqueued', { job });
    if (job.state === 'waiting') ready += 1;
    else if (job.state === 'delayed') core.services.delayed(job.runAt);
    if (job.expiresAt !== null) core.services.expiresAt(job.expiresAt);
  }
  return ready;
}
