import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createHarness, type Harness, type WireJobShape } from './support/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

type Result =
  | { readonly job: WireJobShape; readonly created: boolean }
  | { readonly error: { code: string; message: string; details: Record<string, unknown> } };

async function enqueueEach(items: unknown[]): Promise<Result[]> {
  const response = await h.app.inject({ method: 'POST', url: '/v1/jobs', payload: { items } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ results: Result[] }>().results;
}

async function waitingData(queue: string): Promise<unknown[]> {
  const response = await h.app.inject({ method: 'GET', url: `/v1/queues/${queue}/jobs?state=waiting&limit=100` });
  return response.json<{ items: WireJobShape[] }>().items.map((job) => job.data);
}

describe('POST /v1/jobs', () => {
  test('items for several queues are enqueued, in order, each with its own result', async () => {
    const results = await enqueueEach([
      { queue: 'a', data: 1 },
      { queue: 'b', data: 'x', priority: 3 },
      { queue: 'a', data: 2, name: 'second' },
      { queue: 'a', data: { n: 3 } },
    ]);
    expect(results.map((r) => ('job' in r ? [r.job.queue, r.job.data, r.created] : r.error.code))).toEqual([
      ['a', 1, true],
      ['b', 'x', true],
      ['a', 2, true],
      ['a', { n: 3 }, true],
    ]);
    expect(await waitingData('a')).toEqual([1, 2, { n: 3 }]);
    expect(await waitingData('b')).toEqual(['x']);
  });

  test('a bad item gets its own error with its index and changes nothing; its neighbours go in', async () => {
    const results = await enqueueEach([
      { queue: 'a', data: 1 },
      { queue: 'a', data: 2, priority: 'high' },
      { queue: 'bad queue name', data: 3 },
      { queue: 'a', data: 4, encoding: 'bytes' },
      { data: 5 },
      { queue: 'a', data: 6, delayMs: -1 },
      { queue: 'a', data: 7 },
    ]);
    const codes = results.map((r) => ('job' in r ? 'ok' : r.error.code));
    expect(codes).toEqual([
      'ok',
      'INVALID_ARGUMENT',
      'INVALID_ARGUMENT',
      'INVALID_ARGUMENT',
      'INVALID_ARGUMENT',
      'INVALID_ARGUMENT',
      'ok',
    ]);
    results.forEach((r, i) => {
      if ('error' in r) expect(r.error.details['index']).toBe(i);
    });
    const second = results[1];
    expect(second !== undefined && 'error' in second ? second.error.message : '').toContain('/items/1/priority');
    const fourth = results[3];
    expect(fourth !== undefined && 'error' in fourth ? fourth.error.details['field'] : '').toBe('data');
    expect(fourth !== undefined && 'error' in fourth ? fourth.error.message : '').toContain('items/3/data');
    expect(await waitingData('a')).toEqual([1, 7]);
  });

  test('an id that exists returns the existing job with created false', async () => {
    const [first] = await enqueueEach([{ queue: 'a', data: 1, id: 'job-1' }]);
    const [again, other] = await enqueueEach([
      { queue: 'a', data: 2, id: 'job-1' },
      { queue: 'a', data: 3, id: 'job-2' },
    ]);
    expect(first).toMatchObject({ created: true, job: { id: 'job-1', data: 1 } });
    expect(again).toMatchObject({ created: false, job: { id: 'job-1', data: 1 } });
    expect(other).toMatchObject({ created: true, job: { id: 'job-2', data: 3 } });
  });

  test('bytes items travel as base64 and come back as sent', async () => {
    const [result] = await enqueueEach([
      { queue: 'a', data: Buffer.from([0, 1, 255]).toString('base64'), encoding: 'bytes' },
    ]);
    expect(result).toMatchObject({ created: true, job: { encoding: 'bytes', data: 'AAH/' } });
  });

  test('the request itself is bounded: no items, too many, or another shape is a 400', async () => {
    for (const payload of [
      { items: [] },
      { items: Array.from({ length: 1001 }, () => ({ queue: 'a', data: 1 })) },
      { jobs: [] },
      [1],
    ]) {
      const response = await h.app.inject({ method: 'POST', url: '/v1/jobs', payload: payload as object });
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'INVALID_ARGUMENT' } });
    }
    expect(await waitingData('a')).toEqual([]);
  });
});
