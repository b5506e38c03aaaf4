/**
 * Dashboard time to first render: with `queues` queues holding `jobs` jobs between them
 * (prefilled untimed), chromium opens the overview `runs` times on a fresh page each time and
 * reads the page's performance marks: from navigation start to `docket:overview-rendered` (the
 * overview drawn with the counts of `GET /v1/stats`). The first run includes the one-time
 * esbuild bundle of the server process and is reported apart (`firstMs`); `medianMs`/`maxMs`
 * are over the later runs. Also times the queues page (every queue loaded, sorted, first page
 * drawn) to its first table row.
 *
 * `measureDashboardRender(url, options)` runs against a given server; the goal in issue 15 is
 * under 1 s with 1 000 queues and 1 000 000 jobs on this machine. Call it from bench/http.ts
 * inside `withServer`, e.g.
 *   const ui = await withServer((server) => measureDashboardRender(server.url, { queues: 1000, jobs: 1_000_000 }));
 * For the cost of an open page, run the enqueue case with and without `holdOverviewOpen(url)`.
 */
import { chromium, type Browser } from 'playwright-core';
import { prefill } from '../support/docket-drivers.ts';

export interface DashboardRenderOptions {
  readonly queues?: number;
  /** Jobs in total, spread evenly over the queues. */
  readonly jobs?: number;
  readonly runs?: number;
}

export interface DashboardRender {
  readonly queues: number;
  readonly jobs: number;
  readonly firstMs: number;
  readonly medianMs: number;
  readonly maxMs: number;
  readonly queuesPageMs: number;
}

function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
}

async function overviewMs(browser: Browser, url: string): Promise<number> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(`${url}/`);
    await page.waitForFunction(() => performance.getEntriesByName('docket:overview-rendered').length > 0, null, {
      timeout: 60_000,
    });
    return Number(await page.evaluate("performance.getEntriesByName('docket:overview-rendered')[0].startTime"));
  } finally {
    await page.close();
  }
}

async function queuesPageMs(browser: Browser, url: string): Promise<number> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    const started = Date.now();
    await page.goto(`${url}/#/queues`);
    await page.locator('[data-testid=queues-table] tbody tr').first().waitFor({ timeout: 60_000 });
    return Date.now() - started;
  } finally {
    await page.close();
  }
}

export async function measureDashboardRender(
  url: string,
  options: DashboardRenderOptions = {},
): Promise<DashboardRender> {
  const queues = options.queues ?? 1000;
  const jobs = options.jobs ?? 1_000_000;
  const runs = options.runs ?? 5;
  const perQueue = Math.max(1, Math.floor(jobs / queues));
  for (let i = 0; i < queues; i += 1) await prefill(url, `bench-ui-${String(i).padStart(4, '0')}`, perQueue);
  const browser = await launch();
  try {
    const firstMs = await overviewMs(browser, url);
    const times: number[] = [];
    for (let run = 0; run < runs; run += 1) times.push(await overviewMs(browser, url));
    times.sort((a, b) => a - b);
    return {
      queues,
      jobs: perQueue * queues,
      firstMs: Math.round(firstMs),
      medianMs: Math.round(times[Math.floor(times.length / 2)] ?? 0),
      maxMs: Math.round(times.at(-1) ?? 0),
      queuesPageMs: await queuesPageMs(browser, url),
    };
  } finally {
    await browser.close();
  }
}

/** Opens the overview in chromium and keeps it open (live) until the returned close is called. */
export async function holdOverviewOpen(url: string): Promise<() => Promise<void>> {
  const browser = await launch();
  const page = await browser.newPage();
  await page.goto(`${url}/`);
  await page.getByTestId('total-waiting').waitFor({ timeout: 60_000 });
  return () => browser.close();
}
