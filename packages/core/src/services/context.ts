/** What a background service may touch: the store, the events, and the engine's wake-ups. */
import type { Job } from '@docket/protocol';
import type { EventHub } from '../event-hub.ts';
import type { EngineEvents } from '../events.ts';
import type { Store } from '../store.ts';

export interface ServiceContext {
  readonly store: Store;
  readonly events: EventHub<EngineEvents>;
  /** Tells long-pollers that `count` jobs may be ready in `queue`. */
  readonly wake: (queue: string, count: number) => void;
  /** Tells the delay-promoter a job became delayed until `runAt`. */
  readonly delayed: (runAt: number) => void;
  /** Random number in [0, 1) for backoff jitter (injected so tests can fix it). */
  readonly random: () => number;
}

/** Announces a job that just moved, and wakes consumers or the promoter as its new state needs. */
export function announceMoved(ctx: ServiceContext, job: Job): void {
  if (job.state === 'waiting') ctx.wake(job.queue, 1);
  else if (job.state === 'delayed') ctx.delayed(job.runAt);
  else if (job.state === 'dead') ctx.events.emit('job:dead', { job });
}
