/**
 * The browser guard, auth off (the zero-setup default a web page could otherwise drive): the
 * "simple" requests a browser sends cross-site without a preflight are refused and change
 * nothing, cross-site Origin and Sec-Fetch-Site are refused unless the origin is allowed (then
 * CORS answers, preflights included), the Host must be a loopback name or an allowed one, the
 * consumer stream's upgrade checks Origin, and HTML pages carry security headers.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { errorOf, harnessPerFile } from '../support/harness.ts';

const ALLOWED = 'https://app.example.com';
const h = harnessPerFile({ memory: true, browser: { corsOrigins: [ALLOWED], allowedHosts: ['docket.internal'] } });
const enc = encodeURIComponent;

/** Waiting jobs of `queue`; 0 when the queue was never made. */
async function waiting(queue: string): Promise<number> {
  const page = await h.engine.listQueues({ limit: 1000 });
  return page.items.find((q) => q.name === queue)?.counts.waiting ?? 0;
}

describe('requests a browser sends cross-site without a preflight', () => {
  it('a text/plain enqueue is 415 and enqueues nothing', async () => {
    const queue = h.q('q');
    const response = await h.app.inject({
      method: 'POST',
      url: `/v1/queues/${enc(queue)}/jobs`,
      headers: { 'content-type': 'text/plain' },
      payload: '{"data":1}',
    });
    expect(response.statusCode).toBe(415);
    expect(await waiting(queue)).toBe(0);
  });

  it.each(['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'a %s purge is 415 and purges nothing',
    async (type) => {
      const queue = h.q('q');
      await h.engine.enqueue(queue, { data: 1 });
      const response = await h.app.inject({
        method: 'POST',
        url: `/v1/queues/${enc(queue)}/purge`,
        headers: { 'content-type': type },
        payload: 'a=b',
      });
      expect(response.statusCode).toBe(415);
      expect(await waiting(queue)).toBe(1);
    },
  );

  it('a body-less purge from another origin is 403 cross-site and purges nothing', async () => {
    const queue = h.q('q');
    await h.engine.enqueue(queue, { data: 1 });
    const response = await h.app.inject({
      method: 'POST',
      url: `/v1/queues/${enc(queue)}/purge`,
      headers: { origin: 'http://evil.example' },
    });
    expect(response.statusCode).toBe(403);
    expect(errorOf(response).details).toEqual({ reason: 'cross-site' });
    expect(await waiting(queue)).toBe(1);
  });

  it.each(['cross-site', 'same-site'])('Sec-Fetch-Site %s is refused', async (site) => {
    const queue = h.q('q');
    const response = await h.app.inject({
      method: 'POST',
      url: `/v1/queues/${enc(queue)}/jobs`,
      headers: { 'sec-fetch-site': site },
      payload: { data: 1 },
    });
    expect(response.statusCode).toBe(403);
    expect(await waiting(queue)).toBe(0);
  });

  it('the same origin, Sec-Fetch-Site same-origin or none, and non-browser clients pass', async () => {
    const queue = h.q('q');
    for (const headers of [
      { origin: 'http://localhost:80', host: 'localhost:80' },
      { 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'none' },
      {},
    ]) {
      const response = await h.app.inject({
        method: 'POST',
        url: `/v1/queues/${enc(queue)}/jobs`,
        headers,
        payload: { data: 1 },
      });
      expect(response.statusCode, JSON.stringify(headers)).toBe(201);
    }
    expect(await waiting(queue)).toBe(4);
  });
});

describe('CORS for allowed origins', () => {
  it('an allowed origin is served with Access-Control-Allow-Origin', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/v1/queues', headers: { origin: ALLOWED } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(response.headers['vary']).toContain('Origin');
  });

  it('a preflight from an allowed origin is answered; from another, refused', async () => {
    const preflight = (origin: string) =>
      h.app.inject({
        method: 'OPTIONS',
        url: '/v1/queues/x/jobs',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const allowed = await preflight(ALLOWED);
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(allowed.headers['access-control-allow-headers']).toContain('authorization');
    const refused = await preflight('https://other.example.com');
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('Host names while bound to loopback', () => {
  it.each(['localhost:8080', '127.0.0.1:8080', '[::1]:8080', 'docket.internal:8080', 'a.localhost'])(
    'Host %s is served',
    async (host) => {
      const response = await h.app.inject({ method: 'GET', url: '/v1/queues', headers: { host } });
      expect(response.statusCode).toBe(200);
    },
  );

  it.each(['evil.example', 'evil.example:8080', '10.0.0.1'])('Host %s (DNS rebinding) is 403', async (host) => {
    const queue = h.q('q');
    const response = await h.app.inject({
      method: 'POST',
      url: `/v1/queues/${enc(queue)}/jobs`,
      headers: { host },
      payload: { data: 1 },
    });
    expect(response.statusCode).toBe(403);
    expect(errorOf(response).details).toEqual({ reason: 'host' });
    expect(await waiting(queue)).toBe(0);
  });

  it('health answers whatever the Host (probes use the pod address)', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/livez', headers: { host: '10.0.0.1' } });
    expect(response.statusCode).toBe(200);
  });
});

describe('the consumer stream upgrade', () => {
  it('refuses a WebSocket from another origin, and takes one without an Origin', async () => {
    const queue = h.q('q');
    await h.engine.enqueue(queue, { data: 1 });
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = h.app.server.address() as AddressInfo;
    const url = `ws://127.0.0.1:${port}/v1/stream?queues=${enc(queue)}`;
    const evil = new WebSocket(url, { origin: 'http://evil.example' });
    evil.on('error', () => undefined);
    const [request, response] = (await once(evil, 'unexpected-response')) as [
      { destroy(): void },
      { statusCode: number },
    ];
    expect(response.statusCode).toBe(403);
    request.destroy();
    expect(await waiting(queue)).toBe(1);
    const good = new WebSocket(url);
    const [message] = (await once(good, 'message')) as [Buffer];
    expect(JSON.parse(message.toString('utf8'))).toMatchObject({ type: 'job' });
    good.close();
    await once(good, 'close');
  });
});

describe('security headers', () => {
  it('HTML pages get frame, referrer and content-security policies; every answer gets nosniff', async () => {
    const page = await h.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const json = await h.app.inject({ method: 'GET', url: '/v1/queues' });
    expect(json.headers['x-content-type-options']).toBe('nosniff');
    expect(json.headers['x-frame-options']).toBeUndefined();
  });
});
