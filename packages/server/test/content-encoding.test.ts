/**
 * Content-Encoding of request bodies (issue 19, item 8): gzip, deflate and br are decoded, with
 * the route's limit applied to the decoded bytes (a decompression bomb is a quick 413), any other
 * coding is a 415, a corrupt body a 400, and encoded bytes are never stored as the payload.
 */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { expect, test } from 'vitest';
import { errorOf, harnessPerFile } from './support/harness.ts';

const h = harnessPerFile({ memory: true });

const ENCODERS: Readonly<Record<string, (body: Buffer) => Buffer>> = {
  gzip: (body) => gzipSync(body),
  'x-gzip': (body) => gzipSync(body),
  deflate: (body) => deflateSync(body),
  br: (body) => brotliCompressSync(body),
  identity: (body) => body,
  'gzip, br': (body) => brotliCompressSync(gzipSync(body)),
};

async function leasedData(queue: string): Promise<{ data: unknown; encoding: string } | undefined> {
  const response = await h.app.inject({ method: 'POST', url: '/v1/lease', payload: { queues: [queue] } });
  return response.json<{ jobs: Array<{ data: unknown; encoding: string }> }>().jobs[0];
}

test.each(Object.keys(ENCODERS))('a %s JSON job is decoded before it is parsed', async (coding) => {
  const queue = h.q('json');
  const encode = ENCODERS[coding] as (body: Buffer) => Buffer;
  const response = await h.app.inject({
    method: 'POST',
    url: `/v1/queues/${queue}/jobs`,
    headers: { 'content-type': 'application/json', 'content-encoding': coding },
    payload: encode(Buffer.from(JSON.stringify({ data: { hello: 'world' } }))),
  });
  expect(response.statusCode, response.body).toBe(201);
  expect(await leasedData(queue)).toMatchObject({ data: { hello: 'world' }, encoding: 'json' });
});

test.each(Object.keys(ENCODERS))(
  'a %s raw body is stored decoded, on the native route and the doors',
  async (coding) => {
    const encode = ENCODERS[coding] as (body: Buffer) => Buffer;
    const payload = Buffer.from('raw bytes, not gzip: \u00e9\u0000\u00ff');
    const native = h.q('raw');
    const miniqueue = h.q('mq');
    for (const [url, queue] of [
      [`/v1/queues/${native}/jobs`, native],
      [`/publish/${miniqueue}`, miniqueue],
    ] as const) {
      const response = await h.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/octet-stream', 'content-encoding': coding },
        payload: encode(payload),
      });
      expect(response.statusCode, response.body).toBe(201);
      const job = await leasedData(queue);
      expect(Buffer.from(job?.data as string, 'base64').equals(payload)).toBe(true);
    }
    const presque = h.q('pq');
    const inserted = await h.app.inject({
      method: 'POST',
      url: `/q/${presque}`,
      headers: { 'content-type': 'application/json', 'content-encoding': coding },
      payload: encode(Buffer.from('{"n": 1}')),
    });
    expect(inserted.statusCode, inserted.body).toBe(201);
    expect((await h.app.inject({ method: 'GET', url: `/q/${presque}` })).body).toBe('{"n": 1}');
  },
);

test('a decompression bomb is refused with 413 on its decoded size, and nothing is stored', async () => {
  const queue = h.q('bomb');
  const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024));
  expect(bomb.length).toBeLessThan(1024 * 1024);
  const response = await h.app.inject({
    method: 'POST',
    url: `/v1/queues/${queue}/jobs`,
    headers: { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' },
    payload: bomb,
  });
  expect(response.statusCode).toBe(413);
  expect(errorOf(response).message).toBe('request body is larger than the limit of 1048576 bytes');
  expect((await h.app.inject({ method: 'GET', url: `/v1/queues/${queue}` })).statusCode).toBe(404);
});

test('another coding is a 415 and a corrupt body a 400; neither stores anything', async () => {
  const queue = h.q('refused');
  const unknown = await h.app.inject({
    method: 'POST',
    url: `/v1/queues/${queue}/jobs`,
    headers: { 'content-type': 'application/octet-stream', 'content-encoding': 'zstd' },
    payload: Buffer.from('anything'),
  });
  expect(unknown.statusCode).toBe(415);
  expect(errorOf(unknown)).toMatchObject({
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'unsupported content encoding zstd: expected gzip, deflate, br or identity',
  });
  const corrupt = await h.app.inject({
    method: 'POST',
    url: `/v1/queues/${queue}/jobs`,
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    payload: Buffer.from('{"data": "not gzip at all"}'),
  });
  expect(corrupt.statusCode).toBe(400);
  expect(errorOf(corrupt)).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'invalid body: not valid gzip data' });
  const lease = await h.app.inject({
    method: 'POST',
    url: '/v1/lease',
    headers: { 'content-type': 'application/json', 'content-encoding': 'compress' },
    payload: Buffer.from('{}'),
  });
  expect(lease.statusCode).toBe(415);
  expect((await h.app.inject({ method: 'GET', url: `/v1/queues/${queue}` })).statusCode).toBe(404);
});
