/**
 * The HTTP transport's settle batching against a real `docket serve` (SQLite in a temp dir):
 * acks and nacks asked for in one macrotask share one batch request, each call still gets its
 * own outcome, and a lone settlement keeps the single-job route. Requests are counted from the
 * server's own request histogram on /metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTransport, type Transport } from '@docket/client';
import { JobNotFoundError, LeaseMismatchError, type LeasedJob } from '@docket/protocol';
import { requestsOn as countRequests } from './support/request-count.ts';
import { makeDataDir, removeDataDir, startServer, type ServerProcess } from '../../../test/support/server-process.ts';

let server: ServerProcess;
let dataDir: string;
let transport: Transport;

beforeAll(async () => {
  dataDir = await makeDataDir('docket-sdk-batch-');
  server = await startServer({ dataDir });
  transport = createHttpTransport({ url: server.url, retry: false });
});

afterAll(async () => {
  await server.stop('SIGTERM');
  await removeDataDir(dataDir);
});

const requestsOn = (route: string): Promise<number> => countRequests(server.url, route);

async function leased(queue: string, count: number): Promise<LeasedJob[]> {
  await transport.enqueueMany(
    queue,
    Array.from({ length: count }, (_, i) => ({ data: { i } })),
  );
  const jobs = await transport.lease({ queues: [queue], max: count });
  expect(jobs).toHaveLength(count);
  return jobs;
}

describe('HTTP transport settle batching', () => {
  it('sends the acks of one macrotask in one batch request, each call with its own outcome', async () => {
    const jobs = await leased('batch-ack', 4);
    const [stale, ...rest] = jobs;
    const batchBefore = await requestsOn('/v1/jobs/ack');
    const singleBefore = await requestsOn('/v1/jobs/:id/ack');
    const outcomes = await Promise.allSettled([
      transport.ack(stale?.id ?? '', { token: 'not-the-lease' }),
      ...rest.map((job, i) => transport.ack(job.id, { token: job.leaseToken, result: { n: i } })),
    ]);
    const [refused] = outcomes;
    expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(LeaseMismatchError);
    outcomes.slice(1).forEach((outcome, i) => {
      expect(outcome).toMatchObject({
        status: 'fulfilled',
        value: { id: rest[i]?.id, state: 'completed', result: { n: i } },
      });
    });
    expect(await requestsOn('/v1/jobs/ack')).toBe(batchBefore + 1);
    expect(await requestsOn('/v1/jobs/:id/ack')).toBe(singleBefore);
  });

  it('batches nacks the same way, in call order', async () => {
    const [first, second] = await leased('batch-nack', 2);
    const before = await requestsOn('/v1/jobs/nack');
    const [a, b] = await Promise.all([
      transport.nack(first?.id ?? '', { token: first?.leaseToken ?? '', placement: 'back' }),
      transport.nack(second?.id ?? '', { token: second?.leaseToken ?? '', placement: 'back' }),
    ]);
    expect([a.state, b.state]).toEqual(['waiting', 'waiting']);
    expect(await requestsOn('/v1/jobs/nack')).toBe(before + 1);
    // Given back to the back in call order: the first nacked is leased first.
    const again = await transport.lease({ queues: ['batch-nack'], max: 2 });
    expect(again.map((job) => job.id)).toEqual([first?.id, second?.id]);
  });

  it('keeps the single-job route for a settlement alone in its macrotask', async () => {
    const [job] = await leased('lone-ack', 1);
    const before = await requestsOn('/v1/jobs/:id/ack');
    const acked = await transport.ack(job?.id ?? '', { token: job?.leaseToken ?? '' });
    expect(acked.state).toBe('completed');
    await expect(transport.ack('no-such-job', { token: 'x' })).rejects.toThrow(JobNotFoundError);
    expect(await requestsOn('/v1/jobs/:id/ack')).toBe(before + 2);
  });
});
