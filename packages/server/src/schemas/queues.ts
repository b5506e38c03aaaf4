/** Schemas of the queue routes: listing, stats, config, pause/resume, purge, redrive, browse. */
import { Type } from '@sinclair/typebox';
import { DEAD_REASONS, JOB_STATES, QueueConfigSchema, limits } from '@docket/protocol';
import { Cursor, Page } from './common.ts';
import { JobRef, QueueInfoRef, QueueStatsRef } from './entities.ts';

const JobStateSchema = Type.Union(JOB_STATES.map((state) => Type.Literal(state)));

export const QueueConfigBody = QueueConfigSchema;

export const PurgeBody = Type.Object(
  {
    states: Type.Optional(Type.Array(JobStateSchema, { minItems: 1, maxItems: JOB_STATES.length, uniqueItems: true })),
  },
  { additionalProperties: false },
);

export const RedriveBody = Type.Object(
  { reason: Type.Optional(Type.Union(DEAD_REASONS.map((reason) => Type.Literal(reason)))) },
  { additionalProperties: false },
);

export const ListJobsQuery = Type.Object(
  {
    state: Type.Optional(JobStateSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: limits.MAX_LIST_LIMIT, default: 50 })),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);

export const QueueReply = Type.Object({ queue: QueueInfoRef });
export const QueueStatsReply = Type.Object({ queue: QueueStatsRef });
export const QueuePage = Page(QueueStatsRef);
export const JobPage = Page(JobRef);
export const PurgeReply = Type.Object({ purged: Type.Integer() });
export const RedriveReply = Type.Object({ redriven: Type.Integer() });

export const GroupStatsQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: limits.MAX_LIST_LIMIT, default: 20 })) },
  { additionalProperties: false },
);

export const GroupStatsReply = Type.Object({
  items: Type.Array(
    Type.Object({
      group: Type.String(),
      waiting: Type.Integer({ description: 'jobs of the group waiting now' }),
      held: Type.Integer({
        description: 'jobs of the group active, or delayed after a lease (a retry, a nack with delay)',
      }),
    }),
    { description: 'the groups with waiting or held jobs, by waiting jobs descending' },
  ),
});
