/**
 * Schedules through the Store port: put, get, list, delete, the due query, and the atomic fire
 * (the guarded advance of the record and the insert of its jobs in one step).
 */
import { describe, expect } from 'vitest';
import { QueueFullError, type Page } from '@docket/protocol';
import type { ScheduleRecord, Store } from '@docket/core';
import type { CaseContext } from '../case-registry.ts';
import { SCHEDULE_QUEUE, scheduleSpec, T0, tickJob } from '../support/schedules.ts';

async function allSchedules(store: Store, limit: number): Promise<ScheduleRecord[]> {
  const items: ScheduleRecord[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page: Page<ScheduleRecord> = await store.scheduleList({ limit, cursor });
    items.push(...page.items);
    if (page.cursor === null) return items;
    cursor = page.cursor;
  }
}

async function jobCount(store: Store, queue = SCHEDULE_QUEUE): Promise<number> {
  const counts = await store.queueStats({ queue });
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

export function registerScheduleCases(ctx: CaseContext): void {
  const { test } = ctx;

  describe('schedules', () => {
    test('schedulePut creates a schedule at version 1 and scheduleGet reads it back', async () => {
      const store = ctx.store();
      const spec = scheduleSpec({ options: { priority: 3, meta: { team: 'ops' } }, limit: 5 });
      const made = await store.schedulePut({ name: 'nightly', spec, paused: false, nextFireAt: T0 + 1_000, now: T0 });
      expect(made).toEqual({
        name: 'nightly',
        spec,
        paused: false,
        nextFireAt: T0 + 1_000,
        lastFireAt: null,
        fires: 0,
        version: 1,
        createdAt: T0,
        updatedAt: T0,
      });
      expect(await store.scheduleGet({ name: 'nightly' })).toEqual(made);
      expect(await store.scheduleGet({ name: 'missing' })).toBeNull();
    });

    test('schedulePut over an existing schedule replaces its spec and keeps fires, last fire and createdAt', async () => {
      const store = ctx.store();
      await store.schedulePut({ name: 's', spec: scheduleSpec(), paused: false, nextFireAt: T0 + 1_000, now: T0 });
      const fired = await store.scheduleFire({
        name: 's',
        jobs: [tickJob('s', T0 + 1_000)],
        lastFireAt: T0 + 1_000,
        advance: { version: 1, nextFireAt: T0 + 2_000, fired: 1 },
        now: T0 + 1_000,
      });
      expect(fired.fired).toBe(true);
      const spec = scheduleSpec({ everyMs: 5_000 });
      const replaced = await store.schedulePut({
        name: 's',
        spec,
        paused: true,
        nextFireAt: T0 + 9_000,
        now: T0 + 1_500,
      });
      expect(replaced).toMatchObject({
        spec,
        paused: true,
        nextFireAt: T0 + 9_000,
        lastFireAt: T0 + 1_000,
        fires: 1,
        version: 3,
        createdAt: T0,
        updatedAt: T0 + 1_500,
      });
    });

    test('scheduleList pages schedules by name and scheduleDelete removes one', async () => {
      const store = ctx.store();
      const names = ['c', 'a', 'e', 'b', 'd'];
      for (const name of names) {
        await store.schedulePut({ name, spec: scheduleSpec(), paused: false, nextFireAt: T0, now: T0 });
      }
      expect((await allSchedules(store, 2)).map((s) => s.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(await store.scheduleDelete({ name: 'c' })).toBe(true);
      expect(await store.scheduleDelete({ name: 'c' })).toBe(false);
      expect((await allSchedules(store, 10)).map((s) => s.name)).toEqual(['a', 'b', 'd', 'e']);
    });

    test('scheduleDue returns due schedules not paused, earliest first, and the next fire after now', async () => {
      const store = ctx.store();
      const put = (name: string, nextFireAt: number | null, paused = false) =>
        store.schedulePut({ name, spec: scheduleSpec(), paused, nextFireAt, now: T0 });
      await put('late', T0 + 500);
      await put('early', T0 + 100);
      await put('tie-b', T0 + 300);
      await put('tie-a', T0 + 300);
      await put('paused', T0 + 50, true);
      await put('finished', null);
      await put('future', T0 + 5_000);
      await put('paused-sooner', T0 + 2_000, true);
      const { due, nextAt } = await store.scheduleDue({ now: T0 + 1_000, limit: 10 });
      expect(due.map((s) => s.name)).toEqual(['early', 'tie-a', 'tie-b', 'late']);
      expect(nextAt).toBe(T0 + 5_000);
      const limited = await store.scheduleDue({ now: T0 + 1_000, limit: 2 });
      expect(limited.due.map((s) => s.name)).toEqual(['early', 'tie-a']);
      expect(await store.scheduleDue({ now: T0, limit: 10 })).toEqual({ due: [], nextAt: T0 + 100 });
    });

    test('scheduleFire enqueues the tick jobs and advances the schedule in one step', async () => {
      const store = ctx.store();
      await store.schedulePut({ name: 'tick', spec: scheduleSpec(), paused: false, nextFireAt: T0 + 1_000, now: T0 });
      const jobs = [tickJob('tick', T0 + 1_000, T0 + 3_100), tickJob('tick', T0 + 2_000, T0 + 3_100)];
      const result = await store.scheduleFire({
        name: 'tick',
        jobs,
        lastFireAt: T0 + 2_000,
        advance: { version: 1, nextFireAt: T0 + 4_000, fired: 2 },
        now: T0 + 3_100,
      });
      if (!result.fired) throw new Error('expected the fire to apply');
      expect(result.schedule).toMatchObject({ nextFireAt: T0 + 4_000, lastFireAt: T0 + 2_000, fires: 2, version: 2 });
      expect(result.results.map((r) => [r.job.id, r.created])).toEqual(jobs.map((j) => [j.id, true]));
      expect(result.results[0]?.job).toMatchObject({
        queue: SCHEDULE_QUEUE,
        state: 'waiting',
        dedupKey: jobs[0]?.dedupKey,
      });
      expect(await store.scheduleGet({ name: 'tick' })).toEqual(result.schedule);
      expect(await jobCount(store)).toBe(2);
    });

    test('scheduleFire planned from an old version changes nothing and enqueues nothing', async () => {
      const store = ctx.store();
      await store.schedulePut({ name: 'v', spec: scheduleSpec(), paused: false, nextFireAt: T0 + 1_000, now: T0 });
      await store.schedulePut({ name: 'v', spec: scheduleSpec(), paused: false, nextFireAt: T0 + 1_000, now: T0 });
      const result = await store.scheduleFire({
        name: 'v',
        jobs: [tickJob('v', T0 + 1_000)],
        lastFireAt: T0 + 1_000,
        advance: { version: 1, nextFireAt: T0 + 2_000, fired: 1 },
        now: T0 + 1_000,
      });
      expect(result.fired).toBe(false);
      expect(result.schedule).toMatchObject({ version: 2, fires: 0, nextFireAt: T0 + 1_000, lastFireAt: null });
      expect(await jobCount(store)).toBe(0);
      const gone = await store.scheduleFire({
        name: 'nope',
        jobs: [],
        lastFireAt: null,
        advance: { version: 1, nextFireAt: null, fired: 0 },
        now: T0,
      });
      expect(gone).toEqual({ fired: false, schedule: null });
    });

    test('scheduleFire of a tick already enqueued returns the first job by its dedupKey', async () => {
      const store = ctx.store();
      await store.schedulePut({ name: 'd', spec: scheduleSpec(), paused: false, nextFireAt: T0 + 1_000, now: T0 });
      const first = await store.scheduleFire({
        name: 'd',
        jobs: [tickJob('d', T0 + 1_000)],
        lastFireAt: T0 + 1_000,
        advance: { version: 1, nextFireAt: T0 + 2_000, fired: 1 },
        now: T0 + 1_000,
      });
      const again = await store.scheduleFire({
        name: 'd',
        jobs: [tickJob('d', T0 + 1_000, T0 + 1_200)],
        lastFireAt: T0 + 1_000,
        advance: { version: 2, nextFireAt: T0 + 2_000, fired: 0 },
        now: T0 + 1_200,
      });
      if (!first.fired || !again.fired) throw new Error('expected both fires to apply');
      expect(again.results[0]?.created).toBe(false);
      expect(again.results[0]?.job.id).toBe(first.results[0]?.job.id);
      expect(await jobCount(store)).toBe(1);
    });

    // A tick job's payload, {"tick":<13 digits>}, is 22 bytes: a second one passes maxBytes 30.
    for (const config of [{ maxWaiting: 1 }, { maxBytes: 30 }]) {
      test(`scheduleFire into a queue full by ${JSON.stringify(config)} refuses with QueueFullError and changes nothing`, async () => {
        const store = ctx.store();
        await store.queueConfigure({ queue: SCHEDULE_QUEUE, config, now: T0 });
        await store.jobEnqueueMany({ jobs: [tickJob('other', T0)], now: T0 });
        await store.schedulePut({ name: 'full', spec: scheduleSpec(), paused: false, nextFireAt: T0 + 1_000, now: T0 });
        await expect(
          store.scheduleFire({
            name: 'full',
            jobs: [tickJob('full', T0 + 1_000)],
            lastFireAt: T0 + 1_000,
            advance: { version: 1, nextFireAt: T0 + 2_000, fired: 1 },
            now: T0 + 1_000,
          }),
        ).rejects.toBeInstanceOf(QueueFullError);
        expect(await store.scheduleGet({ name: 'full' })).toMatchObject({
          version: 1,
          fires: 0,
          nextFireAt: T0 + 1_000,
        });
        expect(await jobCount(store)).toBe(1);
      });
    }

    test('scheduleFire without advance (a trigger) enqueues and leaves ticks and fires alone', async () => {
      const store = ctx.store();
      await store.schedulePut({ name: 't', spec: scheduleSpec(), paused: true, nextFireAt: T0 + 1_000, now: T0 });
      const job = tickJob('t', T0 + 400);
      const result = await store.scheduleFire({
        name: 't',
        jobs: [job],
        lastFireAt: T0 + 400,
        advance: null,
        now: T0 + 400,
      });
      if (!result.fired) throw new Error('expected the trigger to apply');
      expect(result.schedule).toMatchObject({
        paused: true,
        nextFireAt: T0 + 1_000,
        lastFireAt: T0 + 400,
        fires: 0,
        version: 2,
      });
      expect(result.results[0]?.job.id).toBe(job.id);
      const gone = await store.scheduleFire({
        name: 'gone',
        jobs: [tickJob('gone', T0)],
        lastFireAt: T0,
        advance: null,
        now: T0,
      });
      expect(gone).toEqual({ fired: false, schedule: null });
      expect(await jobCount(store)).toBe(1);
    });
  });
}
