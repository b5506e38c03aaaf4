/** The task registry (monsterqueue): names, one worker for all tasks, unregistered tasks wait. */
import { describe, expect, it } from 'vitest';
import { createTaskRegistry, taskQueue, type TaskRegistry } from '@docket/client';
import type { Fixture } from '../support/fixture.ts';

export function taskCases(fx: Fixture): void {
  const registry = (): TaskRegistry => createTaskRegistry({ prefix: `${fx.queueName('tasks')}:` });

  describe('task registry', () => {
    it('refuses a task name registered twice', () => {
      const tasks = registry();
      tasks.register('resize', () => 'ok');
      expect(() => tasks.register('resize', () => 'again')).toThrow('task already registered');
      expect(tasks.names()).toEqual(['resize']);
    });

    it('runs every registered task by name with one worker', async () => {
      const tasks = registry();
      tasks.register<{ n: number }, number>('double', (job) => job.data.n * 2);
      tasks.register<{ who: string }, string>('greet', (job) => `hello ${job.data.who}`);
      fx.track(tasks.createWorker({ client: fx.client }));
      const doubled = await tasks
        .queue<{ n: number }, number>(fx.client, 'double')
        .enqueueAndWait({ n: 4 }, { waitMs: 10_000 });
      const greeted = await tasks
        .queue<{ who: string }, string>(fx.client, 'greet')
        .enqueueAndWait({ who: 'ann' }, { waitMs: 10_000 });
      expect(doubled.result).toBe(8);
      expect(greeted.result).toBe('hello ann');
      expect(doubled.job).toMatchObject({ name: 'double', queue: tasks.queueName('double') });
    });

    it('leaves a job of an unregistered task waiting until a worker that knows the task comes', async () => {
      const tasks = registry();
      tasks.register('known', () => 'known done');
      fx.track(tasks.createWorker({ client: fx.client }));
      const unknown = await taskQueue(fx.client, 'unknown', { prefix: tasks.prefix }).enqueue('later');
      await tasks.queue(fx.client, 'known').enqueueAndWait('now', { waitMs: 10_000 });
      expect(await fx.client.getJob(unknown.job.id)).toMatchObject({ state: 'waiting', attempts: 0, nacks: 0 });
      const others = createTaskRegistry({ prefix: tasks.prefix });
      others.register('unknown', () => 'finally');
      fx.track(others.createWorker({ client: fx.client }));
      const { result } = await fx.client.queue(unknown.job.queue).waitFor(unknown.job.id, { waitMs: 10_000 });
      expect(result).toBe('finally');
    });

    it("records the enqueuer's stack with the job when asked", async () => {
      const tasks = registry();
      const { job } = await tasks.queue(fx.client, 'stacked').enqueue({}, { captureStack: true });
      const read = await fx.client.getJob(job.id);
      expect(read.meta['enqueueStack']).toMatch(/tasks\.case\.ts/);
    });
  });
}
