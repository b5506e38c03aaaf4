/**
 * `npm run screenshots`: starts a real `docket serve` on a temp data directory, fills it with
 * jobs (waiting, delayed, completed with results, dead with errors and stacks), and saves PNGs
 * of the overview, a queue's detail and a job's detail into docs/dashboard/ with chromium.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { makeDataDir, removeDataDir, startServer } from '../../../test/support/server-process.ts';
import { makeDeadJob, v1 } from './support/api.ts';
import { launchBrowser, openPage } from './support/browser.ts';

const OUT = fileURLToPath(new URL('../../../docs/dashboard/', import.meta.url));

interface Leased {
  readonly jobs: { readonly id: string; readonly leaseToken: string }[];
}

async function fill(base: string): Promise<string> {
  const queues = ['emails', 'thumbnails', 'billing.invoices', 'webhooks', 'search-index'];
  for (const [i, queue] of queues.entries()) {
    const jobs = Array.from({ length: 20 + i * 15 }, (_, n) => ({ data: { n, queue, to: `user${n}@example.com` } }));
    await v1(base, 'POST', `/v1/queues/${queue}/jobs`, { jobs });
    await v1(base, 'POST', `/v1/queues/${queue}/jobs`, { data: { later: true }, delayMs: 3_600_000 });
  }
  for (let round = 0; round < 6; round += 1) {
    for (const queue of queues.slice(0, 3)) {
      const { jobs } = await v1<Leased>(base, 'POST', '/v1/lease', {
        queues: [queue],
        max: 5,
        worker: `worker-${round % 2}`,
      });
      for (const job of jobs)
        await v1(base, 'POST', `/v1/jobs/${job.id}/ack`, { lease: job.leaseToken, result: { ok: true } });
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
  await v1(base, 'POST', '/v1/workers/worker-0/heartbeat', { queues: ['emails', 'thumbnails'] });
  await v1(base, 'POST', '/v1/workers/worker-1/heartbeat', { queues: ['billing.invoices'] });
  let dead = '';
  for (const message of ['smtp 550 mailbox unavailable', 'smtp 550 mailbox unavailable', 'connection reset by peer']) {
    dead = await makeDeadJob(base, 'emails', message);
  }
  return dead;
}

const dir = await makeDataDir('docket-screens-');
const server = await startServer({ dataDir: dir, args: ['--log-level', 'warn'] });
const browser = await launchBrowser();
try {
  await mkdir(OUT, { recursive: true });
  const deadJob = await fill(server.url);
  const { page, problems } = await openPage(browser, `${server.url}/`);
  await page.getByTestId('throughput-chart').locator('canvas').waitFor();
  await page.getByTestId('store-kind').waitFor();
  await page.screenshot({ path: `${OUT}overview.png` });
  await page.goto(`${server.url}/#/queues`);
  await page.locator('tr[data-queue=emails]').waitFor();
  await page.screenshot({ path: `${OUT}queues.png` });
  await page.goto(`${server.url}/#/queues/emails?state=dead`);
  await page.locator('[data-testid=jobs-table] tbody tr').first().waitFor();
  await page.screenshot({ path: `${OUT}queue-detail.png` });
  await page.goto(`${server.url}/#/jobs/${encodeURIComponent(deadJob)}`);
  await page.getByTestId('job-error').waitFor();
  await page.screenshot({ path: `${OUT}job-detail.png`, fullPage: true });
  await page.getByTestId('theme-toggle').click();
  await page.goto(`${server.url}/`);
  await page.getByTestId('throughput-chart').locator('canvas').waitFor();
  await page.screenshot({ path: `${OUT}overview-dark.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${server.url}/#/queues/emails`);
  await page.getByTestId('count-dead').filter({ hasText: '3' }).waitFor();
  await page.screenshot({ path: `${OUT}queue-detail-phone.png` });
  if (problems.length > 0) throw new Error(`the page reported problems:\n${problems.join('\n')}`);
  process.stdout.write(`screenshots saved in ${OUT}\n`);
} finally {
  await browser.close();
  await server.stop();
  await removeDataDir(dir);
}
