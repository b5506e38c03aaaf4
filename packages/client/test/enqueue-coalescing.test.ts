/**
 * The HTTP transport's enqueue coalescing against a real `docket serve` (SQLite in a temp dir):
 * the enqueues of one macrotask share one `POST /v1/jobs`, each call gets its own job or its
 * own error, one producer's jobs keep their order, a lone enqueue keeps the single-job route,
 * and a signal takes a call out before its request leaves. Requests are counted from the
 * server's own request histogram on /metrics. Back-pressure (429, 503) is played by a fake
 * server, since the real one answers those only under faults.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from '@docket/client';
import { InvalidArgumentError } from '@docket/protocol';
import { requestsOn as countRequests } from './support/request-count.ts';
import { makeDataDir, removeDataDir, startServer, type ServerProcess } from '../../../test/support/server-process.ts';
import { startFakeServer } from './support/fake-server.ts';

let server: ServerProcess;
let dataDir: string;
let client: Client;

beforeAll(async () => {
  dataDir = await makeDataDir('docket-sdk-coalesce-');
  server = await startServer({ dataDir });
  client = createClient({ url: server.url, retry: false });
});

afterAll(async () => {
  await server.stop('SIGTERM');
  await removeDataDir(dataDir);
});

const requestsOn = (route: string): Promise<number> => countRequests(server.url, route);

async function waitingData(queue: string): Promise<unknown[]> {
  const page = await client.queue(queue).list({ state: 'waiting', limit: 1000 });
  return page.items.map((job) => job.data);
}

const SINGLE = '/v1/queues/:queue/jobs';

describe('HTTP transport enqueue coalescing', () => {
  it('sends the enqueues of one macrotask as one request; each caller gets its own job, in order', async () => {
    const [batchBefore, singleBefore] = [await requestsOn('/v1/jobs'), await requestsOn(SINGLE)];
    const a = client.queue<number>('coalesce-a');
    const b = client.queue<string>('coalesce-b');
    const results = await Promise.all([a.enqueue(1), b.enqueue('x'), a.enqueue(2, { priority: 0 }), a.enqueue(3)]);
    expect(results.map((r) => [r.job.queue, r.job.data, r.created])).toEqual([
      ['coalesce-a', 1, true],
      ['coalesce-b', 'x', true],
      ['coalesce-a', 2, true],
      ['coalesce-a', 3, true],
    ]);
    expect(new Set(results.map((r) => r.job.id)).size).toBe(4);
    expect(await requestsOn('/v1/jobs')).toBe(batchBefore + 1);
    expect(await requestsOn(SINGLE)).toBe(singleBefore);
    expect(await waitingData('coalesce-a')).toEqual([1, 2, 3]);
  });

  it('a lone enqueue keeps the single-job route', async () => {
    const before = await requestsOn(SINGLE);
    const { job, created } = await client.queue('coalesce-lone').enqueue({ n: 1 });
    expect([job.data, created]).toEqual([{ n: 1 }, true]);
    expect(await requestsOn(SINGLE)).toBe(before + 1);
  });

  it('a bad enqueue fails only its own caller; its neighbours go in', async () => {
    const q = client.queue<number>('coalesce-partial');
    const outcomes = await Promise.allSettled([
      q.enqueue(1),
      q.enqueue(2, { priority: 5000 }),
      q.enqueue(3, { delayMs: -5 }),
      q.enqueue(4),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    const refused = outcomes[1];
    expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(InvalidArgumentError);
    expect(await waitingData('coalesce-partial')).toEqual([1, 4]);
  });

  it('keeps one producer order over many turns and splits a turn of more than 1 000 enqueues', async () => {
    const q = client.queue<number>('coalesce-order');
    const before = await requestsOn('/v1/jobs');
    await Promise.all(Array.from({ length: 1500 }, (_, i) => q.enqueue(i)));
    expect(await requestsOn('/v1/jobs')).toBe(before + 2);
    for (let i = 1500; i < 1600; i += 1) await q.enqueue(i);
    const page1 = await q.list({ state: 'waiting', limit: 1000 });
    const page2 = await q.list({
      state: 'waiting',
      limit: 1000,
      ...(page1.cursor === null ? {} : { cursor: page1.cursor }),
    });
    expect([...page1.items, ...page2.items].map((job) => job.data)).toEqual(Array.from({ length: 1600 }, (_, i) => i));
  });

  it('splits a turn whose JSON would pass the request size bound', async () => {
    const before = await requestsOn('/v1/jobs');
    const big = 'x'.repeat(1_000_000);
    const results = await Promise.all(Array.from({ length: 6 }, () => client.queue('coalesce-big').enqueue(big)));
    expect(results.every((r) => r.created && r.job.data === big)).toBe(true);
    expect(await requestsOn('/v1/jobs')).toBe(before + 2);
  });

  it('a signal that aborts before the request leaves takes the call out: it rejects and enqueues nothing', async () => {
    const q = client.queue<number>('coalesce-abort');
    const early = new AbortController();
    early.abort(new Error('gave up early'));
    const late = new AbortController();
    const calls = [q.enqueue(1), q.enqueue(2, { signal: late.signal }), q.enqueue(3, { signal: early.signal })];
    late.abort(new Error('gave up before the turn ended'));
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).message : 'ok'))).toEqual([
      'ok',
      'gave up before the turn ended',
      'gave up early',
    ]);
    expect(await waitingData('coalesce-abort')).toEqual([1]);
  });

  it('with coalesce off every enqueue is its own request', async () => {
    const plain = createClient({ url: server.url, coalesce: false });
    const before = await requestsOn(SINGLE);
    await Promise.all([1, 2, 3].map((n) => plain.queue('coalesce-off').enqueue(n)));
    expect(await requestsOn(SINGLE)).toBe(before + 3);
  });

  it('rejects a window outside 0 to 1 ms', () => {
    expect(() => createClient({ url: server.url, coalesce: { windowMs: 5 } })).toThrow(InvalidArgumentError);
  });
});

describe('coalesced enqueues under back-pressure', () => {
  const job = (id: string, data: unknown) => ({ id, queue: 'q', state: 'waiting', encoding: 'json', data });

  for (const [status, code] of [
    [503, 'UNAVAILABLE'],
    [429, 'RATE_LIMITED'],
  ] as const) {
    it(`a ${status} with Retry-After is retried as one request with the same ids; each caller gets its job`, async () => {
      const fake = await startFakeServer([
        { status, headers: { 'retry-after': '0' }, body: { error: { code, message: 'busy', details: {} } } },
        {
          status: 200,
          body: {
            results: [
              { job: job('id-1', 1), created: true },
              { job: job('id-2', 2), created: false },
            ],
          },
        },
      ]);
      try {
        const q = createClient({ url: fake.url }).queue<number>('q');
        const [one, two] = await Promise.all([q.enqueue(1, { id: 'id-1' }), q.enqueue(2, { id: 'id-2' })]);
        expect([one.job.id, one.created, two.job.id, two.created]).toEqual(['id-1', true, 'id-2', false]);
        expect(fake.requests.map((r) => [r.method, r.url])).toEqual([
          ['POST', '/v1/jobs'],
          ['POST', '/v1/jobs'],
        ]);
        expect(fake.requests[1]?.body).toEqual(fake.requests[0]?.body);
      } finally {
        await fake.close();
      }
    });
  }

  it('a request that fails as a whole fails each of its callers with that error', async () => {
    const fake = await startFakeServer([
      { status: 503, body: { error: { code: 'UNAVAILABLE', message: 'down for good', details: {} } } },
    ]);
    try {
      const q = createClient({ url: fake.url, retry: false }).queue('q');
      const outcomes = await Promise.allSettled([q.enqueue(1), q.enqueue(2)]);
      expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).message : 'ok'))).toEqual([
        'down for good',
        'down for good',
      ]);
    } finally {
      await fake.close();
    }
  });
});
