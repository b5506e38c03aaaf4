/**
 * Job lifecycle events as the event stream (SSE) and the SDK's `queue.events()` carry them: a
 * small summary of the job after the transition, never its payload or result, so a buffer of
 * recent events stays small whatever the jobs hold.
 */
import type { DeadReason, Job, JobError, JobState } from './job.ts';

/** The lifecycle events a queue's event stream carries, by name. */
export const JOB_EVENT_TYPES = [
  'enqueued',
  'promoted',
  'leased',
  'completed',
  'nacked',
  'retrying',
  'reaped',
  'dead',
  'expired',
] as const;
export type JobEventType = (typeof JOB_EVENT_TYPES)[number];

/** An error message in an event is cut to this length; the job itself keeps more (`GET /v1/jobs/{id}`). */
export const EVENT_ERROR_MESSAGE_LENGTH = 1000;

export interface JobEventData {
  readonly id: string;
  readonly queue: string;
  readonly name: string | null;
  readonly state: JobState;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly runAt: number;
  readonly deadReason: DeadReason | null;
  readonly worker: string | null;
  /** The error of the failed attempt, for `retrying` and `dead` after a failure. */
  readonly error: { readonly message: string; readonly attempt: number } | null;
}

/** One event: `id` orders events of one queue and resumes a stream (`Last-Event-ID`). */
export interface JobEvent {
  readonly id: string;
  readonly type: JobEventType;
  readonly data: JobEventData;
}

export function jobEventData(job: Job, error: JobError | null = job.error): JobEventData {
  return {
    id: job.id,
    queue: job.queue,
    name: job.name,
    state: job.state,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    runAt: job.runAt,
    deadReason: job.deadReason,
    worker: job.worker,
    error:
      error === null ? null : { message: error.message.slice(0, EVENT_ERROR_MESSAGE_LENGTH), attempt: error.attempt },
  };
}

/**
 * Sent instead of a gap: the stream was asked to resume after an event it no longer holds (older
 * than its window, or from before a server restart), so events in between may be lost. The
 * events that follow are every event the server still holds.
 */
export interface MissedEvents {
  readonly type: 'missed';
  /** The id the client asked to resume after. */
  readonly lastEventId: string;
}

/** What an event stream yields: lifecycle events, and a marker where events were lost. */
export type QueueEvent = JobEvent | MissedEvents;
