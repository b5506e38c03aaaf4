/**
 * Streams in the SDK: a Worker consuming through the consumer stream (where the transport has
 * one; library mode refuses it by name), and `queue.events()` as an async iterator.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, type QueueEvent } from '@docket/protocol';
import { RateLimited, RetryLater, createWorker, type Client } from '@docket/client';
import type { Fixture } from '../support/fixture.ts';
import { gate, item, waitUntil } from '../support/wait.ts';

const NO_BACKOFF = { type: 'fixed', initialMs: 0, maxMs: 0, factor: 1, jitter: 0 } as const;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Collects a queue's events from a live subscription: probe jobs are enqueued until the first
 * event shows the subscription is in place, so no later event can be missed.
 */
async function listen(client: Client, queue: string) {
  const controller = new AbortController();
  const events: QueueEvent[] = [];
  const iterating = (async () => {
    for await (const event of client.queue(queue).events({ signal: controller.signal })) events.push(event);
  })();
  while (events.length === 0) {
    await client.queue(queue).enqueue('probe');
    await pause(50);
  }
  return {
    events,
    async stop() {
      controller.abort();
      await iterating;
    },
  };
}

export function streamCases(fx: Fixture): void {
  const hasStream = (): boolean => fx.client.transport.consume !== undefined;

  describe('stream worker', () => {
    it('refuses stream mode by name where the transport has no consumer stream', () => {
      if (hasStream()) return;
      let thrown: unknown;
      try {
        createWorker({ client: fx.client, queues: ['x'], stream: true, handler: () => undefined });
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(InvalidArgumentError);
      expect((thrown as InvalidArgumentError).details).toMatchObject({ field: 'stream' });
    });

    it('processes jobs end to end over the stream, within its concurrency, with no lease or ack requests', async () => {
      if (!hasStream()) return;
      const name = fx.queueName('stream-worker');
      await fx.client.queue<number>(name).enqueueMany(Array.from({ length: 12 }, (_, i) => ({ data: i })));
      const { client, calls } = fx.recordingClient();
      let active = 0;
      let most = 0;
      const worker = fx.worker<number, number>({
        client,
        queues: [name],
        concurrency: 3,
        stream: true,
        handler: async (job) => {
          active += 1;
          most = Math.max(most, active);
          await pause(20);
          active -= 1;
          return job.data * 2;
        },
      });
      const results: number[] = [];
      worker.on('completed', (job, result) => {
        expect(job.state).toBe('completed');
        results.push(result);
      });
      await worker.once('drained');
      expect(results.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i * 2));
      expect(most).toBe(3);
      const ops = new Set(calls.map((call) => call.op));
      expect(ops.has('consume')).toBe(true);
      for (const op of ['lease', 'ack', 'nack'] as const) expect(ops.has(op), op).toBe(false);
      expect((await fx.client.queue(name).stats()).counts).toMatchObject({ completed: 12, active: 0, waiting: 0 });
    });

    it('retries failures, RetryLater and RateLimited over the stream, and extends long handlers', async () => {
      if (!hasStream()) return;
      const name = fx.queueName('stream-retry');
      const q = fx.client.queue<string>(name);
      const { job: failing } = await q.enqueue('fail once', { maxAttempts: 3, backoff: NO_BACKOFF });
      const { job: later } = await q.enqueue('later');
      const { job: slow } = await q.enqueue('slow');
      const { job: limited } = await q.enqueue('limited', { maxAttempts: 1 });
      const tries = new Map<string, number>();
      const worker = fx.worker<string, string>({
        client: fx.client,
        queues: [name],
        concurrency: 3,
        leaseMs: 500,
        stream: true,
        handler: async (job) => {
          const n = (tries.get(job.id) ?? 0) + 1;
          tries.set(job.id, n);
          if (job.data === 'fail once' && n === 1) throw new Error('boom');
          if (job.data === 'later' && n === 1) throw new RetryLater(50);
          if (job.data === 'limited' && n === 1) throw new RateLimited(50);
          if (job.data === 'slow') await pause(1_500);
          return `${job.data} done`;
        },
      });
      const completed = new Map<string, unknown>();
      worker.on('completed', (job, result) => completed.set(job.id, result));
      await waitUntil(
        () => completed.size,
        (size) => size === 4,
        { what: 'four completions' },
      );
      expect(await q.get(failing.id)).toMatchObject({ state: 'completed', attempts: 2 });
      expect(await q.get(later.id)).toMatchObject({ state: 'completed', nacks: 1, delayedNacks: 1 });
      expect(await q.get(slow.id)).toMatchObject({ state: 'completed', attempts: 1, result: 'slow done' });
      expect(await q.get(limited.id)).toMatchObject({ state: 'completed', attempts: 1, nacks: 1, delayedNacks: 1 });
    });

    it('a graceful close gives prefetched, unstarted jobs back and lets the running one finish', async () => {
      if (!hasStream()) return;
      const name = fx.queueName('stream-close');
      const q = fx.client.queue<string, string>(name);
      const batch = await q.enqueueMany(['a', 'b', 'c', 'd'].map((data) => ({ data })));
      const started = gate();
      const release = gate();
      const worker = fx.worker<string, string>({
        client: fx.client,
        queues: [name],
        concurrency: 1,
        prefetch: 4,
        stream: true,
        handler: async (job) => {
          started.open();
          await release.opened;
          return job.data.toUpperCase();
        },
      });
      await started.opened;
      await waitUntil(
        () => q.stats(),
        (stats) => stats.counts.active === 4,
        { what: 'four jobs leased to the stream' },
      );
      const closing = worker.close();
      release.open();
      await closing;
      const jobs = await Promise.all(batch.map(({ job }) => q.get(job.id)));
      expect(jobs.filter((job) => job.state === 'completed').map((job) => job.result)).toEqual(['A']);
      expect(jobs.filter((job) => job.state === 'waiting')).toHaveLength(3);
      expect(item(jobs, 0).state).toBe('completed');
    });
  });

  describe('queue events', () => {
    it('yields a job through enqueued, leased and completed, in order', async () => {
      const name = fx.queueName('events');
      const listening = await listen(fx.client, name);
      const q = fx.client.queue<string>(name);
      const { job } = await q.enqueue('watched');
      const worker = fx.worker<string, string>({ client: fx.client, queues: [name], handler: (j) => j.data });
      await waitUntil(
        () => listening.events.filter((e) => e.type !== 'missed' && e.data.id === job.id).length,
        (n) => n >= 3,
        { what: 'three events of the watched job' },
      );
      await worker.close();
      await listening.stop();
      const mine = listening.events.filter((e) => e.type !== 'missed' && e.data.id === job.id);
      expect(mine.map((e) => e.type)).toEqual(['enqueued', 'leased', 'completed']);
      const completed = mine[2];
      expect(completed?.type !== 'missed' && completed?.data).toMatchObject({ state: 'completed', queue: name });
    });
  });
}
