/**
 * Schedules: a named rule that enqueues a job into a queue at each tick of a cron expression or
 * of a fixed interval. The wire shape of a schedule (`Schedule`) and of a PUT (`ScheduleInput`),
 * as TypeBox schemas the engine validates with and the HTTP server publishes.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { JsonValue } from './job.ts';
import { JobOptionsSchema } from './job-options.ts';
import * as L from './limits.ts';

/**
 * What a schedule does about ticks that passed while no server could fire them. `none`: skip
 * them (a tick later than `limits.SCHEDULE_MISSED_AFTER_MS` is missed); `last`: fire the latest
 * one only; `all`: fire each, up to `limits.MAX_SCHEDULE_CATCH_UP` of the latest.
 */
export const CATCH_UP_POLICIES = ['none', 'last', 'all'] as const;
export type CatchUpPolicy = (typeof CATCH_UP_POLICIES)[number];

/** The enqueue options a schedule gives each job: every job option but those a tick decides. */
export const ScheduleJobOptionsSchema = Type.Omit(JobOptionsSchema, [
  'id',
  'dedupKey',
  'dedupWindowMs',
  'runAt',
  'expiresAt',
]);
export type ScheduleJobOptions = Static<typeof ScheduleJobOptionsSchema>;

const Time = Type.Integer({ minimum: 0, maximum: 8.64e15 });

export const ScheduleInputSchema = Type.Object(
  {
    queue: Type.String({ minLength: 1, maxLength: 200 }),
    cron: Type.Optional(Type.String({ minLength: 1, maxLength: L.MAX_CRON_LENGTH })),
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    every: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    everyMs: Type.Optional(Type.Integer({ minimum: L.MIN_SCHEDULE_EVERY_MS, maximum: L.MAX_DELAY_MS })),
    data: Type.Optional(Type.Unknown()),
    options: Type.Optional(ScheduleJobOptionsSchema),
    startAt: Type.Optional(Time),
    endAt: Type.Optional(Time),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
    paused: Type.Optional(Type.Boolean()),
    catchUp: Type.Optional(Type.Union(CATCH_UP_POLICIES.map((p) => Type.Literal(p)))),
  },
  { additionalProperties: false },
);

/** A PUT /v1/schedules/{name}: exactly one of `cron`, `every` (`"2s"`) or `everyMs`. */
export interface ScheduleInput {
  readonly queue: string;
  readonly cron?: string;
  /** An IANA time zone for `cron` (default UTC). */
  readonly timezone?: string;
  /** An interval with a unit: `500ms` is too short; `2s`, `5m`, `1h`, `1d`. */
  readonly every?: string;
  readonly everyMs?: number;
  /** The payload of every job (JSON; default null). */
  readonly data?: JsonValue;
  readonly options?: ScheduleJobOptions;
  /** No tick before this time (ms since the epoch); an interval's ticks count from it. */
  readonly startAt?: number;
  /** No tick at or after this time. */
  readonly endAt?: number;
  /** At most this many scheduled fires (triggers do not count). */
  readonly limit?: number;
  readonly paused?: boolean;
  /** Default `last`. */
  readonly catchUp?: CatchUpPolicy;
}

/** A schedule's rule, normalised: what a store keeps as given. */
export interface ScheduleSpec {
  readonly queue: string;
  readonly cron: string | null;
  readonly timezone: string | null;
  readonly everyMs: number | null;
  readonly data: JsonValue;
  readonly options: ScheduleJobOptions;
  readonly startAt: number | null;
  readonly endAt: number | null;
  readonly limit: number | null;
  readonly catchUp: CatchUpPolicy;
}

/** A schedule as the API returns it. */
export interface Schedule extends ScheduleSpec {
  readonly name: string;
  readonly paused: boolean;
  /** The next tick, or null when the schedule has no more (its `limit` or `endAt` reached). */
  readonly nextFireAt: number | null;
  /** The tick (or trigger time) of the last job it enqueued, or null. */
  readonly lastFireAt: number | null;
  /** Scheduled fires so far (triggers not counted). */
  readonly fires: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}
