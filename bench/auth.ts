/**
 * The cost of auth on the hot path, with and without it in one run, on real `docket serve`
 * processes (durable SQLite, a fresh data directory per server):
 * - enqueue-single: one job per request, 50 keep-alive connections (autocannon);
 * - lease-ack-single: 16 consumers each leasing one job and acking it, one request each.
 * With auth the token holds `produce:bench-*` and `consume:bench-*` (grants on a pattern, not on
 * `*`, so every ack also reads its job's queue: the worst case). Off and on alternate, twice
 * each, so drift on the machine lands on both sides; the figure is the mean of each side.
 *
 * Usage: `npx tsx bench/auth.ts` (human output) or `npx tsx bench/auth.ts --json` (one JSON
 * object per line). Takes about two minutes. Goal (issue 18): on ≤ 3 % slower than off.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { makeDataDir, removeDataDir, startServer, type ServerProcess } from '../test/support/server-process.ts';
import { PAYLOAD, batchBody } from './support/docket-drivers.ts';

const JSON_OUTPUT = process.argv.includes('--json');
const DURATION_S = 10;
const WARMUP_S = 2;
const CONNECTIONS = 50;
const CONSUMERS = 16;
const LEASE_ACK_JOBS = 20_000;
const ROUNDS = 2;
const ADMIN = randomBytes(24).toString('hex');

type Mode = 'off' | 'on';

interface Target {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

async function call<T>(target: Target, method: string, path: string, body?: unknown): Promise<T> {
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

async function withServer<T>(mode: Mode, fn: (target: Target) => Promise<T>): Promise<T> {
  const dataDir = await makeDataDir('docket-bench-auth-');
  const server: ServerProcess = await startServer({ dataDir, env: mode === 'on' ? { DOCKET_ADMIN_TOKEN: ADMIN } : {} });
  try {
    let headers: Record<string, string> = {};
    if (mode === 'on') {
      const admin = { url: server.url, headers: { authorization: `Bearer ${ADMIN}` } };
      const made = await call<{ secret: string }>(admin, 'POST', '/v1/tokens', {
        name: 'bench',
        grants: ['produce:bench-*', 'consume:bench-*'],
      });
      headers = { authorization: `Bearer ${made.secret}` };
    }
    return await fn({ url: server.url, headers });
  } finally {
    await server.stop('SIGTERM');
    await removeDataDir(dataDir);
  }
}

async function enqueueSingle(target: Target, durationS: number): Promise<number> {
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
  if (result.non2xx > 0) throw new Error(`enqueue-single: ${result.non2xx} answers were not 2xx`);
  return result['2xx'] / result.duration;
}

async function leaseAckSingle(target: Target): Promise<number> {
  const body = batchBody(100);
  for (let i = 0; i < LEASE_ACK_JOBS / 100; i += 1) await call(target, 'POST', '/v1/queues/bench-lease/jobs', body);
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
  return done / ((performance.now() - started) / 1000);
}

function emit(result: Readonly<Record<string, string | number>>): void {
  if (JSON_OUTPUT) process.stdout.write(`${JSON.stringify(result)}\n`);
  else
    process.stdout.write(
      `${Object.entries(result)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}\n`,
    );
}

async function main(): Promise<void> {
  const rates: Record<Mode, { enqueue: number[]; leaseAck: number[] }> = {
    off: { enqueue: [], leaseAck: [] },
    on: { enqueue: [], leaseAck: [] },
  };
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const mode of round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
      await withServer(mode, async (target) => {
        await enqueueSingle(target, WARMUP_S);
        const enqueue = await enqueueSingle(target, DURATION_S);
        const leaseAck = await leaseAckSingle(target);
        rates[mode].enqueue.push(enqueue);
        rates[mode].leaseAck.push(leaseAck);
        emit({
          case: 'auth-run',
          round,
          auth: mode,
          enqueueReqPerSec: Math.round(enqueue),
          leaseAckJobsPerSec: Math.round(leaseAck),
        });
      });
    }
  }
  const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
  for (const [name, key] of [
    ['enqueue-single', 'enqueue'],
    ['lease-ack-single', 'leaseAck'],
  ] as const) {
    const off = mean(rates.off[key]);
    const on = mean(rates.on[key]);
    emit({
      case: `auth-${name}`,
      off: Math.round(off),
      on: Math.round(on),
      slowdownPercent: Math.round((1 - on / off) * 1000) / 10,
      goalPercent: 3,
    });
  }
}

await main();
