/**
 * What an open dashboard costs the server, A/B on one server: single-enqueue load (autocannon)
 * without a page, with the overview open and with the loaded queue's page open (live), in
 * turn, each round reporting the server's
 * requests per second and the server process's CPU time per 1 000 enqueues (utime + stime from
 * /proc, every thread of the process). CPU per request is what the page adds to the server's
 * work; it holds up on a loaded machine better than throughput, which also loses what the
 * browser's own CPU takes from a shared machine.
 *
 * Then the measurement that can resolve 2 % (bench/cases/dashboard-cost.ts): a paced enqueue
 * rate, many short alternating windows with no page, the overview and the queue page, the
 * server's CPU per second from schedstat, the page's added CPU as a share of the server's CPU at
 * full single-enqueue load, and the page's requests per second with their server time and CPU.
 *
 *   npx tsx bench/dashboard-cost.ts [rounds=3] [seconds=5] [--paced-rounds=8] [--rate=2000] [--paced-only]
 *
 * With PROFILE_DIR set, the server runs with `--cpu-prof` into that directory.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { makeDataDir, removeDataDir } from '../test/support/server-process.ts';
import { chromium } from 'playwright-core';
import { measureLoad } from './support/http-load.ts';
import { cpuSeconds } from './support/process-cpu.ts';
import { describeCost, measureDashboardCost } from './cases/dashboard-cost.ts';

const positional = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const flag = (name: string): string | undefined =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const rounds = Number(positional[0] ?? 3);
const seconds = Number(positional[1] ?? 5);
const pacedOnly = process.argv.includes('--paced-only');
const pacedRounds = Number(flag('paced-rounds') ?? 8);
const pacedRate = Number(flag('rate') ?? 2000);
const PAYLOAD = JSON.stringify({ data: { to: 'someone@example.com', subject: 'hello', n: 42 } });

/** Pids of this script's descendants (the browser's processes while a page is open), but `except`. */
function descendants(except: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended meanwhile
    }
  }
  const mine = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (!mine.has(pid) && mine.has(parent) && pid !== except) {
        mine.add(pid);
        grew = true;
      }
    }
  }
  mine.delete(process.pid);
  return [...mine];
}

function cpuOf(pids: readonly number[]): number {
  let sum = 0;
  for (const pid of pids) {
    try {
      sum += cpuSeconds(pid);
    } catch {
      // the process ended meanwhile
    }
  }
  return sum;
}

interface Phase {
  readonly reqPerSec: number;
  readonly cpuMsPer1000: number;
  /** CPU the browser's processes used during the phase, in % of one core. */
  readonly browserCpuPercent: number;
}

async function phase(url: string, pid: number): Promise<Phase> {
  const browser = descendants(pid);
  const browserBefore = cpuOf(browser);
  const startedAt = performance.now();
  const before = cpuSeconds(pid);
  const result = await measureLoad({
    url,
    path: '/v1/queues/bench-single/jobs',
    body: PAYLOAD,
    connections: 50,
    durationS: seconds,
  });
  const used = cpuSeconds(pid) - before;
  const browserCpuPercent = ((cpuOf(browser) - browserBefore) * 100_000) / (performance.now() - startedAt);
  // measureLoad runs a 2 s warm-up before the measured run: count its requests too.
  const requests = result.requestsPerSec * (seconds + 2);
  return { reqPerSec: result.requestsPerSec, cpuMsPer1000: (used * 1000 * 1000) / requests, browserCpuPercent };
}

type PageKind = 'none' | 'overview' | 'queue';
const KINDS: readonly PageKind[] = ['none', 'overview', 'queue'];

/** Opens the page in a browser of its own and resolves once it shows data; returns its close. */
async function hold(url: string, kind: PageKind): Promise<() => Promise<void>> {
  if (kind === 'none') return () => Promise.resolve();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage();
  if (kind === 'overview') {
    await page.goto(`${url}/`);
    await page.getByTestId('total-waiting').waitFor({ timeout: 60_000 });
  } else {
    await page.goto(`${url}/#/queues/bench-single`);
    await page.locator('[data-testid=jobs-table] tbody tr').first().waitFor({ timeout: 60_000 });
  }
  return () => browser.close();
}

const dataDir = await makeDataDir('docket-ui-cost-');
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  return port;
}

/** `docket serve` in a process of its own (with `--cpu-prof` when PROFILE_DIR is set), once ready. */
async function serve(): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const bin = fileURLToPath(new URL('../packages/cli/bin/docket.js', import.meta.url));
  const profile =
    process.env.PROFILE_DIR === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_DIR}`];
  const args = [...profile, bin, 'serve', '--host', '127.0.0.1', '--port', String(port), '--data', dataDir];
  const child = spawn(process.execPath, args, { env: { ...process.env, DOCKET_LOG_LEVEL: 'warn' }, stdio: 'inherit' });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error('docket serve did not start');
  return {
    url,
    pid,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

const server = await serve();
const phases = new Map<PageKind, Phase[]>(KINDS.map((kind) => [kind, []]));
try {
  const cost = await measureDashboardCost(server.url, server.pid, { rounds: pacedRounds, rate: pacedRate }, (m) =>
    console.log(m),
  );
  for (const line of describeCost(cost)) console.log(line);
  for (let round = 0; round < (pacedOnly ? 0 : rounds); round += 1) {
    for (const kind of KINDS) {
      const close = await hold(server.url, kind);
      try {
        phases.get(kind)?.push(await phase(server.url, server.pid));
      } finally {
        await close();
      }
      console.log(
        `round ${round + 1} ${kind}: ${JSON.stringify(phases.get(kind)?.at(-1))} load ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
      );
    }
  }
} finally {
  await server.stop();
  await removeDataDir(dataDir);
}
const avg = (kind: PageKind, key: keyof Phase): number => {
  const list = phases.get(kind) ?? [];
  return list.reduce((a, p) => a + p[key], 0) / list.length;
};
for (const kind of pacedOnly ? [] : (['overview', 'queue'] as const)) {
  const cpuCost = (avg(kind, 'cpuMsPer1000') / avg('none', 'cpuMsPer1000') - 1) * 100;
  const rateCost = (1 - avg(kind, 'reqPerSec') / avg('none', 'reqPerSec')) * 100;
  console.log(
    `${kind} page: server CPU per 1 000 enqueues ${avg('none', 'cpuMsPer1000').toFixed(1)} ms without, ` +
      `${avg(kind, 'cpuMsPer1000').toFixed(1)} ms with (${cpuCost.toFixed(1)} %); req/s ${avg('none', 'reqPerSec').toFixed(0)} / ` +
      `${avg(kind, 'reqPerSec').toFixed(0)} (${rateCost.toFixed(1)} % slower); the browser took ${avg(kind, 'browserCpuPercent').toFixed(1)} % of a core`,
  );
}
