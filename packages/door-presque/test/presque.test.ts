/**
 * The presque door over app.inject(): presque's own test t/10_basic.t step by step, then every
 * endpoint's bodies, status codes, counters and refusals (seeds-reference.md section 2).
 */
import { describe, expect, test } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { harnessPerFile } from '../../server/test/support/harness.ts';

/** One app for the file; `h.q(name)` is a fresh queue name per test, so tests never see each other's jobs. */
const h = harnessPerFile();

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS';

function call(
  method: Method,
  url: string,
  body?: unknown,
  headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' },
): Promise<LightMyRequestResponse> {
  return h.app.inject({
    method,
    url,
    headers,
    ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

function expectError(response: LightMyRequestResponse, status: number, error: string): void {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toBe('application/json');
  expect(response.json()).toEqual({ error });
}

/** The headers t/10_basic.t sends on its batch fetches, job creations and worker calls. */
const WORKER = { 'X-presque-workerid': 'worker_foo' };
const JSON_TYPE = { 'Content-Type': 'application/json' };

describe('presque t/10_basic.t, step by step', () => {
  test('the 12 steps against a server that starts with no data', async () => {
    const queue = h.q('presque_test');
    // 1. info on an empty queue
    expect((await call('GET', `/j/${queue}`)).json()).toEqual({
      job_processed: 0,
      job_count: 0,
      queue_name: queue,
      job_failed: 0,
    });
    // 2. no job in queue
    expectError(await call('GET', `/q/${queue}`), 404, 'no job');
    // 3. create a job, then its info
    expect((await call('POST', `/q/${queue}`, { foo: 'bar' })).statusCode).toBe(201);
    expect((await call('GET', `/j/${queue}`)).json()).toEqual({
      job_count: '1',
      job_failed: 0,
      job_processed: 0,
      queue_name: queue,
    });
    // 4. fetch it
    const fetched = await call('GET', `/q/${queue}`);
    expect(fetched.statusCode).toBe(200);
    expect(fetched.json()).toEqual({ foo: 'bar' });
    // 5. a delayed job is not there at once, and is after its time
    const delayed = Math.floor(Date.now() / 1000) + 2;
    expect((await call('POST', `/q/${queue}?delayed=${delayed}`, { foo: 'baz' })).statusCode).toBe(201);
    expect((await call('GET', `/q/${queue}`)).statusCode).toBe(404);
    const promoted = await until(
      () => call('GET', `/q/${queue}`),
      (response) => response.statusCode === 200,
    );
    expect(Date.now()).toBeGreaterThanOrEqual((delayed - 1) * 1000);
    expect(promoted.body).toMatch(/baz/);
    // 6. control: open, stop, closed, no job, start
    expect((await call('GET', `/control/${queue}`)).json()).toEqual({ status: '1', queue });
    expect((await call('POST', `/control/${queue}`, { status: 'stop' }, {})).body).toMatch(/updated/);
    expect((await call('GET', `/control/${queue}`)).body).toMatch(/0/);
    expect((await call('GET', `/q/${queue}`)).statusCode).toBe(404);
    expect((await call('POST', `/control/${queue}`, { status: 'start' }, {})).body).toMatch(/updated/);
    // 7. batch insert, batch fetch
    const jobs = [{ foo: 1 }, { foo: 2 }, { foo: 3 }, { foo: 4 }];
    expect((await call('POST', `/qb/${queue}`, { jobs })).statusCode).toBe(201);
    const batch = await call('GET', `/qb/${queue}`, undefined, WORKER);
    expect(batch.json<string[]>().map((job) => JSON.parse(job) as unknown)).toEqual(jobs);
    // 8. uniq jobs
    expect((await call('POST', `/q/${queue}?uniq=a`, { foo: 1 })).statusCode).toBe(201);
    const duplicate = await call('POST', `/q/${queue}?uniq=a`, { foo: 1 });
    expect(duplicate.body).toMatch(/job already exists/);
    expect(duplicate.statusCode).toBe(400);
    expect((await call('GET', `/q/${queue}`)).json()).toEqual({ foo: 1 });
    expect((await call('GET', `/q/${queue}`)).statusCode).toBe(404);
    // 9. a failed job goes back; the queue's size
    expect((await call('PUT', `/q/${queue}`, { foo: 1 })).statusCode).toBe(201);
    expect((await call('GET', `/status/${queue}`)).json()).toEqual({ queue, size: '1' });
    // 10. worker stats for the queue
    expect((await call('GET', `/w/?queue_name=${queue}`)).json()).toEqual({
      workers_list: [],
      queue_name: queue,
      processed: '7',
      failed: '1',
    });
    // 11. register a worker, create, fetch, stats
    expect((await call('POST', `/w/${queue}`, undefined, { ...JSON_TYPE, ...WORKER })).statusCode).toBe(201);
    expect((await call('POST', `/q/${queue}`, { foo: 'bar' }, { ...JSON_TYPE, ...WORKER })).statusCode).toBe(201);
    expect((await call('GET', `/qb/${queue}`, undefined, WORKER)).statusCode).toBe(200);
    expect((await call('GET', `/w/?queue_name=${queue}`)).json()).toEqual({
      workers_list: ['worker_foo'],
      queue_name: queue,
      processed: '9',
      failed: '1',
    });
    // 12. unregister, purge
    expect((await call('DELETE', `/w/${queue}`, undefined, WORKER)).statusCode).toBe(204);
    expect((await call('DELETE', `/q/${queue}`)).statusCode).toBe(204);
    expect((await call('GET', `/w/?queue_name=${queue}`)).json()).toEqual({
      workers_list: [],
      queue_name: queue,
      processed: null,
      failed: null,
    });
  });
});

/** Repeats `request` until `done` holds (a delayed job's promotion), failing after 10 s. */
async function until(
  request: () => Promise<LightMyRequestResponse>,
  done: (response: LightMyRequestResponse) => boolean,
): Promise<LightMyRequestResponse> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const response = await request();
    if (done(response) || Date.now() > deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('presque /q/', () => {
  test('a body is stored verbatim and returned as sent, JSON or not, non-ASCII not double-encoded', async () => {
    for (const body of ['not json at all', '{ "spaced": true }', '{"name":"é"}']) {
      expect((await call('POST', `/q/${h.q('a')}`, body)).statusCode).toBe(201);
      const response = await call('GET', `/q/${h.q('a')}`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/json');
      expect(response.body).toBe(body);
    }
  });

  test('a compact JSON body is a JSON payload for native consumers of the same queue', async () => {
    await call('POST', `/q/${h.q('x')}`, { from: 'presque' });
    const [job] = await h.engine.lease({ queues: [h.q('x')] });
    expect(job?.data).toEqual({ from: 'presque' });
    await h.engine.enqueue(h.q('x'), { data: { from: 'native' } });
    expect((await call('GET', `/q/${h.q('x')}`)).body).toBe('{"from":"native"}');
  });

  test('201 and 204 replies are empty and application/json', async () => {
    const created = await call('POST', `/q/${h.q('a')}`, { a: 1 });
    expect([created.statusCode, created.body, created.headers['content-type']]).toEqual([201, '', 'application/json']);
    const purged = await call('DELETE', `/q/${h.q('a')}`);
    expect([purged.statusCode, purged.body]).toEqual([204, '']);
    expectError(await call('GET', `/q/${h.q('a')}`), 404, 'no job');
  });

  test('a job insert needs a Content-Type containing application/json and a truthy body', async () => {
    expectError(await call('POST', `/q/${h.q('a')}`, '{}', {}), 400, 'content-type must be set to application/json');
    expectError(
      await call('POST', `/q/${h.q('a')}`, '{}', { 'content-type': 'text/plain' }),
      400,
      'content-type must be set to application/json',
    );
    expect((await call('POST', `/q/${h.q('a')}`, '{}', { 'content-type': 'application/jsonx' })).statusCode).toBe(201);
    expectError(await call('POST', `/q/${h.q('a')}`, '0'), 400, 'job is missing');
    expectError(await call('PUT', `/q/${h.q('a')}`, ''), 400, 'job is missing');
  });

  test('an empty queue name is 404 "queue name is missing"; a name outside Docket’s rule is a 400', async () => {
    for (const [method, url] of [
      ['GET', '/q/'],
      ['POST', '/q/'],
      ['DELETE', '/q/'],
      ['GET', '/qb/'],
      ['GET', '/j/'],
      ['GET', '/control/'],
      ['POST', '/w/'],
    ] as const) {
      expectError(await call(method, url, method === 'GET' ? undefined : {}), 404, 'queue name is missing');
    }
    const response = await call('POST', '/q/a%20b', {});
    expect(response.statusCode).toBe(400);
    expect(response.json<{ error: string }>().error).toMatch(/^invalid queue name/);
  });

  test('a queue name is the decoded rest of the path, slashes included', async () => {
    await call('POST', `/q/${h.q('a')}/b`, { x: 1 });
    expect((await h.engine.list(`${h.q('a')}/b`)).items).toHaveLength(1);
  });

  test('?delayed= in the past is ready at once; ahead of jobs posted after it', async () => {
    await call('POST', `/q/${h.q('a')}?delayed=1000`, { n: 'delayed' });
    await call('POST', `/q/${h.q('a')}`, { n: 'plain' });
    expect((await call('GET', `/qb/${h.q('a')}`)).json()).toEqual(['{"n":"delayed"}', '{"n":"plain"}']);
  });

  test('?delayed=0 is not delayed; a non-numeric delayed is refused, not lost', async () => {
    expect((await call('POST', `/q/${h.q('a')}?delayed=0`, { a: 1 })).statusCode).toBe(201);
    expect((await call('GET', `/q/${h.q('a')}`)).statusCode).toBe(200);
    expectError(
      await call('POST', `/q/${h.q('a')}?delayed=soon`, { a: 1 }),
      400,
      'delayed must be a date in epoch seconds',
    );
    expect((await h.engine.list(h.q('a'), { state: 'delayed' })).items).toHaveLength(0);
  });

  test('a fetch with X-presque-workerid registers no worker, as in presque', async () => {
    await call('POST', `/q/${h.q('a')}`, { a: 1 });
    await call('POST', `/qb/${h.q('a')}`, { jobs: [{ b: 2 }] });
    expect((await call('GET', `/q/${h.q('a')}`, undefined, { 'x-presque-workerid': 'w2' })).statusCode).toBe(200);
    expect((await call('GET', `/qb/${h.q('a')}`, undefined, { 'x-presque-workerid': 'w2' })).statusCode).toBe(200);
    expect((await call('GET', `/w/?queue_name=${h.q('a')}`)).json()).toMatchObject({ workers_list: [] });
    expect((await call('GET', '/w/')).json()).not.toContain('w2');
  });

  test('a fetch with X-presque-workerid counts for the worker registered on the queue', async () => {
    expect((await call('POST', `/w/${h.q('a')}`, undefined, { 'x-presque-workerid': 'w1' })).statusCode).toBe(201);
    await call('POST', `/q/${h.q('a')}`, { a: 1 });
    await call('GET', `/q/${h.q('a')}`, undefined, { 'X-Presque-WorkerId': 'w1' });
    const stats = await call('GET', '/w/?worker_id=w1');
    expect(stats.json()).toEqual({
      worker_id: 'w1',
      started_at: expect.any(Number) as number,
      processed: '1',
      failed: '0',
    });
    expectError(
      await call('GET', `/q/${h.q('a')}`, undefined, { 'x-presque-workerid': 'bad id' }),
      400,
      'invalid worker id: expected 1 to 100 characters of letters, digits and . _ : / @ -',
    );
  });

  test('queue counters are lifetime totals: fetches, failed attempts and PUTs; a refused PUT counts nothing', async () => {
    const queue = h.q('a');
    await call('POST', `/q/${queue}`, { a: 1 });
    await call('POST', `/q/${queue}`, { a: 2 });
    expect((await call('GET', `/q/${queue}`)).statusCode).toBe(200);
    await h.engine.purge(queue, { states: ['completed'] });
    const [leased] = await h.engine.lease({ queues: [queue] });
    await h.engine.nack(leased?.id ?? '', { token: leased?.leaseToken ?? '', error: { message: 'boom' } });
    expectError(
      await call('PUT', `/q/${queue}?delayed=soon`, { a: 3 }),
      400,
      'delayed must be a date in epoch seconds',
    );
    expectError(await call('PUT', `/q/${queue}`, '0'), 400, 'job is missing');
    expect((await call('GET', `/w/?queue_name=${queue}`)).json()).toMatchObject({ processed: '1', failed: '1' });
    expect((await call('PUT', `/q/${queue}`, { a: 1 })).statusCode).toBe(201);
    expect((await call('GET', `/j/${queue}`)).json()).toEqual({
      queue_name: queue,
      job_count: '1',
      job_failed: '2',
      job_processed: '1',
    });
  });

  test('PUT /q/ with a uniq already queued counts the failure, then refuses the job, as presque', async () => {
    const queue = h.q('a');
    expect((await call('POST', `/q/${queue}?uniq=u`, { a: 1 })).statusCode).toBe(201);
    expectError(await call('PUT', `/q/${queue}?uniq=u`, { a: 1 }), 400, 'job already exists');
    expect((await call('GET', `/j/${queue}`)).json()).toMatchObject({ job_count: '1', job_failed: '1' });
  });

  test('a method a path lacks answers 405 text/plain, unknown verbs too', async () => {
    for (const [method, url] of [
      ['PATCH', `/q/${h.q('a')}`],
      ['OPTIONS', `/q/${h.q('a')}`],
      ['POST', `/j/${h.q('a')}`],
      ['PUT', `/control/${h.q('a')}`],
    ] as const) {
      const response = await call(method, url);
      expect(response.statusCode).toBe(405);
      expect(response.headers['content-type']).toBe('text/plain');
      expect(response.body).toBe('Method Not Allowed');
    }
  });

  test('bare prefixes answer presque’s 404 page', async () => {
    for (const url of ['/q', '/status', '/j', '/control']) {
      const response = await call('GET', url);
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toBe('text/html');
      expect(response.body).toBe('404 Not Found');
    }
  });

  test('an oversized body is a 413 in presque’s format', async () => {
    const response = await call('POST', `/q/${h.q('a')}`, JSON.stringify({ x: 'y'.repeat(1_100_000) }));
    expect(response.statusCode).toBe(413);
    expect(response.json<{ error: string }>().error).toMatch(/payload is \d+ bytes/);
  });
});

describe('presque /qb/', () => {
  test('batch_size limits a batch fetch; 0 or empty means 10', async () => {
    await call('POST', `/qb/${h.q('a')}`, { jobs: Array.from({ length: 12 }, (_, i) => i) });
    expect((await call('GET', `/qb/${h.q('a')}?batch_size=3`)).json()).toEqual(['0', '1', '2']);
    expect((await call('GET', `/qb/${h.q('a')}?batch_size=0`)).json<string[]>()).toHaveLength(9);
    expectError(await call('GET', `/qb/${h.q('a')}`), 404, 'no job');
    expectError(await call('GET', `/qb/${h.q('a')}?batch_size=x`), 400, 'batch_size must be a positive integer');
  });

  test('batch elements are re-serialised: strings and numbers too', async () => {
    await call('POST', `/qb/${h.q('a')}`, { jobs: ['str', 5, { b: [1] }] });
    expect((await call('GET', `/qb/${h.q('a')}`)).json()).toEqual(['"str"', '5', '{"b":[1]}']);
  });

  test('bad batch bodies are 400s, never 500s', async () => {
    expectError(await call('POST', `/qb/${h.q('a')}`, { jobs: 'x' }), 400, 'jobs should be an array of job');
    expectError(
      await call('POST', `/qb/${h.q('a')}`, '{not json'),
      400,
      'body is not valid JSON: expected {"jobs": [ ... ]}',
    );
    expectError(await call('PUT', `/qb/${h.q('a')}`, { jobs: [] }), 400, 'PUT is not supported in batch mode');
    expectError(await call('DELETE', `/qb/${h.q('a')}`), 400, 'DELETE is not supported in batch mode');
  });

  test('a stopped queue refuses fetches but takes inserts', async () => {
    await call('POST', `/control/${h.q('a')}`, { status: 'stop' });
    expect((await call('POST', `/qb/${h.q('a')}`, { jobs: [1] })).statusCode).toBe(201);
    expectError(await call('GET', `/qb/${h.q('a')}`), 404, 'queue is closed');
    expectError(await call('GET', `/q/${h.q('a')}`), 404, 'queue is closed');
  });
});

describe('presque /status/, /control/ and /w/', () => {
  test('status lists queues with a numeric size; a queue’s size is always a string', async () => {
    await call('POST', `/q/${h.q('a')}`, { a: 1 });
    const all = (await call('GET', '/status/')).json<{ queues: string[]; size: number }>();
    expect(all.queues).toContain(h.q('a'));
    expect(all.size).toBe(all.queues.length);
    expect((await call('GET', `/status/${h.q('none')}`)).json()).toEqual({ queue: h.q('none'), size: '0' });
  });

  test('with_desc lists the jobs, and answers on an empty queue instead of hanging', async () => {
    await call('POST', `/q/${h.q('a')}`, { a: 1 });
    expect((await call('GET', `/status/${h.q('a')}?with_desc=1`)).json()).toEqual({
      queue: h.q('a'),
      size: '1',
      jobs: ['{"a":1}'],
    });
    expect((await call('GET', `/status/${h.q('b')}?with_desc=1`)).json()).toEqual({
      queue: h.q('b'),
      size: '0',
      jobs: [],
    });
  });

  test('control status is null for a queue never used; bad control input is a 400', async () => {
    expect((await call('GET', `/control/${h.q('a')}`)).json()).toEqual({ queue: h.q('a'), status: null });
    expectError(await call('POST', `/control/${h.q('a')}`, '', {}), 400, 'content is missing');
    expectError(
      await call('POST', `/control/${h.q('a')}`, '{x', {}),
      400,
      'content is not valid JSON: expected {"status": "start" | "stop"}',
    );
    expectError(await call('POST', `/control/${h.q('a')}`, { status: 'pause' }), 400, 'status must be start or stop');
  });

  test('a queue stopped before its first job stays stopped', async () => {
    await call('POST', `/control/${h.q('a')}`, { status: 'stop' });
    await call('POST', `/q/${h.q('a')}`, { a: 1 });
    expect((await call('GET', `/control/${h.q('a')}`)).json()).toEqual({ queue: h.q('a'), status: '0' });
  });

  test('workers register by header, query or body; GET /w/ and /w list them; unregistering takes the queue away', async () => {
    expect((await call('POST', `/w/${h.q('a')}`, undefined, { 'x-presque-workerid': 'wh' })).statusCode).toBe(201);
    expect((await call('POST', `/w/${h.q('a')}?worker_id=wq`)).statusCode).toBe(201);
    expect((await call('GET', '/w/')).json()).toEqual(expect.arrayContaining(['wh', 'wq']));
    expect(
      (await call('GET', `/w?queue_name=${h.q('a')}`)).json<{ workers_list: string[] }>().workers_list.sort(),
    ).toEqual(['wh', 'wq']);
    expect((await call('DELETE', `/w/${h.q('a')}`, undefined, { 'x-presque-workerid': 'wh' })).statusCode).toBe(204);
    expect((await call('GET', `/w/?queue_name=${h.q('a')}`)).json<{ workers_list: string[] }>().workers_list).toEqual([
      'wq',
    ]);
    expect((await call('GET', '/w/')).json()).not.toContain('wh');
  });

  test('worker requests without a worker id are 400s; an unknown worker_id is a 404', async () => {
    expectError(await call('POST', `/w/${h.q('a')}`), 400, 'worker_id is missing');
    expectError(await call('DELETE', `/w/${h.q('a')}`), 400, 'worker_id is missing');
    expectError(await call('GET', '/w/?worker_id=nobody'), 404, 'worker nobody is not registered');
  });
});
