/**
 * The cost of auth on the hot path, with and without it in one run, on real `docket serve`
 * processes (durable SQLite, a fresh data directory per server):
 * - enqueue-single: one job per request, 50 keep-alive connections (autocannon);
 * - lease-ack-single: 16 consumers each leasing one job and acking it, one request each.
 * With auth the token holds `produce:bench-*` and `consume:bench-*` (grants on a pattern, not on
 * `*`: an ack's queue is not granted by `*`). A pair of servers, one without auth and one with
 * it, runs each phase on both at once, so whatever the machine does meanwhile lands on both
 * sides alike (until the seventh session the two were measured one after the other, and rounds
 * swung by ±30 %); a fresh pair every ROUNDS_PER_PAIR rounds, after a warm-up round. The figures
 * are the means of each side, and the median and mean over the rounds of the paired (same
 * round) CPU increase.
 *
 * Throughput on a small machine varies by ±20 % between rounds, more than the 3 % to judge, so
 * each phase also reads the server process's CPU time (utime + stime from /proc/<pid>/stat,
 * every thread) before and after it: CPU per request (per enqueue; per job for lease+ack, one
 * lease and one ack request) is what auth adds to the server's work whatever else the machine
 * runs. The summary gives both: the req/s slowdown and the CPU-per-request increase. `control`
 * runs the same with auth off on both sides (an A/A run): what the method itself reads as a
 * difference.
 *
 * Run by `npm run bench` (bench/http.ts) and alone by bench/auth.ts. Goal (issue 18): on ≤ 3 %
 * slower than off.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { makeDataDir, removeDataDir, startServer, type ServerProcess } from '../../test/support/server-process.ts';
import { PAYLOAD, batchBody } from '../support/docket-drivers.ts';
import { cpuSeconds } from '../support/process-cpu.ts';

const CONNECTIONS = 50;
const CONSUMERS = 16;
const ADMIN = randomBytes(24).toString('hex');

type Mode = 'off' | 'on';

export interface AuthCostOptions {
  readonly rounds: number;
  /** Seconds of each measured enqueue phase; lease+ack drains 2 000 jobs per second of it. */
  readonly durationS: number;
  /**
   * An A/A control: the `on` side starts without auth too, so the summary shows the method's
   * own bias and spread (what two identical servers differ by in this run).
   */
  readonly control?: boolean;
}

interface Target {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The server process, whose CPU time a phase reads. */
  readonly pid: number;
}

/** What one phase measured: requests (or jobs) per second, and server CPU microseconds per request (or job). */
export interface Phase {
  readonly perSec: number;
  readonly cpuUs: number;
}

async function call<T>(
  target: Pick<Target, 'url' | 'headers'>,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(target.url + path, {
    method,
    headers: { ...target.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

async function withServer<T>(auth: boolean, fn: (target: Target) => Promise<T>): Promise<T> {
  const dataDir = await makeDataDir('docket-bench-auth-');
  const server: ServerProcess = await startServer({ dataDir, env: auth ? { DOCKET_ADMIN_TOKEN: ADMIN } : {} });
  try {
    let headers: Record<string, string> = {};
    if (auth) {
      const admin = { url: server.url, headers: { authorization: `Bearer ${ADMIN}` } };
      const made = await call<{ secret: string }>(admin, 'POST', '/v1/tokens', {
        name: 'bench',
        grants: ['produce:bench-*', 'consume:bench-*'],
      });
      headers = { authorization: `Bearer ${made.secret}` };
    }
    return await fn({ url: server.url, headers, pid: server.pid });
  } finally {
    await server.stop('SIGTERM');
    await removeDataDir(dataDir);
  }
}

async function enqueueSingle(target: Target, durationS: number): Promise<Phase> {
  const before = cpuSeconds(target.pid);
  const result = await autocannon({
    url: `${target.url}/v1/queues/bench-single/jobs`,
    method: 'POST',
    headers: { ...target.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ data: PAYLOAD }),
    connections: CONNECTIONS,
    pipelining: 1,
    duration: durationS,
    timeout: 30,
  });
  const used = cpuSeconds(target.pid) - before;
  if (result.non2xx > 0) throw new Error(`enqueue-single: ${result.non2xx} answers were not 2xx`);
  return { perSec: result['2xx'] / result.duration, cpuUs: (used * 1e6) / result['2xx'] };
}

async function fillLeaseQueue(target: Target, jobs: number): Promise<void> {
  const body = batchBody(100);
  for (let i = 0; i < jobs / 100; i += 1) await call(target, 'POST', '/v1/queues/bench-lease/jobs', body);
}

async function drainLeaseQueue(target: Target): Promise<Phase> {
  const before = cpuSeconds(target.pid);
  const started = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: CONSUMERS }, async () => {
      for (;;) {
        const { jobs } = await call<{ jobs: { id: string; leaseToken: string }[] }>(target, 'POST', '/v1/lease', {
          queues: ['bench-lease'],
          max: 1,
          waitMs: 0,
        });
        const [job] = jobs;
        if (job === undefined) return;
        await call(target, 'POST', `/v1/jobs/${job.id}/ack`, { lease: job.leaseToken });
        done += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSec: done / seconds, cpuUs: ((cpuSeconds(target.pid) - before) * 1e6) / done };
}

export const AUTH_CASES = [
  ['enqueue-single', 'enqueue'],
  ['lease-ack-single', 'leaseAck'],
] as const;

export type AuthCaseKey = (typeof AUTH_CASES)[number][1];

/** One case's summary over the rounds. */
export interface AuthCaseCost {
  readonly case: (typeof AUTH_CASES)[number][0];
  readonly rounds: number;
  readonly perSecOff: number;
  readonly perSecOn: number;
  /** How much lower the on side's mean rate is, in %. */
  readonly slowdownPercent: number;
  readonly cpuUsOff: number;
  readonly cpuUsOn: number;
  /** How much higher the on side's mean CPU per request (or job) is, in %. */
  readonly cpuIncreasePercent: number;
  /** The median over the rounds of the same round's CPU increase, in %. */
  readonly pairedCpuIncreaseMedianPercent: number;
  /** Their mean, in %, and its standard error (the rounds' standard deviation / √rounds). */
  readonly pairedCpuIncreaseMeanPercent: number;
  readonly pairedCpuIncreaseStdErrPercent: number;
}

/** What one round measured on one server. */
interface Measured {
  readonly enqueue: Phase;
  readonly leaseAck: Phase;
}

export interface AuthRound extends Measured {
  readonly round: number;
  readonly auth: Mode;
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const percent = (ratio: number): number => Math.round(ratio * 1000) / 10;

/** A running server of one side. */
interface Side {
  readonly mode: Mode;
  readonly target: Target;
}

/** Measured rounds per pair of servers, after one round of warm-up. */
const ROUNDS_PER_PAIR = 3;

/** One round on both servers of `pair` (in the order they started): each phase on both at once. */
async function measureRound(pair: readonly [Side, Side], options: AuthCostOptions): Promise<[Side, Measured][]> {
  const leaseAckJobs = Math.max(100, Math.round(options.durationS * 20) * 100);
  const both = <T>(run: (target: Target) => Promise<T>): Promise<T[]> =>
    Promise.all(pair.map((side) => run(side.target)));
  const enqueue = await both((target) => enqueueSingle(target, options.durationS));
  await both((target) => fillLeaseQueue(target, leaseAckJobs));
  const leaseAck = await both(drainLeaseQueue);
  return pair.map((side, i) => [side, { enqueue: enqueue[i] as Phase, leaseAck: leaseAck[i] as Phase }]);
}

/** Starts the servers of `first` and then `second` and runs `fn` with both sides. */
async function withPair<T>(
  [first, second]: readonly [Mode, Mode],
  auth: boolean,
  fn: (pair: [Side, Side]) => Promise<T>,
): Promise<T> {
  const authOf = (mode: Mode): boolean => mode === 'on' && auth;
  return withServer(authOf(first), (a) =>
    withServer(authOf(second), (b) =>
      fn([
        { mode: first, target: a },
        { mode: second, target: b },
      ]),
    ),
  );
}

/**
 * Rounds on fresh pairs of servers, ROUNDS_PER_PAIR a pair after one round of warm-up, the
 * auth-on server started second in even pairs and first in odd ones. Two identical servers of
 * one pair differ by a few per cent for as long as they run (an A/A run, `control`, measured
 * the second-started at 3–6 % less CPU a request, over 16 rounds of one pair), so the start
 * order alternates and no pair gives more than a few rounds. `onRound` hears each side's phases
 * as a round ends.
 */
export async function measureAuthCost(
  options: AuthCostOptions,
  onRound: (round: AuthRound) => void = () => undefined,
): Promise<AuthCaseCost[]> {
  const phases: Record<Mode, Record<AuthCaseKey, Phase[]>> = {
    off: { enqueue: [], leaseAck: [] },
    on: { enqueue: [], leaseAck: [] },
  };
  const auth = options.control !== true;
  for (let round = 0, pairs = 0; round < options.rounds; pairs += 1) {
    const order = pairs % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const);
    await withPair(order, auth, async (pair) => {
      await measureRound(pair, options);
      for (let k = 0; k < ROUNDS_PER_PAIR && round < options.rounds; k += 1, round += 1) {
        for (const [{ mode }, measured] of await measureRound(pair, options)) {
          phases[mode].enqueue.push(measured.enqueue);
          phases[mode].leaseAck.push(measured.leaseAck);
          onRound({ round, auth: mode, ...measured });
        }
      }
    });
  }
  return AUTH_CASES.map(([name, key]) => {
    const off = phases.off[key];
    const on = phases.on[key];
    const rateOff = mean(off.map((p) => p.perSec));
    const rateOn = mean(on.map((p) => p.perSec));
    const cpuOff = mean(off.map((p) => p.cpuUs));
    const cpuOn = mean(on.map((p) => p.cpuUs));
    const paired = on.map((p, round) => p.cpuUs / (off[round] as Phase).cpuUs - 1);
    const pairedMean = mean(paired);
    const spread = Math.sqrt(
      paired.reduce((sum, x) => sum + (x - pairedMean) ** 2, 0) / Math.max(1, paired.length - 1),
    );
    return {
      case: name,
      rounds: options.rounds,
      perSecOff: Math.round(rateOff),
      perSecOn: Math.round(rateOn),
      slowdownPercent: percent(1 - rateOn / rateOff),
      cpuUsOff: Math.round(cpuOff * 10) / 10,
      cpuUsOn: Math.round(cpuOn * 10) / 10,
      cpuIncreasePercent: percent(cpuOn / cpuOff - 1),
      pairedCpuIncreaseMedianPercent: percent(median(paired)),
      pairedCpuIncreaseMeanPercent: percent(pairedMean),
      pairedCpuIncreaseStdErrPercent: percent(spread / Math.sqrt(paired.length)),
    };
  });
}
