/**
 * Failed authentications: counted in docket_auth_failures_total{reason}, and limited per client
 * address: past the burst an address gets 429 with Retry-After for any request whose token is
 * not already known good, while a token it used successfully keeps working.
 */
import { describe, expect, it } from 'vitest';
import { errorOf, harnessPerFile } from '../support/harness.ts';
import { ADMIN_TOKEN, bearer, mint } from './support.ts';

const BURST = 3;
const h = harnessPerFile({ memory: true, auth: { adminToken: ADMIN_TOKEN, failureBurst: BURST, cacheTtlMs: 60_000 } });
const unknown = `dkt_${'1'.repeat(20)}_${'B'.repeat(43)}`;

describe('failed authentications', () => {
  it('are counted by reason, limited per address after a burst, without slowing a good token', async () => {
    const good = await mint(h.app, ['read:*']);
    const list = (token: string) => h.app.inject({ method: 'GET', url: '/v1/queues', headers: bearer(token) });
    expect((await list(good.secret)).statusCode).toBe(200);
    for (let i = 0; i < BURST; i += 1) expect((await list(unknown)).statusCode).toBe(401);
    const limited = await list(unknown);
    expect(limited.statusCode).toBe(429);
    expect(errorOf(limited).code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await h.app.inject({ method: 'GET', url: '/v1/queues' })).statusCode).toBe(429);
    expect((await list(good.secret)).statusCode).toBe(200);

    const other = await h.app.inject({
      method: 'GET',
      url: '/v1/queues',
      headers: bearer(unknown),
      remoteAddress: '127.0.0.2',
    });
    expect(other.statusCode).toBe(401);

    const metrics = await list(good.secret).then(() =>
      h.app.inject({ method: 'GET', url: '/metrics', headers: bearer(good.secret) }),
    );
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain(`docket_auth_failures_total{reason="unknown"} ${BURST + 1}`);
    expect(metrics.body).toContain('docket_auth_failures_total{reason="rate_limited"} 2');
    expect(metrics.body).not.toContain(good.secret);
  });
});
