/** Schemas of the schedule routes: the PUT body, the Schedule entity, list and trigger replies. */
import { Type, type Static } from '@sinclair/typebox';
import { CATCH_UP_POLICIES, QUEUE_NAME_PATTERN, ScheduleInputSchema, ScheduleJobOptionsSchema } from '@docket/protocol';
import { Nullable, Page } from './common.ts';
import { JobRef } from './entities.ts';

const Time = Type.Integer({ description: 'milliseconds since the epoch' });

export const ScheduleName = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: QUEUE_NAME_PATTERN.source,
  description: 'a schedule name (the queue name rule); `/` is percent-encoded (`%2F`) in paths',
});

export const ScheduleParams = Type.Object({ name: ScheduleName }, { additionalProperties: false });

export const ScheduleBody = ScheduleInputSchema;

export const ScheduleSchema = Type.Object(
  {
    name: Type.String(),
    queue: Type.String(),
    cron: Nullable(Type.String()),
    timezone: Nullable(Type.String()),
    everyMs: Nullable(Type.Integer()),
    data: Type.Unknown({ description: 'the payload of every job' }),
    options: ScheduleJobOptionsSchema,
    startAt: Nullable(Time),
    endAt: Nullable(Time),
    limit: Nullable(Type.Integer()),
    catchUp: Type.Union(CATCH_UP_POLICIES.map((p) => Type.Literal(p))),
    paused: Type.Boolean(),
    nextFireAt: Nullable(Type.Integer({ description: 'the next tick; null when the schedule has no more' })),
    lastFireAt: Nullable(Type.Integer({ description: 'the tick (or trigger time) of the last job enqueued' })),
    fires: Type.Integer({ description: 'scheduled fires so far (triggers not counted)' }),
    createdAt: Time,
    updatedAt: Time,
  },
  { $id: 'Schedule' },
);

export const ScheduleRef = Type.Unsafe<Static<typeof ScheduleSchema>>(Type.Ref('Schedule'));
export const ScheduleReply = Type.Object({ schedule: ScheduleRef });
export const SchedulePage = Page(ScheduleRef);
export const TriggerReply = Type.Object({ job: JobRef });
