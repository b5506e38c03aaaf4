/** Typed jobs (core-queue): dispatch options, listeners, retry and abort hooks, the queue-length gauge. */
import { describe, expect, it } from 'vitest';
import { createTaskRegistry, defineJob, type QueueLengthSample } from '@docket/client';
import type { Fixture } from '../support/fixture.ts';

const NO_BACKOFF = { type: 'fixed', initialMs: 0, maxMs: 0, factor: 1, jitter: 0 } as const;

interface Email {
  readonly to: string;
}

export function typedJobCases(fx: Fixture): void {
  const prefix = (): string => `${fx.queueName('typed')}:`;

  describe('typed jobs', () => {
    it('dispatch applies the type defaults, then defer, scheduleAt, maxAttempts, timeout and unique id', async () => {
      const SendEmail = defineJob<Email>('send-email', { maxAttempts: 3, timeoutMs: 5_000, prefix: prefix() });
      const deferred = await SendEmail.dispatch(fx.client, { to: 'a@example.com' }, { delayMs: 60_000 });
      expect(deferred.job).toMatchObject({ state: 'delayed', maxAttempts: 3, timeoutMs: 5_000, name: 'send-email' });
      expect(deferred.job.runAt - deferred.job.createdAt).toBe(60_000);
      const at = new Date(Date.now() + 120_000);
      const scheduled = await SendEmail.dispatch(
        fx.client,
        { to: 'b@example.com' },
        { scheduleAt: at, maxAttempts: 7 },
      );
      expect(scheduled.job).toMatchObject({ state: 'delayed', maxAttempts: 7 });
      expect(Math.abs(scheduled.job.runAt - at.getTime())).toBeLessThanOrEqual(fx.clockOffsetMs);
      const unique = await SendEmail.dispatch(
        fx.client,
        { to: 'c@example.com' },
        { uniqueId: 'email-c', timeoutMs: 1_000 },
      );
      expect(unique.job).toMatchObject({ id: 'email-c', timeoutMs: 1_000, state: 'waiting' });
      const again = await SendEmail.dispatch(fx.client, { to: 'other' }, { uniqueId: 'email-c' });
      expect(again).toMatchObject({ created: false, job: { id: 'email-c', data: { to: 'c@example.com' } } });
    });

    it('runs every listener in order for each job', async () => {
      const tasks = createTaskRegistry({ prefix: prefix() });
      const Ping = defineJob<number>('ping', { prefix: tasks.prefix });
      const calls: string[] = [];
      Ping.listen((job) => calls.push(`first ${job.data}`));
      Ping.listen(async (job) => {
        await Promise.resolve();
        calls.push(`second ${job.data}`);
      });
      Ping.register(tasks);
      fx.track(tasks.createWorker({ client: fx.client }));
      const { job } = await Ping.dispatch(fx.client, 7);
      const done = await Ping.queue(fx.client).waitFor(job.id, { waitMs: 10_000 });
      expect(done.job.state).toBe('completed');
      expect(calls).toEqual(['first 7', 'second 7']);
    });

    it('calls beforeRetry before a retry and beforeAbort before the job dies', async () => {
      const tasks = createTaskRegistry({ prefix: prefix() });
      const Flaky = defineJob<string>('flaky', { maxAttempts: 2, backoff: NO_BACKOFF, prefix: tasks.prefix });
      const hooks: string[] = [];
      Flaky.listen(() => {
        throw new Error('listener failed');
      });
      Flaky.listen(() => hooks.push('never reached'));
      Flaky.on('beforeRetry', ({ job, error }) => hooks.push(`beforeRetry ${job.attempts} ${error.message}`));
      Flaky.on('beforeAbort', ({ job, error }) => hooks.push(`beforeAbort ${job.attempts} ${error.message}`));
      Flaky.register(tasks);
      const worker = fx.track(tasks.createWorker({ client: fx.client }));
      await Flaky.dispatch(fx.client, 'x');
      const [dead] = await worker.once('dead');
      expect(dead).toMatchObject({ deadReason: 'max-attempts', attempts: 2 });
      expect(hooks).toEqual(['beforeRetry 1 listener failed', 'beforeAbort 2 listener failed']);
    });

    it('reports queue lengths now and every interval, zeros for a queue never used', async () => {
      const Report = defineJob<number>('report', { prefix: prefix() });
      const empty = await new Promise<QueueLengthSample>((resolve) => {
        const watch = Report.onQueueLength(fx.client, (sample) => {
          watch.stop();
          resolve(sample);
        });
      });
      expect(empty.counts).toEqual({ delayed: 0, waiting: 0, active: 0, completed: 0, dead: 0 });
      await Report.dispatch(fx.client, 1, { delayMs: 60_000 });
      await Report.dispatch(fx.client, 2);
      const samples: QueueLengthSample[] = [];
      await new Promise<void>((resolve) => {
        const watch = Report.onQueueLength(
          fx.client,
          (sample) => {
            samples.push(sample);
            if (samples.length === 2) {
              watch.stop();
              resolve();
            }
          },
          50,
        );
      });
      expect(samples[1]).toMatchObject({ queue: Report.queue(fx.client).name, paused: false });
      expect(samples[1]?.counts).toMatchObject({ delayed: 1, waiting: 1 });
    });
  });
}
