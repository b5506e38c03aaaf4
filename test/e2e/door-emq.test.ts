/**
 * The emq door against a real `docket serve` process over real sockets: emq's README examples,
 * then its wait semantics from seeds-reference.md 1.4 and 1.6 (timeout 0, repeats,
 * all-or-nothing, nulls only on timeout, later waiters overtaking, the deadlock shape), and one
 * queue shared by emq, presque and the native API.
 */
import { request } from 'node:http';
import { describe, expect, test } from 'vitest';
import { serverPerFile } from '../support/server-per-file.ts';

const served = serverPerFile();

interface Task {
  readonly id: string;
  readonly content: unknown;
}

let n = 0;
/** A fresh queue name per call site, so tests never see each other's tasks. */
function fresh(name: string): string {
  n += 1;
  return `e${n}-${name}`;
}

function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${served.server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    redirect: 'manual',
  });
}

async function enqueue(queue: string, body: unknown = {}): Promise<void> {
  const response = await post(`/enqueue/${queue}`, body);
  expect(response.status).toBe(200);
  expect(await response.text()).toBe('');
}

async function wait(queues: readonly string[], timeout = 0): Promise<Array<Task | null>> {
  const response = await post('/wait/', { timeout, queues });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json; charset=UTF-8');
  return (await response.json()) as Array<Task | null>;
}

describe('emq README examples', () => {
  test('POST /enqueue/<queue-name> with content, retry and expiry answers 200 and no id', async () => {
    const queue = fresh('queue-name');
    await enqueue(queue, { content: { anything: ['goes', 'here'] }, retry: 1, expiry: 1 });
    const [task] = await wait([queue]);
    expect(task?.content).toEqual({ anything: ['goes', 'here'] });
    expect(task?.id).toMatch(/^[A-Za-z0-9+/]{22}$/);
  });

  test('POST /wait/ with a timeout and two queues answers an array of tasks, one per queue', async () => {
    const [one, two] = [fresh('queue-name-1'), fresh('queue-name-2')];
    await enqueue(one, { content: 1 });
    await enqueue(two, { content: 2 });
    const answer = await wait([one, two], 1);
    expect(answer.map((task) => task?.content)).toEqual([1, 2]);
    for (const task of answer) expect(Object.keys(task ?? {})).toEqual(['id', 'content']);
  });

  test('the trailing slash is important: POST /wait answers 301 to /wait/', async () => {
    const response = await post('/wait', { queues: [] });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/wait/');
  });

  test('POST /ack/ completes tasks and deletes them from the queue', async () => {
    const queue = fresh('acked');
    await enqueue(queue, { content: 'done' });
    const [task] = await wait([queue]);
    const response = await post('/ack/', { ids: [task?.id] });
    expect(response.status).toBe(200);
    expect(await wait([queue])).toEqual([null]);
    const queues = (await (await fetch(`${served.server.url}/queues/`)).json()) as string[];
    expect(queues).not.toContain(queue);
  });

  test('POST /nak/ marks tasks failed: they are retried, at the back of their queue', async () => {
    const queue = fresh('naked');
    await enqueue(queue, { content: 'first' });
    await enqueue(queue, { content: 'second' });
    const [task] = await wait([queue]);
    expect((await post('/nak/', { ids: [task?.id] })).status).toBe(200);
    expect((await wait([queue, queue])).map((t) => t?.content)).toEqual(['second', 'first']);
  });

  test('GET /peek/<queue-name>?n=<num> gets at most num tasks without dispatching them', async () => {
    const queue = fresh('peeked');
    for (const content of [1, 2, 3]) await enqueue(queue, { content });
    const response = await fetch(`${served.server.url}/peek/${queue}?n=2`);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(((await response.json()) as Task[]).map((task) => task.content)).toEqual([1, 2]);
    expect((await wait([queue, queue, queue])).map((task) => task?.content)).toEqual([1, 2, 3]);
  });

  test('GET /queues/ gets the names of all current queues', async () => {
    const queue = fresh('listed');
    await enqueue(queue);
    const names = (await (await fetch(`${served.server.url}/queues/`)).json()) as string[];
    expect(names).toContain(queue);
  });
});

describe('emq wait semantics', () => {
  test('timeout 0: [task, task, null, task, null] for two tasks of a, none of b, one of c, unknown d', async () => {
    const [a, b, c, d] = [fresh('a'), fresh('b'), fresh('c'), fresh('d')];
    await enqueue(a, { content: 'a1' });
    await enqueue(a, { content: 'a2' });
    await enqueue(c, { content: 'c1' });
    expect((await wait([a, a, b, c, d])).map((task) => task?.content ?? null)).toEqual(['a1', 'a2', null, 'c1', null]);
  });

  test('repeats: ["a","a","a"] asks for three different tasks', async () => {
    const a = fresh('a');
    for (const content of [1, 2, 3, 4]) await enqueue(a, { content });
    const answer = await wait([a, a, a], 5_000);
    expect(new Set(answer.map((task) => task?.id)).size).toBe(3);
    expect(answer.map((task) => task?.content)).toEqual([1, 2, 3]);
  });

  test('all or nothing: a waiter is answered only with every position, and holds no task meanwhile', async () => {
    const [a, b] = [fresh('a'), fresh('b')];
    let answered = false;
    const waiter = wait([a, b], 20_000).then((answer) => {
      answered = true;
      return answer;
    });
    await enqueue(a, { content: 'a1' });
    expect((await wait([a])).map((task) => task?.content)).toEqual(['a1']);
    expect(answered).toBe(false);
    await enqueue(a, { content: 'a2' });
    await enqueue(b, { content: 'b1' });
    expect((await waiter).map((task) => task?.content)).toEqual(['a2', 'b1']);
  });

  test('timeout: nulls appear only then, after a final partial take', async () => {
    const [a, b] = [fresh('a'), fresh('b')];
    await enqueue(a, { content: 'a1' });
    const started = Date.now();
    const answer = await wait([a, b, b], 400);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(answer.map((task) => task?.content ?? null)).toEqual(['a1', null, null]);
  });

  test('a later waiter needing one task overtakes an earlier one needing two', async () => {
    const a = fresh('a');
    const early = wait([a, a], 20_000);
    const late = wait([a], 20_000);
    await enqueue(a, { content: 1 });
    expect((await late).map((task) => task?.content)).toEqual([1]);
    await enqueue(a, { content: 2 });
    await enqueue(a, { content: 3 });
    expect((await early).map((task) => task?.content)).toEqual([2, 3]);
  });

  test('the deadlock shape: 50 concurrent waiters and 200 concurrent enqueues all finish, each task once', async () => {
    const a = fresh('a');
    const waiters = Array.from({ length: 50 }, () => wait([a], 30_000));
    await Promise.all(Array.from({ length: 200 }, (_, i) => enqueue(a, { content: i })));
    const tasks = (await Promise.all(waiters)).map(([task]) => task);
    expect(tasks.every((task) => task !== null)).toBe(true);
    expect(new Set(tasks.map((task) => task?.id)).size).toBe(50);
    const rest = await wait(Array.from({ length: 150 }, () => a));
    expect(rest.every((task) => task !== null)).toBe(true);
    expect(new Set([...tasks, ...rest].map((task) => task?.content)).size).toBe(200);
  });
});

describe('one engine: emq, presque and native queue x are one queue', () => {
  test('a task enqueued through emq is seen through /v1, and a presque job through emq', async () => {
    const x = fresh('x');
    await enqueue(x, { content: { via: 'emq' } });
    const listed = (await (await fetch(`${served.server.url}/v1/queues/${x}/jobs`)).json()) as {
      items: Array<{ data: unknown; state: string }>;
    };
    expect(listed.items.map((job) => [job.data, job.state])).toEqual([[{ via: 'emq' }, 'waiting']]);
    const presque = await fetch(`${served.server.url}/q/${x}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"via":"presque"}',
    });
    expect(presque.status).toBe(201);
    expect((await wait([x, x])).map((task) => task?.content)).toEqual([{ via: 'emq' }, { via: 'presque' }]);
  });
});

/** A request sent with its path exactly as given (fetch would resolve `.` and `..` first). */
function rawPath(method: string, path: string): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const sent = request(`${served.server.url}/`, { method, path, agent: false }, (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, location: response.headers.location });
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe('emq paths unclean before the prefix, over a real socket', () => {
  test.each([
    ['GET', '//queues/', '/queues/'],
    ['GET', '/./queues/', '/queues/'],
    ['GET', '/x/../queues/', '/queues/'],
    ['POST', '//wait/', '/wait/'],
    ['POST', '/a/b/../../ack/', '/ack/'],
  ])('%s %s answers 301 to %s, as ServeMux does', async (method, path, location) => {
    expect(await rawPath(method, path)).toEqual({ status: 301, location });
  });

  test('an unclean path outside emq keeps Docket’s 404', async () => {
    expect((await rawPath('GET', '/./v1/nowhere')).status).toBe(404);
  });
});
