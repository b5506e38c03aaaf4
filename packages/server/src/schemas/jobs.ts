/**
 * Request and response schemas of the job routes: enqueue, read, cancel, delete, and the
 * consumer's ack, nack and extend (single and batch). Job options come from the protocol's
 * JobOptionsSchema, so the engine and the HTTP API accept exactly the same options.
 */
import { Type, type TProperties } from '@sinclair/typebox';
import { JobOptionsSchema, NACK_PLACEMENTS, limits } from '@docket/protocol';
import { JobId, QueueName } from './common.ts';
import { JobRef } from './entities.ts';

export const EnqueueJobBody = Type.Composite(
  [
    JobOptionsSchema,
    Type.Object({
      data: Type.Unknown({ description: 'any JSON value; base64 text when encoding is bytes' }),
      encoding: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('bytes')], { default: 'json' })),
    }),
  ],
  { additionalProperties: false, title: 'EnqueueJob' },
);

const EnqueueBatchBody = Type.Object(
  { jobs: Type.Array(EnqueueJobBody, { minItems: 1, maxItems: limits.MAX_BATCH_SIZE }) },
  { additionalProperties: false, title: 'EnqueueBatch' },
);

export const EnqueueJsonBody = Type.Union([EnqueueJobBody, EnqueueBatchBody]);

/** A job of `POST /v1/jobs`: an EnqueueJob that names its queue. */
export const EnqueueEachItem = Type.Composite([EnqueueJobBody, Type.Object({ queue: QueueName })], {
  additionalProperties: false,
  title: 'EnqueueEachItem',
});

/**
 * The items are checked one by one in the handler, against EnqueueEachItem, so that a bad item
 * gets its own error instead of refusing its neighbours: the request schema only bounds them.
 */
export const EnqueueEachBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {},
        {
          additionalProperties: true,
          description: 'an EnqueueEachItem: a job as in EnqueueJob plus its `queue`, checked item by item',
        },
      ),
      { minItems: 1, maxItems: limits.MAX_BATCH_SIZE },
    ),
  },
  { additionalProperties: false, title: 'EnqueueEach' },
);

/** Options of a job whose body is raw bytes travel in the query string (scalars only). */
export const EnqueueBytesQuery = Type.Pick(
  JobOptionsSchema,
  [
    'id',
    'name',
    'dedupKey',
    'dedupWindowMs',
    'group',
    'priority',
    'delayMs',
    'runAt',
    'ttlMs',
    'expiresAt',
    'maxAttempts',
    'leaseMs',
    'timeoutMs',
  ],
  { additionalProperties: false },
);

export const EnqueueBody = {
  content: {
    'application/json': { schema: EnqueueJsonBody },
    'application/octet-stream': {
      schema: Type.Unknown({ format: 'binary', description: 'any non-JSON media type: one job of these bytes' }),
    },
  },
};

/**
 * One job answers `{job, created}`, a batch `{jobs, created: [...]}`. One object schema with
 * both shapes' properties rather than an anyOf: the serializer would compile a validator to
 * pick the branch of every answer.
 */
export const EnqueueReply = Type.Object({
  job: Type.Optional(JobRef),
  jobs: Type.Optional(Type.Array(JobRef, { description: 'a batch: the jobs, in request order' })),
  created: Type.Unsafe<boolean | boolean[]>({
    type: ['boolean', 'array'],
    items: { type: 'boolean' },
    description: 'false when an existing job was returned (same id or dedupKey); per job for a batch',
  }),
});

const LeaseToken = Type.String({ minLength: 1, maxLength: 200, description: 'the leaseToken from lease' });
const JobErrorInput = Type.Object(
  {
    message: Type.String({ maxLength: limits.MAX_ERROR_MESSAGE_LENGTH }),
    stack: Type.Optional(Type.String({ maxLength: limits.MAX_ERROR_STACK_LENGTH })),
  },
  { additionalProperties: false },
);

const ackFields = { lease: LeaseToken, result: Type.Optional(Type.Unknown({ description: 'any JSON value' })) };
const nackFields = {
  lease: LeaseToken,
  error: Type.Optional(JobErrorInput),
  placement: Type.Optional(Type.Union(NACK_PLACEMENTS.map((p) => Type.Literal(p)))),
  delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: limits.MAX_DELAY_MS })),
  fail: Type.Optional(Type.Boolean()),
  retry: Type.Optional(Type.Boolean()),
  rateLimited: Type.Optional(
    Type.Boolean({
      description:
        'the handler met a downstream rate limit: back to delayed for delayMs (required) and the lease given back, so the attempt is not spent; not a failure',
    }),
  ),
};
const extendFields = {
  lease: LeaseToken,
  leaseMs: Type.Optional(Type.Integer({ minimum: limits.MIN_LEASE_MS, maximum: limits.MAX_LEASE_MS })),
};

export const AckBody = Type.Object(ackFields, { additionalProperties: false });
export const NackBody = Type.Object(nackFields, { additionalProperties: false });
export const ExtendBody = Type.Object(extendFields, { additionalProperties: false });

function batchOf<T extends TProperties>(fields: T) {
  return Type.Object(
    {
      items: Type.Array(Type.Object({ id: JobId, ...fields }, { additionalProperties: false }), {
        minItems: 1,
        maxItems: limits.MAX_BATCH_SIZE,
      }),
    },
    { additionalProperties: false },
  );
}

export const AckBatchBody = batchOf(ackFields);
export const NackBatchBody = batchOf(nackFields);
export const ExtendBatchBody = batchOf(extendFields);

export const JobReply = Type.Object({ job: JobRef });

export const EnqueueEachReply = Type.Object({
  results: Type.Array(
    Type.Object({
      job: Type.Optional(JobRef),
      created: Type.Optional(Type.Boolean({ description: 'false when an existing job was returned' })),
      error: Type.Optional(
        Type.Object({
          code: Type.String(),
          message: Type.String(),
          details: Type.Record(Type.String(), Type.Unknown()),
        }),
      ),
    }),
    { description: 'one per item, in request order: `{job, created}` or `{error}`' },
  ),
});

export const BatchReply = Type.Object({
  results: Type.Array(
    Type.Object({
      id: Type.String(),
      job: Type.Optional(JobRef),
      error: Type.Optional(
        Type.Object({
          code: Type.String(),
          message: Type.String(),
          details: Type.Record(Type.String(), Type.Unknown()),
        }),
      ),
    }),
    { description: 'per item, in request order: the job, or why this item failed' },
  ),
});

export const GetJobQuery = Type.Object(
  {
    waitMs: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: limits.MAX_WAIT_MS,
        description: 'wait up to this long for the job to complete or die (enqueue-and-wait)',
      }),
    ),
  },
  { additionalProperties: false },
);
