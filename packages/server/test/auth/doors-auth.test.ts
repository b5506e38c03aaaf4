/**
 * Door policies with auth on: the emq door (default `auth`) takes a token as HTTP basic auth or
 * Bearer and checks the call's action on its queue; presque `open` needs no token; miniqueue
 * `off` is not served. With auth off, a door token policy accepts only that token.
 */
import { describe, expect, it } from 'vitest';
import { createHarness, harnessPerFile } from '../support/harness.ts';
import { emqPost } from '../../../../test/support/emq-client.ts';
import { ADMIN_TOKEN, mint } from './support.ts';

const h = harnessPerFile({
  memory: true,
  auth: { adminToken: ADMIN_TOKEN, failureBurst: 100_000 },
  doors: { presque: 'open', miniqueue: 'off' },
});

const basic = (password: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`docket:${password}`).toString('base64')}`,
});

async function waiting(queue: string): Promise<number> {
  const page = await h.engine.listQueues({ limit: 1000 });
  return page.items.find((q) => q.name === queue)?.counts.waiting ?? 0;
}

function emqEnqueue(queue: string, headers: Record<string, string>) {
  return h.app.inject({
    method: 'POST',
    url: `/enqueue/${queue}`,
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify({ content: { x: 1 } }),
  });
}

describe('emq door, policy auth', () => {
  it('no token: 401 with a Basic challenge, nothing enqueued', async () => {
    const queue = h.q('q');
    const response = await emqPost(h.app, `/enqueue/${queue}`, { content: 1 });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Basic realm="docket"');
    expect(await waiting(queue)).toBe(0);
  });

  it('a token with produce on the queue, as basic auth or Bearer, enqueues', async () => {
    const queue = h.q('q');
    const token = await mint(h.app, [`produce:${queue}`]);
    expect((await emqEnqueue(queue, basic(token.secret))).statusCode).toBe(200);
    expect((await emqEnqueue(queue, { authorization: `Bearer ${token.secret}` })).statusCode).toBe(200);
    expect(await waiting(queue)).toBe(2);
  });

  it('a token without produce on the queue: 403, nothing enqueued', async () => {
    const queue = h.q('q');
    const token = await mint(h.app, [`consume:${queue}`, `produce:${queue}x`]);
    expect((await emqEnqueue(queue, basic(token.secret))).statusCode).toBe(403);
    expect(await waiting(queue)).toBe(0);
  });

  it('a revoked or unknown basic-auth token: 401', async () => {
    const queue = h.q('q');
    expect((await emqEnqueue(queue, basic(`dkt_${'2'.repeat(20)}_${'C'.repeat(43)}`))).statusCode).toBe(401);
    expect((await emqEnqueue(queue, basic('not-a-token'))).statusCode).toBe(401);
    expect(await waiting(queue)).toBe(0);
  });
});

describe('presque open, miniqueue off', () => {
  it('presque takes a call without a token', async () => {
    const queue = h.q('q');
    const response = await h.app.inject({
      method: 'POST',
      url: `/q/${queue}`,
      headers: { 'content-type': 'application/json' },
      payload: '{"a":1}',
    });
    expect(response.statusCode).toBeLessThan(300);
    expect(await waiting(queue)).toBe(1);
  });

  it('miniqueue answers 404 and publishes nothing, even for the admin token', async () => {
    const queue = h.q('q');
    const response = await h.app.inject({
      method: 'POST',
      url: `/publish/${queue}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: 'hello',
    });
    expect(response.statusCode).toBe(404);
    expect(await waiting(queue)).toBe(0);
  });
});

describe('a door token with auth off', () => {
  it('accepts only that token', async () => {
    const secret = 'door-secret-0123456789-0123456789';
    const other = await createHarness({ memory: true, doors: { emq: { token: secret } } });
    try {
      const call = (headers: Record<string, string>) =>
        other.app.inject({
          method: 'POST',
          url: '/enqueue/door',
          headers: { 'content-type': 'application/json', ...headers },
          payload: JSON.stringify({ content: 1 }),
        });
      expect((await call({})).statusCode).toBe(401);
      expect((await call(basic('wrong'))).statusCode).toBe(401);
      expect((await call(basic(secret))).statusCode).toBe(200);
      expect((await other.engine.stats('door')).counts.waiting).toBe(1);
    } finally {
      await other.close();
    }
  });
});
