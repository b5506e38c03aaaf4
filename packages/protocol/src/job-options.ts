/**
 * Options a producer may give a job, as one TypeBox schema: the engine validates with it, the
 * HTTP server derives its request schema and the OpenAPI document from it.
 */
import { Type, type Static } from '@sinclair/typebox';
import * as L from './limits.ts';
import { WORKER_ID_PATTERN } from './worker.ts';

export const BackoffSchema = Type.Object(
  {
    type: Type.Union([Type.Literal('exponential'), Type.Literal('fixed')]),
    initialMs: Type.Integer({ minimum: 0, maximum: L.MAX_DELAY_MS }),
    maxMs: Type.Integer({ minimum: 0, maximum: L.MAX_DELAY_MS }),
    factor: Type.Number({ minimum: 1, maximum: 100 }),
    jitter: Type.Number({ minimum: 0, maximum: 1 }),
  },
  { additionalProperties: false },
);

const MetaSchema = Type.Record(Type.String({ maxLength: 200 }), Type.String({ maxLength: L.MAX_META_VALUE_LENGTH }), {
  maxProperties: L.MAX_META_ENTRIES,
});

/** The characters of a job's `group`: those of queue names and ids. */
export const GROUP_PATTERN = '^[A-Za-z0-9._:/@-]+$';

export const JobOptionsSchema = Type.Object(
  {
    id: Type.Optional(Type.String({ minLength: 1, maxLength: L.MAX_ID_LENGTH, pattern: '^[A-Za-z0-9._:/@-]+$' })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: L.MAX_NAME_LENGTH })),
    dedupKey: Type.Optional(Type.String({ minLength: 1, maxLength: L.MAX_DEDUP_KEY_LENGTH })),
    group: Type.Optional(Type.String({ minLength: 1, maxLength: L.MAX_GROUP_LENGTH, pattern: GROUP_PATTERN })),
    dedupWindowMs: Type.Optional(Type.Integer({ minimum: 1, maximum: L.MAX_DELAY_MS })),
    priority: Type.Optional(Type.Integer({ minimum: L.MIN_PRIORITY, maximum: L.MAX_PRIORITY })),
    delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: L.MAX_DELAY_MS })),
    runAt: Type.Optional(Type.Integer({ minimum: 0, maximum: 8.64e15 })),
    ttlMs: Type.Optional(Type.Integer({ minimum: 1, maximum: L.MAX_DELAY_MS })),
    expiresAt: Type.Optional(Type.Integer({ minimum: 0, maximum: 8.64e15 })),
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: L.MAX_ATTEMPTS_LIMIT })),
    backoff: Type.Optional(BackoffSchema),
    leaseMs: Type.Optional(Type.Integer({ minimum: L.MIN_LEASE_MS, maximum: L.MAX_LEASE_MS })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: L.MIN_LEASE_MS, maximum: L.MAX_LEASE_MS })),
    meta: Type.Optional(MetaSchema),
  },
  { additionalProperties: false },
);
export type JobOptions = Static<typeof JobOptionsSchema>;

/** At most `max` leases per fixed window of `perMs` (windows start at multiples of `perMs`). */
export const RateLimitSchema = Type.Object(
  {
    max: Type.Integer({ minimum: 1, maximum: L.MAX_QUEUE_LIMIT }),
    perMs: Type.Integer({ minimum: L.MIN_RATE_WINDOW_MS, maximum: L.MAX_RATE_WINDOW_MS }),
  },
  { additionalProperties: false },
);

export const QueueConfigSchema = Type.Object(
  {
    leaseMs: Type.Optional(Type.Integer({ minimum: L.MIN_LEASE_MS, maximum: L.MAX_LEASE_MS })),
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: L.MAX_ATTEMPTS_LIMIT })),
    backoff: Type.Optional(BackoffSchema),
    ttlMs: Type.Optional(Type.Integer({ minimum: 1, maximum: L.MAX_DELAY_MS })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: L.MIN_LEASE_MS, maximum: L.MAX_LEASE_MS })),
    keepCompletedMs: Type.Optional(Type.Integer({ minimum: 0, maximum: L.MAX_DELAY_MS })),
    keepCompletedCount: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    keepDeadMs: Type.Optional(Type.Integer({ minimum: 0, maximum: L.MAX_DELAY_MS })),
    tags: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 128 }), Type.String({ maxLength: 256 }), {
        maxProperties: L.MAX_QUEUE_TAGS,
      }),
    ),
    attributes: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Type.String({ maxLength: L.MAX_META_VALUE_LENGTH }), {
        maxProperties: L.MAX_META_ENTRIES,
      }),
    ),
    maxWaiting: Type.Optional(Type.Integer({ minimum: 1, maximum: L.MAX_QUEUE_LIMIT })),
    maxBytes: Type.Optional(Type.Integer({ minimum: 1, maximum: L.MAX_QUEUE_BYTES })),
    concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: L.MAX_QUEUE_LIMIT })),
    rateLimit: Type.Optional(RateLimitSchema),
    groupConcurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: L.MAX_QUEUE_LIMIT })),
    groupRateLimit: Type.Optional(RateLimitSchema),
  },
  { additionalProperties: false },
);

export const LeaseOptionsSchema = Type.Object(
  {
    queues: Type.Array(Type.String(), { minItems: 1, maxItems: 100 }),
    max: Type.Optional(Type.Integer({ minimum: 1, maximum: L.MAX_LEASE_COUNT })),
    waitMs: Type.Optional(Type.Integer({ minimum: 0, maximum: L.MAX_WAIT_MS })),
    leaseMs: Type.Optional(Type.Integer({ minimum: L.MIN_LEASE_MS, maximum: L.MAX_LEASE_MS })),
    worker: Type.Optional(Type.String({ pattern: WORKER_ID_PATTERN.source })),
  },
  { additionalProperties: false },
);
