/** Producing and administering: enqueue, enqueueMany, enqueueAndWait, queue admin, error classes. */
import { describe, expect, it } from 'vitest';
import { JobFailedError, WaitTimeoutError } from '@docket/client';
import { InvalidArgumentError, JobNotFoundError, LeaseMismatchError, QueueNotFoundError } from '@docket/protocol';
import type { Fixture } from '../support/fixture.ts';
import { gate, item } from '../support/wait.ts';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function producerCases(fx: Fixture): void {
  describe('producing', () => {
    it('gives every job an id, and enqueueing a known id returns the first job', async () => {
      const q = fx.client.queue<{ n: number }>(fx.queueName('ids'));
      const first = await q.enqueue({ n: 1 });
      expect(first.created).toBe(true);
      expect(first.job.id).toMatch(ULID);
      const again = await q.enqueue({ n: 2 }, { id: first.job.id });
      expect(again).toMatchObject({ created: false, job: { id: first.job.id, data: { n: 1 } } });
      const mine = await q.enqueue({ n: 3 }, { id: 'order-42' });
      expect(mine.job.id).toBe('order-42');
    });

    it('enqueues a batch atomically, with per-item options', async () => {
      const q = fx.client.queue<number>(fx.queueName('batch'));
      const results = await q.enqueueMany([{ data: 1 }, { data: 2, priority: 5 }], { maxAttempts: 2 });
      expect(results.map((r) => r.created)).toEqual([true, true]);
      expect(new Set(results.map((r) => r.job.id)).size).toBe(2);
      expect(results.map((r) => r.job.maxAttempts)).toEqual([2, 2]);
      const page = await q.list({ state: 'waiting' });
      expect(page.items.map((job) => job.data)).toEqual([2, 1]);
      await expect(q.enqueueMany([{ data: 3 }, { data: 4, priority: 1e6 }])).rejects.toBeInstanceOf(
        InvalidArgumentError,
      );
      expect((await q.stats()).counts.waiting).toBe(2);
    });

    it('keeps a bytes payload as bytes', async () => {
      const q = fx.client.queue<Uint8Array>(fx.queueName('bytes'));
      const bytes = new Uint8Array([0, 1, 127, 128, 255]);
      const { job } = await q.enqueue(bytes);
      const read = await q.get(job.id);
      expect(read.encoding).toBe('bytes');
      expect(read.data).toBeInstanceOf(Uint8Array);
      expect([...read.data]).toEqual([...bytes]);
    });

    it("enqueueAndWait returns the worker's result", async () => {
      const name = fx.queueName('wait');
      fx.worker<{ n: number }, { doubled: number }>({
        client: fx.client,
        queues: [name],
        handler: (job) => ({ doubled: job.data.n * 2 }),
      });
      const { job, result } = await fx.client
        .queue<{ n: number }, { doubled: number }>(name)
        .enqueueAndWait({ n: 21 }, { waitMs: 10_000 });
      expect(result).toEqual({ doubled: 42 });
      expect(job.state).toBe('completed');
    });

    it('enqueueAndWait throws WaitTimeoutError when the job is not done in time; the job keeps running', async () => {
      const name = fx.queueName('wait-timeout');
      const release = gate();
      fx.worker({
        client: fx.client,
        queues: [name],
        handler: async () => {
          await release.opened;
          return 'late result';
        },
      });
      const q = fx.client.queue<string, string>(name);
      const error = await q.enqueueAndWait('slow', { waitMs: 300 }).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(WaitTimeoutError);
      const { job } = error as WaitTimeoutError;
      expect(['waiting', 'active']).toContain(job.state);
      release.open();
      const finished = await q.waitFor(job.id, { waitMs: 10_000 });
      expect(finished.result).toBe('late result');
    });

    it('enqueueAndWait throws JobFailedError when the job dies', async () => {
      const name = fx.queueName('wait-dead');
      fx.worker({
        client: fx.client,
        queues: [name],
        handler: () => {
          throw new Error('bad input');
        },
      });
      const error = await fx.client
        .queue(name)
        .enqueueAndWait('x', { waitMs: 10_000, maxAttempts: 1 })
        .catch((err: unknown) => err);
      expect(error).toBeInstanceOf(JobFailedError);
      expect((error as JobFailedError).message).toBe('bad input');
      expect((error as JobFailedError).job.deadReason).toBe('max-attempts');
    });

    it('records the caller stack in meta.enqueueStack when asked', async () => {
      const q = fx.client.queue(fx.queueName('stack'));
      const { job } = await q.enqueue('x', { captureStack: true, meta: { origin: 'test' } });
      expect(job.meta['origin']).toBe('test');
      expect(job.meta['enqueueStack']).toMatch(/producer\.case\.ts/);
      expect(job.meta['enqueueStack']?.length).toBeLessThanOrEqual(2048);
      const plain = await q.enqueue('y');
      expect(plain.job.meta['enqueueStack']).toBeUndefined();
    });
  });

  describe('administering', () => {
    it('lists by state, pauses and resumes, cancels, redrives, purges and counts', async () => {
      const q = fx.client.queue<number>(fx.queueName('admin'));
      const batch = await q.enqueueMany([{ data: 1 }, { data: 2 }, { data: 3 }]);
      const a = item(batch, 0).job;
      const b = item(batch, 1).job;
      expect((await q.stats()).counts).toMatchObject({ waiting: 3, active: 0 });
      expect((await q.pause()).paused).toBe(true);
      expect(await fx.client.transport.lease({ queues: [q.name], max: 10 })).toEqual([]);
      expect((await q.resume()).paused).toBe(false);
      const cancelled = await q.cancel(a.id);
      expect(cancelled).toMatchObject({ state: 'dead', deadReason: 'cancelled' });
      expect((await q.list({ state: 'dead' })).items.map((job) => job.id)).toEqual([a.id]);
      expect(await q.redrive({ reason: 'cancelled' })).toBe(1);
      await q.delete(b.id);
      await expect(q.get(b.id)).rejects.toBeInstanceOf(JobNotFoundError);
      expect(await q.purge()).toBe(2);
      expect((await q.stats()).counts.waiting).toBe(0);
      const queues = await fx.client.listQueues({ limit: 1000 });
      expect(queues.items.map((info) => info.name)).toContain(q.name);
    });

    it("reads a queue's lifetime totals: acks and failed attempts, kept when finished jobs go", async () => {
      const q = fx.client.queue<number>(fx.queueName('totals'));
      await q.enqueueMany([{ data: 1 }, { data: 2 }]);
      const [done, failed] = await fx.client.transport.lease({ queues: [q.name], max: 2 });
      await fx.client.transport.ack(done?.id ?? '', { token: done?.leaseToken ?? '' });
      await fx.client.transport.nack(failed?.id ?? '', { token: failed?.leaseToken ?? '', fail: true, retry: false });
      const totals = { completed: 1, failed: 1 };
      expect((await q.stats()).totals).toEqual(totals);
      expect(await q.purge({ states: ['completed'] })).toBe(1);
      expect((await q.pause()).totals).toEqual(totals);
      const queues = await fx.client.listQueues({ limit: 1000 });
      expect(queues.items.find((info) => info.name === q.name)?.totals).toEqual(totals);
    });

    it("turns the server's errors into the protocol's classes", async () => {
      const q = fx.client.queue(fx.queueName('errors'));
      await expect(fx.client.getJob('no-such-job')).rejects.toBeInstanceOf(JobNotFoundError);
      await expect(q.stats()).rejects.toBeInstanceOf(QueueNotFoundError);
      await q.enqueue('x');
      const leased = item(await fx.client.transport.lease({ queues: [q.name] }), 0);
      const stale = fx.client.transport.ack(leased.id, { token: 'ffffffffffffffffffffffff' });
      await expect(stale).rejects.toBeInstanceOf(LeaseMismatchError);
      await expect(stale).rejects.toThrow(`lease token does not match job ${leased.id}`);
      await fx.client.transport.ack(leased.id, { token: leased.leaseToken, result: 'ok' });
    });
  });
}
