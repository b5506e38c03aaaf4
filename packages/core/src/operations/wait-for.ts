/**
 * waitFor: resolves when a job is completed or dead (enqueue-and-wait), or when `waitMs` passes
 * or the caller aborts, with the job as it is then. Listens to this engine's events before the
 * first read, so a job finished in between is not missed; when the store is shared with other
 * nodes (whose acks raise no local event) it also re-reads the job every SHARED_STORE_POLL_MS.
 */
import { JobNotFoundError, isFinished, type Job } from '@docket/protocol';
import type { TimerHandle } from '../clock.ts';
import type { EngineCore } from '../engine-core.ts';
import type { WaitOptions } from '../engine-api.ts';

/** 250 ms: bounds how late a waiter sees a job finished on another node; one read per waiter per tick. */
const SHARED_STORE_POLL_MS = 250;

export function waitForJob(core: EngineCore, id: string, options: WaitOptions): Promise<Job> {
  return new Promise<Job>((resolve, reject) => {
    let done = false;
    let timer: TimerHandle | undefined = undefined;
    let pollTimer: TimerHandle | undefined;
    const end = (outcome: { job: Job } | { error: unknown }): void => {
      if (done) return;
      done = true;
      for (const off of unsubscribe) off();
      timer?.cancel();
      pollTimer?.cancel();
      options.signal?.removeEventListener('abort', onAbort);
      if ('job' in outcome) resolve(outcome.job);
      else reject(outcome.error);
    };
    const read = (final: boolean): void => {
      core.store.jobGet({ id }).then(
        (job) => {
          if (done) return;
          if (job === null) end({ error: new JobNotFoundError(id) });
          else if (final || isFinished(job)) end({ job });
          else if (core.store.capabilities.sharedClock)
            pollTimer = core.clock.setTimer(SHARED_STORE_POLL_MS, () => read(false));
        },
        (error: unknown) => end({ error }),
      );
    };
    const onAbort = (): void => read(true);
    const unsubscribe = [
      core.events.on('job:completed', ({ job }) => job.id === id && end({ job })),
      core.events.on('job:dead', ({ job }) => job.id === id && end({ job })),
      core.events.on('job:deleted', (e) => e.id === id && end({ error: new JobNotFoundError(id) })),
    ];
    if (options.waitMs === 0 || options.signal?.aborted) {
      read(true);
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    timer = core.clock.setTimer(options.waitMs, () => read(true));
    read(false);
  });
}
