/**
 * Flow control through the SDK: `queue.configure` sets a queue's limits, and workers on two
 * clients' worth of concurrency respect the queue's `concurrency` across all of them (the store
 * enforces it at lease time; a worker whose lease is held back waits for a slot, it does not spin);
 * `queue.enqueue(data, { group })` puts a job in a group, and a FIFO group runs in order.
 */
import { describe, expect, it } from 'vitest';
import { QueueFullError } from '@docket/protocol';
import type { Fixture } from '../support/fixture.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function flowControlCases(fx: Fixture): void {
  describe('flow control', () => {
    it('configure sets the limits, and workers never run more of the queue at once than its concurrency', async () => {
      const name = fx.queueName('flow');
      const queue = fx.client.queue<number>(name);
      const info = await queue.configure({ concurrency: 2 });
      expect(info.config).toEqual({ concurrency: 2 });
      await queue.enqueueMany(Array.from({ length: 8 }, (_, i) => ({ data: i })));
      let active = 0;
      let most = 0;
      let completed = 0;
      const handler = async (): Promise<void> => {
        active += 1;
        most = Math.max(most, active);
        await pause(30);
        active -= 1;
        completed += 1;
      };
      const workers = [1, 2].map(() => fx.worker({ client: fx.client, queues: [name], concurrency: 3, handler }));
      await Promise.all(workers.map((worker) => worker.once('drained')));
      expect(completed).toBe(8);
      expect(most).toBe(2);
      expect((await queue.stats()).counts).toMatchObject({ completed: 8, active: 0, waiting: 0 });
    });

    it('an enqueue past maxBytes rejects with QueueFullError, as past maxWaiting, and writes nothing', async () => {
      const name = fx.queueName('bytes');
      const queue = fx.client.queue<string>(name);
      expect((await queue.configure({ maxBytes: 64 })).config).toEqual({ maxBytes: 64 });
      await queue.enqueue('x'.repeat(50));
      const refused = await queue.enqueue('y'.repeat(20)).then(
        () => null,
        (err: unknown) => err,
      );
      expect(refused).toBeInstanceOf(QueueFullError);
      expect(refused).toMatchObject({ code: 'QUEUE_FULL', details: { queue: name, maxBytes: 64 } });
      expect((await queue.stats()).counts).toMatchObject({ waiting: 1 });
    });

    it('enqueue takes a group, and workers run a FIFO group one job at a time, in order', async () => {
      const name = fx.queueName('groups');
      const queue = fx.client.queue<number>(name);
      await queue.configure({ groupConcurrency: 1 });
      const first = await queue.enqueue(0, { group: 'customer-42' });
      expect(first.job.group).toBe('customer-42');
      await queue.enqueueMany(Array.from({ length: 5 }, (_, i) => ({ data: i + 1, group: 'customer-42' })));
      const order: number[] = [];
      let active = 0;
      let most = 0;
      const handler = async (job: { readonly data: number }): Promise<void> => {
        active += 1;
        most = Math.max(most, active);
        await pause(10);
        order.push(job.data);
        active -= 1;
      };
      const worker = fx.worker({ client: fx.client, queues: [name], concurrency: 4, handler });
      await worker.once('drained');
      expect(order).toEqual([0, 1, 2, 3, 4, 5]);
      expect(most).toBe(1);
    });
  });
}
