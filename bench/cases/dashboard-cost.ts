/**
 * What an open dashboard page costs the server, measured so that it can resolve 2 %: the server
 * takes single enqueues at a fixed, paced rate (not its maximum, whose rounds vary ±15 % on a
 * shared machine), and many short rounds alternate no page, the overview open and the queue's
 * page open (one chromium, navigated between them; the order rotates each round). Each window
 * reads the server's CPU time from /proc/<pid>/task/* /schedstat (nanoseconds on CPU, every
 * thread), so the page's added CPU per second is the window's CPU minus the same round's
 * no-page window. That figure is then put as a share of the server's CPU per second at full
 * single-enqueue load (autocannon, 50 connections, measured in the same run): the share of
 * throughput an open page takes from a CPU-bound server.
 *
 * Beside the A/B, the page's requests are counted and timed from the server's own histogram
 * (`docket_http_request_duration_seconds` on /metrics, read between windows), and each route
 * the pages call is replayed alone on the quiet server for its CPU per request: the sum of
 * rate × CPU per request is the page's request cost, which the A/B's difference should match
 * (what is left is per-job work done because a page is open, and the SSE frames).
 *
 *   measureDashboardCost(url, pid, { rounds, windowS, rate })
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { chromium, type Browser, type Page } from 'playwright-core';
import { measureLoad } from '../support/http-load.ts';

export type PageKind = 'none' | 'overview' | 'queue';
export const PAGE_KINDS: readonly PageKind[] = ['none', 'overview', 'queue'];

export interface DashboardCostOptions {
  /** The queue the load enqueues into and the queue page shows. */
  readonly queue?: string;
  readonly rounds?: number;
  /** Length of each measured window, after the page has loaded and settled. */
  readonly windowS?: number;
  /** Paced enqueues per second. */
  readonly rate?: number;
  /** Jobs enqueued (in batches) before the first round, so counts are of a real backlog. */
  readonly backlog?: number;
  readonly body?: string;
}

export interface RouteCost {
  readonly route: string;
  /** Requests per second the page made, from the server's histogram. */
  readonly perSec: number;
  /** Mean server time per request (the histogram's, wall time inside the server). */
  readonly serverMs: number;
  /** CPU per request, replayed alone on the quiet server. */
  readonly cpuMs: number;
}

export interface PageCost {
  readonly kind: Exclude<PageKind, 'none'>;
  /** Added server CPU per window, ms per second, one per round (this window minus the round's no-page window). */
  readonly addedMsPerSec: readonly number[];
  readonly meanAddedMsPerSec: number;
  readonly medianAddedMsPerSec: number;
  /** Standard error of the mean added CPU. */
  readonly stderrMsPerSec: number;
  /** Mean added CPU as a share of the server's CPU per second at full single-enqueue load. */
  readonly sharePercent: number;
  /** The requests' CPU (requestMsPerSec) as a share of the server's CPU at full single-enqueue load. */
  readonly requestSharePercent: number;
  readonly routes: readonly RouteCost[];
  /** Σ perSec × cpuMs: the CPU the page's requests cost, ms per second. */
  readonly requestMsPerSec: number;
}

export interface DashboardCost {
  readonly rate: number;
  readonly rounds: number;
  readonly windowS: number;
  /** Server CPU per second without a page, at the paced rate (mean of rounds). */
  readonly baseMsPerSec: number;
  /** Server CPU per second at full single-enqueue load, and the rate it reached. */
  readonly fullLoadMsPerSec: number;
  readonly fullLoadPerSec: number;
  /** Waiting jobs in the queue at the start and the end of the rounds. */
  readonly backlogStart: number;
  readonly backlogEnd: number;
  readonly pages: readonly PageCost[];
  /** 1-minute load average at the start and the end. */
  readonly loadavg: readonly [number, number];
}

/** Nanoseconds the process has been on a CPU, summed over its threads. */
export function serverCpuNs(pid: number): number {
  let sum = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      sum += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended meanwhile
    }
  }
  return sum;
}

/** An open-loop enqueue client: `rate` single enqueues a second, sent on 10 ms ticks, whatever the answers. */
function pacedEnqueue(
  url: string,
  path: string,
  body: string,
  rate: number,
): () => Promise<{ ok: number; failed: number }> {
  const target = new URL(path, url);
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  let sent = 0;
  let ok = 0;
  let failed = 0;
  let inFlight = 0;
  const startedAt = performance.now();
  const send = (): void => {
    inFlight += 1;
    const req = request(
      target,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          inFlight -= 1;
          if (res.statusCode === 201) ok += 1;
          else failed += 1;
        });
      },
    );
    req.on('error', () => {
      inFlight -= 1;
      failed += 1;
    });
    req.end(body);
  };
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - startedAt) * rate) / 1000) - sent;
    for (let i = 0; i < due; i += 1) send();
    sent += due;
  }, 10);
  return async () => {
    clearInterval(timer);
    while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    agent.destroy();
    return { ok, failed };
  };
}

type Histogram = Map<string, { count: number; sum: number }>;

/** The server's request histogram by GET route (the page's calls; /metrics itself left out). */
async function scrapeRoutes(url: string): Promise<Histogram> {
  const text = await fetch(`${url}/metrics`).then((r) => r.text());
  const routes: Histogram = new Map();
  const line = /^docket_http_request_duration_seconds_(sum|count)\{([^}]*)\} ([\d.e+-]+)$/gm;
  for (const match of text.matchAll(line)) {
    const labels = match[2] ?? '';
    const route = /route="([^"]*)"/.exec(labels)?.[1];
    if (!labels.includes('method="GET"') || route === undefined || route === '/metrics') continue;
    const entry = routes.get(route) ?? { count: 0, sum: 0 };
    if (match[1] === 'sum') entry.sum += Number(match[3]);
    else entry.count += Number(match[3]);
    routes.set(route, entry);
  }
  return routes;
}

function diff(after: Histogram, before: Histogram): Histogram {
  const out: Histogram = new Map();
  for (const [route, a] of after) {
    const b = before.get(route) ?? { count: 0, sum: 0 };
    if (a.count > b.count) out.set(route, { count: a.count - b.count, sum: a.sum - b.sum });
  }
  return out;
}

async function waitingCount(url: string, queue: string): Promise<number> {
  const reply = (await fetch(`${url}/v1/queues/${queue}`).then((r) => r.json())) as {
    queue: { counts: { waiting: number } };
  };
  return reply.queue.counts.waiting;
}

async function show(page: Page, url: string, kind: PageKind, queue: string): Promise<void> {
  if (kind === 'none') {
    await page.goto('about:blank');
  } else if (kind === 'overview') {
    await page.goto(`${url}/#/`);
    await page.getByTestId('total-waiting').waitFor({ timeout: 60_000 });
  } else {
    await page.goto(`${url}/#/queues/${queue}`);
    await page.locator('[data-testid=jobs-table] tbody tr').first().waitFor({ timeout: 60_000 });
  }
}

/** A request path for each route pattern the pages call, to replay alone. */
function replayPath(route: string, queue: string): string | null {
  const paths: Record<string, string> = {
    '/v1/stats': '/v1/stats?window=5m',
    '/v1/server': '/v1/server',
    '/v1/session': '/v1/session',
    '/v1/queues/:queue': `/v1/queues/${queue}`,
    '/v1/queues/:queue/jobs': `/v1/queues/${queue}/jobs?limit=25&state=waiting`,
    '/v1/stats/queues': '/v1/stats/queues?limit=1000',
  };
  return paths[route] ?? null;
}

/** Server CPU per request of `path`, sent `n` times one after another on the quiet server. */
async function cpuPerRequest(url: string, pid: number, path: string): Promise<number> {
  // /v1/stats reuses its walk of the queues for a while: replay it as the overview polls it, every 2 s.
  const spacingMs = path.startsWith('/v1/stats?') ? 2000 : 0;
  const n = spacingMs > 0 ? 8 : 40;
  const idleStart = serverCpuNs(pid);
  const idleAt = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idleNsPerMs = (serverCpuNs(pid) - idleStart) / (performance.now() - idleAt);
  const before = serverCpuNs(pid);
  const at = performance.now();
  for (let i = 0; i < n; i += 1) {
    await fetch(url + path, { headers: { 'x-docket-ui': '1' } }).then((r) => r.text());
    if (spacingMs > 0) await new Promise((resolve) => setTimeout(resolve, spacingMs));
  }
  const used = serverCpuNs(pid) - before - idleNsPerMs * (performance.now() - at);
  return Math.max(0, used) / n / 1e6;
}

const mean = (list: readonly number[]): number => list.reduce((a, b) => a + b, 0) / Math.max(1, list.length);
const median = (list: readonly number[]): number => {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const stderr = (list: readonly number[]): number => {
  if (list.length < 2) return 0;
  const m = mean(list);
  return Math.sqrt(list.reduce((a, b) => a + (b - m) ** 2, 0) / (list.length - 1) / list.length);
};

export async function measureDashboardCost(
  url: string,
  pid: number,
  options: DashboardCostOptions = {},
  log: (message: string) => void = () => undefined,
): Promise<DashboardCost> {
  const queue = options.queue ?? 'bench-single';
  const rounds = options.rounds ?? 8;
  const windowS = options.windowS ?? 5;
  const rate = options.rate ?? 2000;
  const body = options.body ?? JSON.stringify({ data: { to: 'someone@example.com', subject: 'hello', n: 42 } });
  const loadStart = loadavg()[0] ?? 0;
  const backlog = options.backlog ?? 0;
  for (let done = 0; done < backlog; done += 100) {
    const jobs = Array.from({ length: Math.min(100, backlog - done) }, () => JSON.parse(body) as unknown);
    await fetch(`${url}/v1/queues/${queue}/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jobs }),
    }).then((r) => r.text());
  }
  const path = `/v1/queues/${queue}/jobs`;
  const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const cpu = new Map<PageKind, number[]>(PAGE_KINDS.map((kind) => [kind, []]));
  const routes = new Map<PageKind, Histogram>(PAGE_KINDS.map((kind) => [kind, new Map()]));
  /** Measured seconds per kind, over every round. */
  const seconds = new Map<PageKind, number>();
  let backlogStart = 0;
  let backlogEnd = 0;
  try {
    const page = await browser.newPage();
    const stop = pacedEnqueue(url, path, body, rate);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      backlogStart = await waitingCount(url, queue);
      for (let round = 0; round < rounds; round += 1) {
        const order = PAGE_KINDS.map((_, i) => PAGE_KINDS[(i + round) % PAGE_KINDS.length] as PageKind);
        for (const kind of order) {
          await show(page, url, kind, queue);
          // The page's first loads (and the previous page's last) are not part of its steady cost.
          await new Promise((resolve) => setTimeout(resolve, 1500));
          const histBefore = await scrapeRoutes(url);
          const before = serverCpuNs(pid);
          const at = performance.now();
          await new Promise((resolve) => setTimeout(resolve, windowS * 1000));
          const elapsedS = (performance.now() - at) / 1000;
          const msPerSec = (serverCpuNs(pid) - before) / 1e6 / elapsedS;
          const window = diff(await scrapeRoutes(url), histBefore);
          cpu.get(kind)?.push(msPerSec);
          seconds.set(kind, (seconds.get(kind) ?? 0) + elapsedS);
          const sums = routes.get(kind) ?? new Map<string, { count: number; sum: number }>();
          for (const [route, h] of window) {
            const entry = sums.get(route) ?? { count: 0, sum: 0 };
            entry.count += h.count;
            entry.sum += h.sum;
            sums.set(route, entry);
          }
          routes.set(kind, sums);
        }
        log(
          `round ${round + 1}/${rounds}: server CPU ms/s ${PAGE_KINDS.map((k) => `${k} ${(cpu.get(k)?.at(-1) ?? 0).toFixed(1)}`).join(', ')}`,
        );
      }
      backlogEnd = await waitingCount(url, queue);
      await page.goto('about:blank');
    } finally {
      const sent = await stop();
      if (sent.failed > 0) log(`${sent.failed} paced enqueues failed`);
    }
  } finally {
    await browser.close();
  }
  const full = await fullLoad(url, pid, path, body);
  const cpuPerRoute = new Map<string, number>();
  for (const kind of ['overview', 'queue'] as const) {
    for (const route of routes.get(kind)?.keys() ?? []) {
      const replay = replayPath(route, queue);
      if (replay !== null && !cpuPerRoute.has(route)) cpuPerRoute.set(route, await cpuPerRequest(url, pid, replay));
    }
  }
  const none = cpu.get('none') ?? [];
  const pages = (['overview', 'queue'] as const).map((kind): PageCost => {
    const added = (cpu.get(kind) ?? []).map((ms, round) => ms - (none[round] ?? 0));
    const routeCosts = [...(routes.get(kind) ?? new Map<string, { count: number; sum: number }>())].map(
      ([route, h]): RouteCost => ({
        route,
        perSec: h.count / (seconds.get(kind) ?? 1),
        serverMs: (h.sum * 1000) / h.count,
        cpuMs: cpuPerRoute.get(route) ?? 0,
      }),
    );
    const requestMsPerSec = routeCosts.reduce((a, r) => a + r.perSec * r.cpuMs, 0);
    return {
      kind,
      addedMsPerSec: added,
      meanAddedMsPerSec: mean(added),
      medianAddedMsPerSec: median(added),
      stderrMsPerSec: stderr(added),
      sharePercent: (mean(added) / full.msPerSec) * 100,
      requestSharePercent: (requestMsPerSec / full.msPerSec) * 100,
      routes: routeCosts,
      requestMsPerSec,
    };
  });
  return {
    rate,
    rounds,
    windowS,
    baseMsPerSec: mean(none),
    fullLoadMsPerSec: full.msPerSec,
    fullLoadPerSec: full.perSec,
    backlogStart,
    backlogEnd,
    pages,
    loadavg: [loadStart, loadavg()[0] ?? 0],
  };
}

/** Server CPU per second and enqueues per second at full single-enqueue load (autocannon, 50 connections). */
async function fullLoad(
  url: string,
  pid: number,
  path: string,
  body: string,
): Promise<{ msPerSec: number; perSec: number }> {
  const before = serverCpuNs(pid);
  const at = performance.now();
  const result = await measureLoad({ url, path, body, connections: 50, durationS: 5 });
  const seconds = (performance.now() - at) / 1000;
  return { msPerSec: (serverCpuNs(pid) - before) / 1e6 / seconds, perSec: result.requestsPerSec };
}

/** The paced measurement's summary lines. */
export function describeCost(cost: DashboardCost): string[] {
  const lines = [
    `paced ${cost.rate} enqueues/s, ${cost.rounds} rounds of ${cost.windowS} s windows, backlog ${cost.backlogStart}→${cost.backlogEnd} waiting, ` +
      `load ${cost.loadavg.map((l) => l.toFixed(1)).join('→')}: server CPU ${cost.baseMsPerSec.toFixed(1)} ms/s with no page; ` +
      `at full single-enqueue load ${cost.fullLoadMsPerSec.toFixed(0)} ms/s (${cost.fullLoadPerSec.toFixed(0)} enqueues/s)`,
  ];
  for (const page of cost.pages) {
    lines.push(
      `${page.kind} page: adds ${page.meanAddedMsPerSec.toFixed(2)} ± ${page.stderrMsPerSec.toFixed(2)} ms/s of server CPU ` +
        `(median ${page.medianAddedMsPerSec.toFixed(2)}; rounds ${page.addedMsPerSec.map((ms) => ms.toFixed(1)).join(' / ')}) = ` +
        `${page.sharePercent.toFixed(2)} % of the server's CPU at full load; its requests: ${page.requestMsPerSec.toFixed(2)} ms/s = ` +
        `${page.requestSharePercent.toFixed(2)} % of the server's CPU at full load, ${(page.requestMsPerSec / 10).toFixed(2)} % of one core`,
    );
    for (const route of page.routes) {
      lines.push(
        `  ${route.route}: ${route.perSec.toFixed(2)} req/s, ${route.serverMs.toFixed(2)} ms in the server each, ${route.cpuMs.toFixed(2)} ms CPU each (replayed alone)`,
      );
    }
  }
  return lines;
}
