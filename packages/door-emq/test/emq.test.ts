/**
 * The emq door over app.inject(): every endpoint with emq's status codes, content types, body
 * rules, trailing-slash redirects and error texts (seeds-reference.md section 1).
 */
import { describe, expect, test } from 'vitest';
import { harnessPerFile } from '../../server/test/support/harness.ts';
import { emqEnqueue, emqPost, emqWait } from '../../../test/support/emq-client.ts';

/** One app for the file; `h.q(name)` is a fresh queue name per test, so tests never see each other's jobs. */
const h = harnessPerFile();

const POST_TYPE = 'application/json; charset=UTF-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

function expectEmqError(
  response: { statusCode: number; headers: Record<string, unknown>; body: string },
  text: string,
) {
  expect(response.statusCode).toBe(400);
  expect(response.headers['content-type']).toBe(TEXT_TYPE);
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.body).toBe(`${text}\n`);
}

describe('emq POST /enqueue/<queue>', () => {
  test('answers 200 with an empty body and stores the task with emq defaults (retry 300 s, expiry 1 day)', async () => {
    const response = await emqPost(h.app, `/enqueue/${h.q('a')}`, { content: { x: 1 } });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
    expect(response.headers['content-type']).toBe(POST_TYPE);
    const [job] = (await h.engine.list(h.q('a'))).items;
    expect(job?.data).toEqual({ x: 1 });
    expect(job?.leaseMs).toBe(300_000);
    expect((job?.expiresAt ?? 0) - (job?.createdAt ?? 0)).toBe(86_400_000);
    expect(job?.maxAttempts).toBe(1000);
  });

  test('takes retry and expiry in seconds, null as the default, field names in any case', async () => {
    await emqEnqueue(h.app, h.q('a'), { Content: 'x', RETRY: 7, expiry: null });
    const [job] = (await h.engine.list(h.q('a'))).items;
    expect(job?.data).toBe('x');
    expect(job?.leaseMs).toBe(7000);
    expect((job?.expiresAt ?? 0) - (job?.createdAt ?? 0)).toBe(86_400_000);
  });

  test('content is null when omitted, and a top-level null body means all defaults', async () => {
    await emqEnqueue(h.app, h.q('a'), 'null');
    await emqEnqueue(h.app, h.q('a'), {});
    const jobs = (await h.engine.list(h.q('a'))).items;
    expect(jobs.map((job) => job.data)).toEqual([null, null]);
  });

  test('a queue name is the percent-decoded rest of the path, slashes included', async () => {
    await emqEnqueue(h.app, `${h.q('a')}%2Fb`);
    await emqEnqueue(h.app, `${h.q('k')}/x`);
    expect((await h.engine.list(`${h.q('a')}/b`)).items).toHaveLength(1);
    expect((await h.engine.list(`${h.q('k')}/x`)).items).toHaveLength(1);
  });

  test.each([
    ['{"foo":1}', 'json: unknown field "foo"'],
    ['{"retry":-1}', 'json: cannot unmarshal number -1 into Go struct field TaskConfig.retry of type uint32'],
    ['{"retry":1.5}', 'json: cannot unmarshal number 1.5 into Go struct field TaskConfig.retry of type uint32'],
    ['{"expiry":"1"}', 'json: cannot unmarshal string into Go struct field TaskConfig.expiry of type uint32'],
    [
      '{"retry":4294967296}',
      'json: cannot unmarshal number 4294967296 into Go struct field TaskConfig.retry of type uint32',
    ],
    ['', 'EOF'],
    ['[1]', 'json: cannot unmarshal array into Go value of type main.TaskConfig'],
    ['{} {}', 'expected exactly 1 top-level object'],
  ])('body %j is refused with %j', async (body, message) => {
    expectEmqError(await emqPost(h.app, `/enqueue/${h.q('a')}`, body), message);
    expect((await h.engine.listQueues()).items.some((info) => info.name === h.q('a'))).toBe(false);
  });

  test('trailing whitespace and a trailing ] or } are accepted, as by Go', async () => {
    for (const body of ['{} \n', '{}]', '{}}']) {
      expect((await emqPost(h.app, `/enqueue/${h.q('a')}`, body)).statusCode).toBe(200);
    }
  });

  test.each([null, 'text/plain', 'application/json;', 'Application/json', 'application/jsonx'])(
    'Content-Type %j is refused with 400 Bad Request',
    async (contentType) => {
      expectEmqError(await emqPost(h.app, `/enqueue/${h.q('a')}`, {}, contentType), 'Bad Request');
    },
  );

  test('application/json with parameters passes the Content-Type rule', async () => {
    const response = await emqPost(h.app, `/enqueue/${h.q('a')}`, {}, 'application/json; charset=utf-8');
    expect(response.statusCode).toBe(200);
  });

  test.each(['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const)(
    '%s answers 400, not 405',
    async (method) => {
      const response = await h.app.inject({ method, url: `/enqueue/${h.q('a')}` });
      expect(response.statusCode).toBe(400);
      if (method !== 'HEAD') expect(response.body).toBe('Bad Request\n');
    },
  );

  test('a queue name outside Docket’s rule, or empty, is a 400 in emq’s format', async () => {
    const response = await emqPost(h.app, '/enqueue/a%20b', {});
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe(TEXT_TYPE);
    expect(response.body).toMatch(/^invalid queue name "a b": expected/);
    expect((await emqPost(h.app, '/enqueue/', {})).body).toMatch(/^invalid queue name "": expected/);
  });

  test('a body over the limit is refused with Go’s message', async () => {
    const response = await emqPost(h.app, `/enqueue/${h.q('a')}`, JSON.stringify({ content: 'x'.repeat(2_000_000) }));
    expectEmqError(response, 'http: request body too large');
  });

  test('a payload over the engine limit is a 400 in emq’s format', async () => {
    const response = await emqPost(h.app, `/enqueue/${h.q('a')}`, JSON.stringify({ content: 'x'.repeat(1_048_600) }));
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/^payload is \d+ bytes: the limit is 1048576\n$/);
  });
});

describe('emq paths', () => {
  test.each(['/enqueue', '/wait', '/ack', '/nak'])(
    'POST %s answers 301 to the slashed path with an empty body',
    async (path) => {
      const response = await emqPost(h.app, path, {});
      expect(response.statusCode).toBe(301);
      expect(response.headers['location']).toBe(`${path}/`);
      expect(response.body).toBe('');
    },
  );

  test('GET /queues answers 301 with Go’s small HTML body', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/queues' });
    expect(response.statusCode).toBe(301);
    expect(response.headers['location']).toBe('/queues/');
    expect(response.body).toBe('<a href="/queues/">Moved Permanently</a>.\n\n');
  });

  test('an unclean path answers 301 to the clean one', async () => {
    const response = await h.app.inject({ method: 'POST', url: `/enqueue//${h.q('a')}` });
    expect(response.statusCode).toBe(301);
    expect(response.headers['location']).toBe(`/enqueue/${h.q('a')}`);
  });

  test.each([
    ['GET', '//queues/', '/queues/'],
    ['POST', '//wait/', '/wait/'],
    ['POST', '//enqueue/q?x=1', '/enqueue/q?x=1'],
  ])('%s %s, unclean before the prefix, answers 301 to %s', async (method, url, location) => {
    const response = await h.app.inject({ method: method as 'GET' | 'POST', url });
    expect(response.statusCode).toBe(301);
    expect(response.headers['location']).toBe(location);
  });

  test('a 301 to a POST carries no body and no content type, as Go sends it', async () => {
    for (const url of ['/wait', '//ack/']) {
      const response = await emqPost(h.app, url, {});
      expect(response.statusCode).toBe(301);
      expect(response.headers['content-type']).toBeUndefined();
      expect(response.body).toBe('');
    }
  });

  test('an unclean path outside emq keeps Docket’s answer', async () => {
    const response = await h.app.inject({ method: 'GET', url: '//v1/queues' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
  });

  test('a path under /wait/ acts as /wait/, and /queues/abc lists queues', async () => {
    expect(await emqWait(h.app, [])).toEqual([]);
    expect((await emqPost(h.app, '/wait/anything', { queues: [] })).body).toBe('[]\n');
    expect((await h.app.inject({ method: 'GET', url: '/queues/abc' })).statusCode).toBe(200);
  });
});

describe('emq POST /wait/ with timeout 0', () => {
  test('each position gets the next task of its queue or null: [task, task, null, task, null]', async () => {
    await emqEnqueue(h.app, h.q('a'), { content: 'a1' });
    await emqEnqueue(h.app, h.q('a'), { content: 'a2' });
    await emqEnqueue(h.app, h.q('c'), { content: 'c1' });
    const response = await emqPost(h.app, '/wait/', { queues: [h.q('a'), h.q('a'), h.q('b'), h.q('c'), h.q('d')] });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(POST_TYPE);
    expect(response.body.endsWith('\n')).toBe(true);
    const answer = response.json<Array<{ id: string; content: string } | null>>();
    expect(answer.map((task) => task?.content ?? null)).toEqual(['a1', 'a2', null, 'c1', null]);
    for (const task of answer) if (task !== null) expect(Object.keys(task)).toEqual(['id', 'content']);
    expect(answer[0]?.id).toMatch(/^[A-Za-z0-9+/]{22}$/);
  });

  test('repeats ask for different tasks: no task appears twice in one answer', async () => {
    for (const content of [1, 2, 3]) await emqEnqueue(h.app, h.q('a'), { content });
    const answer = await emqWait(h.app, [h.q('a'), h.q('a'), h.q('a')]);
    expect(answer.map((task) => task?.content)).toEqual([1, 2, 3]);
    expect(new Set(answer.map((task) => task?.id)).size).toBe(3);
  });

  test('queues empty, missing or null answer [] at once, whatever the timeout', async () => {
    for (const body of [{ queues: [] }, {}, { queues: null, timeout: 60_000 }, 'null']) {
      const response = await emqPost(h.app, '/wait/', body);
      expect(response.body).toBe('[]\n');
    }
  });

  test('a dispatched task is not handed out again until nak', async () => {
    await emqEnqueue(h.app, h.q('a'), { content: 'only' });
    const [first] = await emqWait(h.app, [h.q('a')]);
    expect(await emqWait(h.app, [h.q('a')])).toEqual([null]);
    expect((await emqPost(h.app, '/nak/', { ids: [first?.id] })).statusCode).toBe(200);
    expect(await emqWait(h.app, [h.q('a')])).toEqual([first]);
  });

  test('bad wait bodies get emq’s 400s', async () => {
    expectEmqError(
      await emqPost(h.app, '/wait/', { queues: 'a' }),
      'json: cannot unmarshal string into Go struct field WaitSpecConfig.queues of type []string',
    );
    expectEmqError(
      await emqPost(h.app, '/wait/', { queues: [1] }),
      'json: cannot unmarshal number into Go struct field WaitSpecConfig.queues of type string',
    );
    expectEmqError(
      await emqPost(h.app, '/wait/', { timeout: -5 }),
      'json: cannot unmarshal number -5 into Go struct field WaitSpecConfig.timeout of type uint32',
    );
    expect((await emqPost(h.app, '/wait/', { queues: ['a b'] })).statusCode).toBe(400);
    expectEmqError(
      await emqPost(h.app, '/wait/', { timeout: true }),
      'json: cannot unmarshal bool into Go struct field WaitSpecConfig.timeout of type uint32',
    );
    expectEmqError(await emqPost(h.app, '/wait/', '{"queues": ["a"'), 'unexpected EOF');
    expectEmqError(await emqPost(h.app, '/wait/', '{"timeout": 1, "queues": "a'), 'unexpected EOF');
    expectEmqError(await emqPost(h.app, '/wait/', 'tru'), 'unexpected EOF');
  });

  test('bad ack and nak bodies name emq’s UIDs struct and uid.UID type', async () => {
    for (const path of ['/ack/', '/nak/']) {
      expectEmqError(
        await emqPost(h.app, path, { ids: 'x' }),
        'json: cannot unmarshal string into Go struct field UIDs.ids of type []uid.UID',
      );
      expectEmqError(
        await emqPost(h.app, path, { ids: [1] }),
        'json: cannot unmarshal number into Go struct field UIDs.ids of type uid.UID',
      );
      expectEmqError(await emqPost(h.app, path, '{"ids": ['), 'unexpected EOF');
    }
  });
});

describe('emq POST /wait/ with a timeout', () => {
  test('all or nothing: a waiter is answered only when every position can be filled, and holds nothing meanwhile', async () => {
    const waiter = emqWait(h.app, [h.q('a'), h.q('b')], 10_000);
    let answered = false;
    void waiter.then(() => (answered = true));
    await emqEnqueue(h.app, h.q('a'), { content: 'a1' });
    const [taken] = await emqWait(h.app, [h.q('a')]);
    expect(taken?.content).toBe('a1');
    expect(answered).toBe(false);
    await emqEnqueue(h.app, h.q('a'), { content: 'a2' });
    await emqEnqueue(h.app, h.q('b'), { content: 'b1' });
    expect((await waiter).map((task) => task?.content)).toEqual(['a2', 'b1']);
  });

  test('nulls appear only on timeout: the final take hands out what is there', async () => {
    await emqEnqueue(h.app, h.q('a'), { content: 'a1' });
    const started = Date.now();
    const answer = await emqWait(h.app, [h.q('a'), h.q('b')], 300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(answer.map((task) => task?.content ?? null)).toEqual(['a1', null]);
  });

  test('a later waiter needing one task takes the task an earlier waiter needing two was waiting for', async () => {
    const early = emqWait(h.app, [h.q('a'), h.q('a')], 10_000);
    const late = emqWait(h.app, [h.q('a')], 10_000);
    await emqEnqueue(h.app, h.q('a'), { content: 1 });
    expect((await late).map((task) => task?.content)).toEqual([1]);
    await emqEnqueue(h.app, h.q('a'), { content: 2 });
    await emqEnqueue(h.app, h.q('a'), { content: 3 });
    expect((await early).map((task) => task?.content)).toEqual([2, 3]);
  });

  test('two waiters on one queue with one task: the first registered gets it', async () => {
    const first = emqWait(h.app, [h.q('a')], 10_000);
    const second = emqWait(h.app, [h.q('a')], 1_000);
    await emqEnqueue(h.app, h.q('a'), { content: 'one' });
    expect((await first).map((task) => task?.content)).toEqual(['one']);
    expect(await second).toEqual([null]);
  });

  test('a task whose retry window passes wakes a waiter (emq only noticed at the next event)', async () => {
    await emqEnqueue(h.app, h.q('a'), { content: 'r', retry: 1 });
    const [dispatched] = await emqWait(h.app, [h.q('a')]);
    const [again] = await emqWait(h.app, [h.q('a')], 10_000);
    expect(again?.id).toBe(dispatched?.id);
  });

  test('50 waiters and 200 concurrent enqueues: every waiter gets its own task and the server stays up', async () => {
    const waiters = Array.from({ length: 50 }, () => emqWait(h.app, [h.q('d')], 20_000));
    await Promise.all(Array.from({ length: 200 }, (_, i) => emqEnqueue(h.app, h.q('d'), { content: i })));
    const answers = (await Promise.all(waiters)).map(([task]) => task);
    expect(answers.every((task) => task !== null)).toBe(true);
    expect(new Set(answers.map((task) => task?.id)).size).toBe(50);
    const peek = await h.app.inject({ method: 'GET', url: `/peek/${h.q('d')}?n=1000` });
    expect(peek.json<unknown[]>()).toHaveLength(150);
  });
});

describe('emq POST /ack/ and /nak/', () => {
  test('ack deletes a task in dispatch; its queue disappears with its last task', async () => {
    await emqEnqueue(h.app, h.q('a'), { content: 'x' });
    const [task] = await emqWait(h.app, [h.q('a')]);
    const response = await emqPost(h.app, '/ack/', { ids: [task?.id] });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
    expect(response.headers['content-type']).toBe(POST_TYPE);
    const queues = await h.app.inject({ method: 'GET', url: '/queues/' });
    expect(queues.json<string[]>()).not.toContain(h.q('a'));
    expect((await h.engine.list(h.q('a'))).items[0]?.state).toBe('completed');
  });

  test('unknown ids and tasks not in dispatch are ignored silently', async () => {
    await emqEnqueue(h.app, h.q('a'), { content: 'x' });
    const [peeked] = (await h.app.inject({ method: 'GET', url: `/peek/${h.q('a')}?n=1` })).json<
      Array<{ id: string }>
    >();
    const response = await emqPost(h.app, '/ack/', { ids: ['Uv38ByGCZU8WP18PmmIdcg', peeked?.id] });
    expect(response.statusCode).toBe(200);
    expect((await h.engine.list(h.q('a'))).items[0]?.state).toBe('waiting');
  });

  test('one malformed id refuses the whole batch', async () => {
    await emqEnqueue(h.app, h.q('a'), { content: 'x' });
    const [task] = await emqWait(h.app, [h.q('a')]);
    expectEmqError(await emqPost(h.app, '/ack/', { ids: [task?.id, 'short'] }), 'illegal base64 data at input byte 4');
    expectEmqError(await emqPost(h.app, '/ack/', { ids: [task?.id, 'abcd'] }), 'invalid length');
    expect((await h.engine.list(h.q('a'))).items[0]?.state).toBe('active');
  });

  test('ids missing or null is a no-op', async () => {
    for (const body of [{}, { ids: null }, 'null']) {
      expect((await emqPost(h.app, '/nak/', body)).statusCode).toBe(200);
    }
  });

  test('nak makes a task available at once, behind the tasks already waiting, with no attempt limit', async () => {
    await emqEnqueue(h.app, h.q('a'), { content: 1 });
    await emqEnqueue(h.app, h.q('a'), { content: 2 });
    const [first] = await emqWait(h.app, [h.q('a')]);
    await emqPost(h.app, '/nak/', { ids: [first?.id] });
    const again = await emqWait(h.app, [h.q('a'), h.q('a')]);
    expect(again.map((task) => task?.content)).toEqual([2, 1]);
  });

  test('a job with a client-chosen Docket id is shown as ~id and can be acked by it', async () => {
    await h.engine.enqueue(h.q('a'), { id: 'order-42', data: 'native' });
    const [task] = await emqWait(h.app, [h.q('a')]);
    expect(task).toEqual({ id: '~order-42', content: 'native' });
    await emqPost(h.app, '/ack/', { ids: ['~order-42'] });
    expect((await h.engine.get('order-42')).state).toBe('completed');
  });
});

describe('emq GET /peek/<queue> and /queues/', () => {
  test('peek lists up to n dispatchable tasks in queue order, as text/plain, leaving them undispatched', async () => {
    for (const content of [1, 2, 3]) await emqEnqueue(h.app, h.q('a'), { content });
    await emqWait(h.app, [h.q('a')]);
    const response = await h.app.inject({ method: 'GET', url: `/peek/${h.q('a')}?n=5&n=1` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(TEXT_TYPE);
    expect(response.json<Array<{ content: number }>>().map((task) => task.content)).toEqual([2, 3]);
    expect((await emqWait(h.app, [h.q('a'), h.q('a')])).map((task) => task?.content)).toEqual([2, 3]);
  });

  test('n missing or not a number is strconv.Atoi’s 400; n ≤ 0 and unknown queues give []', async () => {
    expectEmqError(
      await h.app.inject({ method: 'GET', url: `/peek/${h.q('a')}` }),
      'strconv.Atoi: parsing "": invalid syntax',
    );
    expectEmqError(
      await h.app.inject({ method: 'GET', url: `/peek/${h.q('a')}?n=abc` }),
      'strconv.Atoi: parsing "abc": invalid syntax',
    );
    expect((await h.app.inject({ method: 'GET', url: `/peek/${h.q('a')}?n=-1` })).body).toBe('[]\n');
    expect((await h.app.inject({ method: 'GET', url: `/peek/${h.q('none')}?n=3` })).body).toBe('[]\n');
  });

  test('peek and queues take GET only: POST and HEAD answer 400', async () => {
    expect((await h.app.inject({ method: 'POST', url: `/peek/${h.q('a')}?n=1` })).statusCode).toBe(400);
    expect((await h.app.inject({ method: 'HEAD', url: '/queues/' })).statusCode).toBe(400);
  });

  test('queues lists queues holding a task, in-flight tasks included, as text/plain', async () => {
    await emqEnqueue(h.app, h.q('a'));
    await emqEnqueue(h.app, h.q('b'));
    await emqWait(h.app, [h.q('b')]);
    const response = await h.app.inject({ method: 'GET', url: '/queues/' });
    expect(response.headers['content-type']).toBe(TEXT_TYPE);
    expect(response.json<string[]>()).toEqual(expect.arrayContaining([h.q('a'), h.q('b')]));
  });
});

describe('emq door and the engine share queues', () => {
  test('a task enqueued through emq is a native job of the same queue, and the reverse', async () => {
    await emqEnqueue(h.app, h.q('x'), { content: { from: 'emq' } });
    const native = await h.app.inject({ method: 'GET', url: `/v1/queues/${h.q('x')}/jobs` });
    expect(native.json<{ items: Array<{ data: unknown }> }>().items.map((job) => job.data)).toEqual([{ from: 'emq' }]);
    await h.app.inject({
      method: 'POST',
      url: `/v1/queues/${h.q('x')}/jobs`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ data: { from: 'native' } }),
    });
    const answer = await emqWait(h.app, [h.q('x'), h.q('x')]);
    expect(answer.map((task) => task?.content)).toEqual([{ from: 'emq' }, { from: 'native' }]);
  });

  test('emq routes stay out of the OpenAPI document', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, unknown>;
    }>();
    expect(Object.keys(doc.paths).filter((path) => !path.startsWith('/v1') && !path.startsWith('/'))).toEqual([]);
    expect(Object.keys(doc.paths).some((path) => /^\/(enqueue|wait|ack|nak|peek|queues)\b/.test(path))).toBe(false);
  });
});
