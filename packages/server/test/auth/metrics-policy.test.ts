/**
 * `/metrics` under each policy with auth on: its own token (`--metrics-token`) is the only one it
 * accepts, not even the admin token; `open` (`--open-metrics`) needs none; the default `auth`
 * needs `read:*` (routes-auth.test.ts). Health stays open under all of them.
 */
import { describe, expect, it } from 'vitest';
import { createHarness } from '../support/harness.ts';
import { ADMIN_TOKEN, bearer, mint } from './support.ts';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789abcdef';

describe('/metrics with its own token', () => {
  it('accepts only that token; a missing or other one is 401 with a Bearer challenge', async () => {
    const h = await createHarness({
      memory: true,
      auth: { adminToken: ADMIN_TOKEN, metrics: { token: METRICS_TOKEN } },
    });
    try {
      const reader = await mint(h.app, ['read:*']);
      for (const headers of [{}, bearer(ADMIN_TOKEN), bearer(reader.secret), bearer(`${METRICS_TOKEN}x`)]) {
        const response = await h.app.inject({ method: 'GET', url: '/metrics', headers });
        expect(response.statusCode, JSON.stringify(headers)).toBe(401);
        expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="docket"/);
      }
      const ok = await h.app.inject({ method: 'GET', url: '/metrics', headers: bearer(METRICS_TOKEN) });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('docket_auth_failures_total');
      const api = await h.app.inject({ method: 'GET', url: '/v1/stats', headers: bearer(METRICS_TOKEN) });
      expect(api.statusCode).toBe(401);
      expect((await h.app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
    } finally {
      await h.close();
    }
  });
});

describe('/metrics open', () => {
  it('answers without a token while the API still needs one', async () => {
    const h = await createHarness({ memory: true, auth: { adminToken: ADMIN_TOKEN, metrics: 'open' } });
    try {
      expect((await h.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
      expect((await h.app.inject({ method: 'GET', url: '/v1/stats' })).statusCode).toBe(401);
    } finally {
      await h.close();
    }
  });
});
