/**
 * The dashboard in a real chromium against a real `docket serve` (SQLite) with real data: the
 * overview shows what /v1 reports, sorting and filtering, a job appearing live over SSE,
 * redrive of a dead job, purge asking first, read-only mode refused by the server, no console
 * errors, and a phone-width layout. One browser for the whole file.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataDir, removeDataDir, startServer, type ServerProcess } from '../../../test/support/server-process.ts';
import { openPage, launchBrowser } from './support/browser.ts';
import { makeDeadJob, v1 } from './support/api.ts';

interface Counts {
  waiting: number;
  delayed: number;
  active: number;
  completed: number;
  dead: number;
}

let browser: Browser;
let server: ServerProcess;
let readOnly: ServerProcess;
const dirs: string[] = [];

beforeAll(async () => {
  const [a, b] = [await makeDataDir('docket-ui-'), await makeDataDir('docket-ui-ro-')];
  dirs.push(a, b);
  [browser, server, readOnly] = await Promise.all([
    launchBrowser(),
    startServer({ dataDir: a, args: ['--log-level', 'warn'] }),
    startServer({ dataDir: b, args: ['--log-level', 'warn', '--ui-read-only', '--ui-base-path', '/docket'] }),
  ]);
  const base = server.url;
  for (const [queue, n] of [
    ['alpha', 3],
    ['beta', 1],
    ['gamma', 5],
  ] as const) {
    await v1(base, 'POST', `/v1/queues/${queue}/jobs`, {
      jobs: Array.from({ length: n }, (_, i) => ({ data: { i } })),
    });
  }
  await v1(base, 'POST', '/v1/queues/gamma/jobs', { data: { later: true }, delayMs: 3_600_000 });
  await makeDeadJob(base, 'beta', 'smtp refused');
  await v1(readOnly.url, 'POST', '/v1/queues/locked/jobs', { data: { x: 1 } });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([server?.stop(), readOnly?.stop()]);
  await Promise.all(dirs.map(removeDataDir));
});

describe('dashboard over SQLite', () => {
  it('shows on the overview the counts /v1 reports, the store and the version, with no console errors', async () => {
    const { stats } = await v1<{ stats: { counts: Counts; queues: number } }>(server.url, 'GET', '/v1/stats');
    const { page, problems } = await openPage(browser, `${server.url}/`);
    await page.getByTestId('total-waiting').waitFor();
    for (const state of ['waiting', 'delayed', 'active', 'completed', 'dead'] as const) {
      expect(await page.getByTestId(`total-${state}`).textContent()).toBe(String(stats.counts[state]));
    }
    expect(stats.counts.waiting).toBe(9);
    expect(stats.counts.dead).toBe(1);
    expect(await page.getByTestId('total-queues').textContent()).toBe('3');
    await expect.poll(() => page.getByTestId('store-kind').textContent()).toBe('sqlite');
    await page.getByTestId('throughput-chart').locator('canvas').waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('sorts the queue list by a column and filters it by name', async () => {
    const { page, problems } = await openPage(browser, `${server.url}/#/queues`);
    const names = () =>
      page
        .locator('[data-testid=queues-table] tbody tr')
        .evaluateAll((rows: { getAttribute(name: string): string | null }[]) =>
          rows.map((row) => row.getAttribute('data-queue')),
        );
    await page.locator('tr[data-queue=gamma]').waitFor();
    expect(await names()).toEqual(['alpha', 'beta', 'gamma']);
    await page.getByTestId('sort-waiting').click();
    expect(await names()).toEqual(['gamma', 'alpha', 'beta']);
    await page.getByTestId('sort-failureRate').click();
    expect((await names())[0]).toBe('beta');
    await page.getByTestId('queue-filter').fill('al');
    expect(await names()).toEqual(['alpha']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows a job enqueued through the API without a reload (event stream)', async () => {
    const { page, problems } = await openPage(browser, `${server.url}/#/queues/alpha?state=waiting`);
    await page.locator('[data-testid=jobs-table] tbody tr').nth(2).waitFor();
    const { job } = await v1<{ job: { id: string } }>(server.url, 'POST', '/v1/queues/alpha/jobs', {
      data: { live: 1 },
    });
    await page.locator(`tr[data-job="${job.id}"]`).waitFor({ timeout: 5000 });
    // The counts follow on their own budget (COUNT_BUDGET_FACTOR in web/live.ts), so they may
    // come a moment after the list.
    await page.getByTestId('count-waiting').filter({ hasText: /^4$/ }).waitFor({ timeout: 5000 });
    await page.locator(`tr[data-job="${job.id}"] a`).click();
    await page.getByTestId('job-id').waitFor();
    expect(page.url()).toContain(`#/jobs/${job.id}`);
    expect(await page.getByTestId('payload').textContent()).toContain('"live": 1');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('redrives a dead job to waiting, checked through /v1', async () => {
    const { page, problems } = await openPage(browser, `${server.url}/#/queues/beta?state=dead`);
    await page.locator('[data-testid=jobs-table] tbody tr').first().waitFor();
    expect(await page.locator('.error-cell').first().textContent()).toBe('smtp refused');
    await page.getByTestId('group-by-error').check();
    await page.getByTestId('dead-groups').getByText('smtp refused').waitFor();
    await page.getByTestId('redrive-all').click();
    await page.locator('dialog[open] [data-testid=confirm-ok]').click();
    await expect
      .poll(async () => (await v1<{ queue: { counts: Counts } }>(server.url, 'GET', '/v1/queues/beta')).queue.counts)
      .toMatchObject({ dead: 0, waiting: 2 });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('retries one dead job from its page, checked through /v1', async () => {
    const id = await makeDeadJob(server.url, 'epsilon', 'timeout talking to the bank');
    const { page, problems } = await openPage(browser, `${server.url}/#/jobs/${id}`);
    await page.getByTestId('job-error').filter({ hasText: 'timeout talking to the bank' }).waitFor();
    await page.getByTestId('retry').click();
    await page.getByTestId('job-state').filter({ hasText: 'waiting' }).waitFor();
    const after = await v1<{ job: { state: string; attempts: number } }>(server.url, 'GET', `/v1/jobs/${id}`);
    expect(after.job).toMatchObject({ state: 'waiting', attempts: 0 });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows every ended attempt of a job with its error and an expandable stack', async () => {
    await v1(server.url, 'POST', '/v1/queues/zeta/jobs', { data: { flaky: true }, id: 'flaky-1', maxAttempts: 5 });
    for (const message of ['connection reset', 'upstream 503']) {
      const { jobs } = await v1<{ jobs: { id: string; leaseToken: string }[] }>(server.url, 'POST', '/v1/lease', {
        queues: ['zeta'],
        worker: 'worker-7',
      });
      const job = jobs[0];
      if (job === undefined) throw new Error('nothing to lease');
      await v1(server.url, 'POST', `/v1/jobs/${job.id}/nack`, {
        lease: job.leaseToken,
        placement: 'front',
        error: { message, stack: `Error: ${message}\n    at fetchUpstream (client.js:42:7)` },
      });
    }
    const { page, problems } = await openPage(browser, `${server.url}/#/jobs/flaky-1`);
    const rows = page.getByTestId('attempt');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    expect(await page.getByTestId('attempt-error').allTextContents()).toEqual(['connection reset', 'upstream 503']);
    const stack = rows.nth(1).getByTestId('attempt-stack');
    expect(await stack.locator('pre').isVisible()).toBe(false);
    await stack.locator('summary').click();
    await stack.locator('pre').filter({ hasText: 'at fetchUpstream (client.js:42:7)' }).waitFor({ state: 'visible' });
    expect(await rows.nth(0).textContent()).toContain('worker-7');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('promotes a delayed job now from its page, checked through /v1', async () => {
    const { job } = await v1<{ job: { id: string } }>(server.url, 'POST', '/v1/queues/delta/jobs', {
      data: { later: true },
      delayMs: 3_600_000,
    });
    const { page, problems } = await openPage(browser, `${server.url}/#/queues/delta?state=delayed`);
    await page.locator(`tr[data-job="${job.id}"] a`).click();
    await page.getByTestId('job-state').filter({ hasText: 'delayed' }).waitFor();
    await page.getByTestId('promote').click();
    await page.getByTestId('job-state').filter({ hasText: 'waiting' }).waitFor();
    expect((await v1<{ job: { state: string } }>(server.url, 'GET', `/v1/jobs/${job.id}`)).job.state).toBe('waiting');
    expect(await page.getByTestId('promote').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('asks before purging, and purges nothing when cancelled', async () => {
    const { page, problems } = await openPage(browser, `${server.url}/#/queues/gamma`);
    await page.getByTestId('count-waiting').filter({ hasText: '5' }).waitFor();
    await page.getByTestId('purge').click();
    const dialog = page.locator('dialog[open]');
    expect(await dialog.textContent()).toContain('Delete every job of gamma');
    await page.locator('dialog[open] [data-testid=confirm-cancel]').click();
    expect((await v1<{ queue: { counts: Counts } }>(server.url, 'GET', '/v1/queues/gamma')).queue.counts.waiting).toBe(
      5,
    );
    await page.getByTestId('purge').click();
    await page.locator('dialog[open] [data-testid=confirm-ok]').click();
    await expect
      .poll(async () => (await v1<{ queue: { counts: Counts } }>(server.url, 'GET', '/v1/queues/gamma')).queue.counts)
      .toMatchObject({ waiting: 0, delayed: 0 });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('lays the overview out in one column at phone width', async () => {
    const { page, problems } = await openPage(browser, `${server.url}/`, { width: 390, height: 844 });
    await page.getByTestId('total-waiting').waitFor();
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('read-only dashboard under a base path', () => {
  it('hides actions, and the server refuses a dashboard session mutating call', async () => {
    const { page, problems } = await openPage(browser, `${readOnly.url}/docket/#/queues/locked`);
    await page.getByTestId('read-only').waitFor();
    await page.getByTestId('count-waiting').filter({ hasText: '1' }).waitFor();
    expect(await page.getByTestId('purge').count()).toBe(0);
    expect(await page.getByTestId('pause').count()).toBe(0);
    expect(problems).toEqual([]);
    const status = await page.evaluate(async () => {
      const response = await fetch('../v1/queues/locked/purge', { method: 'POST', headers: { 'x-docket-ui': '1' } });
      const body = (await response.json()) as { error: { code: string } };
      return { status: response.status, code: body.error.code };
    });
    expect(status).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(
      (await v1<{ queue: { counts: Counts } }>(readOnly.url, 'GET', '/v1/queues/locked')).queue.counts.waiting,
    ).toBe(1);
    await page.close();
  });
});
