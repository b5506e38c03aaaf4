/**
 * jobEnqueueMany: single and batch inserts, sequence numbers, payload and option round-trips,
 * idempotency by id and by dedupKey window, all-or-nothing batches, and queue creation.
 */
import { describe, expect } from 'vitest';
import type { CaseContext } from '../case-registry.ts';
import { newJob, delayedJob, QUEUE, T0 } from '../support/new-jobs.ts';
import { complete, enqueue, enqueueOne } from '../support/store-actions.ts';

export function registerJobEnqueueCases(ctx: CaseContext): void {
  describe('job enqueue', () => {
    ctx.test('a new job is stored waiting with zero counters and no lease', async () => {
      const store = ctx.store();
      const input = newJob();
      const job = await enqueueOne(store, input);
      expect(job).toMatchObject({
        id: input.id,
        queue: QUEUE,
        state: 'waiting',
        attempts: 0,
        nacks: 0,
        delayedNacks: 0,
        leaseToken: null,
        leaseExpiresAt: null,
        attemptStartedAt: null,
        startedAt: null,
        worker: null,
        finishedAt: null,
        result: null,
        error: null,
        deadReason: null,
      });
      expect(await store.jobGet({ id: input.id })).toEqual(job);
    });

    ctx.test('a batch returns results in input order with strictly increasing seq', async () => {
      const store = ctx.store();
      const first = await enqueueOne(store, newJob());
      const inputs = [newJob(), newJob({ queue: 'other' }), newJob(), newJob({ priority: 9 })];
      const results = await enqueue(store, inputs);
      expect(results.map((r) => r.job.id)).toEqual(inputs.map((j) => j.id));
      expect(results.every((r) => r.created)).toBe(true);
      const seqs = [first.seq, ...results.map((r) => r.job.seq)];
      for (let i = 1; i < seqs.length; i += 1) expect(seqs[i]).toBeGreaterThan(seqs[i - 1] ?? Infinity);
    });

    ctx.test('every option of a new job is kept as given', async () => {
      const store = ctx.store();
      const input = delayedJob(T0 + 60_000, {
        name: 'send-email',
        priority: -7,
        createdAt: T0 - 5,
        expiresAt: T0 + 3_600_000,
        maxAttempts: 9,
        backoff: { type: 'fixed', initialMs: 250, maxMs: 250, factor: 1, jitter: 0 },
        leaseMs: 4500,
        timeoutMs: 9000,
        dedupKey: 'order-42',
        dedupUntil: T0 + 10_000,
        meta: { origin: 'checkout', traceparent: '00-abc-def-01' },
      });
      const job = await enqueueOne(store, input);
      const { dedupUntil: _dropped, ...stored } = input;
      expect(job).toMatchObject(stored);
      expect(await store.jobGet({ id: input.id })).toMatchObject(stored);
    });

    ctx.test('JSON payloads round-trip deep-equal', async () => {
      const store = ctx.store();
      const payloads = [
        null,
        true,
        0,
        -12.5,
        '',
        'héllo ✓ \u0000 "quoted"',
        [],
        [1, 'two', { three: [3] }],
        { nested: { deep: [null, false, { x: 1e21 }] }, empty: {}, __proto__x: 'kept' },
      ];
      for (const data of payloads) {
        const job = await enqueueOne(store, newJob({ data }));
        expect(job.encoding).toBe('json');
        expect((await store.jobGet({ id: job.id }))?.data).toEqual(data);
      }
    });

    ctx.test('byte payloads come back as the same bytes', async () => {
      const store = ctx.store();
      const samples = [new Uint8Array([0, 255, 128, 10, 13, 0xc3, 0x28, 0x7b]), new Uint8Array([])];
      for (const bytes of samples) {
        const job = await enqueueOne(store, newJob({ encoding: 'bytes', data: bytes }));
        const stored = await store.jobGet({ id: job.id });
        expect(stored?.encoding).toBe('bytes');
        const data = stored?.data;
        expect(data).toBeInstanceOf(Uint8Array);
        expect(data instanceof Uint8Array ? Array.from(data) : data).toEqual(Array.from(bytes));
      }
    });

    ctx.test('enqueueing an existing id returns the existing job unchanged', async () => {
      const store = ctx.store();
      const original = await enqueueOne(store, newJob({ data: 'first', priority: 1 }));
      const [again] = await enqueue(
        store,
        [newJob({ id: original.id, data: 'second', priority: 5, queue: 'another-queue' })],
        T0 + 1000,
      );
      expect(again).toEqual({ job: original, created: false });
      expect(await store.jobGet({ id: original.id })).toEqual(original);
      expect((await store.queueStats({ queue: QUEUE })).waiting).toBe(1);
    });

    ctx.test('enqueueing the id of a completed job returns it without running it again', async () => {
      const store = ctx.store();
      const job = await enqueueOne(store, newJob());
      const done = await complete(store, job, T0 + 10);
      const [again] = await enqueue(store, [newJob({ id: job.id })], T0 + 20);
      expect(again).toEqual({ job: done, created: false });
      expect(await store.queueStats({ queue: QUEUE })).toMatchObject({ waiting: 0, completed: 1 });
    });

    ctx.test('duplicate ids inside one batch resolve to the first', async () => {
      const store = ctx.store();
      const first = newJob({ data: 'first' });
      const results = await enqueue(store, [first, newJob({ id: first.id, data: 'second' }), newJob()]);
      expect(results.map((r) => r.created)).toEqual([true, false, true]);
      expect(results[1]?.job).toEqual(results[0]?.job);
      expect(results[1]?.job.data).toBe('first');
      expect((await store.queueStats({ queue: QUEUE })).waiting).toBe(2);
    });

    ctx.test('a dedupKey within its window returns the existing job', async () => {
      const store = ctx.store();
      const original = await enqueueOne(store, newJob({ dedupKey: 'k', dedupUntil: T0 + 1000 }));
      const [again] = await enqueue(store, [newJob({ dedupKey: 'k', dedupUntil: T0 + 1999 })], T0 + 999);
      expect(again).toEqual({ job: original, created: false });
      expect((await store.queueStats({ queue: QUEUE })).waiting).toBe(1);
    });

    ctx.test('a dedupKey after its window creates a new job', async () => {
      const store = ctx.store();
      const original = await enqueueOne(store, newJob({ dedupKey: 'k', dedupUntil: T0 + 1000 }));
      const [later] = await enqueue(store, [newJob({ dedupKey: 'k', dedupUntil: T0 + 2000 })], T0 + 1000);
      expect(later?.created).toBe(true);
      expect(later?.job.id).not.toBe(original.id);
      expect((await store.queueStats({ queue: QUEUE })).waiting).toBe(2);
    });

    ctx.test('the same dedupKey in another queue is independent', async () => {
      const store = ctx.store();
      const original = await enqueueOne(store, newJob({ dedupKey: 'k', dedupUntil: T0 + 1000 }));
      const [other] = await enqueue(store, [newJob({ queue: 'elsewhere', dedupKey: 'k', dedupUntil: T0 + 1000 })]);
      expect(other?.created).toBe(true);
      expect(other?.job.id).not.toBe(original.id);
      expect(other?.job.queue).toBe('elsewhere');
    });

    ctx.test('a dedupKey repeated inside one batch resolves to the first', async () => {
      const store = ctx.store();
      const results = await enqueue(store, [
        newJob({ dedupKey: 'k', dedupUntil: T0 + 1000, data: 'first' }),
        newJob({ dedupKey: 'k', dedupUntil: T0 + 1000, data: 'second' }),
      ]);
      expect(results.map((r) => r.created)).toEqual([true, false]);
      expect(results[1]?.job).toEqual(results[0]?.job);
    });

    ctx.test('a batch with one bad job is rejected whole and creates nothing', async () => {
      const store = ctx.store();
      const good = [newJob({ queue: 'atomic-a' }), newJob({ queue: 'atomic-b' })];
      const bad = newJob({ queue: 'atomic-a', encoding: 'bytes', data: 'not a Uint8Array' });
      await expect(store.jobEnqueueMany({ jobs: [...good, bad], now: T0 })).rejects.toThrow();
      for (const job of [...good, bad]) expect(await store.jobGet({ id: job.id })).toBeNull();
      expect(await store.queueGet({ queue: 'atomic-a' })).toBeNull();
      expect(await store.queueGet({ queue: 'atomic-b' })).toBeNull();
    });

    ctx.test('enqueueing into a missing queue creates it with an empty config', async () => {
      const store = ctx.store();
      expect(await store.queueGet({ queue: 'fresh' })).toBeNull();
      await enqueueOne(store, newJob({ queue: 'fresh' }), T0 + 5);
      expect(await store.queueGet({ queue: 'fresh' })).toEqual({
        name: 'fresh',
        paused: false,
        config: {},
        createdAt: T0 + 5,
        totals: { completed: 0, failed: 0 },
      });
    });

    ctx.test('a delayed job is stored delayed with its due time', async () => {
      const store = ctx.store();
      const job = await enqueueOne(store, delayedJob(T0 + 5000));
      expect(job).toMatchObject({ state: 'delayed', runAt: T0 + 5000 });
      expect(await store.queueStats({ queue: QUEUE })).toMatchObject({ delayed: 1, waiting: 0 });
    });
  });
}
