/**
 * Schedules through the SDK: `client.schedules` sets, reads, lists, triggers, pauses, resumes
 * and deletes; a schedule's ticks reach a worker as jobs; errors are the protocol's classes.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ScheduleNotFoundError } from '@docket/protocol';
import type { Fixture } from '../support/fixture.ts';

export function scheduleCases(fx: Fixture): void {
  describe('schedules', () => {
    it('set, get, list, trigger, pause, resume and delete a schedule', async () => {
      const queue = fx.queueName('scheduled');
      const name = fx.queueName('nightly');
      const set = await fx.client.schedules.set(name, {
        queue,
        cron: '0 3 * * *',
        timezone: 'America/New_York',
        data: { report: 'daily' },
      });
      expect(set).toMatchObject({ name, queue, cron: '0 3 * * *', paused: false, fires: 0, catchUp: 'last' });
      expect(await fx.client.schedules.get(name)).toEqual(set);
      const names: string[] = [];
      for await (const schedule of fx.client.schedules.all({ limit: 1 })) names.push(schedule.name);
      expect(names).toContain(name);
      const job = await fx.client.schedules.trigger<{ report: string }>(name);
      expect(job).toMatchObject({ queue, data: { report: 'daily' }, meta: { schedule: name } });
      expect((await fx.client.schedules.pause(name)).paused).toBe(true);
      expect((await fx.client.schedules.resume(name)).paused).toBe(false);
      await fx.client.schedules.delete(name);
      await expect(fx.client.schedules.get(name)).rejects.toBeInstanceOf(ScheduleNotFoundError);
      await expect(fx.client.schedules.set(name, { queue, cron: 'every minute' })).rejects.toBeInstanceOf(
        InvalidArgumentError,
      );
    });

    it("an every schedule's ticks reach a worker as jobs", async () => {
      const queue = fx.queueName('ticks');
      const name = fx.queueName('beat');
      const seen: string[] = [];
      const worker = fx.worker<{ beat: boolean }, null>({
        client: fx.client,
        queues: [queue],
        concurrency: 1,
        handler: (job) => {
          seen.push(job.meta.scheduledAt ?? '');
          return Promise.resolve(null);
        },
      });
      const done = worker.once('completed');
      await fx.client.schedules.set(name, { queue, every: '1s', data: { beat: true } });
      await done;
      expect(seen).toHaveLength(1);
      expect(Date.parse(seen[0] ?? '')).toBeGreaterThan(0);
      await fx.client.schedules.delete(name);
    });
  });
}
