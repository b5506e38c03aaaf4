/**
 * Flow control through the SDK: `queue.configure` sets a queue's limits, and workers on two
 * clients' worth of concurrency respect the queue's `concurrency` across all of them (the store
 * enforces it at lease time; a worker whose lease is held back waits for a slot, it does not spin).
 */
import { describe, expect, it } from 'vitest';
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
  });
}
