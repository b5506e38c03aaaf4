/**
 * Every refusal of a batch item names the item (issue 19, item 9): `details.index` is the bad
 * item's position and `details.field` the field at fault inside it, whether the schema, the
 * base64 check or the engine refused it, for enqueue batches and for ack/nack/extend batches.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { errorOf, harnessPerFile } from './support/harness.ts';

const h = harnessPerFile({ memory: true });

interface Corruption {
  readonly job: Record<string, unknown> | number;
  /** The field named in details; undefined when the item as a whole is wrong. */
  readonly field: string | undefined;
  readonly status: number;
}

const JOB_CORRUPTIONS: readonly Corruption[] = [
  { job: { data: 1, priority: 'high' }, field: 'priority', status: 400 },
  { job: { data: 1, priority: 1e9 }, field: 'priority', status: 400 },
  { job: { data: 1, colour: 'red' }, field: 'colour', status: 400 },
  { job: {}, field: 'data', status: 400 },
  { job: { data: 1, meta: { a: 1 } }, field: 'meta.a', status: 400 },
  { job: { data: 1, backoff: { type: 'fixed' } }, field: 'backoff.initialMs', status: 400 },
  { job: { data: '!!', encoding: 'bytes' }, field: 'data', status: 400 },
  { job: { data: 1, delayMs: 5, runAt: 4_000_000_000_000 }, field: 'runAt', status: 400 },
  { job: { data: 1, dedupWindowMs: 5 }, field: 'dedupWindowMs', status: 400 },
  { job: { data: 'x'.repeat(1024 * 1024) }, field: 'data', status: 413 },
  { job: 5, field: undefined, status: 400 },
];

const ITEM_CORRUPTIONS: ReadonlyArray<{ readonly item: Record<string, unknown>; readonly field: string }> = [
  { item: { id: 'j1' }, field: 'lease' },
  { item: { id: 'j1', lease: '' }, field: 'lease' },
  { item: { id: 'j1', lease: 't', extra: true }, field: 'extra' },
  { item: { id: '', lease: 't' }, field: 'id' },
  { item: { lease: 't' }, field: 'id' },
];

test('an enqueue batch refused for one job names its index and field', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 6 }),
      fc.nat(),
      fc.constantFrom(...JOB_CORRUPTIONS),
      async (size, at, corruption) => {
        const index = at % size;
        const jobs = Array.from({ length: size }, (_, i) => (i === index ? corruption.job : { data: i }));
        const queue = h.q('batch');
        const response = await h.app.inject({ method: 'POST', url: `/v1/queues/${queue}/jobs`, payload: { jobs } });
        expect(response.statusCode).toBe(corruption.status);
        const { details } = errorOf(response);
        expect(details['index']).toBe(index);
        expect(details['field']).toBe(corruption.field);
        const stored = await h.app.inject({ method: 'GET', url: `/v1/queues/${queue}` });
        expect(stored.statusCode).toBe(404);
      },
    ),
    { numRuns: 150 },
  );
});

test('an ack, nack or extend batch refused for one item names its index and field', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('ack', 'nack', 'extend'),
      fc.integer({ min: 1, max: 6 }),
      fc.nat(),
      fc.constantFrom(...ITEM_CORRUPTIONS),
      async (action, size, at, corruption) => {
        const index = at % size;
        const items = Array.from({ length: size }, (_, i) =>
          i === index ? corruption.item : { id: `j${i}`, lease: 'token' },
        );
        const response = await h.app.inject({ method: 'POST', url: `/v1/jobs/${action}`, payload: { items } });
        expect(response.statusCode).toBe(400);
        const { details } = errorOf(response);
        expect(details['index']).toBe(index);
        expect(details['field']).toBe(corruption.field);
      },
    ),
    { numRuns: 150 },
  );
});
