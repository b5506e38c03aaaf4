/**
 * Wire schemas of the entities the API answers with: Job, QueueInfo, QueueStats and Worker.
 * Each has an `$id`: the app registers it once (addSchema), responses point at it with a
 * reference, and the OpenAPI document lists it under components.schemas.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ATTEMPT_OUTCOMES, BackoffSchema, DEAD_REASONS, JOB_STATES, QueueConfigSchema, limits } from '@docket/protocol';
import { ErrorBodySchema, Nullable } from './common.ts';

const Int = Type.Integer();
const Time = Type.Integer({ description: 'milliseconds since the epoch, on the store clock' });

const JobErrorSchema = Type.Object({
  message: Type.String(),
  stack: Type.Optional(Type.String()),
  at: Time,
  attempt: Int,
});

/** Object or null as a type array: the serializer checks it with `typeof`, not a compiled anyOf validator. */
const NullableJobError = Type.Unsafe<Static<typeof JobErrorSchema> | null>({
  ...JobErrorSchema,
  type: ['object', 'null'],
});

export const JobSchema = Type.Object(
  {
    id: Type.String(),
    queue: Type.String(),
    name: Nullable(Type.String()),
    state: Type.Union(JOB_STATES.map((state) => Type.Literal(state))),
    encoding: Type.Union([Type.Literal('json'), Type.Literal('bytes')]),
    data: Type.Unknown({ description: 'the JSON value, or the bytes in base64 when encoding is bytes' }),
    priority: Int,
    seq: Int,
    attempts: Int,
    maxAttempts: Int,
    nacks: Int,
    delayedNacks: Int,
    createdAt: Time,
    runAt: Time,
    expiresAt: Nullable(Time),
    leaseMs: Int,
    timeoutMs: Nullable(Int),
    backoff: BackoffSchema,
    dedupKey: Nullable(Type.String()),
    group: Type.Optional(Type.String({ description: "the job's group (enqueue option `group`); absent when none" })),
    meta: Type.Record(Type.String(), Type.String()),
    leaseToken: Nullable(Type.String({ description: 'present while active; ack, nack and extend need it' })),
    leaseExpiresAt: Nullable(Time),
    attemptStartedAt: Nullable(Time),
    startedAt: Nullable(Time),
    worker: Nullable(Type.String()),
    finishedAt: Nullable(Time),
    result: Type.Unknown({ description: 'what the consumer acked with, or null' }),
    error: NullableJobError,
    deadReason: Type.Unsafe<(typeof DEAD_REASONS)[number] | null>({
      type: ['string', 'null'],
      enum: [...DEAD_REASONS, null],
    }),
  },
  { $id: 'Job' },
);
export type WireJob = Static<typeof JobSchema>;

const AttemptErrorSchema = Type.Object({ message: Type.String(), stack: Type.Optional(Type.String()) });

const JobAttemptSchema = Type.Object({
  attempt: Type.Integer({ description: "the job's attempts during this attempt (1: the first lease)" }),
  leasedAt: Nullable(Time),
  endedAt: Time,
  outcome: Type.Union(
    ATTEMPT_OUTCOMES.map((outcome) => Type.Literal(outcome)),
    {
      description:
        'failed: the consumer reported a failure; lease-expired: the server took the job back; released: ' +
        'the consumer gave it back with a placement (not a failure)',
    },
  ),
  worker: Nullable(Type.String({ description: 'the lease holder, when the lease named one' })),
  error: Type.Unsafe<Static<typeof AttemptErrorSchema> | null>({ ...AttemptErrorSchema, type: ['object', 'null'] }),
  next: Type.Union([Type.Literal('waiting'), Type.Literal('delayed'), Type.Literal('dead')], {
    description: 'where the job went after this attempt',
  }),
  retryDelayMs: Nullable(Type.Integer({ description: 'the delay before it could run again; null when dead' })),
});

export const JobAttemptsReply = Type.Object({
  attempts: Type.Array(JobAttemptSchema, {
    description:
      `the attempts that ended without success, oldest first, the latest ${limits.MAX_ATTEMPT_HISTORY}; ` +
      'the running or the successful ' +
      "attempt is described by the job's own fields",
  }),
  dropped: Type.Integer({ description: 'older attempts dropped to keep the bound' }),
});

export const QueueCountsSchema = Type.Object(
  Object.fromEntries(JOB_STATES.map((state) => [state, Int])) as Record<(typeof JOB_STATES)[number], typeof Int>,
);

const QueueTotalsSchema = Type.Object(
  {
    completed: Type.Integer({ description: "successful acks over the queue's life" }),
    failed: Type.Integer({ description: 'failed attempts (retried or dead) and reported failures over its life' }),
  },
  { description: "lifetime counts, kept through retention; a purge of the queue's history resets them" },
);

const queueInfoProperties = {
  name: Type.String(),
  paused: Type.Boolean(),
  config: QueueConfigSchema,
  createdAt: Time,
  totals: QueueTotalsSchema,
};

export const QueueInfoSchema = Type.Object(queueInfoProperties, { $id: 'QueueInfo' });
export const QueueStatsSchema = Type.Object(
  { ...queueInfoProperties, counts: QueueCountsSchema },
  { $id: 'QueueStats' },
);

export const WorkerSchema = Type.Object(
  {
    id: Type.String(),
    queues: Type.Array(Type.String()),
    startedAt: Time,
    lastSeenAt: Time,
    processed: Int,
    failed: Int,
    active: Int,
  },
  { $id: 'Worker' },
);

export const JobRef = Type.Unsafe<WireJob>(Type.Ref('Job'));
export const QueueInfoRef = Type.Unsafe<Static<typeof QueueInfoSchema>>(Type.Ref('QueueInfo'));
export const QueueStatsRef = Type.Unsafe<Static<typeof QueueStatsSchema>>(Type.Ref('QueueStats'));
export const WorkerRef = Type.Unsafe<Static<typeof WorkerSchema>>(Type.Ref('Worker'));

/** The shared schemas the app registers with addSchema. */
export const SHARED_SCHEMAS = [ErrorBodySchema, JobSchema, QueueInfoSchema, QueueStatsSchema, WorkerSchema];
