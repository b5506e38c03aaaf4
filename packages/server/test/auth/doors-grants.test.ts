/**
 * Every door call kind under the default policy (`auth`) with auth on, emq, presque and the
 * miniqueue HTTP door alike: no token, a malformed, unknown, expired or revoked one answer 401
 * with a Basic challenge; a token without the call's action, or with it only on queue names one
 * character off, answers 403; none of them changes anything. The right grant gets past auth.
 * And a door whose policy is one token accepts only that token.
 */
import type { InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ACTIONS, type Action } from '@docket/protocol';
import { createHarness, harnessPerFile } from '../support/harness.ts';
import { ADMIN_TOKEN, bearer, mint, mintExpired } from './support.ts';

const h = harnessPerFile({ memory: true, auth: { adminToken: ADMIN_TOKEN, failureBurst: 100_000 } });

interface DoorCase {
  readonly name: string;
  readonly action: Action;
  /** `every`: the call needs the action on every queue. */
  readonly scope: 'queue' | 'every';
  request(queue: string, jobId: string): InjectOptions;
}

const json = { 'content-type': 'application/json' };

const CASES: readonly DoorCase[] = [
  {
    name: 'emq enqueue',
    action: 'produce',
    scope: 'queue',
    request: (q) => ({ method: 'POST', url: `/enqueue/${q}`, headers: json, payload: '{"content":1}' }),
  },
  { name: 'emq peek', action: 'read', scope: 'queue', request: (q) => ({ method: 'GET', url: `/peek/${q}` }) },
  {
    name: 'presque insert',
    action: 'produce',
    scope: 'queue',
    request: (q) => ({ method: 'POST', url: `/q/${q}`, headers: json, payload: '{"a":1}' }),
  },
  { name: 'presque fetch', action: 'consume', scope: 'queue', request: (q) => ({ method: 'GET', url: `/q/${q}` }) },
  { name: 'presque purge', action: 'admin', scope: 'queue', request: (q) => ({ method: 'DELETE', url: `/q/${q}` }) },
  {
    name: 'presque job info',
    action: 'read',
    scope: 'queue',
    request: (_q, id) => ({ method: 'GET', url: `/j/${id}` }),
  },
  { name: 'presque status', action: 'read', scope: 'every', request: () => ({ method: 'GET', url: '/status/' }) },
  {
    name: 'presque control',
    action: 'admin',
    scope: 'every',
    request: (q) => ({ method: 'POST', url: `/control/${q}`, headers: json, payload: '{"status":"stop"}' }),
  },
  {
    name: 'miniqueue publish',
    action: 'produce',
    scope: 'queue',
    request: (q) => ({ method: 'POST', url: `/publish/${q}`, payload: 'hello' }),
  },
  { name: 'miniqueue delete', action: 'admin', scope: 'queue', request: (q) => ({ method: 'DELETE', url: `/${q}` }) },
];

const basic = (password: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`docket:${password}`).toString('base64')}`,
});

/** Every queue's counts and pause, and the job: what a refused door call must leave as it was. */
async function state(jobId: string): Promise<string> {
  const queues = (await h.engine.listQueues({ limit: 1000 })).items.map((q) => [q.name, q.counts, q.paused]);
  return JSON.stringify({ queues, job: await h.engine.get(jobId) });
}

async function refusedWith(c: DoorCase, headers: Record<string, string>, status: number): Promise<void> {
  const queue = h.q('door');
  const { job } = await h.engine.enqueue(queue, { data: { n: 1 } });
  const before = await state(job.id);
  const request = c.request(queue, job.id);
  const response = await h.app.inject({ ...request, headers: { ...request.headers, ...headers } });
  expect(response.statusCode, response.body).toBe(status);
  if (status === 401) expect(response.headers['www-authenticate']).toBe('Basic realm="docket"');
  expect(await state(job.id)).toBe(before);
}

const ALL = ACTIONS.map((action) => `${action}:*`);

describe.each(CASES)('$name, policy auth', (c) => {
  it('no token, a malformed, unknown, expired or revoked one: 401, nothing changes', async () => {
    const expired = await mintExpired(h.app, ALL);
    const revoked = await mint(h.app, ALL);
    await h.app.inject({ method: 'DELETE', url: `/v1/tokens/${revoked.id}`, headers: bearer(ADMIN_TOKEN) });
    await refusedWith(c, {}, 401);
    await refusedWith(c, basic('not-a-token'), 401);
    await refusedWith(c, basic(`dkt_${'3'.repeat(20)}_${'D'.repeat(43)}`), 401);
    await refusedWith(c, basic(expired.secret), 401);
    await refusedWith(c, bearer(revoked.secret), 401);
  });

  it('every other action on every queue, or the action one character off the queue: 403, nothing changes', async () => {
    const others = await mint(
      h.app,
      ACTIONS.filter((a) => a !== c.action).map((a) => `${a}:*`),
    );
    await refusedWith(c, basic(others.secret), 403);
    if (c.scope === 'queue') {
      const queue = h.q('door');
      const near = [`${queue}x`, queue.slice(0, -1), `x${queue}`, `${queue}.*`];
      const token = await mint(
        h.app,
        near.map((p) => `${c.action}:${p}`),
      );
      await refusedWith(c, basic(token.secret), 403);
    } else {
      const token = await mint(h.app, [`${c.action}:door*`]);
      await refusedWith(c, basic(token.secret), 403);
    }
  });

  it('the action on the queue (or on every queue) gets past auth', async () => {
    const queue = h.q('door');
    const { job } = await h.engine.enqueue(queue, { data: { n: 1 } });
    const token = await mint(h.app, [`${c.action}:${c.scope === 'every' ? '*' : `${queue.slice(0, 3)}*`}`]);
    const request = c.request(queue, job.id);
    const response = await h.app.inject({ ...request, headers: { ...request.headers, ...basic(token.secret) } });
    expect([401, 403], response.body).not.toContain(response.statusCode);
  });
});

describe('a door policy of one token, auth on', () => {
  it('accepts only that token: another valid token is 401 and enqueues nothing', async () => {
    const only = await createHarness({
      memory: true,
      auth: { adminToken: ADMIN_TOKEN },
      doors: { emq: { token: ADMIN_TOKEN } },
    });
    try {
      const rival = await mint(only.app, ['produce:*']);
      const call = (headers: Record<string, string>) =>
        only.app.inject({
          method: 'POST',
          url: '/enqueue/mail',
          headers: { ...json, ...headers },
          payload: '{"content":1}',
        });
      expect((await call(basic(rival.secret))).statusCode).toBe(401);
      expect((await call(bearer(rival.secret))).statusCode).toBe(401);
      expect((await only.engine.listQueues({ limit: 10 })).items).toEqual([]);
      expect((await call(basic(ADMIN_TOKEN))).statusCode).toBe(200);
      expect((await only.engine.stats('mail')).counts.waiting).toBe(1);
    } finally {
      await only.close();
    }
  });
});
