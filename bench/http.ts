/**
 * HTTP benchmark of a real `docket serve` process (durable SQLite on a fresh temp data
 * directory per case), side by side with its references in one run:
 * - enqueue-single: one job per request, 50 keep-alive connections (autocannon), next to a
 *   bare node:http server doing the same body parse and 201 JSON reply, measured the same way,
 *   and to fastify alone doing the same (the framework's share of the gap);
 * - enqueue-batch-100: 100 jobs per request;
 * - lease-ack-100: consumers lease up to 100 jobs and ack them in one batch request;
 * - produce-consume: producers (batches of 100) and consumers (lease 100 + batch ack) at once,
 *   against BullMQ doing the same work on the local Redis;
 * - stream-lease-ack: jobs consumed through the WebSocket consumer stream (bench/cases/stream.ts);
 * - miniqueue-publish and miniqueue-consume-ack: the miniqueue door over HTTP/2 with TLS
 *   (bench/cases/miniqueue.ts);
 * - sqs-send-batch and sqs-receive-delete-batch: the SQS door through @aws-sdk/client-sqs, next
 *   to the same work through the native /v1 API on the same server (bench/cases/sqs.ts);
 * - delivery-latency: from sending an enqueue to a waiting consumer holding the job
 *   (bench/cases/delivery-latency.ts);
 * - auth-enqueue-single and auth-lease-ack-single: the cost of auth, two servers (one with a
 *   token) measured at once, a fresh pair every three rounds, by rate and by server CPU a request
 *   (bench/cases/auth-cost.ts);
 * - group-throughput, group-fairness, schedule-fire-lag and rate-limit-accuracy: issue 16's
 *   flow-control cases (bench/cases/groups.ts, schedule-fire-lag.ts, rate-limit-accuracy.ts;
 *   `npm run bench:flow` runs them alone);
 * - backlog-memory: the server's resident memory with 1 000 000 jobs waiting
 *   (bench/cases/backlog-memory.ts);
 * - stores (bench/stores.ts): batch enqueue and lease+ack on SQLite, and on Redis and PostgreSQL
 *   with 1, 2 and 3 servers sharing the backend.
 *
 * Usage: `npm run bench` (human output) or `npm run bench -- --json` (one JSON object per line,
 * each with `case` and `jobsPerSec` or `requestsPerSec`). Writes the figures to
 * docs/benchmarks.md under "HTTP (npm run bench)". Takes about 20 minutes (on the 2-core machine).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { makeDataDir, removeDataDir, startServer, type ServerProcess } from '../test/support/server-process.ts';
import { bullmqProduceConsume, redisMissing, redisReachable } from './support/bullmq-run.ts';
import {
  BATCH,
  PAYLOAD,
  batchBody,
  drainLeaseAck,
  prefill,
  produceConsume,
  type Throughput,
} from './support/docket-drivers.ts';
import { measureLoad, type LoadResult } from './support/http-load.ts';
import { createTestTls } from '../test/support/tls.ts';
import { measureAuthCost } from './cases/auth-cost.ts';
import { measureBacklogMemory } from './cases/backlog-memory.ts';
import { holdOverviewOpen, measureDashboardRender } from './cases/dashboard.ts';
import { describeCost, measureDashboardCost } from './cases/dashboard-cost.ts';
import { measureDeliveryLatency } from './cases/delivery-latency.ts';
import { GROUPS, JOBS, measureGroupFairness, measureGroupThroughput } from './cases/groups.ts';
import { measureRateLimitAccuracy } from './cases/rate-limit-accuracy.ts';
import { measureFireLag, measureJitter, type FireLag } from './cases/schedule-fire-lag.ts';
import { measureMiniqueue } from './cases/miniqueue.ts';
import { measureSqsDoor } from './cases/sqs.ts';
import { measureStreamLeaseAck } from './cases/stream.ts';
import { runSdkBench } from './sdk.ts';
import { runStoreCases } from './stores.ts';
import { formatRate, renderSection, writeSection, type Row } from './support/report.ts';

const JSON_OUTPUT = process.argv.includes('--json');
const DURATION_S = 10;
const SINGLE_CONNECTIONS = 50;
const BATCH_CONNECTIONS = 16;
const LEASE_ACK_JOBS = 100_000;
const LEASE_ACK_CONSUMERS = 8;
const PRODUCE_CONSUME = { total: 50_000, producers: 4, consumers: 8 };
const BENCHMARKS_MD = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

type Result = { readonly case: string } & Readonly<Record<string, number | string | boolean>>;
const results: Result[] = [];

function emit(result: Result): void {
  results.push(result);
  if (JSON_OUTPUT) process.stdout.write(JSON.stringify(result) + '\n');
  else
    process.stdout.write(
      `${result.case}: ${Object.entries(result)
        .filter(([k]) => k !== 'case')
        .map(([k, v]) => `${k}=${typeof v === 'number' ? Math.round(v * 1000) / 1000 : v}`)
        .join(' ')}\n`,
    );
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/** Runs `fn` against a fresh server on a fresh data directory, then removes both. */
async function withServer<T>(
  fn: (server: ServerProcess) => Promise<T>,
  extra: { readonly args?: readonly string[]; readonly ca?: string } = {},
): Promise<T> {
  const dataDir = await makeDataDir('docket-bench-');
  const server = await startServer({ dataDir, ...extra });
  try {
    return await fn(server);
  } finally {
    await server.stop('SIGTERM');
    await removeDataDir(dataDir);
  }
}

/** Runs `fn` against a reference server script of bench/support (bare node:http, or minimal fastify). */
async function withReferenceServer<T>(file: string, fn: (url: string) => Promise<T>): Promise<T> {
  const script = fileURLToPath(new URL(`./support/${file}`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  const port = /listening (\d+)/.exec(chunk.toString())?.[1];
  try {
    if (port === undefined) throw new Error(`bare server did not start: ${chunk.toString()}`);
    return await fn(`http://127.0.0.1:${port}`);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

/** A rate for the table, saying so when the driver's deadline cut the run short. */
const rate = (t: Throughput): string =>
  `${formatRate(t.jobsPerSec)} jobs/s${t.complete ? '' : ` (stopped at the deadline after ${formatRate(t.jobs)} jobs)`}`;

const single = (url: string): Promise<LoadResult> =>
  measureLoad({
    url,
    path: '/v1/queues/bench-single/jobs',
    body: JSON.stringify({ data: PAYLOAD }),
    connections: SINGLE_CONNECTIONS,
    durationS: DURATION_S,
  });

async function enqueueCases(rows: Row[]): Promise<void> {
  log(`enqueue-single: ${SINGLE_CONNECTIONS} connections, ${DURATION_S} s each for Docket and bare node:http`);
  const docket = await withServer((server) => single(server.url));
  emit({
    case: 'enqueue-single-docket',
    requestsPerSec: docket.requestsPerSec,
    jobsPerSec: docket.requestsPerSec,
    p99Ms: docket.latencyP99Ms,
    non2xx: docket.non2xx,
    errors: docket.errors,
  });
  const bare = await withReferenceServer('bare-server.ts', single);
  emit({
    case: 'enqueue-single-bare-node-http',
    requestsPerSec: bare.requestsPerSec,
    p99Ms: bare.latencyP99Ms,
    non2xx: bare.non2xx,
    errors: bare.errors,
  });
  const framework = await withReferenceServer('fastify-minimal-server.ts', single);
  emit({
    case: 'enqueue-single-fastify-minimal',
    requestsPerSec: framework.requestsPerSec,
    p99Ms: framework.latencyP99Ms,
    non2xx: framework.non2xx,
    errors: framework.errors,
  });
  const ratio = docket.requestsPerSec / bare.requestsPerSec;
  const frameworkRatio = framework.requestsPerSec / bare.requestsPerSec;
  emit({ case: 'enqueue-single-ratio', ratio, frameworkRatio, target: 0.8 });
  rows.push(
    {
      label: `single enqueue, ${SINGLE_CONNECTIONS} keep-alive connections: Docket`,
      value: `${formatRate(docket.requestsPerSec)} req/s (p99 ${docket.latencyP99Ms} ms)`,
      target: '',
    },
    {
      label: 'same request on a bare node:http server',
      value: `${formatRate(bare.requestsPerSec)} req/s (p99 ${bare.latencyP99Ms} ms)`,
      target: '',
    },
    {
      label: 'same request on fastify alone (one route, no schemas, hooks or storage)',
      value: `${formatRate(framework.requestsPerSec)} req/s (p99 ${framework.latencyP99Ms} ms), ratio ${frameworkRatio.toFixed(2)}`,
      target: '',
    },
    { label: 'ratio Docket / bare node:http', value: ratio.toFixed(2), target: '≥ 0.80' },
  );

  log(`enqueue-batch-100: ${BATCH_CONNECTIONS} connections, ${DURATION_S} s`);
  const batch = await withServer((server) =>
    measureLoad({
      url: server.url,
      path: '/v1/queues/bench-batch/jobs',
      body: JSON.stringify(batchBody(BATCH)),
      connections: BATCH_CONNECTIONS,
      durationS: DURATION_S,
    }),
  );
  const batchJobs = batch.requestsPerSec * BATCH;
  emit({
    case: 'enqueue-batch-100',
    jobsPerSec: batchJobs,
    requestsPerSec: batch.requestsPerSec,
    p99Ms: batch.latencyP99Ms,
    non2xx: batch.non2xx,
    errors: batch.errors,
  });
  rows.push({
    label: `batch enqueue, 100 jobs per request, ${BATCH_CONNECTIONS} connections`,
    value: `${formatRate(batchJobs)} jobs/s (p99 ${batch.latencyP99Ms} ms)`,
    target: '≥ 150,000 jobs/s',
  });
}

async function leaseAckCase(rows: Row[]): Promise<void> {
  log(`lease-ack-100: ${LEASE_ACK_JOBS} jobs waiting, ${LEASE_ACK_CONSUMERS} consumers`);
  const drained = await withServer(async (server) => {
    await prefill(server.url, 'bench-lease', LEASE_ACK_JOBS);
    return drainLeaseAck(server.url, 'bench-lease', LEASE_ACK_CONSUMERS);
  });
  emit({ case: 'lease-ack-100', ...drained });
  rows.push({
    label: `lease (max 100) + batch ack, ${LEASE_ACK_CONSUMERS} consumers, ${formatRate(LEASE_ACK_JOBS)} jobs waiting`,
    value: rate(drained),
    target: '≥ 50,000 jobs/s',
  });
}

async function produceConsumeCase(rows: Row[], notes: string[]): Promise<void> {
  const { total, producers, consumers } = PRODUCE_CONSUME;
  log(`produce-consume: ${total} jobs, ${producers} producers (batches of 100), ${consumers} consumers`);
  const docket = await withServer((server) => produceConsume(server.url, 'bench-produce-consume', PRODUCE_CONSUME));
  emit({ case: 'produce-consume-docket', ...docket });
  rows.push({
    label: `produce+consume at once, ${formatRate(total)} jobs: Docket over HTTP`,
    value: rate(docket),
    target: '',
  });
  if (!(await redisReachable())) {
    const reason = redisMissing('the BullMQ comparison');
    emit({ case: 'produce-consume-bullmq', skipped: reason });
    notes.push(`BullMQ comparison skipped: ${reason}.`);
    return;
  }
  const bull = await bullmqProduceConsume(PRODUCE_CONSUME);
  emit({ case: 'produce-consume-bullmq', ...bull });
  const ratio = docket.jobsPerSec / bull.jobsPerSec;
  emit({ case: 'produce-consume-ratio', ratio, target: 2 });
  rows.push(
    {
      label: 'same work, BullMQ on the local Redis (same run)',
      value: rate(bull),
      target: '',
    },
    { label: 'ratio Docket / BullMQ', value: `${ratio.toFixed(2)}×`, target: '≥ 2×' },
  );
}

/** The SDK's producer and Worker over HTTP (bench/sdk.ts), against one fresh server, beside BullMQ. */
async function sdkCases(rows: Row[]): Promise<void> {
  log('sdk: @docket/client producers and a Worker over HTTP, beside BullMQ on the local Redis');
  const sdk = await withServer((server) => runSdkBench(server.url));
  const rates = (list: readonly Throughput[] | readonly { jobsPerSec: number }[]): string =>
    list.map((r) => formatRate(r.jobsPerSec)).join(' / ');
  const labels: Readonly<Record<string, string>> = {
    'enqueue-single': 'SDK queue.enqueue, 64 concurrent callers, one job per call (BullMQ queue.add)',
    worker: 'SDK Worker, concurrency 100, no-op handler, draining (BullMQ Worker)',
    'worker-stream': 'SDK Worker with stream: true (jobs pushed over the consumer stream), same drain (BullMQ Worker)',
    'produce-consume': 'SDK produce+consume at once: 4 producers of batches of 100 and that Worker',
  };
  for (const c of sdk.comparisons) {
    emit({
      case: `sdk-${c.case}`,
      docket: rates(c.docket),
      bullmq: typeof c.bullmq === 'string' ? c.bullmq : rates(c.bullmq),
      ratio: c.ratio ?? 'skipped',
    });
    const jobs = formatRate(c.docket[0]?.jobs ?? 0);
    rows.push(
      {
        label: `${labels[c.case] ?? c.case}, ${jobs} jobs: Docket (each round)`,
        value: `${rates(c.docket)} jobs/s`,
        target: '',
      },
      {
        label: 'same calls, BullMQ on the local Redis (each round, same run)',
        value: typeof c.bullmq === 'string' ? `skipped: ${c.bullmq}` : `${rates(c.bullmq)} jobs/s`,
        target: '',
      },
      {
        label: 'ratio Docket / BullMQ (means of the rounds)',
        value: c.ratio === null ? 'n/a' : `${c.ratio.toFixed(2)}×`,
        target: c.target === null ? '' : `≥ ${c.target}×`,
      },
    );
  }
  const wait = sdk.roundTrips;
  emit({
    case: 'sdk-enqueue-and-wait',
    docketP50: wait.docket.p50Ms,
    docketP99: wait.docket.p99Ms,
    bullmq: typeof wait.bullmq === 'string' ? wait.bullmq : `${wait.bullmq.p50Ms}/${wait.bullmq.p99Ms}`,
  });
  rows.push(
    {
      label: `SDK enqueueAndWait round trip, one caller, a Worker running (${formatRate(wait.docket.samples)} samples)`,
      value: `p50 ${wait.docket.p50Ms} ms, p99 ${wait.docket.p99Ms} ms`,
      target: '',
    },
    {
      label: 'BullMQ add + waitUntilFinished, same',
      value:
        typeof wait.bullmq === 'string'
          ? `skipped: ${wait.bullmq}`
          : `p50 ${wait.bullmq.p50Ms} ms, p99 ${wait.bullmq.p99Ms} ms`,
      target: '',
    },
  );
  emit({ case: 'sdk-enqueue-batch-100', ...sdk.batch });
  rows.push({
    label: `SDK enqueueMany, 100 jobs per call, 16 callers (${formatRate(sdk.batch.jobs)} jobs)`,
    value: `${formatRate(sdk.batch.jobsPerSec)} jobs/s`,
    target: '',
  });
}

const STREAM_JOBS = 100_000;
const MINIQUEUE_MESSAGES = 20_000;

async function streamCase(rows: Row[]): Promise<void> {
  log(`stream-lease-ack: ${formatRate(STREAM_JOBS)} jobs through the WebSocket consumer stream`);
  const streamed = await withServer((server) => measureStreamLeaseAck(server.url, { jobs: STREAM_JOBS }));
  emit({ case: 'stream-lease-ack', ...streamed });
  rows.push({
    label: `lease+ack through the consumer stream (4 connections, prefetch 500), ${formatRate(STREAM_JOBS)} jobs`,
    value: rate(streamed),
    target: '≥ 50,000 jobs/s',
  });
}

async function miniqueueCase(rows: Row[]): Promise<void> {
  log(`miniqueue: ${formatRate(MINIQUEUE_MESSAGES)} messages over HTTP/2 with TLS`);
  const tls = await createTestTls();
  try {
    const result = await withServer(
      (server) => measureMiniqueue(server.url, { messages: MINIQUEUE_MESSAGES, ca: tls.ca }),
      {
        args: ['--tls-cert', tls.certFile, '--tls-key', tls.keyFile],
        ca: tls.ca,
      },
    );
    emit({ case: 'miniqueue-publish', ...result.publish });
    emit({ case: 'miniqueue-consume-ack', ...result.consumeAck });
    rows.push(
      {
        label: `miniqueue door: publish over HTTP/2 + TLS (12 connections), ${formatRate(MINIQUEUE_MESSAGES)} messages`,
        value: rate(result.publish),
        target: '',
      },
      { label: 'miniqueue door: one subscribe stream, consume + ACK', value: rate(result.consumeAck), target: '' },
    );
  } finally {
    await tls.dispose();
  }
}

const SQS_BATCHES = 2_000;
const SQS_CONCURRENCY = 16;

async function sqsCase(rows: Row[]): Promise<void> {
  const messages = SQS_BATCHES * 10;
  log(`sqs: ${formatRate(messages)} messages through @aws-sdk/client-sqs, then the same through /v1`);
  const result = await measureSqsDoor({ batches: SQS_BATCHES, concurrency: SQS_CONCURRENCY });
  emit({ case: 'sqs-send-batch', messages, sqsPerSec: result.sqsSendPerSec, nativePerSec: result.nativeSendPerSec });
  emit({
    case: 'sqs-receive-delete-batch',
    messages,
    sqsPerSec: result.sqsConsumePerSec,
    nativePerSec: result.nativeConsumePerSec,
  });
  rows.push(
    {
      label: `SQS door: SendMessageBatch (10 per call, ${SQS_CONCURRENCY} in flight, @aws-sdk/client-sqs) / the same batches to /v1, ${formatRate(messages)} messages`,
      value: `${formatRate(result.sqsSendPerSec)} / ${formatRate(result.nativeSendPerSec)} messages/s`,
      target: '',
    },
    {
      label: `SQS door: ReceiveMessage (10) + DeleteMessageBatch / /v1 lease (10) + batch ack, ${SQS_CONCURRENCY} consumers`,
      value: `${formatRate(result.sqsConsumePerSec)} / ${formatRate(result.nativeConsumePerSec)} messages/s`,
      target: '',
    },
  );
}

const LATENCY_SAMPLES = 1_000;
const BACKLOG_JOBS = 1_000_000;

async function latencyCase(rows: Row[]): Promise<void> {
  log(`delivery-latency: ${formatRate(LATENCY_SAMPLES)} jobs, each enqueued for a consumer already waiting`);
  const latency = await withServer((server) => measureDeliveryLatency(server.url, { samples: LATENCY_SAMPLES }));
  emit({ case: 'delivery-latency', ...latency, target: 5 });
  rows.push({
    label: `enqueue to delivery, one consumer long-polling, ${formatRate(LATENCY_SAMPLES)} jobs one at a time`,
    value: `p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms, max ${latency.maxMs} ms`,
    target: 'p99 ≤ 5 ms',
  });
}

const signed = (n: number): string => (n > 0 ? `+${n}` : `${n}`);

const AUTH_ROUNDS = 12;
const AUTH_SECONDS = 4;

/** The cost of auth (bench/cases/auth-cost.ts): pairs of servers, one with auth, measured at once. */
async function authCase(rows: Row[]): Promise<void> {
  log(`auth-cost: single enqueue and lease+ack with and without auth, ${AUTH_ROUNDS} rounds`);
  const costs = await measureAuthCost(
    { rounds: AUTH_ROUNDS, durationS: AUTH_SECONDS },
    ({ round, auth, enqueue, leaseAck }) =>
      log(
        `auth-cost round ${round + 1} auth ${auth}: enqueue ${formatRate(enqueue.perSec)} req/s ${Math.round(enqueue.cpuUs)} µs CPU each, lease+ack ${formatRate(leaseAck.perSec)} jobs/s ${Math.round(leaseAck.cpuUs)} µs CPU each`,
      ),
  );
  const wording = {
    'enqueue-single': { name: 'single enqueue', unit: 'req/s', per: 'request' },
    'lease-ack-single': { name: 'lease+ack, one job a request', unit: 'jobs/s', per: 'job' },
  } as const;
  for (const cost of costs) {
    emit({ ...cost, case: `auth-${cost.case}`, target: 3 });
    const { name, unit, per } = wording[cost.case];
    rows.push({
      label: `auth ${name}: without / with auth (${cost.rounds} rounds, both at once; server CPU a ${per})`,
      value: `${formatRate(cost.perSecOff)} / ${formatRate(cost.perSecOn)} ${unit} (${cost.slowdownPercent} % slower); CPU ${cost.cpuUsOff} / ${cost.cpuUsOn} µs (${signed(cost.cpuIncreasePercent)} %; paired median ${signed(cost.pairedCpuIncreaseMedianPercent)} %, mean ${signed(cost.pairedCpuIncreaseMeanPercent)} ± ${cost.pairedCpuIncreaseStdErrPercent} %)`,
      target: '≤ 3 % slower',
    });
  }
}

const FIRE_LAG_LABELS: Readonly<Record<FireLag['layout'], string>> = {
  single: 'schedule jitter: one schedule `every: 1s` on an idle engine',
  spread: 'schedule fire lag: 10 000 schedules `every: 1s`, ticks spread over the second',
  aligned: 'schedule fire lag: 10 000 schedules `every: 1s`, all due in the same millisecond',
};

/** Issue 16's flow-control cases: groups, schedules and the rate limit across servers. */
async function flowCases(rows: Row[], notes: string[]): Promise<void> {
  log(
    `group-throughput: lease+ack of ${formatRate(JOBS)} jobs in ${formatRate(GROUPS)} FIFO groups and without groups`,
  );
  const throughput = await measureGroupThroughput();
  emit({ ...throughput, target: 0.7 });
  rows.push({
    label: `lease+ack of ${formatRate(JOBS)} jobs in ${formatRate(GROUPS)} FIFO groups / without groups (SQLite store in-process)`,
    value: `${formatRate(throughput.groupedJobsPerSec)} / ${formatRate(throughput.plainJobsPerSec)} jobs/s (${throughput.ratio}×)`,
    target: '≥ 0.7×',
  });
  log('group-fairness: a group of 100 jobs beside one of 100 000');
  const fairness = await measureGroupFairness();
  emit({ ...fairness, target: 1 });
  rows.push({
    label: `group fairness: the last of ${formatRate(fairness.small)} jobs beside a group of ${formatRate(fairness.big)} done at`,
    value: `${fairness.smallDoneAtPct} % of the run`,
    target: '≤ 1 %',
  });
  log('schedule-fire-lag: one schedule alone, then 10 000 spread and aligned');
  for (const lag of [await measureJitter(), await measureFireLag('spread'), await measureFireLag('aligned')]) {
    const goal = lag.layout === 'single' ? 50 : 100;
    emit({ ...lag, target: goal });
    rows.push({
      label: `${FIRE_LAG_LABELS[lag.layout]} (${formatRate(lag.fires)} fires)`,
      value: `p50 ${lag.p50Ms} ms, p99 ${lag.p99Ms} ms, max ${lag.maxMs} ms`,
      target: `p99 < ${goal} ms`,
    });
  }
  log('rate-limit-accuracy: a 1 000 per second limit over three servers on Redis for 30 s');
  const accuracy = await measureRateLimitAccuracy();
  if (accuracy === null) {
    const reason = redisMissing('the rate-limit case');
    emit({ case: 'rate-limit-accuracy', skipped: reason });
    notes.push(`Rate-limit accuracy skipped: ${reason}.`);
    return;
  }
  emit({ ...accuracy, target: 2 });
  rows.push({
    label: `rate limit ${formatRate(accuracy.target)}/s across ${accuracy.servers} servers over Redis: leases per 1 s window (${accuracy.windows} windows)`,
    value: `${formatRate(accuracy.minPerWindow)}–${formatRate(accuracy.maxPerWindow)}, worst ${accuracy.worstDeviationPct.toFixed(2)} % off`,
    target: 'within ±2 %',
  });
}

async function memoryCase(rows: Row[]): Promise<void> {
  log(`backlog-memory: ${formatRate(BACKLOG_JOBS)} jobs left waiting`);
  const memory = await withServer((server) => measureBacklogMemory(server.url, server.pid, { jobs: BACKLOG_JOBS }));
  emit({ case: 'backlog-memory', ...memory, target: 200 });
  rows.push({
    label: `server memory with ${formatRate(BACKLOG_JOBS)} jobs waiting (resident now / most during the enqueue)`,
    value: `${memory.rssMb} MB / ${memory.peakRssMb} MB`,
    target: '< 200 MB',
  });
}

const DASHBOARD_QUEUES = 1_000;
const DASHBOARD_COST_RATE = 2_000;
const DASHBOARD_COST_ROUNDS = 8;

/**
 * The dashboard (bench/cases/dashboard.ts): time to first render of the overview with 1 000
 * queues and 1 000 000 jobs, then single-enqueue throughput without and with an overview open
 * (live, auto-refreshing), in alternation, on one server; then the server CPU an open overview
 * or queue page adds at a paced enqueue rate (bench/cases/dashboard-cost.ts), as a share of
 * the server's CPU at full single-enqueue load.
 */
async function dashboardCase(rows: Row[]): Promise<void> {
  log(`dashboard: first render with ${formatRate(DASHBOARD_QUEUES)} queues and ${formatRate(BACKLOG_JOBS)} jobs`);
  const render = await withServer((server) =>
    measureDashboardRender(server.url, { queues: DASHBOARD_QUEUES, jobs: BACKLOG_JOBS }),
  );
  emit({ case: 'dashboard-render', ...render, target: 1000 });
  rows.push({
    label: `dashboard: overview first render, ${formatRate(DASHBOARD_QUEUES)} queues, ${formatRate(BACKLOG_JOBS)} jobs (first load incl. bundle / median / max)`,
    value: `${render.firstMs} / ${render.medianMs} / ${render.maxMs} ms; queues page ${render.queuesPageMs} ms`,
    target: '< 1,000 ms',
  });
  log('dashboard: single enqueue without and with an open overview, alternating');
  const pairs = await withServer(async (server) => {
    const without: number[] = [];
    const withPage: number[] = [];
    for (let round = 0; round < 2; round += 1) {
      without.push((await single(server.url)).requestsPerSec);
      const close = await holdOverviewOpen(server.url);
      try {
        withPage.push((await single(server.url)).requestsPerSec);
      } finally {
        await close();
      }
    }
    return { without, withPage };
  });
  const avg = (list: readonly number[]): number => list.reduce((a, b) => a + b, 0) / list.length;
  const cost = (1 - avg(pairs.withPage) / avg(pairs.without)) * 100;
  emit({
    case: 'dashboard-open-cost',
    without: pairs.without.join('/'),
    with: pairs.withPage.join('/'),
    costPercent: cost,
  });
  rows.push({
    label: 'single enqueue without / with an open dashboard overview (each round)',
    value: `${pairs.without.map(formatRate).join(', ')} / ${pairs.withPage.map(formatRate).join(', ')} req/s: ${cost.toFixed(1)} % slower`,
    target: '< 2 %',
  });
  log(
    `dashboard: server CPU with no page, the overview and the queue page, paced ${formatRate(DASHBOARD_COST_RATE)} enqueues/s`,
  );
  const paced = await withServer((server) =>
    measureDashboardCost(server.url, server.pid, { rounds: DASHBOARD_COST_ROUNDS, rate: DASHBOARD_COST_RATE }, log),
  );
  for (const line of describeCost(paced)) log(line);
  for (const page of paced.pages) {
    emit({
      case: `dashboard-${page.kind}-cpu`,
      addedMsPerSec: page.meanAddedMsPerSec,
      stderrMsPerSec: page.stderrMsPerSec,
      requestMsPerSec: page.requestMsPerSec,
      requestSharePercent: page.requestSharePercent,
      sharePercent: page.sharePercent,
      fullLoadMsPerSec: paced.fullLoadMsPerSec,
      target: 2,
    });
    rows.push({
      label: `dashboard: ${page.kind === 'queue' ? 'a queue page' : 'the overview'} open, server CPU it adds (paced ${formatRate(paced.rate)} enqueues/s, ${paced.rounds} alternating rounds; requests counted in the server, replayed alone)`,
      value:
        `its requests ${page.requestMsPerSec.toFixed(1)} ms/s = ${page.requestSharePercent.toFixed(2)} % of the server's CPU at full single-enqueue load ` +
        `(${formatRate(paced.fullLoadMsPerSec)} ms/s); A/B ${page.meanAddedMsPerSec.toFixed(1)} ± ${page.stderrMsPerSec.toFixed(1)} ms/s = ${page.sharePercent.toFixed(2)} %`,
      target: '< 2 %',
    });
  }
}

async function storeCases(rows: Row[]): Promise<void> {
  const stores = await runStoreCases(log);
  for (const result of stores.results) emit({ ...result });
  rows.push(...stores.rows);
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const notes = [
    `Single enqueue: autocannon 8, ${DURATION_S} s after a 2 s warm-up, pipelining 1; req/s counts 2xx answers only. The bare server parses the body and answers 201 with a small JSON job, in its own process, like Docket.`,
    `Lease + ack and produce+consume: fetch (undici) loops in the benchmark process; produce+consume times ${formatRate(PRODUCE_CONSUME.total)} jobs from the first enqueue to the last ack, with ${PRODUCE_CONSUME.producers} producers and ${PRODUCE_CONSUME.consumers} consumers (long-poll 200 ms).`,
    'Stores: each case starts its servers fresh on a new key prefix or schema; the load generator splits 16 connections (enqueue, 5 s) or 8 consumers (lease+ack) evenly over the servers. Redis runs as the machine has it (no AOF), PostgreSQL 15 with its defaults (fsync on).',
    'BullMQ: Queue.addBulk in batches of 100 from 4 producers, one Worker with concurrency 100 and a no-op processor, completed jobs removed at once (favourable to BullMQ); Redis as the machine runs it (no AOF).',
    `Enqueue to delivery: node:http keep-alive clients, one consumer long-polling (max 1) and one producer; ${formatRate(LATENCY_SAMPLES)} samples after 50 of warm-up, each from sending the enqueue to the consumer holding the job, which then acks before the next.`,
    `Dashboard cost: single enqueues paced at ${formatRate(DASHBOARD_COST_RATE)}/s, ${DASHBOARD_COST_ROUNDS} rounds of 5 s windows alternating no page, the overview and the queue page (one chromium, order rotated each round), server CPU from /proc/<pid>/task/*/schedstat; the page's requests counted from the server's request histogram during the windows and each replayed alone for its CPU. The A/B difference also holds the batching change a page causes (the server's CPU per enqueue falls when other work delays its commits), so the requests' CPU is the figure; full-load CPU from 5 s of autocannon (50 connections) in the same run.`,
    `Auth cost: ${AUTH_ROUNDS} rounds on pairs of servers, a fresh pair every three rounds after a warm-up round (one with DOCKET_ADMIN_TOKEN and requests carrying a token granted produce:bench-* and consume:bench-*; which starts first alternates by pair), each round measuring ${AUTH_SECONDS} s of single enqueue (autocannon, 50 connections) and then a drain of ${formatRate(AUTH_SECONDS * 2000)} jobs by 16 consumers leasing one job and acking it, both servers at once; CPU is the server process's utime + stime from /proc/<pid>/stat; the paired median and mean (± its standard error) are over the rounds of that round's CPU increase.`,
    `Server memory: the server process's VmRSS 2 s after ${formatRate(BACKLOG_JOBS)} jobs were enqueued in batches of 100 (8 at a time), and its VmHWM (the most it held during the run).`,
  ];
  const loadAtStart = loadavg()[0] ?? 0;
  await enqueueCases(rows);
  await leaseAckCase(rows);
  await produceConsumeCase(rows, notes);
  await sdkCases(rows);
  await streamCase(rows);
  await miniqueueCase(rows);
  await sqsCase(rows);
  await latencyCase(rows);
  await authCase(rows);
  await memoryCase(rows);
  await dashboardCase(rows);
  await flowCases(rows, notes);
  await storeCases(rows);
  notes.push(
    `The machine's 1-minute load average was ${loadAtStart.toFixed(2)} at the start and ${(loadavg()[0] ?? 0).toFixed(2)} at the end of the run: with other work on a 2-core machine, figures drop accordingly.`,
  );
  await writeSection(BENCHMARKS_MD, renderSection(rows, notes));
  log(`wrote ${BENCHMARKS_MD}`);
}

await main();
