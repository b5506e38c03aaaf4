/** The worker: concurrency, lease extension, timeouts, handler control errors, events, lost leases. */
import { describe, expect, it } from 'vitest';
import { FailPermanently, JobTimeoutError, LeaseLostError, RateLimited, RetryLater } from '@docket/client';
import { limits } from '@docket/protocol';
import type { Fixture } from '../support/fixture.ts';
import { aborted, item, waitUntil } from '../support/wait.ts';

/** Backoff of zero: a failed attempt is retried at once, so retry tests take no backoff time. */
const NO_BACKOFF = { type: 'fixed', initialMs: 0, maxMs: 0, factor: 1, jitter: 0 } as const;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function workerCases(fx: Fixture): void {
  describe('worker', () => {
    it('never runs more jobs at once than its concurrency', async () => {
      const name = fx.queueName('concurrency');
      await fx.client.queue<number>(name).enqueueMany(Array.from({ length: 9 }, (_, i) => ({ data: i })));
      let active = 0;
      let most = 0;
      const worker = fx.worker({
        client: fx.client,
        queues: [name],
        concurrency: 3,
        handler: async () => {
          active += 1;
          most = Math.max(most, active);
          await pause(50);
          active -= 1;
        },
      });
      let completed = 0;
      worker.on('completed', () => (completed += 1));
      await worker.once('drained');
      expect(completed).toBe(9);
      expect(most).toBe(3);
    });

    it('drains a busy queue with two leases in flight: each job acked once, no error, at most concurrency running', async () => {
      const name = fx.queueName('busy-drain');
      const total = 600;
      await fx.client.queue<number>(name).enqueueMany(Array.from({ length: total }, (_, i) => ({ data: i })));
      const errors: Error[] = [];
      const seen = new Map<number, number>();
      let active = 0;
      let most = 0;
      const worker = fx.worker({
        client: fx.client,
        queues: [name],
        concurrency: 50,
        handler: async (job) => {
          active += 1;
          most = Math.max(most, active);
          seen.set(job.data as number, (seen.get(job.data as number) ?? 0) + 1);
          await Promise.resolve();
          active -= 1;
        },
      });
      worker.on('error', (err) => errors.push(err));
      let completed = 0;
      await new Promise<void>((resolve) =>
        worker.on('completed', () => {
          completed += 1;
          if (completed === total) resolve();
        }),
      );
      await worker.close();
      expect(errors).toEqual([]);
      expect(most).toBeLessThanOrEqual(50);
      expect(seen.size).toBe(total);
      expect([...seen.values()].every((runs) => runs === 1)).toBe(true);
      expect((await fx.client.queue(name).stats()).counts).toMatchObject({ waiting: 0, active: 0, completed: total });
    });

    it('extends the lease of a handler that runs longer than leaseMs, so the job completes once', async () => {
      const name = fx.queueName('extend');
      const { job } = await fx.client.queue(name).enqueue('long');
      let calls = 0;
      const worker = fx.worker({
        client: fx.client,
        queues: [name],
        leaseMs: 500,
        handler: async () => {
          calls += 1;
          await pause(1_500);
          return 'done';
        },
      });
      const [completed] = await worker.once('completed');
      expect(completed).toMatchObject({ id: job.id, state: 'completed', attempts: 1, result: 'done' });
      expect(calls).toBe(1);
    });

    it("aborts the handler's signal at the job's timeoutMs and fails the attempt", async () => {
      const name = fx.queueName('timeout');
      const { job } = await fx.client.queue(name).enqueue('stuck', { timeoutMs: 200, maxAttempts: 1 });
      let reason: unknown;
      const worker = fx.worker({
        client: fx.client,
        queues: [name],
        handler: async (_job, { signal }) => {
          await aborted(signal);
          reason = signal.reason;
          throw signal.reason;
        },
      });
      const seen: string[] = [];
      for (const event of ['failed', 'retrying', 'dead'] as const) worker.on(event, () => seen.push(event));
      const [dead, error] = await worker.once('dead');
      expect(reason).toBeInstanceOf(JobTimeoutError);
      expect(error).toBeInstanceOf(JobTimeoutError);
      expect(seen).toEqual(['failed', 'dead']);
      expect(dead).toMatchObject({ id: job.id, state: 'dead', deadReason: 'timeout' });
    });

    it('RetryLater gives the job back after its delay without counting a failure', async () => {
      const name = fx.queueName('retry-later');
      const { job } = await fx.client.queue(name).enqueue('x', { maxAttempts: 1 });
      let calls = 0;
      const worker = fx.worker({
        client: fx.client,
        queues: [name],
        handler: () => {
          calls += 1;
          if (calls === 1) throw new RetryLater(100);
          return 'second time';
        },
      });
      const [retrying, why] = await worker.once('retrying');
      expect(why).toBeInstanceOf(RetryLater);
      expect(retrying.state).toBe('delayed');
      const [completed, result] = await worker.once('completed');
      expect(result).toBe('second time');
      expect(completed).toMatchObject({ id: job.id, attempts: 2, nacks: 1, delayedNacks: 1 });
    });

    it('RateLimited gives the job back after its delay and its attempt with it', async () => {
      const name = fx.queueName('rate-limited');
      const { job } = await fx.client.queue(name).enqueue('x', { maxAttempts: 1 });
      let calls = 0;
      const worker = fx.worker({
        client: fx.client,
        queues: [name],
        handler: () => {
          calls += 1;
          if (calls <= 2) throw new RateLimited(50);
          return 'third time';
        },
      });
      const [retrying, why] = await worker.once('retrying');
      expect(why).toBeInstanceOf(RateLimited);
      expect(why).toBeInstanceOf(RetryLater);
      expect(why).toMatchObject({ name: 'RateLimited', retryAfterMs: 50 });
      expect(retrying).toMatchObject({ state: 'delayed', attempts: 0 });
      const [completed, result] = await worker.once('completed');
      expect(result).toBe('third time');
      expect(completed).toMatchObject({ id: job.id, attempts: 1, maxAttempts: 1, nacks: 2, delayedNacks: 2 });
      expect((await fx.client.getJobAttempts(job.id)).attempts).toEqual([]);
    });

    it('FailPermanently makes the job dead at once, whatever attempts remain', async () => {
      const name = fx.queueName('fail-permanently');
      await fx.client.queue(name).enqueue('x', { maxAttempts: 5 });
      const worker = fx.worker({
        client: fx.client,
        queues: [name],
        handler: () => {
          throw new FailPermanently('no recipient');
        },
      });
      const [dead, error] = await worker.once('dead');
      expect(error).toBeInstanceOf(FailPermanently);
      expect(dead).toMatchObject({ state: 'dead', deadReason: 'rejected', attempts: 1 });
      expect(dead.error?.message).toBe('no recipient');
    });

    it('reports each failed attempt, the retry, then the death, with message and stack kept', async () => {
      const name = fx.queueName('failures');
      await fx.client.queue(name).enqueue('x', { maxAttempts: 2, backoff: NO_BACKOFF });
      const worker = fx.worker({
        client: fx.client,
        queues: [name],
        handler: () => {
          throw new Error('boom');
        },
      });
      const seen: string[] = [];
      for (const event of ['completed', 'failed', 'retrying', 'dead'] as const)
        worker.on(event, () => seen.push(event));
      const [dead] = await worker.once('dead');
      expect(seen).toEqual(['failed', 'retrying', 'failed', 'dead']);
      expect(dead).toMatchObject({ deadReason: 'max-attempts', attempts: 2 });
      expect(dead.error?.message).toBe('boom');
      expect(dead.error?.stack).toMatch(/worker\.case\.ts/);
    });

    it("sends each failure's stack, cut to the bound, into the job's attempt history", async () => {
      const name = fx.queueName('attempt-stacks');
      const { job } = await fx.client.queue(name).enqueue('x', { maxAttempts: 2, backoff: NO_BACKOFF });
      let calls = 0;
      const worker = fx.worker({
        client: fx.client,
        queues: [name],
        handler: () => {
          calls += 1;
          if (calls === 1) throw new Error('first');
          const huge = new Error('second');
          huge.stack = `Error: second\n${'    at deep (frames.ts:1:1)\n'.repeat(2000)}`;
          throw huge;
        },
      });
      await worker.once('dead');
      const { attempts, dropped } = await fx.client.getJobAttempts(job.id);
      expect(dropped).toBe(0);
      expect(attempts.map((a) => [a.attempt, a.outcome, a.error?.message, a.next])).toEqual([
        [1, 'failed', 'first', 'waiting'],
        [2, 'failed', 'second', 'dead'],
      ]);
      expect(attempts[0]?.error?.stack).toMatch(/worker\.case\.ts/);
      expect(attempts[1]?.error?.stack).toHaveLength(limits.MAX_ERROR_STACK_LENGTH);
      expect(attempts[1]?.error?.stack?.startsWith('Error: second\n    at deep')).toBe(true);
    });

    it('announces completed with the result, then drained once the queues are empty', async () => {
      const name = fx.queueName('events');
      await fx.client.queue<number>(name).enqueueMany([{ data: 1 }, { data: 2 }, { data: 3 }]);
      const worker = fx.worker<number, number>({ client: fx.client, queues: [name], handler: (job) => job.data * 10 });
      const results: number[] = [];
      worker.on('completed', (job, result) => {
        expect(job.result).toBe(result);
        results.push(result);
      });
      await worker.once('drained');
      expect(results.sort()).toEqual([10, 20, 30]);
      expect(worker.running).toBe(0);
    });

    it('never acks a job whose lease it lost', async () => {
      const name = fx.queueName('stale');
      const { job } = await fx.client.queue(name).enqueue('x');
      const { client, calls } = fx.recordingClient();
      let thiefToken = '';
      let reason: unknown;
      const worker = fx.worker({
        client,
        queues: [name],
        leaseMs: 300,
        handler: async (leased, { signal }) => {
          await fx.client.transport.nack(leased.id, { token: leased.leaseToken, placement: 'front' });
          thiefToken = item(await fx.client.transport.lease({ queues: [name] }), 0).leaseToken;
          await aborted(signal);
          reason = signal.reason;
          return 'stale result';
        },
      });
      const [error] = await worker.once('error');
      expect(error).toBeInstanceOf(LeaseLostError);
      await waitUntil(
        () => worker.running,
        (running) => running === 0,
        { what: 'handler end' },
      );
      expect(reason).toBe(error);
      const settled = calls.filter((call) => call.op === 'ack' || call.op === 'nack');
      expect(settled).toEqual([]);
      const acked = await fx.client.transport.ack(job.id, { token: thiefToken, result: 'thief result' });
      expect(acked).toMatchObject({ state: 'completed', result: 'thief result' });
    });
  });
}
