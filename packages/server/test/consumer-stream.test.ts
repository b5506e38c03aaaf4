/**
 * The consumer stream (`GET /v1/stream`, WebSocket) against a real `docket serve` process: the
 * prefetch window counted server-side, a dropped connection giving its jobs back to the front,
 * ack/nack/extend with their replies and refusals, bad messages answered (never a crash),
 * refused upgrades, and shutdown telling streams to reconnect.
 */
import WebSocket from 'ws';
import { describe, expect, test } from 'vitest';
import { serverPerFile } from '../../../test/support/server-per-file.ts';
import { openStream, wsUrl, type StreamClient } from './support/stream-client.ts';

const served = serverPerFile();
let queueSeq = 0;

function queueName(label: string): string {
  queueSeq += 1;
  return `stream-${label}-${queueSeq}`;
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(served.server.url + path, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

async function enqueue(queue: string, count: number): Promise<string[]> {
  const jobs = Array.from({ length: count }, (_, i) => ({ data: { i } }));
  const reply = await api<{ jobs: Array<{ id: string }> }>('POST', `/v1/queues/${queue}/jobs`, { jobs });
  return reply.jobs.map((job) => job.id);
}

type Counts = Record<'waiting' | 'active' | 'delayed' | 'completed' | 'dead', number>;

async function counts(queue: string): Promise<Counts> {
  return (await api<{ queue: { counts: Counts } }>('GET', `/v1/queues/${queue}`)).queue.counts;
}

async function countsUntil(queue: string, accept: (c: Counts) => boolean): Promise<Counts> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const c = await counts(queue);
    if (accept(c)) return c;
    if (Date.now() > deadline) throw new Error(`counts of ${queue} never matched: ${JSON.stringify(c)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const isJob = (m: { type: string }): boolean => m.type === 'job';

async function jobsOf(stream: StreamClient, count: number) {
  return (await stream.waitFor(isJob, count)).map((m) => m.job ?? { id: '', leaseToken: '' });
}

describe('consumer stream: the prefetch window', () => {
  test('holds at most prefetch jobs leased and unsettled, counted on the server, and refills on ack', async () => {
    const queue = queueName('prefetch');
    await enqueue(queue, 20);
    const stream = await openStream(served.server.url, { queues: queue, prefetch: 5 });
    const first = await jobsOf(stream, 5);
    // A window request is answered after any lease in flight: no job can still be on its way.
    expect((await stream.request({ type: 'window', prefetch: 5 })).type).toBe('ok');
    expect(stream.messages.filter(isJob)).toHaveLength(5);
    expect(await counts(queue)).toMatchObject({ active: 5, waiting: 15 });

    for (const job of first.slice(0, 2)) {
      expect((await stream.request({ type: 'ack', id: job.id, token: job.leaseToken })).type).toBe('ok');
    }
    await jobsOf(stream, 7);
    expect((await stream.request({ type: 'window', prefetch: 5 })).type).toBe('ok');
    expect(stream.messages.filter(isJob)).toHaveLength(7);
    expect(await counts(queue)).toMatchObject({ active: 5, waiting: 13, completed: 2 });
    const metrics = await (await fetch(`${served.server.url}/metrics`)).text();
    expect(metrics).toContain(`docket_stream_subscribers{queue="${queue}"} 1`);
    await stream.close();
  });

  test('a window of 0 stops delivery; raising it resumes', async () => {
    const queue = queueName('window');
    await enqueue(queue, 3);
    const stream = await openStream(served.server.url, { queues: queue, prefetch: 0 });
    expect((await stream.request({ type: 'window', prefetch: 0 })).type).toBe('ok');
    expect(stream.messages.filter(isJob)).toHaveLength(0);
    expect(await counts(queue)).toMatchObject({ active: 0, waiting: 3 });
    await stream.request({ type: 'window', prefetch: 2 });
    await jobsOf(stream, 2);
    expect(await counts(queue)).toMatchObject({ active: 2, waiting: 1 });
    await stream.close();
  });

  test('announces empty once when there is nothing to deliver, and delivers what is enqueued later', async () => {
    const queue = queueName('empty');
    const stream = await openStream(served.server.url, { queues: queue, prefetch: 2 });
    await stream.waitFor((m) => m.type === 'empty');
    const [id] = await enqueue(queue, 1);
    const [job] = await jobsOf(stream, 1);
    expect(job?.id).toBe(id);
    expect(stream.messages.filter((m) => m.type === 'empty')).toHaveLength(1);
    await stream.close();
  });
});

describe('consumer stream: disconnects', () => {
  test('a dropped connection gives its unacked jobs back to the front at once', async () => {
    const queue = queueName('drop');
    const ids = await enqueue(queue, 10);
    const stream = await openStream(served.server.url, { queues: queue, prefetch: 3 });
    const held = await jobsOf(stream, 3);
    expect(held.map((job) => job.id)).toEqual(ids.slice(0, 3));
    stream.socket.terminate();
    await countsUntil(queue, (c) => c.active === 0);
    const { jobs } = await api<{ jobs: Array<{ id: string; attempts: number; nacks: number }> }>('POST', '/v1/lease', {
      queues: [queue],
      max: 3,
    });
    expect(jobs.map((job) => job.id)).toEqual(ids.slice(0, 3));
    expect(jobs.map((job) => job.attempts)).toEqual([2, 2, 2]);
    expect(jobs.map((job) => job.nacks)).toEqual([1, 1, 1]);
  });

  test('a clean close gives back the jobs it holds; settled ones stay settled', async () => {
    const queue = queueName('close');
    await enqueue(queue, 4);
    const stream = await openStream(served.server.url, { queues: queue, prefetch: 4 });
    const [done] = await jobsOf(stream, 4);
    await stream.request({ type: 'ack', id: done?.id, token: done?.leaseToken });
    await stream.close();
    expect(await countsUntil(queue, (c) => c.active === 0)).toMatchObject({ waiting: 3, completed: 1 });
  });
});

describe('consumer stream: ack, nack and extend', () => {
  test('ack answers ok with the completed job, after which the same lease is refused', async () => {
    const queue = queueName('ack');
    await enqueue(queue, 1);
    const stream = await openStream(served.server.url, { queues: queue, prefetch: 1 });
    const [job] = await jobsOf(stream, 1);
    const ok = await stream.request({ type: 'ack', id: job?.id, token: job?.leaseToken, result: { sent: true } });
    expect(ok).toMatchObject({ type: 'ok', job: { id: job?.id, state: 'completed', result: { sent: true } } });
    const again = await stream.request({ type: 'ack', id: job?.id, token: job?.leaseToken });
    expect(again.type).toBe('error');
    expect(['LEASE_MISMATCH', 'JOB_FINISHED']).toContain(again.error?.code);
    await stream.close();
  });

  test('a stale token is refused with LEASE_MISMATCH and changes nothing', async () => {
    const queue = queueName('stale');
    await enqueue(queue, 1);
    const stream = await openStream(served.server.url, { queues: queue, prefetch: 1 });
    const [job] = await jobsOf(stream, 1);
    const refused = await stream.request({ type: 'ack', id: job?.id, token: 'not-the-token' });
    expect(refused).toMatchObject({ type: 'error', id: job?.id, error: { code: 'LEASE_MISMATCH' } });
    expect(await counts(queue)).toMatchObject({ active: 1, completed: 0 });
    await stream.close();
  });

  test('nack to the back, nack with a delay, and extend', async () => {
    const queue = queueName('nack');
    const ids = await enqueue(queue, 3);
    const stream = await openStream(served.server.url, { queues: queue, prefetch: 2 });
    const [a, b] = await jobsOf(stream, 2);
    const extended = await stream.request({ type: 'extend', id: a?.id, token: a?.leaseToken, leaseMs: 600_000 });
    expect(extended).toMatchObject({ type: 'ok', job: { id: a?.id, state: 'active' } });
    expect(Number(extended.job?.['leaseExpiresAt'])).toBeGreaterThan(Date.now() + 500_000);
    const back = await stream.request({ type: 'nack', id: a?.id, token: a?.leaseToken, placement: 'back' });
    expect(back).toMatchObject({ type: 'ok', job: { id: a?.id, state: 'waiting', nacks: 1 } });
    const delayed = await stream.request({
      type: 'nack',
      id: b?.id,
      token: b?.leaseToken,
      placement: 'delay',
      delayMs: 60_000,
    });
    expect(delayed).toMatchObject({ type: 'ok', job: { id: b?.id, state: 'delayed', delayedNacks: 1 } });
    // Both slots freed: the third job, then the first one (nacked to the back) come next.
    const next = await jobsOf(stream, 4);
    expect(next.slice(2).map((job) => job.id)).toEqual([ids[2], ids[0]]);
    await stream.close();
  });

  test('a failed attempt (nack with an error) retries the job', async () => {
    const queue = queueName('fail');
    await enqueue(queue, 1);
    const stream = await openStream(served.server.url, { queues: queue, prefetch: 1 });
    const [job] = await jobsOf(stream, 1);
    const failed = await stream.request({
      type: 'nack',
      id: job?.id,
      token: job?.leaseToken,
      fail: true,
      error: { message: 'smtp down' },
    });
    expect(failed).toMatchObject({
      type: 'ok',
      job: { id: job?.id, state: 'delayed', error: { message: 'smtp down' } },
    });
    await stream.close();
  });
});

describe('consumer stream: bad input', () => {
  test('bad messages get precise error replies and the stream keeps working', async () => {
    const queue = queueName('bad');
    await enqueue(queue, 1);
    const stream = await openStream(served.server.url, { queues: queue, prefetch: 1 });
    const [job] = await jobsOf(stream, 1);
    stream.send('not json');
    stream.send('[1,2]');
    stream.send(Buffer.from([1, 2, 3]));
    stream.send('['.repeat(100) + ']'.repeat(100));
    const errors = await stream.waitFor((m) => m.type === 'error', 4);
    for (const error of errors) expect(error.error?.code).toBe('INVALID_ARGUMENT');
    expect(await stream.request({ type: 'shout' })).toMatchObject({
      type: 'error',
      error: { code: 'INVALID_ARGUMENT', details: { field: '/type' } },
    });
    expect(await stream.request({ type: 'ack', id: job?.id })).toMatchObject({
      type: 'error',
      error: { code: 'INVALID_ARGUMENT', details: { field: '/token' } },
    });
    expect(
      await stream.request({ type: 'nack', id: job?.id, token: job?.leaseToken, placement: 'sideways' }),
    ).toMatchObject({ type: 'error', error: { code: 'INVALID_ARGUMENT' } });
    expect(await stream.request({ type: 'window', prefetch: 5000 })).toMatchObject({
      type: 'error',
      error: { code: 'INVALID_ARGUMENT', details: { field: '/prefetch' } },
    });
    expect(await stream.request({ type: 'ack', id: job?.id, token: job?.leaseToken })).toMatchObject({ type: 'ok' });
    await stream.close();
  });

  test('a bad query string is refused with 400 before the upgrade', async () => {
    for (const query of [{ queues: 'bad name' }, { queues: 'a', prefetch: 5000 }, { queues: 'a', prefetch: 1.5 }, {}]) {
      const status = await new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(wsUrl(served.server.url, query));
        socket.once('unexpected-response', (request, response) => {
          resolve(response.statusCode ?? 0);
          request.destroy();
        });
        socket.once('error', () => undefined);
        socket.once('open', () => reject(new Error(`upgraded with ${JSON.stringify(query)}`)));
      });
      expect(status, JSON.stringify(query)).toBe(400);
    }
  });

  test('a plain GET without an upgrade answers 400 in the error format', async () => {
    const response = await fetch(`${served.server.url}/v1/stream?queues=a`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: { field: string } } };
    expect(body.error).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'upgrade' } });
  });
});

describe('consumer stream: shutdown', () => {
  test('a graceful shutdown says closing (shutdown) with code 1012 and gives the jobs back durably', async () => {
    const queue = queueName('shutdown');
    const ids = await enqueue(queue, 2);
    const stream = await openStream(served.server.url, { queues: queue, prefetch: 2 });
    await jobsOf(stream, 2);
    await served.restart();
    const [closing] = await stream.waitFor((m) => m.type === 'closing');
    expect(closing).toMatchObject({ reason: 'shutdown' });
    expect((await stream.closed).code).toBe(1012);
    expect(await counts(queue)).toMatchObject({ active: 0, waiting: 2 });
    const { jobs } = await api<{ jobs: Array<{ id: string }> }>('POST', '/v1/lease', { queues: [queue], max: 2 });
    expect(jobs.map((job) => job.id)).toEqual(ids);
  });
});
