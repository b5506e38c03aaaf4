/**
 * Rate-limit accuracy across servers (issue 16's bench): three `docket serve` processes over one
 * Redis prefix, one queue with `rateLimit: {max: 1000, perMs: 1000}` and a backlog far beyond
 * what the run can take, consumers on every server leasing (long-poll) and acking as fast as
 * they can for DURATION_S. The leases are bucketed by their `attemptStartedAt` (Redis time, the
 * clock the windows are cut from); the goal is every whole window within ±2 % of 1 000 and never
 * above it.
 */
import { BACKENDS, backendAvailable } from '../../test/support/backends.ts';
import { makeDataDir, removeDataDir, startServer, type ServerProcess } from '../../test/support/server-process.ts';
import { post, prefill } from '../support/docket-drivers.ts';

const SERVERS = 3;
const CONSUMERS_PER_SERVER = 4;
const DURATION_S = 30;
const RATE = { max: 1_000, perMs: 1_000 };
const BACKLOG = RATE.max * (DURATION_S + 10);
const QUEUE = 'bench-rate';

export interface RateLimitAccuracy {
  readonly case: 'rate-limit-accuracy';
  readonly servers: number;
  readonly windows: number;
  readonly target: number;
  readonly minPerWindow: number;
  readonly maxPerWindow: number;
  /** Largest deviation of a whole window from the target, in percent. */
  readonly worstDeviationPct: number;
}

interface Leased {
  readonly id: string;
  readonly leaseToken: string;
  readonly attemptStartedAt: number;
}

async function consume(server: ServerProcess, until: number, starts: number[]): Promise<void> {
  while (Date.now() < until) {
    const { jobs } = await post<{ jobs: Leased[] }>(server.url, '/v1/lease', {
      queues: [QUEUE],
      max: 50,
      waitMs: 2_000,
    });
    if (jobs.length === 0) continue;
    for (const job of jobs) starts.push(job.attemptStartedAt);
    await post(server.url, '/v1/jobs/ack', { items: jobs.map((job) => ({ id: job.id, lease: job.leaseToken })) });
  }
}

/** Null when Redis is not reachable (the caller says so). */
export async function measureRateLimitAccuracy(): Promise<RateLimitAccuracy | null> {
  const redis = BACKENDS.find((backend) => backend.name === 'redis');
  if (redis === undefined || !(await backendAvailable(redis))) return null;
  const namespace = redis.namespace();
  const dataDirs = await Promise.all(Array.from({ length: SERVERS }, () => makeDataDir('docket-bench-rate-')));
  const servers: ServerProcess[] = [];
  try {
    for (const dataDir of dataDirs) {
      servers.push(await startServer({ dataDir, args: ['--store', redis.storeUrl(namespace)] }));
    }
    const first = servers[0] as ServerProcess;
    const configured = await fetch(`${first.url}/v1/queues/${QUEUE}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rateLimit: RATE }),
    });
    if (!configured.ok) throw new Error(`configuring ${QUEUE} answered ${configured.status}`);
    await prefill(first.url, QUEUE, BACKLOG);
    const starts: number[] = [];
    const until = Date.now() + DURATION_S * 1_000;
    await Promise.all(
      servers.flatMap((server) => Array.from({ length: CONSUMERS_PER_SERVER }, () => consume(server, until, starts))),
    );
    return summarise(starts);
  } finally {
    await Promise.all(servers.map((server) => server.stop('SIGTERM')));
    await redis.drop(namespace);
    await Promise.all(dataDirs.map(removeDataDir));
  }
}

/** Counts per window, without the first and last (partial) windows of the run. */
function summarise(starts: readonly number[]): RateLimitAccuracy {
  const perWindow = new Map<number, number>();
  for (const at of starts) {
    const window = Math.floor(at / RATE.perMs);
    perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
  }
  const windows = [...perWindow.keys()].sort((a, b) => a - b).slice(1, -1);
  const counts = windows.map((window) => perWindow.get(window) ?? 0);
  const minPerWindow = Math.min(...counts);
  const maxPerWindow = Math.max(...counts);
  const worst = Math.max(...counts.map((n) => Math.abs(n - RATE.max)));
  return {
    case: 'rate-limit-accuracy',
    servers: SERVERS,
    windows: counts.length,
    target: RATE.max,
    minPerWindow,
    maxPerWindow,
    worstDeviationPct: (worst / RATE.max) * 100,
  };
}
