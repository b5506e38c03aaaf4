/**
 * Schedules over HTTP: put, get, list, delete, trigger, pause, resume; precise 400s that change
 * nothing; 404 SCHEDULE_NOT_FOUND; a schedule firing on the real clock; and the grants each
 * route needs with auth on (docs/security.md).
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createHarness, errorOf, harnessPerFile, type Harness } from './support/harness.ts';
import { ADMIN_TOKEN, bearer, mint } from './auth/support.ts';

describe('schedule routes', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ memory: true });
  });
  afterEach(async () => {
    await h.close();
  });

  const put = (name: string, payload: object) =>
    h.app.inject({ method: 'PUT', url: `/v1/schedules/${encodeURIComponent(name)}`, payload });

  test('PUT creates a schedule, GET and the list read it, DELETE removes it', async () => {
    const created = await put('nightly/report', {
      queue: 'reports',
      cron: '0 3 * * *',
      timezone: 'Europe/Berlin',
      data: { kind: 'daily' },
      options: { priority: 2, maxAttempts: 3 },
      catchUp: 'all',
    });
    expect(created.statusCode, created.body).toBe(200);
    const { schedule } = created.json<{ schedule: Record<string, unknown> }>();
    expect(schedule).toMatchObject({
      name: 'nightly/report',
      queue: 'reports',
      cron: '0 3 * * *',
      timezone: 'Europe/Berlin',
      everyMs: null,
      data: { kind: 'daily' },
      options: { priority: 2, maxAttempts: 3 },
      catchUp: 'all',
      paused: false,
      fires: 0,
      lastFireAt: null,
    });
    expect(typeof schedule.nextFireAt).toBe('number');
    const got = await h.app.inject({ method: 'GET', url: '/v1/schedules/nightly%2Freport' });
    expect(got.json()).toEqual({ schedule });
    await put('a-every', { queue: 'q', every: '1h' });
    await put('b-every', { queue: 'q', everyMs: 7_200_000 });
    const first = await h.app.inject({ method: 'GET', url: '/v1/schedules?limit=2' });
    const page = first.json<{ items: { name: string }[]; cursor: string | null }>();
    expect(page.items.map((s) => s.name)).toEqual(['a-every', 'b-every']);
    const second = await h.app.inject({ method: 'GET', url: `/v1/schedules?limit=2&cursor=${page.cursor ?? ''}` });
    expect(second.json()).toMatchObject({ items: [{ name: 'nightly/report' }], cursor: null });
    expect((await h.app.inject({ method: 'DELETE', url: '/v1/schedules/a-every' })).statusCode).toBe(204);
    const missing = await h.app.inject({ method: 'GET', url: '/v1/schedules/a-every' });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing)).toMatchObject({ code: 'SCHEDULE_NOT_FOUND', details: { name: 'a-every' } });
    expect((await h.app.inject({ method: 'DELETE', url: '/v1/schedules/a-every' })).statusCode).toBe(404);
  });

  test.each([
    [{ queue: 'q' }, 'cron'],
    [{ queue: 'q', cron: '61 * * * *' }, 'cron'],
    [{ queue: 'q', cron: '* * *' }, 'cron'],
    [{ queue: 'q', cron: '* * * * *', timezone: 'Nowhere/Special' }, 'timezone'],
    [{ queue: 'q', cron: '* * * * *', every: '1s' }, 'every'],
    [{ queue: 'q', every: '1s', everyMs: 1_000 }, 'everyMs'],
    [{ queue: 'q', every: 'often' }, 'every'],
    [{ queue: 'q', every: '1s', startAt: 2_000, endAt: 1_000 }, 'endAt'],
    [{ queue: 'not a queue', every: '1s' }, 'queue'],
  ])('PUT %j is 400 INVALID_ARGUMENT on %s and changes nothing', async (body, field) => {
    const response = await put('bad', body);
    expect(response.statusCode, response.body).toBe(400);
    expect(errorOf(response)).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field } });
    expect((await h.app.inject({ method: 'GET', url: '/v1/schedules/bad' })).statusCode).toBe(404);
  });

  test('a bad body shape is 400 with the path of the problem, and an existing schedule stays as it was', async () => {
    const made = (await put('keep', { queue: 'q', every: '1h' })).json<{ schedule: object }>();
    for (const body of [
      { queue: 'q', every: '1h', catchUp: 'some' },
      { queue: 'q', every: '1h', options: { id: 'x' } },
    ]) {
      const response = await put('keep', body);
      expect(response.statusCode, response.body).toBe(400);
      expect(errorOf(response).code).toBe('INVALID_ARGUMENT');
    }
    expect((await h.app.inject({ method: 'GET', url: '/v1/schedules/keep' })).json()).toEqual(made);
  });

  test('trigger enqueues a job now; pause and resume flip the schedule; a schedule fires on the clock', async () => {
    await put('tick', { queue: 'ticks', every: '1s', paused: true, data: { hi: 1 } });
    const triggered = await h.app.inject({ method: 'POST', url: '/v1/schedules/tick/trigger' });
    expect(triggered.statusCode, triggered.body).toBe(200);
    expect(triggered.json()).toMatchObject({ job: { queue: 'ticks', data: { hi: 1 }, meta: { schedule: 'tick' } } });
    const paused = await h.app.inject({ method: 'POST', url: '/v1/schedules/tick/pause' });
    expect(paused.json()).toMatchObject({ schedule: { paused: true } });
    const fired = new Promise<unknown>((resolve) => {
      const off = h.engine.events.on('job:enqueued', ({ job }) => {
        if (job.queue === 'ticks') {
          off();
          resolve(job.meta);
        }
      });
    });
    const resumed = await h.app.inject({ method: 'POST', url: '/v1/schedules/tick/resume' });
    expect(resumed.json()).toMatchObject({ schedule: { paused: false } });
    expect(await fired).toMatchObject({ schedule: 'tick' });
    const after = (await h.app.inject({ method: 'GET', url: '/v1/schedules/tick' })).json<{
      schedule: { fires: number };
    }>();
    expect(after.schedule.fires).toBeGreaterThanOrEqual(1);
    for (const verb of ['trigger', 'pause', 'resume']) {
      const response = await h.app.inject({ method: 'POST', url: `/v1/schedules/none/${verb}` });
      expect(response.statusCode).toBe(404);
      expect(errorOf(response).code).toBe('SCHEDULE_NOT_FOUND');
    }
  });
});

describe('schedule routes with auth on', () => {
  const h = harnessPerFile({ memory: true, auth: { adminToken: ADMIN_TOKEN, failureBurst: 100_000 } });
  const admin = bearer(ADMIN_TOKEN);
  const body = (queue: string) => ({ queue, every: '1h' });

  test('PUT needs admin and produce on the queue; moving a schedule needs admin on its old queue too', async () => {
    const queue = h.q('q');
    for (const grants of [[`admin:${queue}`], [`produce:${queue}`], [`read:${queue}`]]) {
      const token = await mint(h.app, grants);
      const response = await h.app.inject({
        method: 'PUT',
        url: '/v1/schedules/s1',
        payload: body(queue),
        headers: bearer(token.secret),
      });
      expect(response.statusCode, response.body).toBe(403);
      expect((await h.app.inject({ method: 'GET', url: '/v1/schedules/s1', headers: admin })).statusCode).toBe(404);
    }
    const writer = await mint(h.app, [`admin:${queue}`, `produce:${queue}`]);
    const made = await h.app.inject({
      method: 'PUT',
      url: '/v1/schedules/s1',
      payload: body(queue),
      headers: bearer(writer.secret),
    });
    expect(made.statusCode, made.body).toBe(200);
    const other = h.q('other');
    const elsewhere = await mint(h.app, [`admin:${other}`, `produce:${other}`]);
    const moved = await h.app.inject({
      method: 'PUT',
      url: '/v1/schedules/s1',
      payload: body(other),
      headers: bearer(elsewhere.secret),
    });
    expect(moved.statusCode).toBe(403);
    expect(errorOf(moved)).toMatchObject({ code: 'FORBIDDEN', details: { action: 'admin', queue } });
  });

  test('read gets and lists (only readable queues), admin pauses, resumes and deletes, trigger needs produce too', async () => {
    const mine = h.q('mine');
    const theirs = h.q('theirs');
    for (const [name, queue] of [
      [h.q('s-mine'), mine],
      [h.q('s-theirs'), theirs],
    ] as const) {
      const response = await h.app.inject({
        method: 'PUT',
        url: `/v1/schedules/${name}`,
        payload: body(queue),
        headers: admin,
      });
      expect(response.statusCode, response.body).toBe(200);
    }
    const reader = bearer((await mint(h.app, [`read:${mine}`])).secret);
    expect(
      (await h.app.inject({ method: 'GET', url: `/v1/schedules/${h.q('s-mine')}`, headers: reader })).statusCode,
    ).toBe(200);
    expect(
      (await h.app.inject({ method: 'GET', url: `/v1/schedules/${h.q('s-theirs')}`, headers: reader })).statusCode,
    ).toBe(403);
    const listed = await h.app.inject({ method: 'GET', url: '/v1/schedules?limit=1000', headers: reader });
    const names = listed.json<{ items: { name: string }[] }>().items.map((s) => s.name);
    expect(names).toContain(h.q('s-mine'));
    expect(names).not.toContain(h.q('s-theirs'));
    for (const verb of ['pause', 'resume', 'trigger']) {
      const response = await h.app.inject({
        method: 'POST',
        url: `/v1/schedules/${h.q('s-mine')}/${verb}`,
        headers: reader,
      });
      expect(response.statusCode).toBe(403);
    }
    const operator = bearer((await mint(h.app, [`admin:${mine}`])).secret);
    const url = `/v1/schedules/${h.q('s-mine')}`;
    expect((await h.app.inject({ method: 'POST', url: `${url}/pause`, headers: operator })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'POST', url: `${url}/resume`, headers: operator })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'POST', url: `${url}/trigger`, headers: operator })).statusCode).toBe(403);
    const producer = bearer((await mint(h.app, [`admin:${mine}`, `produce:${mine}`])).secret);
    expect((await h.app.inject({ method: 'POST', url: `${url}/trigger`, headers: producer })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'DELETE', url, headers: reader })).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'DELETE', url, headers: operator })).statusCode).toBe(204);
    expect((await h.app.inject({ method: 'GET', url: '/v1/schedules' })).statusCode).toBe(401);
  });
});
