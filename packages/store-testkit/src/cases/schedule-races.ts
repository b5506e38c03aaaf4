/**
 * Exactly one job per tick across servers: several store instances over one backend (other
 * servers' stores; the same store for SQLite) fire the same schedules at once, tick after tick,
 * each planning from the record it read (as every server's scheduler does). Every tick of every
 * schedule must end with exactly one job: no gap, no duplicate; once with one scheduleFire per
 * schedule, once with each server's pass batched in one scheduleFireMany.
 */
import { describe, expect } from 'vitest';
import type { Job } from '@docket/protocol';
import type { ScheduleFireParams, ScheduleRecord, Store } from '@docket/core';
import type { CaseContext } from '../case-registry.ts';
import { SCHEDULE_QUEUE, scheduleSpec, T0, tickJob } from '../support/schedules.ts';

const SERVERS = 4;
const SCHEDULES = 6;
const TICKS = 12;
const EVERY_MS = 1_000;

/** One server's fire of a due record: its next tick, guarded by the version it read. */
function firePlan(record: ScheduleRecord, now: number): ScheduleFireParams | null {
  const tick = record.nextFireAt;
  if (tick === null) return null;
  return {
    name: record.name,
    jobs: [tickJob(record.name, tick, now)],
    lastFireAt: tick,
    advance: { version: record.version, nextFireAt: tick + EVERY_MS, fired: 1 },
    now,
  };
}

/** One server's pass: its due records fired one scheduleFire each, or all in one scheduleFireMany. */
async function firePass(
  store: Store,
  records: readonly ScheduleRecord[],
  now: number,
  batched: boolean,
): Promise<void> {
  const fires = records.flatMap((record) => firePlan(record, now) ?? []);
  if (!batched) {
    await Promise.all(fires.map((fire) => store.scheduleFire(fire)));
    return;
  }
  for (const outcome of await store.scheduleFireMany({ fires })) if (!outcome.ok) throw outcome.error;
}

async function allJobs(store: Store): Promise<Job[]> {
  const jobs: Job[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.jobList({ queue: SCHEDULE_QUEUE, state: null, limit: 500, cursor });
    jobs.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== null);
  return jobs;
}

export function registerScheduleRaceCases(ctx: CaseContext): void {
  describe('schedule races', () => {
    for (const batched of [false, true]) {
      const how = batched ? 'each pass in one scheduleFireMany' : 'one scheduleFire per schedule';
      ctx.test(`servers firing the same schedules at once enqueue exactly one job per tick (${how})`, async () => {
        const first = ctx.store();
        const servers: Store[] = [first];
        while (servers.length < SERVERS) servers.push(await ctx.peer());
        const names = Array.from({ length: SCHEDULES }, (_, i) => `race-${i}`);
        for (const name of names) {
          await first.schedulePut({ name, spec: scheduleSpec(), paused: false, nextFireAt: T0 + EVERY_MS, now: T0 });
        }
        for (let k = 1; k <= TICKS; k += 1) {
          const now = T0 + k * EVERY_MS + 10;
          // Every server reads the due records, then all fire them at once, each from its own read.
          const reads = await Promise.all(servers.map((s) => s.scheduleDue({ now, limit: 100 })));
          await Promise.all(servers.map((s, i) => firePass(s, reads[i]?.due ?? [], now, batched)));
        }
        const ticks = new Map<string, number>();
        for (const job of await allJobs(first)) {
          ticks.set(job.dedupKey ?? '', (ticks.get(job.dedupKey ?? '') ?? 0) + 1);
        }
        const expected = names.flatMap((name) =>
          Array.from({ length: TICKS }, (_, i) => `schedule:${name}:${T0 + (i + 1) * EVERY_MS}`),
        );
        expect([...ticks.keys()].sort()).toEqual(expected.sort());
        expect([...ticks.values()].every((n) => n === 1)).toBe(true);
        for (const name of names) {
          expect(await first.scheduleGet({ name })).toMatchObject({
            fires: TICKS,
            nextFireAt: T0 + (TICKS + 1) * EVERY_MS,
            version: TICKS + 1,
          });
        }
      });
    }
  });
}
