/**
 * Server and stats routes, what an operator's dashboard shows: the server's version, uptime and
 * store status; counts by state over every queue with this process's throughput; and one page of
 * queues with their rates and the age of the job that leases next. Rates come from the
 * in-memory Throughput of this process (stats/throughput.ts).
 */
import { errorResponses } from '../schemas/common.ts';
import { QueueRatesPage, QueueStatsPageQuery, ServerReply, StatsQuery, StatsReply } from '../schemas/stats.ts';
import { defineRoute } from './route.ts';
import { timeCount } from './server-timing.ts';

const tags = ['operations'];
const FIVE_MINUTES = 5 * 60_000;
const ONE_HOUR = 60 * 60_000;

const getServer = defineRoute({
  method: 'GET',
  url: '/v1/server',
  access: { scope: 'every-queue', action: 'read' },
  body: 'none',
  schema: {
    operationId: 'getServer',
    summary: 'this server: version, uptime, and the store (kind, readiness, SQLite file sizes)',
    tags,
    response: { 200: ServerReply, ...errorResponses() },
  },
  async handler(_request, _reply, { readyCheck, facts }) {
    const [reason, files] = await Promise.all([readyCheck(), facts.storeFiles()]);
    const now = Date.now();
    return {
      server: {
        version: facts.version,
        node: process.versions.node,
        startedAt: facts.startedAt,
        uptimeMs: Math.max(0, now - facts.startedAt),
        store: { kind: facts.storeKind, ready: reason === null, reason, files },
      },
    };
  },
});

const getStats = defineRoute({
  method: 'GET',
  url: '/v1/stats',
  access: { scope: 'every-queue', action: 'read' },
  body: 'none',
  schema: {
    operationId: 'getStats',
    summary: "counts by state over every queue, and this process's enqueue, lease, ack and failure rates",
    description:
      'Counts are summed over all queues (cached for 1 s). Rates and the series are kept in memory by this ' +
      'process from its own engine events: over a shared store each server reports its own share, and a ' +
      'restart starts them from zero.',
    tags,
    querystring: StatsQuery,
    response: { 200: StatsReply, ...errorResponses() },
  },
  async handler(request, _reply, { throughput, totals }) {
    const { queues, counts } = await totals.get();
    const hour = request.query.window === '1h';
    return {
      stats: {
        now: Date.now(),
        queues,
        counts,
        rates: { '5m': throughput.rates(FIVE_MINUTES), '1h': throughput.rates(ONE_HOUR) },
        series: hour ? throughput.series(ONE_HOUR, 60_000) : throughput.series(FIVE_MINUTES, 5000),
      },
    };
  },
});

const listQueueRates = defineRoute({
  method: 'GET',
  url: '/v1/stats/queues',
  access: { scope: 'every-queue', action: 'read' },
  body: 'none',
  schema: {
    operationId: 'listQueueRates',
    summary: 'queues a page at a time (as GET /v1/queues) with their 5-minute rates and oldest waiting age',
    description:
      "`oldestWaitingAgeMs`: how long the job that leases next has been ready. Rates are this process's, " +
      'averaged over the last 5 minutes. `depth`: waiting counts this process sampled (one per 10 s, over ' +
      'the last 5 minutes, oldest first) whenever counts were read for /v1/stats or this route.',
    tags,
    querystring: QueueStatsPageQuery,
    response: { 200: QueueRatesPage, ...errorResponses() },
  },
  async handler(request, reply, { engine, throughput, depth }) {
    const page = await timeCount(reply, () => engine.listQueues(request.query));
    const now = Date.now();
    const items = await Promise.all(
      page.items.map(async (queue) => {
        let oldestWaitingAgeMs: number | null = null;
        if (queue.counts.waiting > 0) {
          const head = await engine.list(queue.name, { state: 'waiting', limit: 1 });
          const job = head.items[0];
          if (job !== undefined) oldestWaitingAgeMs = Math.max(0, now - job.runAt);
        }
        depth.record(queue.name, queue.counts.waiting, now);
        return {
          queue,
          rates: throughput.queueRates(queue.name),
          oldestWaitingAgeMs,
          depth: depth.series(queue.name, now),
        };
      }),
    );
    return { items, cursor: page.cursor };
  },
});

export const statsRoutes = [getServer, getStats, listQueueRates];
