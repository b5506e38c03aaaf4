/**
 * Names of only dots (`.`, `..`, `...`) are refused everywhere a name becomes a queue: a URL
 * client resolves `.` and `..` as dot segments, so such a queue could not be addressed. /v1
 * answers the catalog's INVALID_ARGUMENT with the rule in words, the engine refuses them, and
 * each door answers in its own error style; names with dots and other characters stay valid.
 * Paths are sent as written (node:http's `path` option; inject, fetch and URL strings resolve dot segments).
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { QUEUE_NAME_RULE, isQueueName } from '@docket/protocol';
import { RespClient } from '../../../test/support/resp-client.ts';
import { openDoorListeners, type DoorListeners } from './support/door-listeners.ts';

const DOTS = ['.', '..', '...', '%2E', '%2E%2E', '%2e.'];

let doors: DoorListeners;
beforeAll(async () => {
  doors = await openDoorListeners({ memory: true, services: false });
});
afterAll(async () => {
  await doors.close();
});

function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    // `path` as an option is sent as written; a URL string would have its dot segments resolved.
    const request = httpRequest(
      {
        hostname,
        port,
        path,
        method,
        agent: false,
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': payload.length }),
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

const v1 = (method: string, path: string, body?: unknown) => call(doors.httpUrl, method, path, body);

async function queueNames(): Promise<string[]> {
  return (await doors.harness.engine.listQueues({ limit: 1000 })).items.map((queue) => queue.name);
}

function expectInvalidName(answer: { status: number; text: string }): void {
  expect(answer.status, answer.text).toBe(400);
  const { error } = JSON.parse(answer.text) as { error: { code: string; message: string } };
  expect(error.code).toBe('INVALID_ARGUMENT');
  expect(error.message).toContain(QUEUE_NAME_RULE);
}

describe('queue names of only dots', () => {
  test('the shared rule refuses them and keeps names with dots among other characters', () => {
    for (const name of ['.', '..', '...', '.'.repeat(200)]) expect(isQueueName(name), name).toBe(false);
    for (const name of ['a.', '.a', '..a', 'a..b', 'a/..', '._', 'x.fifo']) expect(isQueueName(name), name).toBe(true);
  });

  test('/v1 answers 400 INVALID_ARGUMENT with the rule, in paths and in bodies, and creates nothing', async () => {
    for (const dots of DOTS) {
      expectInvalidName(await v1('PUT', `/v1/queues/${dots}`, {}));
      expectInvalidName(await v1('POST', `/v1/queues/${dots}/jobs`, { data: 1 }));
      expectInvalidName(await v1('GET', `/v1/queues/${dots}/jobs`));
      expectInvalidName(await v1('PUT', `/v1/schedules/${dots}`, { queue: 'q', every: '1h' }));
    }
    expectInvalidName(await v1('POST', '/v1/lease', { queues: ['..'] }));
    expect(await queueNames()).toEqual([]);
    // Enqueue-each answers item by item: the item naming `.` gets the refusal, with its index and field.
    const each = await v1('POST', '/v1/jobs', {
      items: [
        { queue: 'ok', data: 1 },
        { queue: '.', data: 2 },
      ],
    });
    expect(each.status, each.text).toBe(200);
    const [, refused] = (JSON.parse(each.text) as { results: Array<{ error?: { message: string } }> }).results;
    expect(refused).toMatchObject({ error: { code: 'INVALID_ARGUMENT', details: { index: 1, field: 'queue' } } });
    expect(refused?.error?.message).toContain(QUEUE_NAME_RULE);
    expect((await v1('PUT', '/v1/queues/a..b', {})).status).toBe(200);
    expect((await queueNames()).sort()).toEqual(['a..b', 'ok']);
  });

  test('the engine refuses them with the same rule', async () => {
    await expect(doors.harness.engine.enqueue('..', { data: 1 })).rejects.toThrow(
      `invalid queue name: ${QUEUE_NAME_RULE}`,
    );
  });

  test('the OpenAPI document carries the pattern', async () => {
    const openapi = await v1('GET', '/openapi.json');
    expect(openapi.text).toContain(JSON.stringify(`^(?!\\.+$)[A-Za-z0-9._:/-]{1,200}$`).slice(1, -1));
  });

  test('each door refuses them in its own style and stores nothing', async () => {
    const before = await queueNames();
    const presque = await call(doors.httpUrl, 'POST', '/q/%2E%2E', { a: 1 });
    expect(presque.status, presque.text).toBe(400);
    expect(presque.text).toContain(QUEUE_NAME_RULE);
    const publish = await call(doors.httpUrl, 'POST', '/publish/..', 'x', { 'content-type': 'text/plain' });
    expect(publish.status, publish.text).toBe(400);
    expect(JSON.parse(publish.text)).toEqual({ error: expect.stringContaining('not only dots') as unknown });
    // emq resolves dot segments itself, as Go's ServeMux does: a 301 to the clean path.
    expect((await call(doors.httpUrl, 'POST', '/enqueue/..', { content: 1 })).status).toBe(301);
    const wait = await call(doors.httpUrl, 'POST', '/wait/', { queues: ['..'], timeout: 0 });
    expect(wait.status, wait.text).toBe(400);
    expect(wait.text).toContain(QUEUE_NAME_RULE);
    const resp = await RespClient.open(doors.respPort);
    expect(await resp.call('PUBLISH', '..', 'x')).toEqual({
      type: 'error',
      text: expect.stringContaining('INVALID_ARGUMENT invalid topic') as unknown,
    });
    resp.destroy();
    const sqs = await call(
      doors.sqsUrl,
      'POST',
      '/',
      { QueueName: '..' },
      {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AmazonSQS.CreateQueue',
      },
    );
    expect(sqs.status, sqs.text).toBe(400);
    expect(JSON.parse(sqs.text)).toMatchObject({ __type: 'com.amazonaws.sqs#InvalidParameterValue' });
    expect(await queueNames()).toEqual(before);
  });
});
