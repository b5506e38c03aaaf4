/**
 * A backend outage under load: two `docket serve` processes reach Redis (then PostgreSQL) through
 * a TCP proxy that the test cuts for a few seconds while producers and consumers run. While the
 * cut lasts, both servers answer /readyz and enqueue with 503 (never a false 2xx); once the
 * backend is reachable again they recover without a restart, and the history checker finds
 * nothing acknowledged lost.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKENDS, backendAvailable } from '../support/backends.ts';
import { call, ok } from '../support/docket-http.ts';
import { checkHistory } from '../support/history-checker.ts';
import { formatReport } from '../support/history-report.ts';
import { HistoryRecorder } from '../support/history.ts';
import {
  killAllServers,
  makeDataDir,
  removeDataDir,
  startServer,
  type ServerProcess,
} from '../support/server-process.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import {
  classifyStatus,
  runConsumer,
  runProducer,
  untilEnqueued,
  type ClientContext,
} from './support/queue-clients.ts';

const NODES = 2;
const QUEUE = 'outage';
const LEASE_MS = 3_000;
const OUTAGE_MS = 3_000;
const RECOVERY_TIMEOUT_MS = 20_000;
const SETTLE_TIMEOUT_MS = 30_000;
/** Acknowledged enqueues per producer before the cut (more than 50 in all) and again after it. */
const LOAD_BEFORE = 26;
const LOAD_AFTER = 10;
const LOAD_TIMEOUT_MS = 30_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  await killAllServers();
  for (const cleanup of cleanups) await cleanup();
});

async function waitStatus(url: string, path: string, status: number, timeoutMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const reply = await call(url, 'GET', path, undefined, 2_000).catch(() => ({ status: 0 }));
    if (reply.status === status) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`${url}${path} never answered ${status}`);
    await pause(100);
  }
}

async function unfinished(url: string): Promise<number> {
  const { queue } = await ok<{ queue: { counts: Record<string, number> } }>(url, 'GET', `/v1/queues/${QUEUE}`);
  return (queue.counts['waiting'] ?? 0) + (queue.counts['delayed'] ?? 0) + (queue.counts['active'] ?? 0);
}

for (const backend of BACKENDS) {
  const up = await backendAvailable(backend);
  describe.skipIf(!up)(`${backend.name} outage under load`, () => {
    it(
      'answers 503 while the backend is cut, recovers without restart, loses nothing',
      { timeout: 120_000 },
      async () => {
        const namespace = backend.namespace();
        const proxy: TcpProxy = await startTcpProxy({ host: backend.host, port: backend.port });
        const dataDirs = await Promise.all(Array.from({ length: NODES }, () => makeDataDir('docket-outage-')));
        cleanups.push(async () => {
          await proxy.close();
          await backend.drop(namespace);
          await Promise.all(dataDirs.map(removeDataDir));
        });
        const storeUrl = backend.storeUrl(namespace, proxy.port);
        const nodes: ServerProcess[] = [];
        for (const dataDir of dataDirs) nodes.push(await startServer({ dataDir, args: ['--store', storeUrl] }));
        await ok(nodes[0]!.url, 'PUT', `/v1/queues/${QUEUE}`, { keepCompletedCount: 10_000_000 });

        const history = new HistoryRecorder();
        let stopProducers = false;
        let stopConsumers = false;
        const ctx = (node: number, shouldStop: () => boolean): ClientContext => ({
          history,
          url: () => nodes[node]!.url,
          queue: QUEUE,
          shouldStop,
        });
        const consumerOptions = { leaseMs: LEASE_MS, waitMs: 500, maxBatch: 10, stopAfterEmpty: 0, maxRounds: 100_000 };
        const producers = nodes.map((_, i) =>
          runProducer(
            ctx(i, () => stopProducers),
            i,
            100_000,
          ),
        );
        const consumers = nodes.map((_, i) =>
          runConsumer(
            ctx(i, () => stopConsumers),
            `c${i}`,
            consumerOptions,
          ),
        );

        await untilEnqueued(history, NODES, LOAD_BEFORE, LOAD_TIMEOUT_MS);
        history.record('nemesis', 'info', { f: 'crash' });
        proxy.cut();
        const during = await Promise.all(
          nodes.map(async (node, i) => {
            const readyMs = await waitStatus(node.url, '/readyz', 503, OUTAGE_MS);
            const value = `probe${i}`;
            history.record(value, 'invoke', { f: 'enqueue', value });
            const enqueue = (await call(node.url, 'POST', `/v1/queues/${QUEUE}/jobs`, { data: value })).status;
            history.record(value, classifyStatus(enqueue), { f: 'enqueue', value });
            return { readyMs, enqueue };
          }),
        );
        await pause(OUTAGE_MS);
        proxy.restore();
        const recoveryMs = await Promise.all(
          nodes.map((node) => waitStatus(node.url, '/readyz', 200, RECOVERY_TIMEOUT_MS)),
        );
        // Recovered under load: every producer's enqueues are acknowledged again.
        await untilEnqueued(history, NODES, LOAD_AFTER, LOAD_TIMEOUT_MS);
        stopProducers = true;
        await Promise.all(producers);
        // The consumers run on while the queue settles: stopped with the producers, they left the
        // last jobs for the settle loop to wait its whole timeout on.
        const deadline = performance.now() + SETTLE_TIMEOUT_MS;
        while ((await unfinished(nodes[0]!.url)) > 0 && performance.now() < deadline) await pause(250);
        stopConsumers = true;
        await Promise.all(consumers);
        await Promise.all(
          nodes.map((_, i) =>
            runConsumer(
              ctx(i, () => false),
              `d${i}`,
              { ...consumerOptions, stopAfterEmpty: 3 },
            ),
          ),
        );
        const report = checkHistory(history.events);
        const summary = `${formatReport(report)}\nduring cut ${JSON.stringify(during)}, recovered in ms ${recoveryMs.map(Math.round).join(' ')}`;
        console.log(`${backend.name}: ${summary}`);

        for (const { enqueue } of during) expect(enqueue, summary).toBe(503);
        expect(report.counts.enqueueOk, summary).toBeGreaterThan(50);
        expect(report.lost, summary).toEqual([]);
        expect(report.unexpected, summary).toEqual([]);
        expect(report.phantom, summary).toEqual([]);
        expect(report.redeliveredAfterAck, summary).toEqual([]);
        expect(report.doubleAck, summary).toEqual([]);
        expect(report.leaseOverlap, summary).toEqual([]);
        expect(await unfinished(nodes[1]!.url), summary).toBe(0);
      },
    );
  });
}
