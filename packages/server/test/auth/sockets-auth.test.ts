/**
 * Auth on real sockets: HTTP/2 (h2c) gets the same 401/403 as HTTP/1.1, and an event stream
 * (SSE) whose token is revoked ends with a `closing` event of reason `revoked`.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { h2Request, openSession } from '../../../../test/support/h2-client.ts';
import { createHarness, type Harness } from '../support/harness.ts';
import { ADMIN_TOKEN, bearer, mint } from './support.ts';

let h: Harness;
let base = '';

beforeAll(async () => {
  h = await createHarness({ memory: true, auth: { adminToken: ADMIN_TOKEN } });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await h.close();
});

describe('auth on sockets', () => {
  it('HTTP/2 (h2c): 401 without a token, 403 without the grant, 201 with it', async () => {
    const token = await mint(h.app, ['produce:h2-ok']);
    const session = await openSession(base);
    try {
      const json = { 'content-type': 'application/json' };
      const body = JSON.stringify({ data: 1 });
      const none = await h2Request(session, 'POST', '/v1/queues/h2-ok/jobs', body, json);
      expect(none.status).toBe(401);
      expect(none.headers['www-authenticate']).toBe('Bearer realm="docket"');
      const other = await h2Request(session, 'POST', '/v1/queues/h2-other/jobs', body, {
        ...json,
        ...bearer(token.secret),
      });
      expect(other.status).toBe(403);
      const ok = await h2Request(session, 'POST', '/v1/queues/h2-ok/jobs', body, { ...json, ...bearer(token.secret) });
      expect(ok.status).toBe(201);
    } finally {
      session.close();
    }
    expect((await h.engine.listQueues({})).items.map((q) => q.name)).not.toContain('h2-other');
  });

  it('an event stream whose token is revoked ends with a closing event (revoked)', async () => {
    const token = await mint(h.app, ['read:sse']);
    const response = await fetch(`${base}/v1/queues/sse/events`, { headers: bearer(token.secret) });
    expect(response.status).toBe(200);
    const revoked = await h.app.inject({
      method: 'DELETE',
      url: `/v1/tokens/${token.id}`,
      headers: bearer(ADMIN_TOKEN),
    });
    expect(revoked.statusCode).toBe(204);
    const text = await response.text();
    expect(text).toContain('event: closing');
    expect(text).toContain('"reason":"revoked"');
  });
});
