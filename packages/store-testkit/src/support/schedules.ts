/** Builders for the schedule cases: a spec, and the job one tick of a schedule enqueues. */
import type { NewJob } from '@docket/core';
import type { ScheduleSpec } from '@docket/protocol';
import { jobFactory, T0 } from './new-jobs.ts';

export const SCHEDULE_QUEUE = 'scheduled';

export function scheduleSpec(overrides: Partial<ScheduleSpec> = {}): ScheduleSpec {
  return {
    queue: SCHEDULE_QUEUE,
    cron: null,
    timezone: null,
    everyMs: 1_000,
    data: { hello: 'tick' },
    options: {},
    startAt: null,
    endAt: null,
    limit: null,
    catchUp: 'last',
    ...overrides,
  };
}

const job = jobFactory({ queue: SCHEDULE_QUEUE });

/** The job of `name`'s tick at `tick`, enqueued at `now`, with the engine's tick dedupKey. */
export function tickJob(name: string, tick: number, now = tick, queue = SCHEDULE_QUEUE): NewJob {
  return job({ queue, now, dedupKey: `schedule:${name}:${tick}`, dedupUntil: now + 86_400_000, data: { tick } });
}

export { T0 };
