/**
 * The worker registry: workerSeen registers and refreshes a worker, a lease with a worker records
 * it, and each worker's processed (acks), failed (failure nacks, reaps) and active (jobs leased
 * now) counters follow its jobs; workerList pages through every worker once.
 */
import { describe, expect } from 'vitest';
import type { WorkerInfo } from '@docket/protocol';
import type { Store } from '@docket/core';
import type { CaseContext } from '../case-registry.ts';
import { newJob, QUEUE, T0 } from '../support/new-jobs.ts';
import { collectPages } from '../support/pages.ts';
import { enqueue, enqueueOne, lease, leaseOne, nackParams } from '../support/store-actions.ts';

async function findWorker(store: Store, id: string): Promise<WorkerInfo | undefined> {
  const page = await store.workerList({ limit: 1000, cursor: null });
  return page.items.find((w) => w.id === id);
}

export function registerWorkerCases(ctx: CaseContext): void {
  describe('workers', () => {
    ctx.test('workerSeen registers a worker and later refreshes lastSeenAt and queues', async () => {
      const store = ctx.store();
      await store.workerSeen({ id: 'w1', queues: ['a'], now: T0 });
      expect(await findWorker(store, 'w1')).toEqual({
        id: 'w1',
        queues: ['a'],
        startedAt: T0,
        lastSeenAt: T0,
        processed: 0,
        failed: 0,
        active: 0,
      });
      await store.workerSeen({ id: 'w1', queues: ['a', 'b'], now: T0 + 100 });
      expect(await findWorker(store, 'w1')).toMatchObject({ queues: ['a', 'b'], startedAt: T0, lastSeenAt: T0 + 100 });
    });

    ctx.test('a lease with a worker records the worker and counts its active jobs', async () => {
      const store = ctx.store();
      await enqueue(store, [newJob(), newJob(), newJob()]);
      const leased = await lease(store, { queues: [QUEUE], now: T0 + 5, max: 3, worker: 'w2' });
      expect(leased.map((j) => j.worker)).toEqual(['w2', 'w2', 'w2']);
      expect(await findWorker(store, 'w2')).toMatchObject({ id: 'w2', lastSeenAt: T0 + 5, active: 3 });
    });

    ctx.test('acks count as processed and failure nacks as failed, placement nacks as neither', async () => {
      const store = ctx.store();
      await enqueue(store, [newJob(), newJob(), newJob(), newJob()]);
      const [acked, failed, handedBack] = await lease(store, { queues: [QUEUE], now: T0 + 1, max: 4, worker: 'w3' });
      if (acked === undefined || failed === undefined || handedBack === undefined) throw new Error('expected 4 leases');
      await store.jobAck({ id: acked.id, token: acked.leaseToken, now: T0 + 2, result: null });
      await store.jobNack(nackParams(failed, T0 + 3, { state: 'delayed', runAt: T0 + 100 }, { kind: 'failure' }));
      await store.jobNack(nackParams(handedBack, T0 + 4, { state: 'waiting', placement: 'back' }));
      expect(await findWorker(store, 'w3')).toMatchObject({ processed: 1, failed: 1, active: 1 });
    });

    ctx.test('a reaped lease counts as failed for the worker that held it', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob({ leaseMs: 1000 }));
      const leased = await leaseOne(store, { queues: [QUEUE], now: T0, worker: 'w4' });
      const target = { state: 'delayed', runAt: T0 + 5000 } as const;
      await store.jobNack(nackParams(leased, T0 + 1000, target, { kind: 'failure', leaseExpiredOnly: true }));
      expect(await findWorker(store, 'w4')).toMatchObject({ processed: 0, failed: 1, active: 0 });
    });

    ctx.test('the worker list pages through every worker exactly once', async () => {
      const store = ctx.store();
      const ids = ['w-c', 'w-a', 'w-e', 'w-b', 'w-d'];
      for (const id of ids) await store.workerSeen({ id, queues: [QUEUE], now: T0 });
      const seen = (await collectPages(2, (page) => store.workerList(page))).map((w) => w.id);
      expect([...seen].sort()).toEqual([...ids].sort());
      expect(seen).toHaveLength(ids.length);
    });
  });
}
