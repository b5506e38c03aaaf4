/**
 * Every /v1 route (and the streams, metrics and token routes) with auth on: each negative case
 * (no token, a malformed one, an unknown one, an expired one, a revoked one, the wrong action,
 * the wrong queue by a pattern's edge) answers its 401 or 403 and changes nothing; the right
 * grant gets through. Health and the API description stay open.
 */
import type { InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ACTIONS, type Action } from '@docket/protocol';
import { errorOf, harnessPerFile } from '../support/harness.ts';
import { ADMIN_TOKEN, bearer, fixture, mint, mintExpired, snapshot, type Fixture } from './support.ts';

const h = harnessPerFile({ memory: true, auth: { adminToken: ADMIN_TOKEN, failureBurst: 100_000 } });

interface RouteCase {
  readonly name: string;
  readonly action: Action;
  /** The queue named in a 403: the fixture's, or `*` for calls that need every queue. */
  readonly scope: 'queue' | 'every';
  /** What the right grant answers (the streams answer 400 to a request that is not an upgrade). */
  readonly allowed: number;
  request(f: Fixture): InjectOptions;
}

const enc = encodeURIComponent;

const CASES: readonly RouteCase[] = [
  {
    name: 'enqueue',
    action: 'produce',
    scope: 'queue',
    allowed: 201,
    request: (f) => ({ method: 'POST', url: `/v1/queues/${enc(f.queue)}/jobs`, payload: { data: 1 } }),
  },
  {
    name: 'enqueue raw bytes',
    action: 'produce',
    scope: 'queue',
    allowed: 201,
    request: (f) => ({
      method: 'POST',
      url: `/v1/queues/${enc(f.queue)}/jobs`,
      payload: Buffer.from('raw'),
      headers: { 'content-type': 'application/octet-stream' },
    }),
  },
  {
    name: 'enqueueEach',
    action: 'produce',
    scope: 'queue',
    allowed: 200,
    request: (f) => ({ method: 'POST', url: '/v1/jobs', payload: { items: [{ queue: f.queue, data: 1 }] } }),
  },
  ...(['promote', 'retry'] as const).map((verb): RouteCase => ({
    name: `${verb}Job`,
    action: 'admin',
    scope: 'queue',
    // past auth, the engine's own answer: the fixture's job is waiting, neither delayed nor dead
    allowed: 400,
    request: (f) => ({ method: 'POST', url: `/v1/jobs/${f.waiting}/${verb}` }),
  })),
  ...(
    [
      ['getServer', '/v1/server'],
      ['getStats', '/v1/stats'],
      ['listQueueRates', '/v1/stats/queues'],
    ] as const
  ).map(([name, url]): RouteCase => ({
    name,
    action: 'read',
    scope: 'every',
    allowed: 200,
    request: () => ({ method: 'GET', url }),
  })),
  {
    name: 'getJob',
    action: 'read',
    scope: 'queue',
    allowed: 200,
    request: (f) => ({ method: 'GET', url: `/v1/jobs/${f.waiting}` }),
  },
  {
    name: 'getJobAttempts',
    action: 'read',
    scope: 'queue',
    allowed: 200,
    request: (f) => ({ method: 'GET', url: `/v1/jobs/${f.waiting}/attempts` }),
  },
  {
    name: 'listGroups',
    action: 'read',
    scope: 'queue',
    allowed: 200,
    request: (f) => ({ method: 'GET', url: `/v1/queues/${enc(f.queue)}/groups` }),
  },
  {
    name: 'cancelJob',
    action: 'admin',
    scope: 'queue',
    allowed: 200,
    request: (f) => ({ method: 'POST', url: `/v1/jobs/${f.waiting}/cancel` }),
  },
  {
    name: 'deleteJob',
    action: 'admin',
    scope: 'queue',
    allowed: 204,
    request: (f) => ({ method: 'DELETE', url: `/v1/jobs/${f.waiting}` }),
  },
  {
    name: 'lease',
    action: 'consume',
    scope: 'queue',
    allowed: 200,
    request: (f) => ({ method: 'POST', url: '/v1/lease', payload: { queues: [f.queue], waitMs: 0 } }),
  },
  {
    name: 'ack',
    action: 'consume',
    scope: 'queue',
    allowed: 200,
    request: (f) => ({ method: 'POST', url: `/v1/jobs/${f.active.id}/ack`, payload: { lease: f.active.lease } }),
  },
  {
    name: 'nack',
    action: 'consume',
    scope: 'queue',
    allowed: 200,
    request: (f) => ({
      method: 'POST',
      url: `/v1/jobs/${f.active.id}/nack`,
      payload: { lease: f.active.lease, placement: 'back' },
    }),
  },
  {
    name: 'extend',
    action: 'consume',
    scope: 'queue',
    allowed: 200,
    request: (f) => ({ method: 'POST', url: `/v1/jobs/${f.active.id}/extend`, payload: { lease: f.active.lease } }),
  },
  {
    name: 'ackBatch',
    action: 'consume',
    scope: 'queue',
    allowed: 200,
    request: (f) => ({
      method: 'POST',
      url: '/v1/jobs/ack',
      payload: { items: [{ id: f.active.id, lease: f.active.lease }] },
    }),
  },
  {
    name: 'nackBatch',
    action: 'consume',
    scope: 'queue',
    allowed: 200,
    request: (f) => ({
      method: 'POST',
      url: '/v1/jobs/nack',
      payload: { items: [{ id: f.active.id, lease: f.active.lease, placement: 'front' }] },
    }),
  },
  {
    name: 'extendBatch',
    action: 'consume',
    scope: 'queue',
    allowed: 200,
    request: (f) => ({
      method: 'POST',
      url: '/v1/jobs/extend',
      payload: { items: [{ id: f.active.id, lease: f.active.lease }] },
    }),
  },
  {
    name: 'getQueue',
    action: 'read',
    scope: 'queue',
    allowed: 200,
    request: (f) => ({ method: 'GET', url: `/v1/queues/${enc(f.queue)}` }),
  },
  {
    name: 'listJobs',
    action: 'read',
    scope: 'queue',
    allowed: 200,
    request: (f) => ({ method: 'GET', url: `/v1/queues/${enc(f.queue)}/jobs` }),
  },
  {
    name: 'configureQueue',
    action: 'admin',
    scope: 'queue',
    allowed: 200,
    request: (f) => ({ method: 'PUT', url: `/v1/queues/${enc(f.queue)}`, payload: { maxAttempts: 7 } }),
  },
  ...(['pause', 'resume', 'purge', 'redrive'] as const).map((verb): RouteCase => ({
    name: `${verb}Queue`,
    action: 'admin',
    scope: 'queue',
    allowed: 200,
    request: (f) => ({ method: 'POST', url: `/v1/queues/${enc(f.queue)}/${verb}` }),
  })),
  {
    name: 'deleteQueue',
    action: 'admin',
    scope: 'queue',
    allowed: 204,
    request: (f) => ({ method: 'DELETE', url: `/v1/queues/${enc(f.queue)}` }),
  },
  {
    name: 'workerHeartbeat',
    action: 'consume',
    scope: 'queue',
    allowed: 204,
    request: (f) => ({ method: 'POST', url: '/v1/workers/w-auth/heartbeat', payload: { queues: [f.queue] } }),
  },
  {
    name: 'listWorkers',
    action: 'read',
    scope: 'every',
    allowed: 200,
    request: () => ({ method: 'GET', url: '/v1/workers' }),
  },
  {
    name: 'consumerStream',
    action: 'consume',
    scope: 'queue',
    allowed: 400,
    request: (f) => ({ method: 'GET', url: `/v1/stream?queues=${enc(f.queue)}` }),
  },
  {
    name: 'createToken',
    action: 'admin',
    scope: 'every',
    allowed: 201,
    request: () => ({ method: 'POST', url: '/v1/tokens', payload: { name: 'made', grants: ['read:x'] } }),
  },
  {
    name: 'listTokens',
    action: 'admin',
    scope: 'every',
    allowed: 200,
    request: () => ({ method: 'GET', url: '/v1/tokens' }),
  },
  {
    name: 'revokeToken',
    action: 'admin',
    scope: 'every',
    allowed: 404,
    request: () => ({ method: 'DELETE', url: '/v1/tokens/00000000000000000000' }),
  },
  {
    name: 'metrics',
    action: 'read',
    scope: 'every',
    allowed: 200,
    request: () => ({ method: 'GET', url: '/metrics' }),
  },
];

/** The event stream's refusals (its success is a long-lived stream, tested over a socket). */
const EVENTS: RouteCase = {
  name: 'queueEvents',
  action: 'read',
  scope: 'queue',
  allowed: 200,
  request: (f) => ({ method: 'GET', url: `/v1/queues/${enc(f.queue)}/events` }),
};

/** Made once, inside the first test that needs them (the harness opens before each test). */
let expired = '';
let revoked = '';

async function sharedTokens(): Promise<void> {
  if (expired !== '') return;
  expired = (await mintExpired(h.app, ['produce:*', 'consume:*', 'read:*', 'admin:*'])).secret;
  const gone = await mint(h.app, ['produce:*', 'consume:*', 'read:*', 'admin:*']);
  await h.app.inject({ method: 'DELETE', url: `/v1/tokens/${gone.id}`, headers: bearer(ADMIN_TOKEN) });
  revoked = gone.secret;
}

async function refused(
  c: RouteCase,
  authorization: Record<string, string>,
  status: number,
  check: (error: ReturnType<typeof errorOf>, headers: Record<string, unknown>) => void,
): Promise<void> {
  await sharedTokens();
  const f = await fixture(h.engine, h.q('main'));
  const before = await snapshot(h.app, h.engine, f);
  const request = c.request(f);
  const response = await h.app.inject({ ...request, headers: { ...request.headers, ...authorization } });
  expect(response.statusCode, response.body).toBe(status);
  check(errorOf(response), response.headers);
  expect(await snapshot(h.app, h.engine, f)).toBe(before);
}

function unauthenticated(reason: string) {
  return (error: ReturnType<typeof errorOf>, headers: Record<string, unknown>): void => {
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.details).toEqual({ reason });
    expect(headers['www-authenticate']).toMatch(/^Bearer realm="docket"/);
  };
}

function forbidden(c: RouteCase, queue: string) {
  return (error: ReturnType<typeof errorOf>): void => {
    expect(error.code).toBe('FORBIDDEN');
    expect(error.details).toEqual({ action: c.action, queue: c.scope === 'every' ? '*' : queue });
  };
}

const otherActions = (action: Action): string[] => ACTIONS.filter((a) => a !== action).map((a) => `${a}:*`);

describe.each([...CASES, EVENTS])('$name with auth on', (c) => {
  it('no token: 401 (reason missing) with a Bearer challenge, nothing changes', async () => {
    await refused(c, {}, 401, unauthenticated('missing'));
  });

  it('a malformed token or another scheme: 401 (reason malformed)', async () => {
    await refused(c, { authorization: 'Bearer not-a-docket-token' }, 401, unauthenticated('malformed'));
    await refused(c, { authorization: 'Basic dXNlcjpwYXNz' }, 401, unauthenticated('malformed'));
  });

  it('an unknown token of the right shape: 401 (reason unknown)', async () => {
    await refused(c, bearer(`dkt_${'0'.repeat(20)}_${'A'.repeat(43)}`), 401, unauthenticated('unknown'));
  });

  it('an expired token: 401 (reason expired)', async () => {
    await sharedTokens();
    await refused(c, bearer(expired), 401, unauthenticated('expired'));
  });

  it('a revoked token: 401 (reason unknown)', async () => {
    await sharedTokens();
    await refused(c, bearer(revoked), 401, unauthenticated('unknown'));
  });

  it('every other action on every queue: 403 naming the action and queue', async () => {
    const token = await mint(h.app, otherActions(c.action));
    const queue = h.q('main');
    await refused(c, bearer(token.secret), 403, forbidden(c, queue));
  });

  it('the action on the queue name with one character more, less or in front: 403', async () => {
    const queue = h.q('main');
    const near = [`${queue}x`, queue.slice(0, -1), `x${queue}`, `${queue}.*`, `*x${queue}`];
    const token = await mint(
      h.app,
      near.map((p) => `${c.action}:${p}`),
    );
    await refused(c, bearer(token.secret), 403, forbidden(c, queue));
  });

  if (c !== EVENTS) {
    it('the action on the queue (or on every queue) gets through', async () => {
      const f = await fixture(h.engine, h.q('main'));
      const pattern = c.scope === 'every' ? '*' : `${f.queue.slice(0, 3)}*`;
      const token = await mint(h.app, [`${c.action}:${pattern}`]);
      const request = c.request(f);
      const response = await h.app.inject({ ...request, headers: { ...request.headers, ...bearer(token.secret) } });
      expect(response.statusCode, response.body).toBe(c.allowed);
    });
  }
});

describe('open with auth on', () => {
  it.each(['/livez', '/readyz', '/openapi.json', '/docs'])('%s answers without a token', async (url) => {
    const response = await h.app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(200);
  });

  it('a path no route matches answers 401 without a token and 404 with one', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/v1/nothing' })).statusCode).toBe(401);
    const token = await mint(h.app, ['read:nothing']);
    const found = await h.app.inject({ method: 'GET', url: '/v1/nothing', headers: bearer(token.secret) });
    expect(found.statusCode).toBe(404);
  });

  it('every route of the API is in the table above, or tested on its own below or in session.test.ts', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, { operationId: string }>>;
    }>();
    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((o) => o.operationId));
    const open = ['livez', 'readyz', 'healthz', 'login', 'logout'];
    // The schedule routes' grants are tested in schedules.test.ts; statsActivity below.
    const schedules = ['putSchedule', 'getSchedule', 'deleteSchedule', 'listSchedules', 'triggerSchedule'];
    const elsewhere = ['listQueues', 'getSession', 'statsActivity', ...schedules, 'pauseSchedule', 'resumeSchedule'];
    const tabled = [...CASES, EVENTS].map((c) => c.name);
    expect(operations.filter((id) => ![...open, ...elsewhere, ...tabled].includes(id))).toEqual([]);
  });

  it('statsActivity: 401 without a token, 403 without read on every queue', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/v1/stats/activity' })).statusCode).toBe(401);
    const token = await mint(h.app, [`read:${h.q('one')}`]);
    const refused = await h.app.inject({ method: 'GET', url: '/v1/stats/activity', headers: bearer(token.secret) });
    expect(refused.statusCode).toBe(403);
    expect(errorOf(refused).code).toBe('FORBIDDEN');
  });

  it('listQueues and getSession: 401 without a valid token; listQueues 403 without any read grant', async () => {
    for (const url of ['/v1/queues', '/v1/session']) {
      for (const headers of [{}, bearer('not-a-token'), bearer(`dkt_${'0'.repeat(20)}_${'A'.repeat(43)}`)]) {
        const response = await h.app.inject({ method: 'GET', url, headers });
        expect(response.statusCode, `${url} ${JSON.stringify(headers)}`).toBe(401);
        expect(errorOf(response).code).toBe('UNAUTHENTICATED');
      }
    }
    const token = await mint(h.app, otherActions('read'));
    const response = await h.app.inject({ method: 'GET', url: '/v1/queues', headers: bearer(token.secret) });
    expect(response.statusCode).toBe(403);
    expect(errorOf(response).details).toEqual({ action: 'read', queue: '*' });
    const session = await h.app.inject({ method: 'GET', url: '/v1/session', headers: bearer(token.secret) });
    expect(session.statusCode).toBe(200);
  });

  it('listQueues shows only the queues the token may read', async () => {
    // Names that sort before the other tests' queues, so both are on the first page.
    const mine = `0-${h.q('mine')}`;
    const theirs = `0-${h.q('theirs')}`;
    await h.engine.enqueue(mine, { data: 1 });
    await h.engine.enqueue(theirs, { data: 1 });
    const token = await mint(h.app, [`read:${mine}`, `produce:${theirs}`]);
    const response = await h.app.inject({ method: 'GET', url: '/v1/queues', headers: bearer(token.secret) });
    expect(response.statusCode).toBe(200);
    const names = response.json<{ items: { name: string }[] }>().items.map((q) => q.name);
    expect(names).toContain(mine);
    expect(names).not.toContain(theirs);
    const none = await mint(h.app, [`produce:${mine}`]);
    const refusedList = await h.app.inject({ method: 'GET', url: '/v1/queues', headers: bearer(none.secret) });
    expect(refusedList.statusCode).toBe(403);
    expect(errorOf(refusedList).details).toEqual({ action: 'read', queue: '*' });
  });

  it('a lease over several queues needs consume on each: refused whole, nothing leased', async () => {
    const a = h.q('a');
    const b = h.q('b');
    await h.engine.enqueue(a, { data: 1 });
    await h.engine.enqueue(b, { data: 1 });
    const token = await mint(h.app, [`consume:${a}`]);
    const response = await h.app.inject({
      method: 'POST',
      url: '/v1/lease',
      headers: bearer(token.secret),
      payload: { queues: [a, b], waitMs: 0, max: 2 },
    });
    expect(response.statusCode).toBe(403);
    expect(errorOf(response).details).toEqual({ action: 'consume', queue: b });
    expect((await h.engine.stats(a)).counts.waiting).toBe(1);
    expect((await h.engine.stats(b)).counts.waiting).toBe(1);
  });

  it('a batch ack naming a job of a queue the token cannot consume is refused whole', async () => {
    const mine = await fixture(h.engine, h.q('mine'));
    const theirs = await fixture(h.engine, h.q('theirs'));
    const token = await mint(h.app, [`consume:${mine.queue}`]);
    const response = await h.app.inject({
      method: 'POST',
      url: '/v1/jobs/ack',
      headers: bearer(token.secret),
      payload: { items: [mine.active, theirs.active].map(({ id, lease }) => ({ id, lease })) },
    });
    expect(response.statusCode).toBe(403);
    expect(errorOf(response).details).toEqual({ action: 'consume', queue: theirs.queue });
    expect((await h.engine.get(mine.active.id)).state).toBe('active');
  });
});
