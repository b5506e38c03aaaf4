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

/**
 * presque's t/10_basic.t, request for request: each helper sends what the test's sub of the same
 * name sends, with the same method, URL and headers (get_jobs and create_job carry the
 * `X-presque-workerid` header, get_jobs ignores its URL argument, reg_worker sends no body).
 */
function perlTest(queue: string) {
  const worker = 'worker_foo';
  const queueUrl = `/q/${queue}`;
  const batchUrl = `/qb/${queue}`;
  const controlUrl = `/control/${queue}`;
  return {
    getStatsFromQueue: () => call('GET', `/j/${queue}`, undefined, {}),
    getJob: () => call('GET', queueUrl, undefined, {}),
    getJobs: () => call('GET', batchUrl, undefined, { 'X-presque-workerid': worker }),
    createJob: (job: unknown, url = queueUrl) =>
      call('POST', url, job, { 'Content-Type': 'application/json', 'X-presque-workerid': worker }),
    createJobs: (jobs: unknown[]) => call('POST', batchUrl, { jobs }, { 'Content-Type': 'application/json' }),
    failedJob: () => call('PUT', queueUrl, { foo: 1 }, { 'Content-Type': 'application/json' }),
    controlQueue: () => call('GET', controlUrl, undefined, {}),
    changeQueueStatus: (status: string) => call('POST', controlUrl, { status }, {}),
    queueStatus: () => call('GET', `/status/${queue}`, undefined, {}),
    workersStats: () => call('GET', `/w/?queue_name=${queue}`, undefined, {}),
    regWorker: () =>
      call('POST', `/w/${queue}`, undefined, { 'Content-Type': 'application/json', 'X-presque-workerid': worker }),
    unregWorker: () => call('DELETE', `/w/${queue}`, undefined, { 'X-presque-workerid': worker }),
    purgeQueue: () => call('DELETE', queueUrl, undefined, {}),
  };
}

/** Asks again until the delayed job is promoted (presque's test sleeps 2 s), failing after 10 s. */
async function whenReady(ask: () => Promise<Answer>): Promise<Answer> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = await ask();
    if (answer.status === 200 || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('presque t/10_basic.t', () => {
  test('replayed request for request on queue presque_test', async () => {
    const queue = 'presque_test';
    const t = perlTest(queue);
    // get queue informations
    expect(json(await t.getStatsFromQueue())).toEqual({
      job_processed: 0,
      job_count: 0,
      queue_name: queue,
      job_failed: 0,
    });
    // no job in queue
    const none = await t.getJob();
    expect(none.status).toBe(404);
    expect(json(none)).toEqual({ error: 'no job' });
    // create a new job; info about a queue
    const job = { foo: 'bar' };
    expect((await t.createJob(job)).status).toBe(201);
    expect(json(await t.getStatsFromQueue())).toEqual({
      job_count: '1',
      job_failed: 0,
      job_processed: 0,
      queue_name: queue,
    });
    // do a basic job
    const fetched = await t.getJob();
    expect(fetched.status).toBe(200);
    expect(fetched.type).toBe('application/json');
    expect(json(fetched)).toEqual(job);
    // insert a delayed job: none now, found after its time
    const due = Math.floor(Date.now() / 1000) + 2;
    expect((await t.createJob({ foo: 'baz' }, `/q/${queue}?delayed=${due}`)).status).toBe(201);
    expect((await t.getJob()).status).toBe(404);
    const delayed = await whenReady(t.getJob);
    expect(delayed.status).toBe(200);
    expect(Date.now()).toBeGreaterThanOrEqual((due - 1) * 1000);
    expect(delayed.text).toMatch(/baz/);
    // control queue: open; stop (no Content-Type); closed; no job; start
    expect(json(await t.controlQueue())).toEqual({ status: '1', queue });
    expect((await t.changeQueueStatus('stop')).text).toMatch(/updated/);
    expect((await t.controlQueue()).text).toMatch(/0/);
    expect((await t.getJob()).status).toBe(404);
    expect((await t.changeQueueStatus('start')).text).toMatch(/updated/);
    // batch inserts, batch fetch (with the worker header)
    const jobs = [{ foo: 1 }, { foo: 2 }, { foo: 3 }, { foo: 4 }];
    expect((await t.createJobs(jobs)).status).toBe(201);
    const batch = json(await t.getJobs()) as string[];
    expect(batch.map((text) => JSON.parse(text) as unknown)).toEqual(jobs);
    // insert uniq job twice; fetch it; no more job
    expect((await t.createJob({ foo: 1 }, `/q/${queue}?uniq=a`)).status).toBe(201);
    const duplicate = await t.createJob({ foo: 1 }, `/q/${queue}?uniq=a`);
    expect(duplicate.text).toMatch(/job already exists/);
    expect(duplicate.status).toBe(400);
    expect(json(await t.getJob())).toEqual({ foo: 1 });
    expect((await t.getJob()).status).toBe(404);
    // job failed; status
    expect((await t.failedJob()).status).toBe(201);
    expect(json(await t.queueStatus())).toEqual({ queue, size: '1' });
    // worker stats for queue: the fetches with the worker header registered nobody
    expect(json(await t.workersStats())).toEqual({
      workers_list: [],
      queue_name: queue,
      processed: '7',
      failed: '1',
    });
    // full process with worker id: reg., create, fetch, stats
    expect((await t.regWorker()).status).toBe(201);
    expect((await t.createJob(job)).status).toBe(201);
    expect((await t.getJobs()).status).toBe(200);
    expect(json(await t.workersStats())).toEqual({
      workers_list: ['worker_foo'],
      queue_name: queue,
      processed: '9',
      failed: '1',
    });
    // unreg.; purge queue
    expect((await t.unregWorker()).status).toBe(204);
    expect((await t.purgeQueue()).status).toBe(204);
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
