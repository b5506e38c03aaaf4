/** Closing a worker: graceful (running jobs finish) and forced (jobs given back at once). */
import { describe, expect, it } from 'vitest';
import { WorkerClosedError } from '@docket/client';
import type { Fixture } from '../support/fixture.ts';
import { aborted, gate, item } from '../support/wait.ts';

export function closeCases(fx: Fixture): void {
  describe('closing a worker', () => {
    it('close() stops leasing and waits for running jobs to finish', async () => {
      const name = fx.queueName('close');
      const q = fx.client.queue<string, string>(name);
      const batch = await q.enqueueMany([{ data: 'a' }, { data: 'b' }]);
      const started = gate();
      const release = gate();
      const worker = fx.worker<string, string>({
        client: fx.client,
        queues: [name],
        handler: async (job) => {
          started.open();
          await release.opened;
          return job.data.toUpperCase();
        },
      });
      await started.opened;
      let closed = false;
      const closing = worker.close().then(() => (closed = true));
      expect(worker.state).toBe('closing');
      await Promise.resolve();
      expect(closed).toBe(false);
      release.open();
      await closing;
      expect(worker.state).toBe('closed');
      expect(await q.get(item(batch, 0).job.id)).toMatchObject({ state: 'completed', result: 'A' });
      expect(await q.get(item(batch, 1).job.id)).toMatchObject({ state: 'waiting', attempts: 0 });
    });

    it('close({ force: true }) aborts running handlers and gives their jobs back at once', async () => {
      const name = fx.queueName('force');
      const q = fx.client.queue(name);
      await q.enqueueMany([{ data: 1 }, { data: 2 }]);
      const { client, calls } = fx.recordingClient();
      const reasons: unknown[] = [];
      let running = 0;
      const worker = fx.worker({
        client,
        queues: [name],
        concurrency: 2,
        leaseMs: 30_000,
        handler: async (_job, { signal }) => {
          running += 1;
          await aborted(signal);
          reasons.push(signal.reason);
          return 'too late';
        },
      });
      while (running < 2) await new Promise((resolve) => setTimeout(resolve, 10));
      const began = Date.now();
      await worker.close({ force: true });
      expect(Date.now() - began).toBeLessThan(5_000);
      expect(reasons).toHaveLength(2);
      for (const reason of reasons) expect(reason).toBeInstanceOf(WorkerClosedError);
      const back = await q.list({ state: 'waiting' });
      expect(back.items.map((job) => [job.attempts, job.nacks])).toEqual([
        [1, 1],
        [1, 1],
      ]);
      expect(await fx.client.transport.lease({ queues: [name], max: 10 })).toHaveLength(2);
      const settled = calls.filter((call) => call.op === 'ack' || call.op === 'nack');
      expect(settled.map((call) => call.args[1])).toEqual([
        expect.objectContaining({ placement: 'front' }),
        expect.objectContaining({ placement: 'front' }),
      ]);
    });

    it('a forced close during a graceful one ends it at once', async () => {
      const name = fx.queueName('escalate');
      await fx.client.queue(name).enqueue('x');
      const started = gate();
      const worker = fx.worker({
        client: fx.client,
        queues: [name],
        handler: async (_job, { signal }) => {
          started.open();
          await aborted(signal);
        },
      });
      await started.opened;
      const graceful = worker.close();
      await worker.close({ force: true });
      await graceful;
      expect(worker.state).toBe('closed');
      expect((await fx.client.queue(name).list({ state: 'waiting' })).items).toHaveLength(1);
    });
  });
}
