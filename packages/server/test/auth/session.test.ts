/**
 * The dashboard's session cookie with auth on: the login's bad input (no body, no token, a
 * malformed, unknown, revoked or expired one) answers 4xx and sets no cookie; a good login sets
 * an HttpOnly SameSite=Strict session cookie and a CSRF cookie; the cookie then authenticates
 * /v1 calls and the event stream with the token's grants, and a revoked token stops at once;
 * mutating calls with the cookie need the CSRF header (missing or wrong: 403 CSRF_FAILED, nothing
 * changed), calls with a Bearer header do not; the cookie is never accepted by /metrics, a door
 * or the consumer stream's upgrade; logout expires both cookies; read-only mode refuses the
 * cookie's mutating calls but not the login.
 */
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createHarness, errorOf, harnessPerFile } from '../support/harness.ts';
import {
  CSRF_COOKIE,
  CSRF_HEADER,
  SESSION_COOKIE,
  clearedCookies,
  csrfTokenOf,
  sessionCookies,
} from '../../src/auth/session-cookie.ts';
import { ADMIN_TOKEN, bearer, mint, mintExpired } from './support.ts';

const h = harnessPerFile({ memory: true, auth: { adminToken: ADMIN_TOKEN, failureBurst: 100_000 } });
const enc = encodeURIComponent;

function setCookies(response: LightMyRequestResponse): string[] {
  const raw = response.headers['set-cookie'];
  return raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
}

function cookieHeader(token: string): Record<string, string> {
  return { cookie: `${SESSION_COOKIE}=${enc(token)}; ${CSRF_COOKIE}=${csrfTokenOf(token)}` };
}

function withCsrf(token: string): Record<string, string> {
  return { ...cookieHeader(token), [CSRF_HEADER]: csrfTokenOf(token) };
}

async function waiting(queue: string): Promise<number> {
  return (await h.engine.stats(queue)).counts.waiting;
}

describe('POST /v1/session: bad input sets no cookie', () => {
  const cases: readonly [string, unknown, number, string][] = [
    ['no body', undefined, 400, 'INVALID_ARGUMENT'],
    ['no token', {}, 400, 'INVALID_ARGUMENT'],
    ['an empty token', { token: '' }, 400, 'INVALID_ARGUMENT'],
    ['a token that is not a string', { token: 42 }, 400, 'INVALID_ARGUMENT'],
    ['an unknown field', { token: 'dkt_x', remember: true }, 400, 'INVALID_ARGUMENT'],
    ['a malformed token', { token: 'not-a-token' }, 401, 'UNAUTHENTICATED'],
    ['a token with a space', { token: 'dkt_a b' }, 401, 'UNAUTHENTICATED'],
    ['an unknown token', { token: `dkt_${'0'.repeat(20)}_${'A'.repeat(43)}` }, 401, 'UNAUTHENTICATED'],
  ];
  it.each(cases)('%s', async (_name, payload, status, code) => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/v1/session',
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(status);
    expect(errorOf(response).code).toBe(code);
    expect(setCookies(response)).toEqual([]);
  });

  it('a revoked or expired token is 401 and sets no cookie', async () => {
    const revoked = await mint(h.app, ['read:*']);
    await h.app.inject({ method: 'DELETE', url: `/v1/tokens/${revoked.id}`, headers: bearer(ADMIN_TOKEN) });
    const expired = await mintExpired(h.app, ['read:*']);
    for (const [token, reason] of [
      [revoked.secret, 'unknown'],
      [expired.secret, 'expired'],
    ] as const) {
      const response = await h.app.inject({ method: 'POST', url: '/v1/session', payload: { token } });
      expect(response.statusCode).toBe(401);
      expect(errorOf(response).details).toMatchObject({ reason });
      expect(setCookies(response)).toEqual([]);
    }
  });

  it('a text/plain login is 415 and a cross-site one 403, neither sets a cookie', async () => {
    const { secret } = await mint(h.app, ['read:*']);
    const plain = await h.app.inject({
      method: 'POST',
      url: '/v1/session',
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ token: secret }),
    });
    expect(plain.statusCode).toBe(415);
    expect(setCookies(plain)).toEqual([]);
    const cross = await h.app.inject({
      method: 'POST',
      url: '/v1/session',
      headers: { origin: 'https://evil.example' },
      payload: { token: secret },
    });
    expect(cross.statusCode).toBe(403);
    expect(setCookies(cross)).toEqual([]);
  });
});

describe('a session made by POST /v1/session', () => {
  it('sets an HttpOnly SameSite=Strict session cookie and a readable CSRF cookie, and tells who it is', async () => {
    const { id, secret } = await mint(h.app, ['read:*', 'admin:mail*'], { name: 'ops' });
    const response = await h.app.inject({ method: 'POST', url: '/v1/session', payload: { token: secret } });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      session: { auth: true, token: { id, name: 'ops', grants: ['read:*', 'admin:mail*'] }, via: 'cookie' },
    });
    expect(setCookies(response)).toEqual(sessionCookies(secret, false));
    const [session, csrf] = setCookies(response);
    expect(session).toBe(`${SESSION_COOKIE}=${enc(secret)}; Path=/; HttpOnly; SameSite=Strict`);
    expect(csrf).toBe(`${CSRF_COOKIE}=${csrfTokenOf(secret)}; Path=/; SameSite=Strict`);
    const whoami = await h.app.inject({ method: 'GET', url: '/v1/session', headers: cookieHeader(secret) });
    expect(whoami.json()).toMatchObject({ session: { auth: true, token: { id }, via: 'cookie' } });
  });

  it('over TLS both cookies are Secure', () => {
    for (const cookie of [...sessionCookies('t', true), ...clearedCookies(true)]) expect(cookie).toMatch(/; Secure$/);
  });

  it('authenticates reads with the token grants, and no more', async () => {
    const { secret } = await mint(h.app, ['read:mail*']);
    const queue = h.q('mail');
    await h.engine.enqueue('mail-x', { data: 1 });
    const own = await h.app.inject({ method: 'GET', url: '/v1/queues/mail-x', headers: cookieHeader(secret) });
    expect(own.statusCode).toBe(200);
    const other = await h.app.inject({ method: 'GET', url: `/v1/queues/${queue}`, headers: cookieHeader(secret) });
    expect(other.statusCode).toBe(403);
    expect(errorOf(other).code).toBe('FORBIDDEN');
    const none = await h.app.inject({ method: 'GET', url: '/v1/queues/mail-x' });
    expect(none.statusCode).toBe(401);
  });

  it('a mutating call with the cookie needs the CSRF header: missing or wrong is 403 CSRF_FAILED and changes nothing', async () => {
    const { secret } = await mint(h.app, ['admin:*', 'read:*']);
    const other = await mint(h.app, ['admin:*']);
    const queue = h.q('q');
    await h.engine.enqueue(queue, { data: 1 });
    const purge = (headers: Record<string, string>) =>
      h.app.inject({ method: 'POST', url: `/v1/queues/${enc(queue)}/purge`, headers, payload: {} });
    const missing = await purge(cookieHeader(secret));
    expect(missing.statusCode).toBe(403);
    expect(errorOf(missing)).toMatchObject({ code: 'CSRF_FAILED', details: { reason: 'missing' } });
    for (const wrong of ['x', csrfTokenOf(other.secret), csrfTokenOf(secret).toUpperCase()]) {
      const response = await purge({ ...cookieHeader(secret), [CSRF_HEADER]: wrong });
      expect(response.statusCode).toBe(403);
      expect(errorOf(response)).toMatchObject({ code: 'CSRF_FAILED', details: { reason: 'mismatch' } });
    }
    expect(await waiting(queue)).toBe(1);
    const ok = await purge(withCsrf(secret));
    expect(ok.statusCode).toBe(200);
    expect(await waiting(queue)).toBe(0);
  });

  it('a call with a Bearer header needs no CSRF header, cookie or not', async () => {
    const { secret } = await mint(h.app, ['produce:*']);
    const queue = h.q('q');
    const response = await h.app.inject({
      method: 'POST',
      url: `/v1/queues/${enc(queue)}/jobs`,
      headers: { ...bearer(secret), ...cookieHeader('dkt_stale') },
      payload: { data: 1 },
    });
    expect(response.statusCode).toBe(201);
  });

  it('a revoked token stops the cookie at once', async () => {
    const { id, secret } = await mint(h.app, ['read:*']);
    expect((await h.app.inject({ method: 'GET', url: '/v1/stats', headers: cookieHeader(secret) })).statusCode).toBe(
      200,
    );
    await h.app.inject({ method: 'DELETE', url: `/v1/tokens/${id}`, headers: bearer(ADMIN_TOKEN) });
    const after = await h.app.inject({ method: 'GET', url: '/v1/stats', headers: cookieHeader(secret) });
    expect(after.statusCode).toBe(401);
    expect(errorOf(after).details).toEqual({ reason: 'unknown' });
  });

  it('is never accepted by /metrics, a door or the consumer stream', async () => {
    const { secret } = await mint(h.app, ['read:*', 'produce:*', 'consume:*']);
    const metrics = await h.app.inject({ method: 'GET', url: '/metrics', headers: cookieHeader(secret) });
    expect(metrics.statusCode).toBe(401);
    const queue = h.q('door');
    const door = await h.app.inject({
      method: 'POST',
      url: `/enqueue/${enc(queue)}`,
      headers: withCsrf(secret),
      payload: { data: 1 },
    });
    expect(door.statusCode).toBe(401);
    const upgrade = await h.app.inject({
      method: 'GET',
      url: `/v1/stream?queues=${enc(queue)}`,
      headers: { ...cookieHeader(secret), connection: 'upgrade', upgrade: 'websocket' },
    });
    expect(upgrade.statusCode).toBe(401);
    expect(await h.engine.listQueues({ limit: 1000 }).then((p) => p.items.some((q) => q.name === queue))).toBe(false);
  });

  it('logout expires both cookies, and needs no credentials', async () => {
    const response = await h.app.inject({ method: 'DELETE', url: '/v1/session' });
    expect(response.statusCode).toBe(204);
    expect(setCookies(response)).toEqual(clearedCookies(false));
    for (const cookie of setCookies(response)) expect(cookie).toContain('Max-Age=0');
  });
});

describe('sessions on other servers', () => {
  it('with auth off, GET says so and a login is 400 with no cookie', async () => {
    const open = await createHarness({ memory: true });
    try {
      const whoami = await open.app.inject({ method: 'GET', url: '/v1/session' });
      expect(whoami.json()).toEqual({ session: { auth: false, token: null, via: null } });
      const login = await open.app.inject({ method: 'POST', url: '/v1/session', payload: { token: ADMIN_TOKEN } });
      expect(login.statusCode).toBe(400);
      expect(setCookies(login)).toEqual([]);
    } finally {
      await open.close();
    }
  });

  it('read-only: the login works, a mutating call with the cookie is refused even without X-Docket-UI', async () => {
    const ro = await createHarness({ memory: true, uiReadOnly: true, auth: { adminToken: ADMIN_TOKEN } });
    try {
      const login = await ro.app.inject({
        method: 'POST',
        url: '/v1/session',
        headers: { 'x-docket-ui': '1' },
        payload: { token: ADMIN_TOKEN },
      });
      expect(login.statusCode).toBe(201);
      await ro.engine.enqueue('locked', { data: 1 });
      const purge = await ro.app.inject({
        method: 'POST',
        url: '/v1/queues/locked/purge',
        headers: withCsrf(ADMIN_TOKEN),
        payload: {},
      });
      expect(purge.statusCode).toBe(403);
      expect(errorOf(purge).details).toEqual({ readOnly: true });
      expect((await ro.engine.stats('locked')).counts.waiting).toBe(1);
      const logout = await ro.app.inject({ method: 'DELETE', url: '/v1/session', headers: withCsrf(ADMIN_TOKEN) });
      expect(logout.statusCode).toBe(204);
    } finally {
      await ro.close();
    }
  });
});
