/**
 * The presque door against a real `docket serve` process over real sockets: presque's own
 * t/10_basic.t replayed step by step, then the README's curl examples.
 */
import { describe, expect, test } from 'vitest';
import { serverPerFile } from '../support/server-per-file.ts';

const served = serverPerFile();

interface Answer {
  readonly status: number;
  readonly type: string | null;
  readonly text: string;
}

async function call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${served.server.url}${path}`, {
    method,
    headers: headers ?? (body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

const json = (answer: Answer): unknown => JSON.parse(answer.text);

/** Asks again until the delayed job is promoted (presque's test sleeps 2 s), failing after 10 s. */
async function fetchWhenReady(path: string): Promise<Answer> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = await call('GET', path);
    if (answer.status === 200 || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('presque t/10_basic.t', () => {
  test('replayed step by step on queue presque_test', async () => {
    const queue = 'presque_test';
    // 1. get queue informations
    expect(json(await call('GET', `/j/${queue}`))).toEqual({
      job_processed: 0,
      job_count: 0,
      queue_name: queue,
      job_failed: 0,
    });
    // 2. no job in queue
    const none = await call('GET', `/q/${queue}`);
    expect(none.status).toBe(404);
    expect(json(none)).toEqual({ error: 'no job' });
    // 3. create a new job; info about the queue
    const job = { foo: 'bar' };
    expect((await call('POST', `/q/${queue}`, job)).status).toBe(201);
    expect(json(await call('GET', `/j/${queue}`))).toEqual({
      job_count: '1',
      job_failed: 0,
      job_processed: 0,
      queue_name: queue,
    });
    // 4. do a basic job
    const fetched = await call('GET', `/q/${queue}`);
    expect(fetched.status).toBe(200);
    expect(fetched.type).toBe('application/json');
    expect(json(fetched)).toEqual(job);
    // 5. insert a delayed job: none now, found after its time
    const due = Math.floor(Date.now() / 1000) + 2;
    expect((await call('POST', `/q/${queue}?delayed=${due}`, { foo: 'baz' })).status).toBe(201);
    expect((await call('GET', `/q/${queue}`)).status).toBe(404);
    const delayed = await fetchWhenReady(`/q/${queue}`);
    expect(delayed.status).toBe(200);
    expect(Date.now()).toBeGreaterThanOrEqual((due - 1) * 1000);
    expect(delayed.text).toMatch(/baz/);
    // 6. control queue: open; stop (no Content-Type); closed; no job; start
    expect(json(await call('GET', `/control/${queue}`))).toEqual({ status: '1', queue });
    expect((await call('POST', `/control/${queue}`, { status: 'stop' }, {})).text).toMatch(/updated/);
    expect((await call('GET', `/control/${queue}`)).text).toMatch(/0/);
    expect((await call('GET', `/q/${queue}`)).status).toBe(404);
    expect((await call('POST', `/control/${queue}`, { status: 'start' }, {})).text).toMatch(/updated/);
    // 7. batch inserts, batch fetch
    const jobs = [{ foo: 1 }, { foo: 2 }, { foo: 3 }, { foo: 4 }];
    expect((await call('POST', `/qb/${queue}`, { jobs })).status).toBe(201);
    const batch = json(await call('GET', `/qb/${queue}`)) as string[];
    expect(batch.map((text) => JSON.parse(text) as unknown)).toEqual(jobs);
    // 8. insert a uniq job twice; fetch it; no more job
    expect((await call('POST', `/q/${queue}?uniq=a`, { foo: 1 })).status).toBe(201);
    const duplicate = await call('POST', `/q/${queue}?uniq=a`, { foo: 1 });
    expect(duplicate.text).toMatch(/job already exists/);
    expect(duplicate.status).toBe(400);
    expect(json(await call('GET', `/q/${queue}`))).toEqual({ foo: 1 });
    expect((await call('GET', `/q/${queue}`)).status).toBe(404);
    // 9. job failed; status
    expect((await call('PUT', `/q/${queue}`, { foo: 1 })).status).toBe(201);
    expect(json(await call('GET', `/status/${queue}`))).toEqual({ queue, size: '1' });
    // 10. worker stats for the queue
    expect(json(await call('GET', `/w/?queue_name=${queue}`))).toEqual({
      workers_list: [],
      queue_name: queue,
      processed: '7',
      failed: '1',
    });
    // 11. full process with a worker id: register, create, batch fetch, stats
    expect((await call('POST', `/w/${queue}`, { worker_id: 'worker_foo' })).status).toBe(201);
    expect((await call('POST', `/q/${queue}?worker_id=worker_foo`, job)).status).toBe(201);
    expect((await call('GET', `/qb/${queue}`)).status).toBe(200);
    expect(json(await call('GET', `/w/?queue_name=${queue}`))).toEqual({
      workers_list: ['worker_foo'],
      queue_name: queue,
      processed: '9',
      failed: '1',
    });
    // 12. unregister; purge
    expect((await call('DELETE', `/w/${queue}?worker_id=worker_foo`)).status).toBe(204);
    expect((await call('DELETE', `/q/${queue}`)).status).toBe(204);
  });
});

describe('presque README examples', () => {
  test('register a worker with a JSON body, read its statistics, unregister it', async () => {
    const registered = await call(
      'POST',
      '/w/foo',
      { worker_id: 'myworker_1' },
      { 'Content-Type': 'application/json' },
    );
    expect([registered.status, registered.text]).toEqual([201, '']);
    const stats = json(await call('GET', '/w/?worker_id=myworker_1')) as Record<string, unknown>;
    expect(stats).toEqual({
      worker_id: 'myworker_1',
      started_at: expect.any(Number) as number,
      processed: '0',
      failed: '0',
    });
    const gone = await call('DELETE', '/w/foo?worker_id=myworker_1');
    expect([gone.status, gone.text]).toEqual([204, '']);
    expect(json(await call('GET', '/w/?queue_name=foo'))).toMatchObject({ workers_list: [] });
  });

  test('insert a job, a job delayed by 500 s stays out of reach, fetch, purge', async () => {
    expect((await call('POST', '/q/readme', { key: 'value' })).status).toBe(201);
    const later = Math.floor(Date.now() / 1000) + 500;
    expect((await call('POST', `/q/readme?delayed=${later}`, { key: 'later' })).status).toBe(201);
    expect(json(await call('GET', '/q/readme'))).toEqual({ key: 'value' });
    expect((await call('GET', '/q/readme')).status).toBe(404);
    expect((await call('DELETE', '/q/readme')).status).toBe(204);
    expect(json(await call('GET', '/status/readme'))).toEqual({ queue: 'readme', size: '0' });
  });

  test('change the policy of a queue: stop, status "0", start, status "1"', async () => {
    const stop = await call('POST', '/control/policy', { status: 'stop' });
    expect(json(stop)).toEqual({ response: 'updated', queue: 'policy' });
    expect(json(await call('GET', '/control/policy'))).toEqual({ status: '0', queue: 'policy' });
    await call('POST', '/control/policy', { status: 'start' });
    expect(json(await call('GET', '/control/policy'))).toEqual({ status: '1', queue: 'policy' });
  });

  test('GET /status/ lists the queues; a presque job is a native job of the same queue', async () => {
    await call('POST', '/q/shared', { via: 'presque' });
    expect((json(await call('GET', '/status/')) as { queues: string[] }).queues).toContain('shared');
    const listed = (await (await fetch(`${served.server.url}/v1/queues/shared/jobs`)).json()) as {
      items: Array<{ data: unknown }>;
    };
    expect(listed.items.map((item) => item.data)).toEqual([{ via: 'presque' }]);
  });
});
