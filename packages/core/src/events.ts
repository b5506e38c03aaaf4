/**
 * The engine's lifecycle events: one typed, namespaced map. The SSE stream, metrics and tests
 * subscribe to the same map (tests await events instead of sleeping).
 */
import type { Job, JobError, LeasedJob, QueueInfo } from '@docket/protocol';

export interface EngineEvents {
  /** A job was created (not emitted when an existing id or dedupKey returned an existing job). */
  'job:enqueued': { readonly job: Job };
  /** A job was deduplicated: enqueue returned an existing job. */
  'job:deduplicated': { readonly job: Job };
  'job:leased': { readonly job: LeasedJob };
  'job:completed': { readonly job: Job };
  /** A consumer gave the job back by choice (front, back or delay). */
  'job:nacked': { readonly job: Job };
  /** A failed attempt; the job will run again after its backoff. */
  'job:retrying': { readonly job: Job; readonly error: JobError | null };
  /** The job will not run again by itself; `job.deadReason` says why. */
  'job:dead': { readonly job: Job };
  /** Also announced as `job:dead` with reason `expired`. */
  'job:expired': { readonly job: Job };
  'job:promoted': { readonly job: Job };
  /** A lease ran out and was taken back, as a failed attempt. */
  'job:reaped': { readonly job: Job };
  'job:deleted': { readonly id: string; readonly queue: string };
  'queue:paused': { readonly queue: QueueInfo };
  'queue:resumed': { readonly queue: QueueInfo };
  'queue:purged': { readonly queue: string; readonly count: number };
  'queue:redriven': { readonly queue: string; readonly count: number };
  /**
   * Another server sharing the store made up to `count` jobs ready in `queue` (its notification,
   * best effort). Long-polls are woken already; adapters that wait by other means listen here.
   */
  'queue:ready': { readonly queue: string; readonly count: number };
  /** A background service finished one run; `count` is the jobs it moved. */
  'service:ran': { readonly service: string; readonly count: number };
  /** A background service run failed; it runs again at its next interval. */
  'service:error': { readonly service: string; readonly error: unknown };
}

export type EngineEventName = keyof EngineEvents;

/** The events of a job leaving `active`: its lease ended, whichever way (ack, nack, failure, reaper, expiry). */
export const LEFT_ACTIVE_EVENTS = [
  'job:completed',
  'job:nacked',
  'job:retrying',
  'job:dead',
  'job:reaped',
  'job:expired',
] as const satisfies readonly EngineEventName[];
