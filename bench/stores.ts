/**
 * Store comparison for `npm run bench`: batch enqueue and lease+ack over HTTP, with `docket serve`
 * on SQLite (one server), and on Redis and PostgreSQL with 1, 2 and 3 servers sharing the backend.
 * The load is spread evenly over the servers of a case; each case runs on a fresh namespace (key
 * prefix or schema) that is dropped afterwards.
 */
import { performance } from 'node:perf_hooks';
import { BACKENDS, backendAvailable, type Backend } from '../test/support/backends.ts';
import { makeDataDir, removeDataDir, startServer, type ServerProcess } from '../test/support/server-process.ts';
import { BATCH, batchBody, drainLeaseAck, prefill, throughput, type Throughput } from './support/docket-drivers.ts';
import { measureLoad } from './support/http-load.ts';
import { formatRate, type Row } from './support/report.ts';

const ENQUEUE_CONNECTIONS = 16;
const ENQUEUE_DURATION_S = 5;
const LEASE_ACK_JOBS = 30_000;
const LEASE_ACK_CONSUMERS = 8;

export interface StoreResult {
  readonly case: string;
  readonly store: string;
  readonly servers: number;
  readonly jobsPerSec: number;
  readonly complete?: boolean;
}

interface Setup {
  readonly store: string;
  readonly servers: number;
  readonly backend?: Backend;
}

async function withServers<T>(setup: Setup, fn: (servers: readonly ServerProcess[]) => Promise<T>): Promise<T> {
  const namespace = setup.backend?.namespace();
  const args =
    setup.backend === undefined || namespace === undefined ? [] : ['--store', setup.backend.storeUrl(namespace)];
  const dataDirs = await Promise.all(Array.from({ length: setup.servers }, () => makeDataDir('docket-bench-')));
  const servers: ServerProcess[] = [];
  try {
    for (const dataDir of dataDirs) servers.push(await startServer({ dataDir, args }));
    return await fn(servers);
  } finally {
    await Promise.all(servers.map((server) => server.stop('SIGTERM')));
    if (setup.backend !== undefined && namespace !== undefined) await setup.backend.drop(namespace);
    await Promise.all(dataDirs.map(removeDataDir));
  }
}

/** Batch enqueue of 100 per request, the connections split over the servers; jobs/s summed. */
async function enqueue(servers: readonly ServerProcess[]): Promise<number> {
  const body = JSON.stringify(batchBody(BATCH));
  const connections = Math.max(1, Math.floor(ENQUEUE_CONNECTIONS / servers.length));
  const loads = await Promise.all(
    servers.map((server) =>
      measureLoad({
        url: server.url,
        path: '/v1/queues/bench-enqueue/jobs',
        body,
        connections,
        durationS: ENQUEUE_DURATION_S,
      }),
    ),
  );
  return loads.reduce((sum, load) => sum + load.requestsPerSec * BATCH, 0);
}

/** Prefills through the first server, then consumers on every server drain the queue together. */
async function leaseAck(servers: readonly ServerProcess[]): Promise<Throughput> {
  await prefill(servers[0]!.url, 'bench-lease', LEASE_ACK_JOBS);
  const consumers = Math.max(1, Math.floor(LEASE_ACK_CONSUMERS / servers.length));
  const started = performance.now();
  const drained = await Promise.all(servers.map((server) => drainLeaseAck(server.url, 'bench-lease', consumers)));
  const jobs = drained.reduce((sum, d) => sum + d.jobs, 0);
  return throughput(
    jobs,
    started,
    drained.every((d) => d.complete),
  );
}

async function setups(log: (message: string) => void): Promise<Setup[]> {
  const list: Setup[] = [{ store: 'sqlite', servers: 1 }];
  for (const backend of BACKENDS) {
    if (!(await backendAvailable(backend))) {
      log(`store cases: ${backend.name} skipped (not reachable)`);
      continue;
    }
    for (const servers of [1, 2, 3]) list.push({ store: backend.name, servers, backend });
  }
  return list;
}

export async function runStoreCases(log: (message: string) => void): Promise<{ results: StoreResult[]; rows: Row[] }> {
  const results: StoreResult[] = [];
  const rows: Row[] = [];
  for (const setup of await setups(log)) {
    const label = `${setup.store}, ${setup.servers} server${setup.servers === 1 ? '' : 's'}`;
    log(`store cases: ${label}`);
    const enqueued = await withServers(setup, enqueue);
    const drained = await withServers(setup, leaseAck);
    const base = { store: setup.store, servers: setup.servers };
    results.push(
      { case: `store-enqueue-batch-100-${setup.store}-${setup.servers}`, ...base, jobsPerSec: enqueued },
      {
        case: `store-lease-ack-${setup.store}-${setup.servers}`,
        ...base,
        jobsPerSec: drained.jobsPerSec,
        complete: drained.complete,
      },
    );
    rows.push({
      label: `${label}: batch enqueue (100 per request) / lease+ack (${formatRate(LEASE_ACK_JOBS)} jobs)`,
      value: `${formatRate(enqueued)} / ${formatRate(drained.jobsPerSec)} jobs/s${drained.complete ? '' : ' (lease+ack cut at the deadline)'}`,
      target: '',
    });
  }
  return { results, rows };
}
