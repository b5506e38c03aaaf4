/** Schemas of the server and stats routes: server status, throughput and per-queue rates. */
import { Type } from '@sinclair/typebox';
import { limits } from '@docket/protocol';
import { Cursor, Nullable, Page } from './common.ts';
import { QueueCountsSchema, QueueStatsRef } from './entities.ts';

const PerSecond = Type.Number({ minimum: 0, description: 'events per second' });

export const RatesSchema = Type.Object(
  { enqueued: PerSecond, leased: PerSecond, acked: PerSecond, failed: PerSecond },
  { description: 'failed: failed attempts (retried or dead, cancellations excluded)' },
);

const StoreFile = Type.Object({
  name: Type.String({ description: 'the file name, e.g. docket.db or docket.db-wal' }),
  bytes: Type.Integer({ minimum: 0 }),
});

export const ServerReply = Type.Object({
  server: Type.Object({
    version: Type.String(),
    node: Type.String({ description: 'the Node.js version' }),
    startedAt: Type.Integer({ description: 'when this process started serving, ms since the epoch' }),
    uptimeMs: Type.Integer({ minimum: 0 }),
    store: Type.Object({
      kind: Type.String({ description: 'sqlite, redis or postgres' }),
      ready: Type.Boolean(),
      reason: Nullable(Type.String({ description: 'why not ready' })),
      files: Type.Array(StoreFile, { description: 'the files of a SQLite store with their sizes; empty otherwise' }),
    }),
  }),
});

export const StatsQuery = Type.Object(
  {
    window: Type.Optional(
      Type.Union([Type.Literal('5m'), Type.Literal('1h')], {
        default: '5m',
        description: 'the series: 5m in steps of 5 s, 1h in steps of 1 min',
      }),
    ),
  },
  { additionalProperties: false },
);

const Point = Type.Object({
  t: Type.Integer({ description: 'start of the step, ms since the epoch' }),
  enqueued: PerSecond,
  leased: PerSecond,
  acked: PerSecond,
  failed: PerSecond,
});

export const StatsReply = Type.Object({
  stats: Type.Object({
    now: Type.Integer(),
    queues: Type.Integer({ minimum: 0, description: 'how many queues exist' }),
    counts: QueueCountsSchema,
    rates: Type.Object(
      { '5m': RatesSchema, '1h': RatesSchema },
      { description: "this process's rates, averaged over the last 5 minutes and the last hour" },
    ),
    series: Type.Object({ stepMs: Type.Integer(), points: Type.Array(Point) }),
  }),
});

export const QueueStatsPageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: limits.MAX_LIST_LIMIT, default: 100 })),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);

export const QueueRatesItem = Type.Object({
  queue: QueueStatsRef,
  rates: RatesSchema,
  oldestWaitingAgeMs: Nullable(
    Type.Integer({ description: 'how long the next job to lease has been ready; null when none waits' }),
  ),
  depth: Type.Array(Type.Integer({ minimum: 0 }), {
    description: 'waiting counts sampled by this server, one per 10 s over the last 5 minutes, oldest first',
  }),
});

export const QueueRatesPage = Page(QueueRatesItem);
