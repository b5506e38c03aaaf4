/**
 * `maxBytes` at the Store port (docs/state-machine.md#flow-control): an enqueue after which the
 * queue's waiting and delayed jobs would hold more than `maxBytes` of stored payload (the JSON
 * text, or the raw bytes) is refused whole with QueueFullError (details `maxBytes`) and writes
 * nothing. The total is exact through every move into or out of waiting/delayed: lease, nack,
 * dead, expiry, cancel, delete, purge, redrive, retry, promotion; jobs already in the queue count
 * when `maxBytes` is set. Probes measure the room left: a job one byte too big is refused, one
 * that fits exactly is taken (and deleted again).
 */
import { describe, expect } from 'vitest';
import { QueueFullError, type LeasedJob } from '@docket/protocol';
import type { NewJob, Store } from '@docket/core';
import type { CaseContext } from '../case-registry.ts';
import { delayedJob, freshTokens, newJob, QUEUE, T0 } from '../support/new-jobs.ts';
import { enqueue, nackParams } from '../support/store-actions.ts';

/** A JSON job whose stored payload is exactly `bytes` long (a string: its text and two quotes). */
function sized(bytes: number, overrides: Partial<NewJob> = {}): NewJob {
  return newJob({ data: 'x'.repeat(bytes - 2), ...overrides });
}

/** The payload bytes the queue can still take now, found by probing around `expected`. */
async function expectRoom(store: Store, expected: number, now: number): Promise<void> {
  if (expected >= 2) {
    const tooBig = sized(expected + 1);
    await expect(store.jobEnqueueMany({ jobs: [tooBig], now })).rejects.toBeInstanceOf(QueueFullError);
    expect(await store.jobGet({ id: tooBig.id })).toBeNull();
    const fits = sized(expected);
    await store.jobEnqueueMany({ jobs: [fits], now });
    expect(await store.jobDelete({ id: fits.id })).toBe(true);
  } else {
    await expect(store.jobEnqueueMany({ jobs: [sized(2)], now })).rejects.toBeInstanceOf(QueueFullError);
  }
}

async function leaseAll(store: Store, now: number, max = 10): Promise<LeasedJob[]> {
  return [
    ...(await store.jobLease({ queues: [QUEUE], max, now, leaseMs: null, worker: null, tokens: freshTokens(max) })),
  ];
}

export function registerFlowControlBytesCases(ctx: CaseContext): void {
  describe('flow control: maxBytes', () => {
    ctx.test('refuses a batch that would pass maxBytes, whole, and writes nothing', async () => {
      const store = ctx.store();
      await store.queueConfigure({ queue: QUEUE, config: { maxBytes: 100 }, now: T0 });
      await enqueue(store, [sized(40), delayedJob(T0 + 60_000, { data: 'y'.repeat(28) })]);
      const batch = [sized(20), sized(20)];
      await expect(store.jobEnqueueMany({ jobs: batch, now: T0 + 1 })).rejects.toMatchObject({
        code: 'QUEUE_FULL',
        details: { queue: QUEUE, maxBytes: 100 },
      });
      for (const job of batch) expect(await store.jobGet({ id: job.id })).toBeNull();
      expect(await store.queueStats({ queue: QUEUE })).toMatchObject({ waiting: 1, delayed: 1 });
      await expectRoom(store, 30, T0 + 2);
    });

    ctx.test('byte payloads count their raw bytes; an enqueue that creates nothing is never refused', async () => {
      const store = ctx.store();
      await store.queueConfigure({ queue: QUEUE, config: { maxBytes: 64 }, now: T0 });
      const raw = newJob({ encoding: 'bytes', data: new Uint8Array(60).fill(0xff) });
      await enqueue(store, [raw]);
      await expectRoom(store, 4, T0 + 1);
      const [again] = await enqueue(store, [raw], T0 + 2);
      expect(again?.created).toBe(false);
    });

    ctx.test(
      'jobs already waiting count once maxBytes is set; dropping it and setting it again starts over',
      async () => {
        const store = ctx.store();
        await enqueue(store, [sized(30), sized(30)]);
        await store.queueConfigure({ queue: QUEUE, config: { maxBytes: 100 }, now: T0 });
        await expectRoom(store, 40, T0 + 1);
        await store.queueConfigure({ queue: QUEUE, config: {}, now: T0 + 2 });
        await enqueue(store, [sized(50)], T0 + 3);
        await store.queueConfigure({ queue: QUEUE, config: { maxBytes: 200 }, now: T0 + 4 });
        await expectRoom(store, 90, T0 + 5);
      },
    );

    ctx.test('a job active or dead when maxBytes is set counts again once it is back', async () => {
      const store = ctx.store();
      await enqueue(store, [sized(100), sized(100), sized(100)]);
      const [active, dead] = (await leaseAll(store, T0 + 1, 2)) as [LeasedJob, LeasedJob];
      await store.jobNack(nackParams(dead, T0 + 2, { state: 'dead', reason: 'rejected' }, { kind: 'failure' }));
      await store.queueConfigure({ queue: QUEUE, config: { maxBytes: 500 }, now: T0 + 3 });
      await expectRoom(store, 400, T0 + 4);
      await store.jobNack(nackParams(active, T0 + 5, { state: 'delayed', runAt: T0 + 60_000 }));
      await expectRoom(store, 300, T0 + 6);
      expect(await store.jobRetry({ id: dead.id, now: T0 + 7 })).not.toBeNull();
      await expectRoom(store, 200, T0 + 8);
    });

    ctx.test('every move into or out of waiting and delayed keeps the total exact', async () => {
      const store = ctx.store();
      await store.queueConfigure({ queue: QUEUE, config: { maxBytes: 1_000 }, now: T0 });
      const jobs = [sized(100), sized(100), sized(100), sized(100), sized(100)];
      await enqueue(store, [...jobs, delayedJob(T0 + 50, { data: 'd'.repeat(98) })]);
      await expectRoom(store, 400, T0 + 1);
      const leased = await leaseAll(store, T0 + 2, 3);
      expect(leased).toHaveLength(3);
      await expectRoom(store, 700, T0 + 3);
      const [a, b, c] = leased as [LeasedJob, LeasedJob, LeasedJob];
      await store.jobNack(nackParams(a, T0 + 4, { state: 'waiting', placement: 'back' }));
      await store.jobNack({ ...nackParams(b, T0 + 4, { state: 'delayed', runAt: T0 + 10_000 }), rateLimited: true });
      await store.jobNack(nackParams(c, T0 + 4, { state: 'dead', reason: 'rejected' }, { kind: 'failure' }));
      await expectRoom(store, 500, T0 + 5);
      expect(await store.jobPromoteDue({ now: T0 + 50, limit: 10 })).toHaveLength(1);
      await expectRoom(store, 500, T0 + 51);
      await store.jobCancel({ id: a.id, now: T0 + 52 });
      await expectRoom(store, 600, T0 + 53);
      expect(await store.jobRetry({ id: a.id, now: T0 + 54 })).not.toBeNull();
      await expectRoom(store, 500, T0 + 55);
      expect(await store.queueRedrive({ queue: QUEUE, reason: null, now: T0 + 56, limit: 10 })).toBe(1);
      await expectRoom(store, 400, T0 + 57);
      expect(await store.jobDelete({ id: b.id })).toBe(true);
      await expectRoom(store, 500, T0 + 58);
      expect(await store.queuePurge({ queue: QUEUE, states: ['delayed'], resetTotals: false })).toBe(0);
      expect(await store.queuePurge({ queue: QUEUE, states: ['waiting'], resetTotals: false })).toBe(5);
      await expectRoom(store, 1_000, T0 + 59);
    });

    ctx.test('expiry of a waiting or delayed job gives its bytes back', async () => {
      const store = ctx.store();
      await store.queueConfigure({ queue: QUEUE, config: { maxBytes: 300 }, now: T0 });
      await enqueue(store, [
        sized(100, { expiresAt: T0 + 10 }),
        delayedJob(T0 + 1_000, { data: 'e'.repeat(98), expiresAt: T0 + 10 }),
        sized(100),
      ]);
      await expectRoom(store, 0, T0 + 1);
      expect(await store.jobExpireDue({ now: T0 + 10, limit: 10 })).toHaveLength(2);
      await expectRoom(store, 200, T0 + 11);
    });
  });
}
