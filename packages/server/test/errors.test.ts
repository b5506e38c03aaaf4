import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { closeApp } from '../src/mod.ts';
import { createHarness, errorOf, handlerReached, type Harness } from './support/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

const json = { 'content-type': 'application/json' };

describe('error answers', () => {
  test('malformed JSON is 400 INVALID_ARGUMENT', async () => {
    for (const payload of ['{bad', '', '\uFEFF{}', '{"queues":["a"]', 'nul']) {
      const response = await h.app.inject({ method: 'POST', url: '/v1/lease', headers: json, payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(errorOf(response).code).toBe('INVALID_ARGUMENT');
    }
  });

  test('a missing body where one is required is 400', async () => {
    const response = await h.app.inject({ method: 'POST', url: '/v1/lease' });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).details).toMatchObject({ in: 'body' });
  });

  test('a non-JSON body on a JSON route is 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    for (const type of ['text/plain', 'application/octet-stream', 'application/x-www-form-urlencoded']) {
      const response = await h.app.inject({
        method: 'POST',
        url: '/v1/lease',
        headers: { 'content-type': type },
        payload: 'queues=a',
      });
      expect(response.statusCode, type).toBe(415);
      expect(errorOf(response)).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', details: { contentType: type } });
    }
  });

  test('an unknown route is 404 ROUTE_NOT_FOUND', async () => {
    for (const [method, url] of [
      ['GET', '/v2/queues'],
      ['PATCH', '/v1/queues/a'],
      ['POST', '/v1/queues/a/b/jobs'],
    ] as const) {
      const response = await h.app.inject({ method, url });
      expect(response.statusCode, url).toBe(404);
      expect(errorOf(response)).toEqual({
        code: 'ROUTE_NOT_FOUND',
        message: `no route for ${method} ${url}`,
        details: { method, url },
      });
    }
    const withQuery = await h.app.inject({ method: 'GET', url: '/v2/jobs?token=secret' });
    expect(errorOf(withQuery)).toMatchObject({ message: 'no route for GET /v2/jobs', details: { url: '/v2/jobs' } });
  });

  test('bad percent-encoding in a path is 400', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/v1/jobs/%E0%A4%A' });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).code).toBe('INVALID_ARGUMENT');
  });

  test('a body over the limit of its route is 413 before it is parsed', async () => {
    const big = JSON.stringify({ queues: ['q'], pad: 'x'.repeat(2 * 1024 * 1024) });
    const response = await h.app.inject({ method: 'POST', url: '/v1/lease', headers: json, payload: big });
    expect(response.statusCode).toBe(413);
    expect(errorOf(response)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(errorOf(response).message).toMatch(/limit of \d+ bytes/);
  });

  test('JSON nested deeper than the cap is 400 without being parsed', async () => {
    const deep = `{"data":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const response = await h.app.inject({ method: 'POST', url: '/v1/queues/q/jobs', headers: json, payload: deep });
    expect(response.statusCode).toBe(400);
    // The depth check's own message: the body was refused before JSON.parse saw it.
    expect(errorOf(response).message).toContain('nested deeper');
    const payloadTooDeep = `{"data":${'['.repeat(66)}${']'.repeat(66)}}`;
    const refused = await h.app.inject({
      method: 'POST',
      url: '/v1/queues/q/jobs',
      headers: json,
      payload: payloadTooDeep,
    });
    expect(refused.statusCode).toBe(400);
  });

  test('a __proto__ key is kept inside a payload and refused in an envelope', async () => {
    const kept = await h.app.inject({
      method: 'POST',
      url: '/v1/queues/q/jobs',
      headers: json,
      payload: '{"data":{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}}',
    });
    expect(kept.statusCode, kept.body).toBe(201);
    expect(kept.body).toContain('"__proto__":{"polluted":true}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const refused = await h.app.inject({
      method: 'POST',
      url: '/v1/queues/q/jobs',
      headers: json,
      payload: '{"data":1,"__proto__":{"priority":5}}',
    });
    expect(refused.statusCode).toBe(400);
  });

  test('a numeric query parameter out of range or not a number is 400', async () => {
    for (const url of [
      '/v1/jobs/x?waitMs=-1',
      '/v1/jobs/x?waitMs=abc',
      '/v1/jobs/x?waitMs=1e20',
      '/v1/jobs/x?extra=1',
    ]) {
      const response = await h.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
    }
  });

  test('readyz answers 503 while draining, other routes still answer', async () => {
    const closing = closeApp(h.app, { drainMs: 300 });
    const ready = await h.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['retry-after']).toBe('1');
    expect(errorOf(ready).message).toContain('shutting down');
    expect((await h.app.inject({ method: 'GET', url: '/v1/queues' })).statusCode).toBe(200);
    await closing;
  });

  test('closing releases a waiting long-poll with no jobs', async () => {
    const handled = handlerReached(h.app);
    // A wait longer than the test's own timeout: only the release can answer it in time.
    const waiting = h.app.inject({ method: 'POST', url: '/v1/lease', payload: { queues: ['q'], waitMs: 60_000 } });
    await handled();
    await closeApp(h.app);
    const response = await waiting;
    expect(response.json()).toEqual({ jobs: [] });
  });
});
