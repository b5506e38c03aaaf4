/**
 * Engine: the scheduler over the store under test, on the manual clock. One job per tick while
 * time moves; ticks missed while no engine ran follow `catchUp` when one starts; trigger,
 * pause and resume; a PUT of an unchanged spec keeps its ticks; a full queue holds a tick back
 * until it has room; a store error is reported and the scheduler carries on.
 */
import { describe, expect, it } from 'vitest';
import { ScheduleNotFoundError, type Job } from '@docket/protocol';
import type { Engine, Store } from '@docket/core';
import { createHarness, nextEvent, T0, until, type Harness, type StoreFactory } from './harness.ts';

async function jobsOf(engine: Engine, queue: string): Promise<Job[]> {
  const jobs: Job[] = [];
  let cursor: string | undefined;
  do {
    const page = await engine.list(queue, { limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
    jobs.push(...page.items);
    cursor = page.cursor ?? undefined;
  } while (cursor !== undefined);
  return jobs;
}

async function waitForJobs(h: Harness, queue: string, count: number): Promise<Job[]> {
  let jobs: Job[] = [];
  await until(async () => (jobs = await jobsOf(h.engine, queue)).length >= count);
  return jobs;
}

/** The scheduled times (meta.scheduledAt) of the queue's jobs, as ms, sorted. */
function ticksOf(jobs: readonly Job[]): number[] {
  return jobs.map((j) => Date.parse(j.meta.scheduledAt ?? '')).sort((a, b) => a - b);
}

export function scheduleCases(createStore: StoreFactory): void {
  describe('engine schedules', () => {
    it('an every schedule enqueues one job per tick as time passes, each with its tick dedupKey', async () => {
      const h = await createHarness(createStore);
      try {
        const made = await h.engine.putSchedule('beat', { queue: 'beats', every: '1s', data: { n: 1 } });
        expect(made).toMatchObject({ name: 'beat', everyMs: 1_000, nextFireAt: T0 + 1_000, fires: 0, catchUp: 'last' });
        for (let k = 1; k <= 3; k += 1) {
          h.clock.advance(1_000);
          await waitForJobs(h, 'beats', k);
        }
        const jobs = await jobsOf(h.engine, 'beats');
        expect(ticksOf(jobs)).toEqual([T0 + 1_000, T0 + 2_000, T0 + 3_000]);
        expect(jobs.map((j) => j.dedupKey).sort()).toEqual([1, 2, 3].map((k) => `schedule:beat:${T0 + k * 1_000}`));
        expect(jobs[0]).toMatchObject({ data: { n: 1 }, state: 'waiting', meta: { schedule: 'beat' } });
        await until(async () => (await h.engine.getSchedule('beat')).fires === 3);
        expect(await h.engine.getSchedule('beat')).toMatchObject({ nextFireAt: T0 + 4_000, lastFireAt: T0 + 3_000 });
      } finally {
        await h.engine.close();
      }
    });

    it('a cron schedule with seconds fires on its seconds', async () => {
      const h = await createHarness(createStore);
      try {
        h.clock.advance(1);
        await h.engine.putSchedule('five', { queue: 'crons', cron: '*/5 * * * * *', options: { priority: 7 } });
        h.clock.advance(4_999);
        const [job] = await waitForJobs(h, 'crons', 1);
        expect(job).toMatchObject({
          priority: 7,
          meta: { schedule: 'five', scheduledAt: new Date(T0 + 5_000).toISOString() },
        });
      } finally {
        await h.engine.close();
      }
    });

    for (const [catchUp, expected] of [
      ['last', [T0 + 600_000]],
      ['all', Array.from({ length: 10 }, (_, i) => T0 + (i + 1) * 60_000)],
      ['none', []],
    ] as const) {
      it(`ticks missed while no engine ran: catchUp ${catchUp}`, async () => {
        const h = await createHarness(createStore, { start: false });
        try {
          await h.engine.putSchedule('minutely', { queue: `missed-${catchUp}`, everyMs: 60_000, catchUp });
          h.clock.advance(630_000);
          h.engine.start();
          await until(async () => (await h.engine.getSchedule('minutely')).nextFireAt === T0 + 660_000);
          expect(ticksOf(await jobsOf(h.engine, `missed-${catchUp}`))).toEqual(expected);
        } finally {
          await h.engine.close();
        }
      });
    }

    it('trigger enqueues now and leaves the ticks alone; pause stops fires and resume skips the paused ticks', async () => {
      const h = await createHarness(createStore);
      try {
        await h.engine.putSchedule('p', { queue: 'paused', every: '1s', limit: 100 });
        const triggered = await h.engine.triggerSchedule('p');
        expect(triggered).toMatchObject({ queue: 'paused', meta: { schedule: 'p' } });
        expect(await h.engine.getSchedule('p')).toMatchObject({ fires: 0, nextFireAt: T0 + 1_000, lastFireAt: T0 });
        expect((await h.engine.pauseSchedule('p')).paused).toBe(true);
        h.clock.advance(5_000);
        await new Promise((r) => setTimeout(r, 20));
        expect(await jobsOf(h.engine, 'paused')).toHaveLength(1);
        await h.engine.triggerSchedule('p');
        expect(await jobsOf(h.engine, 'paused')).toHaveLength(2);
        const resumed = await h.engine.resumeSchedule('p');
        expect(resumed).toMatchObject({ paused: false, nextFireAt: T0 + 6_000 });
        h.clock.advance(1_000);
        await waitForJobs(h, 'paused', 3);
        await h.engine.deleteSchedule('p');
        await expect(h.engine.getSchedule('p')).rejects.toBeInstanceOf(ScheduleNotFoundError);
        await expect(h.engine.triggerSchedule('p')).rejects.toBeInstanceOf(ScheduleNotFoundError);
        expect((await h.engine.listSchedules()).items).toEqual([]);
      } finally {
        await h.engine.close();
      }
    });

    it('a PUT of the same spec keeps the ticks; a changed spec starts from its first tick after now', async () => {
      const h = await createHarness(createStore, { start: false });
      try {
        const first = await h.engine.putSchedule('s', { queue: 'q', every: '10s' });
        h.clock.advance(4_000);
        const same = await h.engine.putSchedule('s', { queue: 'q', everyMs: 10_000 });
        expect(same).toEqual(first);
        const changed = await h.engine.putSchedule('s', { queue: 'q', every: '20s' });
        expect(changed).toMatchObject({ everyMs: 20_000, nextFireAt: T0 + 24_000, createdAt: T0 });
      } finally {
        await h.engine.close();
      }
    });

    it('a tick for a full queue waits until the queue has room, then goes in once', async () => {
      const h = await createHarness(createStore, { start: false });
      try {
        await h.engine.configureQueue('tight', { maxWaiting: 1 });
        const blocker = await h.engine.enqueue('tight', { data: 'first' });
        await h.engine.putSchedule('t', { queue: 'tight', every: '1s' });
        h.clock.advance(1_000);
        const held = nextEvent(h.engine, 'service:ran', (e) => e.service === 'scheduler');
        h.engine.start();
        expect((await held).count).toBe(0);
        expect(await h.engine.getSchedule('t')).toMatchObject({ fires: 0, nextFireAt: T0 + 1_000 });
        await h.engine.delete(blocker.job.id);
        h.clock.advance(5_000);
        const [job] = await waitForJobs(h, 'tight', 1);
        expect(job?.meta.scheduledAt).toBe(new Date(T0 + 6_000).toISOString());
        expect(await jobsOf(h.engine, 'tight')).toHaveLength(1);
      } finally {
        await h.engine.close();
      }
    });

    it('a store error in the scheduler is reported and the next run fires the tick', async () => {
      const store = await createStore();
      let failures = 1;
      const flaky: Store = new Proxy(store, {
        get(target, key, receiver) {
          if (key === 'scheduleDue' && failures > 0) {
            return () => {
              failures -= 1;
              return Promise.reject(new Error('injected scheduleDue failure'));
            };
          }
          const value: unknown = Reflect.get(target, key, receiver);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const h = await createHarness(() => Promise.resolve(flaky), { start: false });
      try {
        await h.engine.putSchedule('e', { queue: 'errors', every: '1s' });
        h.clock.advance(1_000);
        const reported = nextEvent(h.engine, 'service:error', (e) => e.service === 'scheduler');
        h.engine.start();
        expect(String((await reported).error)).toContain('injected');
        h.clock.advance(200);
        const [job] = await waitForJobs(h, 'errors', 1);
        expect(job?.meta.scheduledAt).toBe(new Date(T0 + 1_000).toISOString());
      } finally {
        await h.engine.close();
      }
    });
  });
}
