/**
 * The dashboard over the Redis store: a real `docket serve --store redis://…` on a fresh key
 * prefix, in a real chromium. The overview shows the counts /v1 reports and the store kind, and
 * a job enqueued through the API appears live on the queue page.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendAvailable, BACKENDS } from '../../../test/support/backends.ts';
import { startServer, type ServerProcess } from '../../../test/support/server-process.ts';
import { launchBrowser, openPage } from './support/browser.ts';
import { v1 } from './support/api.ts';

const redis = BACKENDS.find((backend) => backend.name === 'redis');
if (redis === undefined) throw new Error('no redis backend in test/support/backends.ts');
const available = await backendAvailable(redis);
const namespace = redis.namespace();

let browser: Browser;
let server: ServerProcess;

describe.runIf(available)('dashboard over Redis', () => {
  beforeAll(async () => {
    [browser, server] = await Promise.all([
      launchBrowser(),
      startServer({ args: ['--store', redis.storeUrl(namespace), '--log-level', 'warn'] }),
    ]);
    await v1(server.url, 'POST', '/v1/queues/orders/jobs', { jobs: [{ data: 1 }, { data: 2 }] });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await redis.drop(namespace);
  });

  it('shows the counts /v1 reports and a job enqueued through the API, live', async () => {
    const { stats } = await v1<{ stats: { counts: { waiting: number } } }>(server.url, 'GET', '/v1/stats');
    expect(stats.counts.waiting).toBe(2);
    const { page, problems } = await openPage(browser, `${server.url}/`);
    await page.getByTestId('total-waiting').filter({ hasText: '2' }).waitFor();
    await expect.poll(() => page.getByTestId('store-kind').textContent()).toBe('redis');
    await page.goto(`${server.url}/#/queues/orders`);
    await page.locator('[data-testid=jobs-table] tbody tr').nth(1).waitFor();
    const { job } = await v1<{ job: { id: string } }>(server.url, 'POST', '/v1/queues/orders/jobs', { data: 3 });
    await page.locator(`tr[data-job="${job.id}"]`).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });
});
