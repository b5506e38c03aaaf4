/**
 * The engine's job lifecycle events under the names the event stream gives them (protocol's
 * JOB_EVENT_TYPES), with the error each carries: the server's SSE logs and the in-process
 * client both subscribe through this, so they announce the same events the same way.
 */
import type { Job, JobError, JobEventType } from '@docket/protocol';
import type { EventHub } from './event-hub.ts';
import type { EngineEvents } from './events.ts';

/** `error`: the failed attempt's error for `retrying`, the job's last error for `dead`, else null. */
export type JobEventListener = (type: JobEventType, job: Job, error: JobError | null) => void;

const NAMES: ReadonlyArray<readonly [keyof EngineEvents, JobEventType]> = [
  ['job:enqueued', 'enqueued'],
  ['job:promoted', 'promoted'],
  ['job:leased', 'leased'],
  ['job:completed', 'completed'],
  ['job:nacked', 'nacked'],
  ['job:retrying', 'retrying'],
  ['job:reaped', 'reaped'],
  ['job:dead', 'dead'],
  ['job:expired', 'expired'],
];

/** Subscribes to every job lifecycle event; returns the function that unsubscribes. */
export function onJobEvents(events: EventHub<EngineEvents>, listener: JobEventListener): () => void {
  const offs = NAMES.map(([name, type]) =>
    events.on(name, (payload) => {
      const { job, error } = payload as { readonly job: Job; readonly error?: JobError | null };
      listener(type, job, type === 'retrying' ? (error ?? null) : type === 'dead' ? job.error : null);
    }),
  );
  return () => {
    for (const off of offs) off();
  };
}
