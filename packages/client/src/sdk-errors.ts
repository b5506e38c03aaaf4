/**
 * Errors the SDK itself raises about a job's outcome (not server errors: those are the protocol's
 * classes, see errors.ts). Each carries the job as it was when the SDK gave up on it.
 */
import type { Job } from '@docket/protocol';

/**
 * enqueueAndWait: the job did not finish within `waitMs`. The job keeps running; its result stays
 * readable with `queue.get(job.id)` once it completes.
 *
 * @example
 * try {
 *   await queue.enqueueAndWait(data, { waitMs: 5_000 });
 * } catch (err) {
 *   if (err instanceof WaitTimeoutError) console.log('still running', err.job.id);
 * }
 */
export class WaitTimeoutError extends Error {
  readonly job: Job;

  constructor(job: Job, waitMs: number) {
    super(`timeout waiting for the result of job ${job.id} after ${waitMs} ms (it is ${job.state})`);
    this.name = 'WaitTimeoutError';
    this.job = job;
  }
}

/**
 * enqueueAndWait: the job ended dead (its handler failed for good, it ran out of attempts, it
 * expired or was cancelled). The message is the handler's last error when there is one.
 *
 * @example
 * try {
 *   await queue.enqueueAndWait(data, { waitMs: 5_000 });
 * } catch (err) {
 *   if (err instanceof JobFailedError) console.log(err.job.deadReason, err.message);
 * }
 */
export class JobFailedError extends Error {
  readonly job: Job;

  constructor(job: Job) {
    super(job.error?.message ?? `job ${job.id} is dead (${job.deadReason ?? 'unknown reason'})`);
    this.name = 'JobFailedError';
    this.job = job;
  }
}
